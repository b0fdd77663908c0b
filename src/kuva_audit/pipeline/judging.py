"""Triage and the exit-code policy: how a run's issues are judged (accepted issues, baseline,
threshold), the run report and verdict, the CI outputs, and the lines that end a run.

The exit codes themselves and their rules are :mod:`kuva_audit.triage.verdict`'s; this module
decides which verdict a command or the whole job ends with."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit_table import summary_table
from kuva_audit.config.sources import Sources
from kuva_audit.errors import KuvaError
from kuva_audit.outputs import OutputPaths, write_ci_outputs
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.triage.accepted import DEFAULT_ACCEPTED, Accepted
from kuva_audit.triage.annotations import ACTIONS_ENV, workflow_commands
from kuva_audit.triage.build import build_report
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import EXIT_ERROR, Verdict, judge


class FailOn(StrEnum):
    """The lowest impact of an open WCAG A/AA issue that fails the run (exit 2)."""

    critical = "critical"
    serious = "serious"
    moderate = "moderate"
    minor = "minor"
    none = "none"


@dataclass(frozen=True)
class Triage:
    """How a run's issues are judged: accepted issues, baseline, threshold."""

    accepted: Accepted | None
    baseline: Path | None
    fail_on: FailOn
    fail_on_new: bool

    @classmethod
    def of(
        cls,
        accepted: Path | None,
        folder: Path,
        baseline: Path | None,
        fail_on: FailOn,
        fail_on_new: bool,
    ) -> Triage:
        """Check the options and read accepted.yaml (``accepted``, else the one in ``folder``,
        if any) before any work starts, so a bad file stops the run at once."""
        if fail_on_new and baseline is None:
            raise KuvaError("--fail-on-new needs --baseline RUN_DIR")
        if accepted is None and (folder / DEFAULT_ACCEPTED).is_file():
            accepted = folder / DEFAULT_ACCEPTED
        loaded = Accepted.load(accepted) if accepted is not None else None
        return cls(loaded, baseline, fail_on, fail_on_new)


NO_TRIAGE = Triage(None, None, FailOn.none, False)
"""Nothing accepted, no baseline, issues never fail the run (the demo's)."""


def judge_run(
    runs: tuple[ServiceRun, ...],
    date: str,
    triage: Triage,
    sources: Sources | None,
    reporter: Reporter,
    *,
    show: bool = True,
) -> tuple[RunReport, Verdict]:
    """Build the run report and show its summary table (unless ``show`` is false: the
    whole job shows it at its end); judge the run."""
    report = build_report(
        runs, date=date, accepted=triage.accepted, baseline=triage.baseline, sources=sources
    )
    if show:
        reporter.table(summary_table(report))
    for note in report.notes:
        reporter.line(f"note: {note}", err=True)
    return report, judge(report, triage.fail_on.value, only_new=triage.fail_on_new)


def write_outputs(
    report: RunReport, outputs: OutputPaths, reporter: Reporter, *, quiet: bool = False
) -> list[Path]:
    """Write the CI outputs asked for; say each file written (unless ``quiet``)."""
    written = write_ci_outputs(report, outputs)
    if not quiet:
        for path in written:
            reporter.line(f"wrote {path}")
    return written


def judge_and_write(
    runs: tuple[ServiceRun, ...],
    date: str,
    triage: Triage,
    outputs: OutputPaths,
    sources: Sources | None,
    reporter: Reporter,
) -> tuple[RunReport, Verdict]:
    """Build the run report, show the summary, write the outputs; judge the run."""
    report, verdict = judge_run(runs, date, triage, sources, reporter)
    write_outputs(report, outputs, reporter)
    return report, verdict


def no_verdict(triage: Triage) -> Verdict:
    """The verdict when the audit stage itself failed: nothing was judged (exit 1)."""
    return Verdict(EXIT_ERROR, triage.fail_on.value, triage.fail_on_new, 0)


def job_verdict(verdict: Verdict | None, triage: Triage, failed: Sequence[str]) -> Verdict:
    """The whole job's verdict: the audit's (or, when it failed, :func:`no_verdict`), exit 1
    when any stage failed."""
    return (verdict or no_verdict(triage)).with_stages(failed)


def closing_lines(report: RunReport | None, verdict: Verdict) -> list[str]:
    """Why the run exits as it does, its last lines: on GitHub Actions first the workflow
    annotations at the services.yaml lines, then the verdict's pages, issues and summary."""
    lines = []
    if report is not None and os.environ.get(ACTIONS_ENV) == "true":
        lines += workflow_commands(report, verdict)
    return lines + verdict.lines()


def announce(report: RunReport | None, verdict: Verdict, reporter: Reporter) -> int:
    """Say :func:`closing_lines`; return the exit code."""
    for line in closing_lines(report, verdict):
        reporter.line(line)
    return verdict.code
