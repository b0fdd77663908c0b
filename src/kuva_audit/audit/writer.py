"""Stream page results to disk and assemble the service's result file atomically.

Page results arrive in completion order and are appended to an anonymous temporary file (the
operating system deletes it however the process ends), so memory stays flat however many pages
a service has. :meth:`ServiceRunWriter.finish` writes the final JSON, pages in input order, to a
temporary file beside the target and renames it into place: an interrupted run leaves either the
previous file or none, never a partial one.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kuva_audit.atomic import atomic_writer
from kuva_audit.audit.fingerprint import FINGERPRINT_VERSION
from kuva_audit.audit.results import (
    IMPACT_ORDER,
    SCHEMA_VERSION,
    FingerprintEntry,
    Impact,
    PageResult,
    ServiceRun,
    Totals,
)
from kuva_audit.audit.wcag import criterion_key


@dataclass
class _Issue:
    rule: str
    selector: str
    impact: Impact | None
    wcag: list[str]
    wcag_beyond: list[str]
    legal: bool
    pages: dict[tuple[tuple[int, int], str], None] = field(default_factory=dict)
    viewports: dict[str, None] = field(default_factory=dict)
    nodes: int = 0


def _worse(a: Impact | None, b: Impact | None) -> Impact | None:
    ranked = [i for i in IMPACT_ORDER if i in (a, b)]
    return ranked[0] if ranked else None


class ServiceRunWriter:
    """Collects a service's page results in any order; writes them ordered by position, then
    by the order of ``viewports`` (the same file whatever order the results came in)."""

    def __init__(self, viewports: list[str]) -> None:
        self._viewports = {name: n for n, name in enumerate(viewports)}
        self._spool: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self._index: dict[tuple[int, int], tuple[int, int]] = {}
        self._issues: dict[str, _Issue] = {}
        self._counts: Counter[str] = Counter()
        self._nodes: Counter[str] = Counter()

    def add(self, result: PageResult) -> None:
        """Record one page result."""
        # A page's own viewports (pages: [{path, viewports}]) follow the service's, in order seen.
        order = (result.position, self._viewports.setdefault(result.viewport, len(self._viewports)))
        data = result.model_dump_json(indent=2).encode()
        start = self._spool.seek(0, 2)
        self._spool.write(data)
        self._index[order] = (start, len(data))
        self._counts["pages"] += 1
        self._counts[result.status] += 1
        self._counts["needs_review"] += len(result.needs_review)
        for finding in result.violations:
            self._counts["violations"] += finding.legal
            for node in finding.nodes:
                if finding.legal and finding.impact:
                    self._nodes[finding.impact] += 1
                issue = self._issues.get(node.fingerprint)
                if issue is None:
                    issue = _Issue(
                        finding.rule,
                        node.selector,
                        finding.impact,
                        finding.wcag,
                        finding.wcag_beyond,
                        finding.legal,
                    )
                    self._issues[node.fingerprint] = issue
                issue.impact = _worse(issue.impact, finding.impact)
                issue.pages[(order, result.url)] = None
                issue.viewports[result.viewport] = None
                issue.nodes += 1

    def totals(self) -> Totals:
        by_impact: Counter[str] = Counter()
        criteria: Counter[str] = Counter()
        beyond = 0
        for issue in self._issues.values():
            if not issue.legal:
                beyond += 1
                continue
            by_impact[issue.impact or "minor"] += 1
            criteria.update(issue.wcag)
        return Totals(
            pages=self._counts["pages"],
            ok=self._counts["ok"],
            errors=self._counts["error"],
            violations=self._counts["violations"],
            issues_by_impact={i: by_impact[i] for i in IMPACT_ORDER},
            nodes_by_impact={i: self._nodes[i] for i in IMPACT_ORDER},
            beyond_legal=beyond,
            needs_review=self._counts["needs_review"],
            failed_criteria={c: criteria[c] for c in sorted(criteria, key=criterion_key)},
        )

    def fingerprints(self) -> list[FingerprintEntry]:
        entries = []
        for fp_id, issue in self._issues.items():
            pages = sorted(issue.pages)
            entries.append(
                FingerprintEntry(
                    id=fp_id,
                    rule=issue.rule,
                    selector=issue.selector,
                    impact=issue.impact,
                    wcag=issue.wcag,
                    wcag_beyond=issue.wcag_beyond,
                    legal=issue.legal,
                    pages=list(dict.fromkeys(url for _, url in pages)),
                    viewports=list(issue.viewports),
                    nodes=issue.nodes,
                )
            )
        rank: dict[str | None, int] = {impact: n for n, impact in enumerate(IMPACT_ORDER)}
        entries.sort(key=lambda e: (not e.legal, rank.get(e.impact, 9), -len(e.pages), e.id))
        return entries

    def finish(self, path: Path, header: dict[str, Any]) -> Totals:
        """Write the complete service result to ``path`` atomically; return its totals."""
        totals = self.totals()
        head = {
            "schema_version": SCHEMA_VERSION,
            "fingerprint_version": FINGERPRINT_VERSION,
            **header,
            "totals": totals.model_dump(),
        }
        with atomic_writer(path) as out:
            out.write(json.dumps(head, indent=2, ensure_ascii=False)[:-2])
            out.write(',\n  "pages": [')
            for n, order in enumerate(sorted(self._index)):
                start, length = self._index[order]
                self._spool.seek(start)
                page = self._spool.read(length).decode()
                out.write(("," if n else "") + "\n    " + page.replace("\n", "\n    "))
            out.write('\n  ],\n  "fingerprints": ')
            fps = [fp.model_dump() for fp in self.fingerprints()]
            out.write(json.dumps(fps, indent=2, ensure_ascii=False).replace("\n", "\n  "))
            out.write("\n}\n")
        return totals

    def close(self) -> None:
        self._spool.close()


HEADER_FIELDS = {
    "fingerprint_version",
    "service",
    "date",
    "started_at",
    "finished_at",
    "duration_s",
    "engine",
    "settings",
    "rule_criteria",
}


def rewrite_service_run(
    run: ServiceRun, pages: Iterable[PageResult], path: Path, **header: Any
) -> Totals:
    """Write ``run`` with other ``pages`` (totals and fingerprints recomputed) to ``path``;
    ``header`` overrides top-level fields such as ``date`` or ``duration_s``."""
    viewports: list[Any] = run.settings.get("viewports") or []  # type: ignore[assignment]
    writer = ServiceRunWriter([str(v["name"]) for v in viewports])
    try:
        for page in pages:
            writer.add(page)
        return writer.finish(path, {**run.model_dump(include=HEADER_FIELDS), **header})
    finally:
        writer.close()
