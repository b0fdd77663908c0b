"""run and demo: the whole job, audit -> surveys -> statements -> report."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuva_audit.audit.store import load_run_dir, load_service_run
from kuva_audit.cli.app import (
    AcceptedOption,
    AsOfOption,
    BaselineOption,
    BrowserOption,
    ConfigOption,
    FailOn,
    FailOnNewOption,
    FailOnOption,
    HtmlOption,
    JunitOption,
    LangOption,
    MarkdownOption,
    SarifOption,
    Triage,
    app,
    date_option,
    say,
    terminal,
    user_errors,
)
from kuva_audit.cli.audit import audit_services
from kuva_audit.cli.recap import recap_lines
from kuva_audit.cli.stages import report_lang, score_surveys
from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.config.sources import Sources
from kuva_audit.demo.server import DEFAULT_PORT
from kuva_audit.errors import KuvaError
from kuva_audit.locks import output_locks
from kuva_audit.outputs import STEP_SUMMARY_ENV, OutputPaths, append_step_summary
from kuva_audit.pipeline.judging import NO_TRIAGE, announce, job_verdict, judge_run, write_outputs
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict
from kuva_audit.writable import check_output_dir, os_error_line

if TYPE_CHECKING:
    from kuva_audit.reports.data import ReportData

DEMO_OUTPUTS = ("sarif.json", "junit.xml", "html", "md")
"""File name endings of the demo's CI outputs, in OutputPaths order."""
DEMO_AS_OF = dt.date(2026, 12, 31)
"""The demo's goal report date: the end of its sample survey data, so its figures stay put."""
DEMO_REVIEWER = "Demo reviewer (kuva-audit demo)"
"""Who the demo says reviewed and published its publishable statements."""


VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Also print the long tables (satisfaction scores); they are in the files anyway",
    ),
]


@app.command()
@user_errors
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Working folder for the demo's config and outputs")
    ] = Path("kuva-demo"),
    browser: BrowserOption = None,
    verbose: VerboseOption = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Only serve the demo sites (and write the demo config for them) until Ctrl-C, "
            "to audit them again with that config",
        ),
    ] = False,
    port: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=65535,
            help="Port of the demo server on 127.0.0.1 [default: a free one; with --serve, the "
            f"one the demo config names, else {DEFAULT_PORT}]",
        ),
    ] = None,
) -> None:
    """Serve the bundled demo sites on 127.0.0.1 and run the whole job on them.

    Exits 0 when every page was audited (the demo's defects are intended), 1 otherwise.
    """
    from kuva_audit.demo.server import write_demo_config

    check_output_dir("--workdir", workdir)
    if serve:
        serve_until_stopped(workdir, port)
        return
    with _demo_server(port or 0) as origin:
        config_path = write_demo_config(workdir / "services.yaml", origin)
        say(
            f"demo sites served at {origin}/ while the demo runs; demo config: {config_path} "
            "(to use it again: kuva-audit demo --serve)"
        )
        loaded = load_config(config_path)
        reports = workdir / "reports"
        code = whole_job(
            loaded,
            Job(
                audits=workdir / "audits",
                reports=reports,
                statements=workdir / "statements",
                triage=NO_TRIAGE,
                outputs=OutputPaths(*(reports / f"run.{ext}" for ext in DEMO_OUTPUTS)),
                browser=browser,
                as_of=DEMO_AS_OF,
                demo_reviewer=DEMO_REVIEWER,
                verbose=verbose,
            ),
        )
    raise typer.Exit(code)


@contextlib.contextmanager
def _demo_server(port: int) -> Iterator[str]:
    """The demo server on ``port``; a port that cannot be had is a one-line error."""
    from kuva_audit.demo.server import serve_demo

    try:
        server = serve_demo(port)
        origin = server.__enter__()
    except OSError as exc:
        raise KuvaError(
            f"--port {port}: cannot serve the demo sites there ({exc.strerror or exc}); "
            "give another port with --port N"
        ) from None
    try:
        yield origin
    finally:
        server.__exit__(None, None, None)


def serve_until_stopped(workdir: Path, port: int | None) -> None:
    """`demo --serve`: write the demo config for the server and serve until Ctrl-C (or
    SIGTERM); the port is ``port``, else the one the existing demo config names, else
    :data:`DEFAULT_PORT`."""
    from kuva_audit.demo.server import demo_port, write_demo_config

    config = workdir / "services.yaml"
    chosen = port if port is not None else demo_port(config) or DEFAULT_PORT
    with _demo_server(chosen) as origin:
        write_demo_config(config, origin)
        try:  # Ctrl-C from the moment the address is out is the normal end
            say(f"serving the demo sites at {origin}/ until Ctrl-C; demo config: {config}")
            say(f"in another terminal: kuva-audit run --config {config}")
            sys.stdout.flush()
            threading.Event().wait()
        except KeyboardInterrupt:
            say("demo server stopped")


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
    """Print the long tables (satisfaction scores) too; they are in the files anyway."""
    demo_reviewer: str | None = None
    """The demo only: publish every statement draft that can be published, as if this person
    had reviewed it. The nightly job never publishes: a person does (statements --publish)."""
    site: Path | None = None
    """Write the folder to publish (reports and statements) here."""
    site_url: str | None = None
    """Where that folder is published, for the links of the job summary."""


@dataclass
class _Outcome:
    """What the stages of the whole job produced, for the verdict and the job summary."""

    report: RunReport | None = None
    verdict: Verdict | None = None
    data: ReportData | None = None


def whole_job(loaded: LoadedConfig, job: Job) -> int:
    """audit -> surveys -> statements -> report (-> site). A stage that fails is reported and
    counts as exit code 1; the later stages still run on what is there. The last lines say
    which rule of the exit code fired."""
    from kuva_audit.audit_table import summary_table
    from kuva_audit.history.store import record
    from kuva_audit.reports.data import gather
    from kuva_audit.reports.index import render_index
    from kuva_audit.reports.output import write_report
    from kuva_audit.reports.site import build_site
    from kuva_audit.statements.build import build_statements
    from kuva_audit.statements.data import LANGS
    from kuva_audit.statements.publish import publish, publish_problems
    from kuva_audit.statements.render import write_edition
    from kuva_audit.statements.view import Edition

    started = time.perf_counter()
    failed: list[str] = []
    written: dict[str, list[Path]] = {}
    hints: dict[str, str] = {}
    outcome = _Outcome()

    def stage(name: str, action: Callable[[], object]) -> None:
        try:
            action()
        except KuvaError as exc:
            say(f"kuva-audit: error: {name}: {exc}", err=True)
            failed.append(name)
        except OSError as exc:
            say(f"kuva-audit: error: {name}: {os_error_line(exc)}", err=True)
            failed.append(name)

    def audit_stage() -> None:
        if job.audited is not None:
            runs = load_run_dir(job.audited)
            date = runs[0].date
        else:
            audited = audit_services(
                loaded, list(job.services), job.audits, job.browser, job.concurrency
            )
            runs = tuple(load_service_run(s.path) for s in audited.services)
            written["audit results"] = [s.path for s in audited.services]
            date = audited.date
        written["compact history"] = record(job.audits, runs)
        outcome.report, outcome.verdict = judge_run(
            runs, date, job.triage, Sources.of(loaded), terminal, show=False
        )

    def outputs_stage() -> None:
        if outcome.report is not None:
            written["CI outputs"] = write_outputs(outcome.report, job.outputs, terminal, quiet=True)

    def surveys_stage() -> None:
        written["satisfaction scores"] = score_surveys(loaded, job.reports, table=job.verbose)
        if not job.verbose and any(s.surveys for s in loaded.config.services):
            hints["satisfaction scores"] = "satisfaction.csv; --verbose prints the table"

    def statements_stage() -> None:
        config = loaded.config
        if config.organisation is None and all(s.statement is None for s in config.services):
            say("statements: no `organisation:` block in services.yaml, so no drafts")
            return
        today = dt.date.today()
        built = build_statements(loaded, config.services, LANGS, job.audits, today)
        written["statement drafts"] = write_edition(built, job.statements, Edition("draft", today))
        if job.demo_reviewer:
            ready = [b for b in built if not publish_problems(b, job.statements, today)]
            written["published statements"] = publish(
                ready, job.statements, job.demo_reviewer, today
            )

    def report_stage() -> None:
        data = gather(loaded, job.as_of or dt.date.today(), job.lang, job.reports)
        written["progress report"] = write_report(data, job.reports)
        outcome.data = data

    def site_stage() -> None:
        if job.site is None:
            return
        if outcome.data is None:
            raise KuvaError("no site: the report stage failed")
        index = render_index(outcome.data, base="reports/")
        written["site"] = build_site(job.site, job.reports, job.statements, index)

    stage("audit", audit_stage)
    stage("CI outputs", outputs_stage)
    stage("surveys", surveys_stage)
    stage("statements", statements_stage)
    stage("report", report_stage)
    stage("site", site_stage)
    if outcome.report is not None:
        terminal.table(summary_table(outcome.report))
    front = [job.reports / "index.html"] if "progress report" in written else []
    if "site" in written and job.site is not None:
        front.append(job.site / "index.html")
    for line in recap_lines(
        written=written,
        hints=hints,
        data=outcome.data,
        front_pages=front,
        elapsed=time.perf_counter() - started,
    ):
        say(line)
    verdict = job_verdict(outcome.verdict, job.triage, failed)
    _job_summary(job, outcome, verdict)
    return announce(outcome.report, verdict, terminal)


def _job_summary(job: Job, outcome: _Outcome, verdict: Verdict) -> None:
    """Append the goal figures, changes, links and verdict to $GITHUB_STEP_SUMMARY, if set."""
    from kuva_audit.reports.job_summary import render_job_summary

    if not os.environ.get(STEP_SUMMARY_ENV):
        return
    text = render_job_summary(
        data=outcome.data,
        report=outcome.report,
        baseline=job.triage.baseline,
        verdict=verdict,
        site_url=job.site_url,
    )
    append_step_summary("\n" + text)


@app.command()
@user_errors
def run(
    config: ConfigOption = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Audit only this service (repeat)")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=64, help="Pages in flight [default: from config]")
    ] = None,
    fail_on: FailOnOption = FailOn.serious,
    fail_on_new: FailOnNewOption = False,
    accepted: AcceptedOption = None,
    baseline: BaselineOption = None,
    sarif: SarifOption = None,
    junit: JunitOption = None,
    html: HtmlOption = None,
    markdown: MarkdownOption = None,
    as_of: AsOfOption = None,
    lang: LangOption = "fi",
    browser: BrowserOption = None,
    audited: Annotated[
        Path | None,
        typer.Option(
            "--audited",
            help="Use this run folder (e.g. merged shards) instead of auditing again",
        ),
    ] = None,
    site: Annotated[
        Path | None,
        typer.Option("--site", help="Also write the folder to publish (reports, statements) here"),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url", help="Where that folder is published (links in the job summary)"
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """The whole nightly job: audit, surveys, statements, report; the strictest exit code.

    Writes beside services.yaml: audits/<date>/, reports/ (run report unless --html is given,
    satisfaction scores, progress report, index.html) and statements/.
    """
    loaded = load_config(config)
    reports = loaded.root / "reports"
    outputs = OutputPaths(sarif, junit, html or reports / "run.html", markdown)
    outputs.check()
    for option, folder in (
        ("audits folder", loaded.root / "audits"),
        ("reports folder", reports),
        ("statements folder", loaded.root / "statements"),
        ("--site", site),
    ):
        if folder is not None:
            check_output_dir(option, folder)
    triage = Triage.of(accepted, loaded.root, baseline, fail_on, fail_on_new)
    job = Job(
        audits=loaded.root / "audits",
        reports=reports,
        statements=loaded.root / "statements",
        triage=triage,
        outputs=outputs,
        browser=browser,
        concurrency=concurrency,
        as_of=date_option(as_of, "--as-of") if as_of else None,
        lang=report_lang(lang),
        services=tuple(service or ()),
        audited=audited,
        site=site,
        site_url=site_url or None,
        verbose=verbose,
    )
    with output_locks(job.audits, job.reports, job.statements, site, *outputs.folders()):
        code = whole_job(loaded, job)
    raise typer.Exit(code)
