"""The triage vocabulary: one run's service results plus their triage, what every output
format renders.

Formats are pure functions ``render(report: RunReport) -> str``; only the CLI writes files.
Triage says, for each issue, whether it is accepted (accepted.yaml) and, when the run was
compared with a baseline, whether it is new or persisting; issues of the baseline that are gone
are listed as fixed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kuva_audit.audit.results import Finding, FingerprintEntry, Node, PageResult, ServiceRun
from kuva_audit.config.sources import Sources

Change = Literal["new", "persisting"]


@dataclass(frozen=True)
class Acceptance:
    """An accepted issue: why, who owns it, until when, and where it is written."""

    reason: str
    owner: str
    expires: dt.date | None
    source: str
    """``accepted.yaml:12``: the entry that accepted it."""


@dataclass(frozen=True)
class FixedIssue:
    """An issue of the baseline run that this run no longer finds."""

    service: str
    issue: FingerprintEntry


@dataclass(frozen=True)
class IssueCounts:
    """Open (not accepted) WCAG 2.1 A/AA issues of one service by impact; new and accepted."""

    by_impact: Counter[str]
    new: int
    accepted: int


@dataclass(frozen=True)
class RunReport:
    date: str
    services: tuple[ServiceRun, ...]
    accepted: Mapping[tuple[str, str, str], Acceptance] = field(default_factory=dict)
    """(service id, fingerprint, page URL) -> acceptance."""
    changes: Mapping[tuple[str, str], Change] | None = None
    """(service id, fingerprint) -> new | persisting; None when there is no baseline."""
    fixed: tuple[FixedIssue, ...] = ()
    notes: tuple[str, ...] = ()
    """Things a reader must know: expired acceptances, an axe-core upgrade since the baseline."""
    sources: Sources | None = None
    """Where each service and page is written in services.yaml (SARIF and CI annotations point
    there); None when the run is rendered without its config."""
    uncompared: frozenset[str] = frozenset()
    """Services whose baseline has another fingerprint version: their issues have no change."""

    def acceptance(self, service: str, fingerprint: str, url: str) -> Acceptance | None:
        return self.accepted.get((service, fingerprint, url))

    def change(self, service: str, fingerprint: str) -> Change | None:
        if self.changes is None:
            return None
        return self.changes.get((service, fingerprint))

    def issue_counts(self, run: ServiceRun) -> IssueCounts:
        """Distinct WCAG 2.1 A/AA issues of ``run``; one accepted on every page it is on counts
        as accepted, any other as open."""
        by_impact: Counter[str] = Counter()
        new = accepted = 0
        for fp in run.fingerprints:
            if not fp.legal:
                continue
            if all(self.acceptance(run.service.id, fp.id, url) for url in fp.pages):
                accepted += 1
                continue
            by_impact[fp.impact or "minor"] += 1
            new += self.change(run.service.id, fp.id) == "new"
        return IssueCounts(by_impact, new, accepted)

    def failing_nodes(self, run: ServiceRun, page: PageResult) -> Iterator[tuple[Finding, Node]]:
        """Legal violations of ``page`` that are not accepted: what fails a CI job."""
        for finding in page.violations:
            if not finding.legal:
                continue
            for node in finding.nodes:
                if self.acceptance(run.service.id, node.fingerprint, page.url) is None:
                    yield finding, node
