"""run and demo: the whole job, audit -> surveys -> statements -> report."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
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
    user_errors,
)
from kuva_audit.cli.audit import announce, audit_services, judge_run, write_outputs
from kuva_audit.cli.stages import report_lang, score_surveys
from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.config.sources import Sources
from kuva_audit.errors import KuvaError
from kuva_audit.locks import output_locks
from kuva_audit.outputs import STEP_SUMMARY_ENV, OutputPaths, append_step_summary
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import EXIT_ERROR, Verdict
from kuva_audit.writable import check_output_dir, os_error_line

if TYPE_CHECKING:
    from kuva_audit.reports.data import ReportData

DEMO_OUTPUTS = ("sarif.json", "junit.xml", "html", "md")
"""File name endings of the demo's CI outputs, in OutputPaths order."""
DEMO_AS_OF = dt.date(2026, 12, 31)
"""The demo's goal report date: the end of its sample survey data, so its figures stay put."""
DEMO_REVIEWER = "Demo reviewer (kuva-audit demo)"
"""Who the demo says reviewed and published its publishable statements."""


@app.command()
@user_errors
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Working folder for the demo's config and outputs")
    ] = Path("kuva-demo"),
    browser: BrowserOption = None,
) -> None:
    """Serve the bundled demo sites on 127.0.0.1 and run the whole job on them.

    Exits 0 when every page was audited (the demo's defects are intended), 1 otherwise.
    """
    from kuva_audit.demo.server import serve_demo, write_demo_config

    check_output_dir("--workdir", workdir)
    with serve_demo() as origin:
        config_path = write_demo_config(workdir / "services.yaml", origin)
        say(f"demo sites served at {origin}/; demo config: {config_path}")
        loaded = load_config(config_path)
        reports = workdir / "reports"
        code = whole_job(
            loaded,
            Job(
                audits=workdir / "audits",
                reports=reports,
                statements=workdir / "statements",
                triage=Triage(None, None, FailOn.none, False),
                outputs=OutputPaths(*(reports / f"run.{ext}" for ext in DEMO_OUTPUTS)),
                browser=browser,
                as_of=DEMO_AS_OF,
                demo_reviewer=DEMO_REVIEWER,
            ),
        )
    raise typer.Exit(code)


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

    failed: list[str] = []
    written: dict[str, list[Path]] = {}
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
        outcome.report, outcome.verdict = judge_run(runs, date, job.triage, Sources.of(loaded))

    def outputs_stage() -> None:
        if outcome.report is not None:
            written["CI outputs"] = write_outputs(outcome.report, job.outputs)

    def surveys_stage() -> None:
        written["satisfaction scores"] = score_surveys(loaded, job.reports)

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
        say(
            f"goal progress {data.as_of}: accessibility audits "
            f"{data.progress.accessibility.done}/{data.progress.accessibility.total}, "
            f"satisfaction measured "
            f"{data.progress.satisfaction.done}/{data.progress.satisfaction.total}"
        )

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
    for what, paths in written.items():
        say(f"{what}: {len(paths)} file(s) in {_folders(paths)}")
    verdict = (outcome.verdict or _no_verdict(job.triage)).with_stages(failed)
    _job_summary(job, outcome, verdict)
    return announce(outcome.report, verdict)


def _folders(paths: list[Path]) -> str:
    """Where ``paths`` are: their common folder, else each of their folders."""
    if not paths:
        return "-"
    folders = list(dict.fromkeys(str(p.parent.resolve()) for p in paths))
    common = os.path.commonpath(folders)
    if len(folders) == 1 or Path(common).parent != Path(common):
        return common
    return ", ".join(folders)


def _no_verdict(triage: Triage) -> Verdict:
    """The verdict when the audit stage itself failed: nothing was judged."""
    return Verdict(EXIT_ERROR, triage.fail_on.value, triage.fail_on_new, 0)


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
    )
    with output_locks(job.audits, job.reports, job.statements, site, *outputs.folders()):
        code = whole_job(loaded, job)
    raise typer.Exit(code)
