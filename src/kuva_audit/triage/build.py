"""Build the :class:`RunReport` every format renders (the exit code: :mod:`.verdict`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.sources import Sources
from kuva_audit.triage.accepted import Accepted
from kuva_audit.triage.baseline import compare, load_baseline
from kuva_audit.triage.report import Acceptance, RunReport
from kuva_audit.triage.verdict import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, judge

__all__ = ["EXIT_ERROR", "EXIT_FINDINGS", "EXIT_OK", "build_report", "exit_code"]


def build_report(
    runs: tuple[ServiceRun, ...],
    *,
    date: str,
    accepted: Accepted | None = None,
    baseline: Path | None = None,
    sources: Sources | None = None,
) -> RunReport:
    """Attach acceptances (as of the run date), the comparison with ``baseline`` and the
    services.yaml lines of the run's pages."""
    notes: list[str] = []
    acceptances: dict[tuple[str, str, str], Acceptance] = {}
    if accepted is not None:
        acceptances, expired = accepted.apply(runs, dt.date.fromisoformat(date))
        notes.extend(expired)
    if baseline is None:
        return RunReport(date, runs, acceptances, None, (), tuple(notes), sources)
    comparison = compare(runs, load_baseline(baseline))
    notes.extend(comparison.notes)
    return RunReport(
        date,
        runs,
        acceptances,
        comparison.changes,
        comparison.fixed,
        tuple(notes),
        sources,
        comparison.uncompared,
    )


def exit_code(report: RunReport, fail_on: str, *, only_new: bool = False) -> int:
    """The exit code :func:`~kuva_audit.triage.verdict.judge` decides."""
    return judge(report, fail_on, only_new=only_new).code
