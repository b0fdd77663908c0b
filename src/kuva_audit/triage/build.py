"""Build the :class:`RunReport` every format renders, and decide the run's exit code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kuva_audit.audit.results import IMPACT_ORDER, ServiceRun
from kuva_audit.formats.report import Acceptance, RunReport, load_run_dir
from kuva_audit.triage.accepted import Accepted
from kuva_audit.triage.baseline import compare

EXIT_OK, EXIT_ERROR, EXIT_FINDINGS = 0, 1, 2


def build_report(
    runs: tuple[ServiceRun, ...],
    *,
    date: str,
    accepted: Accepted | None = None,
    baseline: Path | None = None,
) -> RunReport:
    """Attach acceptances (as of the run date) and the comparison with ``baseline``."""
    notes: list[str] = []
    acceptances: dict[tuple[str, str, str], Acceptance] = {}
    if accepted is not None:
        acceptances, expired = accepted.apply(runs, dt.date.fromisoformat(date))
        notes.extend(expired)
    if baseline is None:
        return RunReport(date, runs, acceptances, None, (), tuple(notes))
    comparison = compare(runs, load_run_dir(baseline))
    notes.extend(comparison.notes)
    return RunReport(date, runs, acceptances, comparison.changes, comparison.fixed, tuple(notes))


def exit_code(report: RunReport, fail_on: str, *, only_new: bool = False) -> int:
    """1 if any page could not be audited; else 2 if an open WCAG 2.1 A/AA issue (a new one,
    with ``only_new``) has ``fail_on`` impact or worse; else 0."""
    if any(page.status == "error" for run in report.services for page in run.pages):
        return EXIT_ERROR
    if fail_on == "none":
        return EXIT_OK
    failing = set(IMPACT_ORDER[: IMPACT_ORDER.index(fail_on) + 1])
    for run in report.services:
        for page in run.pages:
            for finding, node in report.failing_nodes(run, page):
                if (finding.impact or "minor") not in failing:
                    continue
                if only_new and report.change(run.service.id, node.fingerprint) != "new":
                    continue
                return EXIT_FINDINGS
    return EXIT_OK
