"""The kuva-audit command line.

Exit codes (pa11y's convention): 0 success; 1 bad input, tool failure, or a page that could not
be audited; 2 accessibility findings at or above ``--fail-on``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from kuva_audit import __version__
from kuva_audit.audit.browser import BROWSER_ENV, ensure_browser, find_browser
from kuva_audit.audit.merge import merge_parts
from kuva_audit.audit.results import ServiceRun, Shard
from kuva_audit.audit.run import RunOutcome, run_audit, select_services
from kuva_audit.config.loader import CONFIG_ENV, ConfigProblems, LoadedConfig, load_config
from kuva_audit.errors import KuvaError
from kuva_audit.formats.report import load_run_dir, load_service_run
from kuva_audit.outputs import STEP_SUMMARY_ENV, OutputPaths, publish
from kuva_audit.progress import reporter_for
from kuva_audit.summary import summary_table
from kuva_audit.triage.accepted import DEFAULT_ACCEPTED, Accepted
from kuva_audit.triage.build import EXIT_ERROR, EXIT_FINDINGS, build_report, exit_code

app = typer.Typer(
    help="Accessibility and customer-satisfaction audits for a city's digital services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
# Not a terminal (CI logs, pipes): wide enough that the summary table keeps one line per row.
console = Console(width=None if sys.stdout.isatty() else 132)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 132)

F = TypeVar("F", bound=Callable[..., Any])
DEMO_OUTPUTS = ("sarif.json", "junit.xml", "html", "md")
DEMO_AS_OF = dt.date(2026, 12, 31)
"""The demo's goal report date: the end of its sample survey data, so its figures stay put."""
"""File name endings of the demo's CI outputs, in OutputPaths order."""


class FailOn(StrEnum):
    critical = "critical"
    serious = "serious"
    moderate = "moderate"
    minor = "minor"
    none = "none"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help=f"services.yaml to read [default: ${CONFIG_ENV} or ./services.yaml]"
    ),
]
BrowserOption = Annotated[
    str | None,
    typer.Option("--browser", help=f"Chromium binary to use [default: ${BROWSER_ENV}, or found]"),
]


def say(text: str, *, err: bool = False) -> None:
    """Print plain text: no markup, no highlighting, no wrapping (grep- and CI-friendly)."""
    (err_console if err else console).print(text, markup=False, highlight=False, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    say(f"kuva-audit: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def user_errors(func: F) -> F:
    """Turn kuva-audit's own errors and interruptions into one-line messages and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            return func(*args, **kwargs)
        except ConfigProblems as exc:
            for line in exc.lines():
                say(line, err=True)
            raise typer.Exit(EXIT_ERROR) from None
        except KuvaError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted; results of unfinished services were not written") from None

    return wrapper  # type: ignore[return-value]


def version_callback(value: bool) -> None:
    if value:
        console.print(f"kuva-audit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Accessibility and customer-satisfaction audits for a city's digital services."""


@app.command()
@user_errors
def validate(config: ConfigOption = None) -> None:
    """Check services.yaml; print every problem as FILE:LINE: path: message."""
    loaded = load_config(config)
    services = loaded.config.services
    say(f"{loaded.path}: valid, {len(services)} service(s): {', '.join(s.id for s in services)}")


SarifOption = Annotated[Path | None, typer.Option("--sarif", help="Write SARIF 2.1.0 here")]
JunitOption = Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here")]
HtmlOption = Annotated[Path | None, typer.Option("--html", help="Write the HTML report here")]
MarkdownOption = Annotated[
    Path | None,
    typer.Option("--markdown", help=f"Write a Markdown summary here (also to ${STEP_SUMMARY_ENV})"),
]
AcceptedOption = Annotated[
    Path | None,
    typer.Option(
        "--accepted", help="Accepted issues [default: accepted.yaml beside services.yaml, if any]"
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option("--baseline", help="Earlier run folder (audits/<date>) to compare with"),
]
FailOnOption = Annotated[
    FailOn, typer.Option(help="Exit 2 if an open WCAG A/AA issue has this impact or worse")
]
FailOnNewOption = Annotated[
    bool, typer.Option("--fail-on-new", help="Exit 2 only for issues new since --baseline")
]


@dataclass(frozen=True)
class Triage:
    accepted: Path | None
    baseline: Path | None
    fail_on: FailOn
    fail_on_new: bool


def _publish_run(
    runs: tuple[ServiceRun, ...], date: str, triage: Triage, outputs: OutputPaths
) -> int:
    """Build the run report, print the summary, write the outputs; return the exit code."""
    if triage.fail_on_new and triage.baseline is None:
        raise fail("--fail-on-new needs --baseline RUN_DIR")
    accepted = Accepted.load(triage.accepted) if triage.accepted else None
    report = build_report(runs, date=date, accepted=accepted, baseline=triage.baseline)
    console.print(summary_table(report))
    for note in report.notes:
        say(f"note: {note}", err=True)
    for path in publish(report, outputs):
        say(f"wrote {path}")
    return exit_code(report, triage.fail_on.value, only_new=triage.fail_on_new)


def _default_accepted(explicit: Path | None, folder: Path) -> Path | None:
    if explicit is not None:
        return explicit
    candidate = folder / DEFAULT_ACCEPTED
    return candidate if candidate.is_file() else None


@app.command()
@user_errors
def audit(
    config: ConfigOption = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Audit only this service (repeat)")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Pages in flight [default: from config, else 4]"),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where results go [default: audits/ beside services.yaml]"),
    ] = None,
    fail_on: FailOnOption = FailOn.serious,
    fail_on_new: FailOnNewOption = False,
    accepted: AcceptedOption = None,
    baseline: BaselineOption = None,
    sarif: SarifOption = None,
    junit: JunitOption = None,
    html: HtmlOption = None,
    markdown: MarkdownOption = None,
    browser: BrowserOption = None,
    shard: Annotated[
        str | None,
        typer.Option(
            "--shard",
            metavar="K/N",
            help="Audit only part K of N of the pages (for several machines; see merge)",
        ),
    ] = None,
) -> None:
    """Audit services with axe-core in Chromium; write audits/<date>/<service>.json."""
    part = parse_shard(shard) if shard else None
    loaded = load_config(config)
    triage = Triage(_default_accepted(accepted, loaded.root), baseline, fail_on, fail_on_new)
    if triage.accepted:
        Accepted.load(triage.accepted)  # a malformed file stops the run before it starts
    outcome = _run(
        loaded, service or [], out_dir or loaded.root / "audits", browser, concurrency, part
    )
    runs = tuple(load_service_run(s.path) for s in outcome.services)
    raise typer.Exit(
        _publish_run(runs, outcome.date, triage, OutputPaths(sarif, junit, html, markdown))
    )


@app.command()
@user_errors
def export(
    run_dir: Annotated[Path, typer.Argument(help="A run folder: audits/<YYYY-MM-DD>")],
    fail_on: FailOnOption = FailOn.serious,
    fail_on_new: FailOnNewOption = False,
    accepted: AcceptedOption = None,
    baseline: BaselineOption = None,
    sarif: SarifOption = None,
    junit: JunitOption = None,
    html: HtmlOption = None,
    markdown: MarkdownOption = None,
) -> None:
    """Write SARIF, JUnit, HTML or Markdown for results already on disk (same exit codes).

    accepted.yaml is looked for in the current folder unless --accepted is given.
    """
    runs = load_run_dir(run_dir)
    triage = Triage(_default_accepted(accepted, Path()), baseline, fail_on, fail_on_new)
    raise typer.Exit(
        _publish_run(runs, runs[0].date, triage, OutputPaths(sarif, junit, html, markdown))
    )


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise fail(f"--shard {text}: give K/N with 1 <= K <= N, like --shard 2/4")
    return Shard(index=int(match[1]), count=int(match[2]))


@app.command()
@user_errors
def merge(
    part_dirs: Annotated[
        list[Path], typer.Argument(help="The shard folders: audits/<date>/shard-K-of-N")
    ],
    out_dir: Annotated[Path, typer.Option(help="Where the merged run goes")] = Path("audits"),
) -> None:
    """Combine the parts of an audit --shard K/N run into the run one machine would write."""
    for path in merge_parts(part_dirs, out_dir):
        say(f"wrote {path}")


def _run(
    loaded: LoadedConfig,
    service_ids: list[str],
    out_dir: Path,
    browser: str | None,
    concurrency: int | None,
    shard: Shard | None = None,
) -> RunOutcome:
    services = select_services(loaded, service_ids)
    choice = find_browser(browser)
    if choice is None:
        raise fail(f"no Chromium found; run `kuva-audit browser --install`, or set {BROWSER_ENV}")
    return asyncio.run(
        run_audit(
            loaded,
            services,
            out_dir=out_dir,
            browser_choice=choice,
            reporter=reporter_for(err_console),
            concurrency=concurrency,
            shard=shard,
        )
    )


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

    with serve_demo() as origin:
        config_path = write_demo_config(workdir / "services.yaml", origin)
        say(f"demo sites served at {origin}/")
        loaded = load_config(config_path)
        reports = workdir / "reports"
        code = _whole_job(
            loaded,
            Job(
                audits=workdir / "audits",
                reports=reports,
                statements=workdir / "statements",
                triage=Triage(None, None, FailOn.none, False),
                outputs=OutputPaths(*(reports / f"run.{ext}" for ext in DEMO_OUTPUTS)),
                browser=browser,
                as_of=DEMO_AS_OF,
            ),
        )
    say(f"demo config: {config_path}")
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


def strictest(codes: list[int]) -> int:
    """1 (could not complete) over 2 (findings) over 0."""
    return 1 if 1 in codes else max(codes, default=0)


def _whole_job(loaded: LoadedConfig, job: Job) -> int:
    """audit -> surveys -> statements -> report. A stage that fails is reported and counts
    as exit code 1; the later stages still run on what is there."""
    from kuva_audit.reports.data import gather
    from kuva_audit.reports.output import write_report
    from kuva_audit.statements.build import build_statements, statement_services
    from kuva_audit.statements.render import write_statements

    codes: list[int] = []
    written: dict[str, list[Path]] = {}

    def stage(name: str, action: Callable[[], int]) -> None:
        try:
            codes.append(action())
        except KuvaError as exc:
            say(f"kuva-audit: error: {name}: {exc}", err=True)
            codes.append(EXIT_ERROR)

    def audit_stage() -> int:
        if job.audited is not None:
            runs = load_run_dir(job.audited)
            date = runs[0].date
        else:
            outcome = _run(loaded, list(job.services), job.audits, job.browser, job.concurrency)
            runs = tuple(load_service_run(s.path) for s in outcome.services)
            written["audit results"] = [s.path for s in outcome.services]
            date = outcome.date
        written["CI outputs"] = [path for _, path in job.outputs.wanted()]
        return _publish_run(runs, date, job.triage, job.outputs)

    def surveys_stage() -> int:
        written["satisfaction scores"] = _score_surveys(loaded, job.reports)
        return 0

    def statements_stage() -> int:
        chosen = statement_services(loaded, [])
        built = build_statements(loaded, chosen, ("fi", "sv", "en"), job.audits)
        written["statements"] = write_statements(built, job.statements)
        return 0

    def report_stage() -> int:
        data = gather(loaded, job.as_of or dt.date.today(), job.lang, job.reports)
        written["progress report"] = write_report(data, job.reports)
        say(
            f"goal progress {data.as_of}: accessibility audits "
            f"{data.progress.accessibility.done}/{data.progress.accessibility.total}, "
            f"satisfaction measured "
            f"{data.progress.satisfaction.done}/{data.progress.satisfaction.total}"
        )
        return 0

    stage("audit", audit_stage)
    stage("surveys", surveys_stage)
    stage("statements", statements_stage)
    stage("report", report_stage)
    for what, paths in written.items():
        where = os.path.commonpath([p.parent for p in paths]) if paths else "-"
        say(f"{what}: {len(paths)} file(s) in {where}")
    return strictest(codes)


LangOption = Annotated[str, typer.Option("--lang", help="Report language: fi or en")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Report date, YYYY-MM-DD [default: today]")
]


def _report_lang(lang: str) -> str:
    if lang not in ("fi", "en"):
        raise fail(f"--lang {lang}: the progress report is in fi or en")
    return lang


@app.command()
@user_errors
def report(
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where the report goes [default: reports/ beside services.yaml]"),
    ] = None,
    lang: LangOption = "fi",
) -> None:
    """Goal progress: reports/progress.json, progress.md, progress.html and index.html."""
    from kuva_audit.reports.data import gather
    from kuva_audit.reports.output import write_report

    code = _report_lang(lang)
    loaded = load_config(config)
    data = gather(loaded, _date_option(as_of, "--as-of"), code, out_dir or loaded.root / "reports")
    a, s = data.progress.accessibility, data.progress.satisfaction
    say(
        f"as of {data.as_of}: accessibility audits {a.done}/{a.total}, "
        f"satisfaction measured {s.done}/{s.total}"
    )
    for path in write_report(data, out_dir or loaded.root / "reports"):
        say(f"wrote {path}")


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
) -> None:
    """The whole nightly job: audit, surveys, statements, report; the strictest exit code.

    Writes beside services.yaml: audits/<date>/, reports/ (run report unless --html is given,
    satisfaction scores, progress report, index.html) and statements/.
    """
    if fail_on_new and baseline is None:
        raise fail("--fail-on-new needs --baseline RUN_DIR")
    loaded = load_config(config)
    reports = loaded.root / "reports"
    triage = Triage(_default_accepted(accepted, loaded.root), baseline, fail_on, fail_on_new)
    if triage.accepted:
        Accepted.load(triage.accepted)
    job = Job(
        audits=loaded.root / "audits",
        reports=reports,
        statements=loaded.root / "statements",
        triage=triage,
        outputs=OutputPaths(sarif, junit, html or reports / "run.html", markdown),
        browser=browser,
        concurrency=concurrency,
        as_of=_date_option(as_of, "--as-of") if as_of else None,
        lang=_report_lang(lang),
        services=tuple(service or ()),
        audited=audited,
    )
    raise typer.Exit(_whole_job(loaded, job))


@app.command()
@user_errors
def surveys(
    config: ConfigOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where the scores go [default: reports/ beside services.yaml]"),
    ] = None,
) -> None:
    """Score the satisfaction survey exports; write reports/satisfaction.json and .csv."""
    loaded = load_config(config)
    for path in _score_surveys(loaded, out_dir or loaded.root / "reports"):
        say(f"wrote {path}")


def _score_surveys(loaded: LoadedConfig, out_dir: Path) -> list[Path]:
    """Score every survey of the config, print the table, write the outputs; nothing is
    written when an export cannot be read."""
    from kuva_audit.surveys.output import write_outputs
    from kuva_audit.surveys.score import score
    from kuva_audit.surveys.summary import scores_table

    rows, warnings = score(loaded)
    for warning in warnings:
        say(f"warning: {warning}", err=True)
    console.print(scores_table(rows))
    return write_outputs(rows, out_dir)


@app.command()
@user_errors
def statements(
    config: ConfigOption = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Only this service (repeat)")
    ] = None,
    lang: Annotated[str, typer.Option(help="Languages, comma-separated")] = "fi,sv,en",
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where statements go [default: statements/ beside services.yaml]"),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Check the published statements instead of writing them"),
    ] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Date for --check's 12-month rule [default: today]")
    ] = None,
) -> None:
    """Write accessibility statements (statements/<service>/<lang>.html and .md), or --check
    that the published ones still match the latest audit (exit 2 when one does not)."""
    from kuva_audit.statements.build import build_statements, statement_services
    from kuva_audit.statements.check import check as check_statements
    from kuva_audit.statements.data import LANGS
    from kuva_audit.statements.render import write_statements

    langs = [code.strip() for code in lang.split(",") if code.strip()]
    if not langs or any(code not in LANGS for code in langs):
        raise fail(f"--lang {lang}: give some of {','.join(LANGS)}, comma-separated")
    loaded = load_config(config)
    chosen = statement_services(loaded, service or [])
    target = out_dir or loaded.root / "statements"
    built = list(build_statements(loaded, chosen, langs, loaded.root / "audits"))
    if check:
        day = _date_option(as_of, "--as-of")
        checked, problems = check_statements(built, langs, target, day)
        for problem in problems:
            say(problem)
        if problems:
            say(f"{len(problems)} problem(s) in {checked} statement(s)", err=True)
            raise typer.Exit(EXIT_FINDINGS)
        say(f"all {checked} statement(s) are current as of {day.isoformat()}")
        return
    write_statements(built, target)
    for b in built:
        status = {"fully": "fully", "partially": "partially", "not": "not"}[b.assessment.status]
        say(f"wrote {target / b.service.id}/ ({', '.join(b.views)}): {status} compliant")


def _date_option(value: str | None, option: str) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value}: give a date as YYYY-MM-DD") from None


@app.command("browser")
@user_errors
def browser_command(
    install: Annotated[
        bool, typer.Option("--install", help="Install a Chromium if none is found")
    ] = False,
    browser: BrowserOption = None,
) -> None:
    """Show which Chromium kuva-audit uses (and install one with --install)."""
    choice = (
        ensure_browser(browser, say=lambda text: say(text, err=True))
        if install
        else find_browser(browser)
    )
    if choice is None:
        raise fail(f"no Chromium found; run `kuva-audit browser --install` or set {BROWSER_ENV}")
    say(f"{choice.path or 'Playwright Chromium'} (from {choice.source})")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the audit result files."""
    sys.stdout.write(json.dumps(ServiceRun.model_json_schema(), indent=2) + "\n")


def main() -> None:
    app()
