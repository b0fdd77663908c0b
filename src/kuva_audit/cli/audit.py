"""audit, export and merge: auditing, CI outputs, and combining shards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuva_audit.audit.store import load_service_run
from kuva_audit.cli.app import (
    AcceptedOption,
    BaselineOption,
    BrowserOption,
    ConcurrencyOption,
    ConfigOption,
    FailOn,
    FailOnNewOption,
    FailOnOption,
    HtmlOption,
    JunitOption,
    MarkdownOption,
    SarifOption,
    ServiceOption,
    Triage,
    app,
    say,
    terminal,
    user_errors,
)
from kuva_audit.cli.recap import written_lines
from kuva_audit.config.loader import load_config
from kuva_audit.history.store import record
from kuva_audit.locks import output_locks
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline.audit import RUN_ID_ENV, AuditRequest, audit_command, parse_shard
from kuva_audit.pipeline.export import export_run
from kuva_audit.pipeline.judging import announce
from kuva_audit.writable import check_output_dir


@app.command()
@user_errors
def audit(
    config: ConfigOption = None,
    service: ServiceOption = None,
    concurrency: ConcurrencyOption = None,
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
    run_id: Annotated[
        str | None,
        typer.Option(
            "--run-id",
            metavar="ID",
            help="With --shard: the run the part belongs to, the same on every shard "
            f"[default: ${RUN_ID_ENV}, else the run day]",
        ),
    ] = None,
) -> None:
    """Audit services with axe-core in Chromium; write audits/<date>/<service>.json."""
    part = parse_shard(shard, run_id) if shard else None
    outputs = OutputPaths(sarif, junit, html, markdown)
    outputs.check()
    loaded = load_config(config)
    audits = out_dir or loaded.root / "audits"
    check_output_dir("--out-dir", audits)
    triage = Triage.of(accepted, loaded.root, baseline, fail_on, fail_on_new)
    request = AuditRequest(service or [], audits, triage, outputs, browser, concurrency, part)
    audited, report, verdict = audit_command(loaded, request, terminal)
    for line in written_lines(audited.written, {}, indent=False):
        say(line)
    raise typer.Exit(announce(report, verdict, terminal))


@app.command()
@user_errors
def export(
    run_dir: Annotated[Path, typer.Argument(help="A run folder: audits/<YYYY-MM-DD>")],
    config: ConfigOption = None,
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

    services.yaml (--config, else $KUVA_AUDIT_CONFIG or ./services.yaml, else the one beside
    the run's audits/ folder, if there) gives the lines SARIF and CI annotations point at;
    --sarif needs it. accepted.yaml is looked for beside it unless --accepted is given.
    """
    outputs = OutputPaths(sarif, junit, html, markdown)
    report, verdict = export_run(
        run_dir, config, outputs, accepted, baseline, fail_on, fail_on_new, terminal
    )
    raise typer.Exit(announce(report, verdict, terminal))


@app.command()
@user_errors
def merge(
    part_dirs: Annotated[
        list[Path], typer.Argument(help="The shard folders: audits/<date>/shard-K-of-N")
    ],
    out_dir: Annotated[Path, typer.Option(help="Where the merged run goes")] = Path("audits"),
) -> None:
    """Combine the parts of an audit --shard K/N run into the run one machine would write."""
    check_output_dir("--out-dir", out_dir)
    with output_locks(out_dir):
        from kuva_audit.audit.merge import merge_parts  # the engine's imports: only here

        paths = merge_parts(part_dirs, out_dir)
        for path in paths:
            say(f"wrote {path}")
        for path in record(out_dir, [load_service_run(p) for p in paths]):
            say(f"wrote {path}")
