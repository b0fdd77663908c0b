"""run and demo: the whole job, audit -> surveys -> statements -> report (the sequence is
:mod:`kuva_audit.pipeline.job`'s; here the options, the server of the demo, and printing)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from kuva_audit.audit_table import summary_table
from kuva_audit.cli.app import (
    AcceptedOption,
    AsOfOption,
    BaselineOption,
    BrowserOption,
    ConcurrencyOption,
    ConfigOption,
    FailOn,
    FailOnNewOption,
    FailOnOption,
    HtmlOption,
    JunitOption,
    LangOption,
    MarkdownOption,
    SarifOption,
    ServiceOption,
    Triage,
    app,
    date_option,
    say,
    terminal,
    user_errors,
)
from kuva_audit.cli.recap import recap_lines
from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.demo.server import DEFAULT_PORT
from kuva_audit.errors import KuvaError
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline.job import (
    Job,
    demo_job,
    front_pages,
    job_locks,
    whole_job,
    write_job_summary,
)
from kuva_audit.pipeline.judging import announce
from kuva_audit.pipeline.options import report_lang
from kuva_audit.writable import check_output_dir

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
        code = run_whole_job(loaded, demo_job(workdir, browser, verbose=verbose))
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


def run_whole_job(loaded: LoadedConfig, job: Job) -> int:
    """Run the whole job, then print the audit table, the recap (where the outputs are, the
    goal's figures, the front page, the time taken) and the verdict last; return its code."""
    result = whole_job(loaded, job, terminal)
    if result.report is not None:
        terminal.table(summary_table(result.report))
    for line in recap_lines(
        written=result.written,
        hints=result.hints,
        data=result.data,
        front_pages=front_pages(job, result),
        elapsed=time.perf_counter() - result.started,
    ):
        say(line)
    write_job_summary(job, result)
    return announce(result.report, result.verdict, terminal)


@app.command()
@user_errors
def run(
    config: ConfigOption = None,
    service: ServiceOption = None,
    concurrency: ConcurrencyOption = None,
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
    with job_locks(job):
        code = run_whole_job(loaded, job)
    raise typer.Exit(code)
