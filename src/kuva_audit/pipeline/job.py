"""The whole job: audit -> CI outputs -> surveys -> statements -> report (-> site), as `run`
and `demo` do it. A stage that fails is reported and counts as exit code 1; the later stages
still run on what is there."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.sources import Sources
from kuva_audit.errors import KuvaError
from kuva_audit.locks import output_locks
from kuva_audit.outputs import STEP_SUMMARY_ENV, OutputPaths, append_step_summary
from kuva_audit.pipeline.audit import audit_and_record, read_and_record
from kuva_audit.pipeline.judging import NO_TRIAGE, Triage, job_verdict, judge_run, write_outputs
from kuva_audit.pipeline.report import report_stage
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.pipeline.statements import statements_stage
from kuva_audit.pipeline.surveys import score_surveys
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict
from kuva_audit.writable import os_error_line

if TYPE_CHECKING:
    from kuva_audit.reports.data import ReportData
    from kuva_audit.surveys.score import Surveys

DEMO_OUTPUTS = ("sarif.json", "junit.xml", "html", "md")
"""File name endings of the demo's CI outputs, in OutputPaths order."""
DEMO_AS_OF = dt.date(2026, 12, 31)
"""The demo's goal report date: the end of its sample survey data, so its figures stay put."""
DEMO_REVIEWER = "Demo reviewer (kuva-audit demo)"
"""Who the demo says reviewed and published its publishable statements."""


@dataclass(frozen=True)
class Job:
    """Where the whole job reads and writes, and how the audit stage judges."""

    audits: Path
    reports: Path
    statements: Path
    triage: Triage
    outputs: OutputPaths
    browser: str | None = None
    concurrency: int | None = None
    as_of: dt.date | None = None
    lang: str = "fi"
    services: tuple[str, ...] = ()
    audited: Path | None = None
    """Results already on disk (a merged sharded run): the audit stage reads them instead."""
    verbose: bool = False
    """Show the long tables (satisfaction scores) too; they are in the files anyway."""
    demo_reviewer: str | None = None
    """The demo only: publish every statement draft that can be published, as if this person
    had reviewed it. The nightly job never publishes: a person does (statements --publish)."""
    site: Path | None = None
    """Write the folder to publish (reports and statements) here."""
    site_url: str | None = None
    """Where that folder is published, for the links of the job summary."""


def demo_job(workdir: Path, browser: str | None, *, verbose: bool = False) -> Job:
    """The demo's whole job in ``workdir``: nothing accepted, issues never fail it, its CI
    outputs in reports/, its goal report as of :data:`DEMO_AS_OF`, publishable statements
    published by :data:`DEMO_REVIEWER`."""
    reports = workdir / "reports"
    return Job(
        audits=workdir / "audits",
        reports=reports,
        statements=workdir / "statements",
        triage=NO_TRIAGE,
        outputs=OutputPaths(*(reports / f"run.{ext}" for ext in DEMO_OUTPUTS)),
        browser=browser,
        as_of=DEMO_AS_OF,
        demo_reviewer=DEMO_REVIEWER,
        verbose=verbose,
    )


def job_locks(job: Job) -> AbstractContextManager[object]:
    """One whole job per output folder: the locks of every folder it writes."""
    return output_locks(job.audits, job.reports, job.statements, job.site, *job.outputs.folders())


@dataclass
class _Produced:
    """What the stages have produced so far."""

    report: RunReport | None = None
    verdict: Verdict | None = None
    data: ReportData | None = None
    surveys: Surveys | None = None
    """The exports as the surveys stage read them, for the report stage (none when they
    could not be read: the report stage then reads them and says why it cannot)."""
    written: dict[str, list[Path]] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class JobResult:
    """What the stages of the whole job produced, and the verdict that decides its exit code."""

    started: float
    """When the job started (``time.perf_counter()``)."""
    report: RunReport | None
    """The judged run (none when the audit stage failed)."""
    data: ReportData | None
    """The goal figures (none when the report stage failed)."""
    written: dict[str, list[Path]]
    """Kind of output -> its files, in the order the stages wrote them."""
    hints: dict[str, str]
    """Kind of output -> a hint said beside it."""
    failed: list[str]
    """Stages that failed (their error was reported where it happened)."""
    verdict: Verdict
    """The whole job's verdict: the audit's, exit 1 when a stage failed."""

    @property
    def code(self) -> int:
        return self.verdict.code


def whole_job(loaded: LoadedConfig, job: Job, reporter: Reporter) -> JobResult:
    """audit -> CI outputs -> surveys -> statements -> report (-> site). A stage that fails
    is reported (``kuva-audit: error: STAGE: ...``) and counts as exit code 1; the later
    stages still run on what is there."""
    from kuva_audit.reports.index import render_index
    from kuva_audit.reports.site import build_site

    started = time.perf_counter()
    result = _Produced()
    written = result.written

    def stage(name: str, action: Callable[[], object]) -> None:
        try:
            action()
        except KuvaError as exc:
            reporter.line(f"kuva-audit: error: {name}: {exc}", err=True)
            result.failed.append(name)
        except OSError as exc:
            reporter.line(f"kuva-audit: error: {name}: {os_error_line(exc)}", err=True)
            result.failed.append(name)

    def audit_stage() -> None:
        if job.audited is not None:
            audited = read_and_record(job.audited, job.audits, written)
        else:
            audited = audit_and_record(
                loaded,
                list(job.services),
                job.audits,
                job.browser,
                job.concurrency,
                reporter,
                written=written,
            )
        result.report, result.verdict = judge_run(
            audited.runs, audited.date, job.triage, Sources.of(loaded), reporter, show=False
        )

    def outputs_stage() -> None:
        if result.report is not None:
            written["CI outputs"] = write_outputs(result.report, job.outputs, reporter, quiet=True)

    def surveys_stage() -> None:
        from kuva_audit.surveys.score import read_surveys

        result.surveys = read_surveys(loaded)  # handed to the report stage: read once a run
        written["satisfaction scores"] = score_surveys(
            loaded, job.reports, reporter, table=job.verbose, surveys=result.surveys
        )
        if not job.verbose and any(s.surveys for s in loaded.config.services):
            result.hints["satisfaction scores"] = "satisfaction.csv; --verbose prints the table"

    def report_stage_() -> None:
        as_of = job.as_of or dt.date.today()
        result.data, written["progress report"] = report_stage(
            loaded, as_of, job.lang, job.reports, result.surveys
        )

    def site_stage() -> None:
        if job.site is None:
            return
        if result.data is None:
            raise KuvaError("no site: the report stage failed")
        index = render_index(result.data, base="reports/")
        written["site"] = build_site(job.site, job.reports, job.statements, index)

    stage("audit", audit_stage)
    stage("CI outputs", outputs_stage)
    stage("surveys", surveys_stage)
    stage(
        "statements",
        lambda: statements_stage(
            loaded, job.audits, job.statements, reporter, written, job.demo_reviewer
        ),
    )
    stage("report", report_stage_)
    stage("site", site_stage)
    return JobResult(
        started,
        result.report,
        result.data,
        written,
        result.hints,
        result.failed,
        job_verdict(result.verdict, job.triage, result.failed),
    )


def front_pages(job: Job, result: JobResult) -> list[Path]:
    """The front pages the job wrote: the report's index.html, the site's."""
    front = [job.reports / "index.html"] if "progress report" in result.written else []
    if "site" in result.written and job.site is not None:
        front.append(job.site / "index.html")
    return front


def write_job_summary(job: Job, result: JobResult) -> None:
    """Append the goal figures, changes, links and verdict to $GITHUB_STEP_SUMMARY, if set."""
    from kuva_audit.reports.job_summary import render_job_summary

    if not os.environ.get(STEP_SUMMARY_ENV):
        return
    text = render_job_summary(
        data=result.data,
        report=result.report,
        baseline=job.triage.baseline,
        verdict=result.verdict,
        site_url=job.site_url,
    )
    append_step_summary("\n" + text)
