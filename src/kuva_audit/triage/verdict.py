"""The run's exit code, and why: which rule of the exit code fired, with counts.

Rules, strictest first: 1 when a page could not be audited (or, for the whole job, a stage
failed); 2 when an open (not accepted) WCAG 2.1 A/AA issue has ``--fail-on`` impact or worse
(with ``--fail-on-new``, only one that is new since the baseline); else 0. Every command that
judges a run (audit, export, run, demo) prints :meth:`Verdict.lines` last, so the end of a CI
log says why the job is red; :mod:`kuva_audit.triage.annotations` turns the same verdict into
GitHub workflow annotations.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kuva_audit.audit.results import IMPACT_ORDER, Finding, Node, PageResult
from kuva_audit.triage.report import RunReport
from kuva_audit.words import count

EXIT_OK, EXIT_ERROR, EXIT_FINDINGS = 0, 1, 2
LISTED = 10
"""Pages and issues named one by one in the explanation; the rest are counted."""


@dataclass(frozen=True)
class Blocking:
    """An open issue (one fingerprint of one service) that counts toward exit code 2."""

    service: str
    fingerprint: str
    rule: str
    help: str
    impact: str
    selector: str
    pages: tuple[tuple[str, str], ...]
    """(URL, viewport) where it is open, in run order."""

    def describe(self) -> str:
        first = f"{self.pages[0][0]} ({self.pages[0][1]})"
        more = len(self.pages) - 1
        where = first + (f" and {count(more, 'more page')}" if more else "")
        return f"{self.service}: {self.rule} ({self.impact}) on {self.selector} at {where}"


@dataclass(frozen=True)
class Verdict:
    """What a run's exit code is and every rule that fired."""

    code: int
    fail_on: str
    only_new: bool
    pages: int
    unaudited: tuple[tuple[str, PageResult], ...] = ()
    """(service id, page) of every page that could not be audited."""
    blocking: tuple[Blocking, ...] = ()
    """Open issues at or above the threshold (new ones only, with ``only_new``)."""
    open_issues: int = 0
    """Every open WCAG 2.1 A/AA issue of the run (blocking or not)."""
    failed_stages: tuple[str, ...] = ()
    """Stages of the whole job that failed (their error is printed where it happened)."""

    def reasons(self) -> list[str]:
        """Each rule that fired, strictest first, with its counts."""
        reasons = []
        if self.unaudited:
            reasons.append(
                f"{len(self.unaudited)} of {count(self.pages, 'page')} could not be audited "
                "(a page that cannot be audited fails the run)"
            )
        reasons += [
            f"the {stage} stage failed (its error is above)" for stage in self.failed_stages
        ]
        if self.blocking:
            by_impact = Counter(issue.impact for issue in self.blocking)
            counts = ", ".join(f"{by_impact[i]} {i}" for i in IMPACT_ORDER if by_impact[i])
            reasons.append(
                f"{count(len(self.blocking), 'open WCAG 2.1 A/AA issue')}{self._new} at or above "
                f"--fail-on {self.fail_on} ({counts})"
            )
        return reasons

    @property
    def _new(self) -> str:
        return " new since the baseline" if self.only_new else ""

    def summary(self) -> str:
        """One line: the exit code and why."""
        reasons = self.reasons()
        if reasons:
            return f"kuva-audit: exit {self.code}: " + "; ".join(reasons)
        if self.fail_on == "none":
            rule = "--fail-on none: issues never fail the run"
        else:
            rule = f"no open WCAG 2.1 A/AA issue{self._new} at or above --fail-on {self.fail_on}"
        audited = f"all {self.pages} pages" if self.pages != 1 else "the 1 page"
        return (
            f"kuva-audit: exit {self.code}: {audited} audited; {rule} "
            f"({count(self.open_issues, 'open issue')} in all)"
        )

    def lines(self) -> list[str]:
        """The pages and issues behind the verdict (the first :data:`LISTED` of each), then
        :meth:`summary` as the last line."""
        lines = [
            f"  not audited: {sid}: {page.url} ({page.viewport}): {page.error or '?'}"
            for sid, page in self.unaudited[:LISTED]
        ]
        if len(self.unaudited) > LISTED:
            more = count(len(self.unaudited) - LISTED, "more page")
            lines.append(f"  ... and {more} not audited")
        label = "new issue" if self.only_new else "issue"
        lines += [f"  {label}: {issue.describe()}" for issue in self.blocking[:LISTED]]
        if len(self.blocking) > LISTED:
            lines.append(f"  ... and {count(len(self.blocking) - LISTED, f'more {label}')}")
        return [*lines, self.summary()]

    def with_stages(self, failed: Sequence[str]) -> Verdict:
        """This verdict for the whole job, whose ``failed`` stages make it exit 1."""
        if not failed:
            return self
        return dataclasses.replace(self, code=EXIT_ERROR, failed_stages=tuple(failed))


def judge(report: RunReport, fail_on: str, *, only_new: bool = False) -> Verdict:
    """1 if any page could not be audited; else 2 if an open WCAG 2.1 A/AA issue (a new one,
    with ``only_new``) has ``fail_on`` impact or worse; else 0."""
    failing = IMPACT_ORDER[: IMPACT_ORDER.index(fail_on) + 1] if fail_on != "none" else ()
    unaudited: list[tuple[str, PageResult]] = []
    first: dict[tuple[str, str], tuple[Finding, Node]] = {}
    where: dict[tuple[str, str], list[tuple[str, str]]] = {}
    open_issues: set[tuple[str, str]] = set()
    pages = 0
    for run in report.services:
        sid = run.service.id
        for page in run.pages:
            pages += 1
            if page.status == "error":
                unaudited.append((sid, page))
            for finding, node in report.failing_nodes(run, page):
                key = (sid, node.fingerprint)
                open_issues.add(key)
                if (finding.impact or "minor") not in failing:
                    continue
                if only_new and report.change(sid, node.fingerprint) != "new":
                    continue
                first.setdefault(key, (finding, node))
                seen = where.setdefault(key, [])
                if (page.url, page.viewport) not in seen:
                    seen.append((page.url, page.viewport))
    blocking = [
        Blocking(
            sid,
            fingerprint,
            finding.rule,
            finding.help,
            finding.impact or "minor",
            node.selector,
            tuple(where[(sid, fingerprint)]),
        )
        for (sid, fingerprint), (finding, node) in first.items()
    ]
    blocking.sort(key=lambda issue: IMPACT_ORDER.index(issue.impact))
    code = EXIT_ERROR if unaudited else EXIT_FINDINGS if blocking else EXIT_OK
    return Verdict(
        code, fail_on, only_new, pages, tuple(unaudited), tuple(blocking), len(open_issues)
    )
