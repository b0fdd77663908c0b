"""audit, export and merge: auditing, CI outputs, and combining shards."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kuva_audit.audit.browser import BROWSER_ENV, find_browser
from kuva_audit.audit.results import Shard
from kuva_audit.audit.store import load_run_dir, load_service_run
from kuva_audit.cli.app import (
    AcceptedOption,
    BaselineOption,
    BrowserOption,
    ConfigOption,
    FailOn,
    FailOnNewOption,
    FailOnOption,
    HtmlOption,
    JunitOption,
    MarkdownOption,
    SarifOption,
    Triage,
    app,
    err_console,
    fail,
    say,
    terminal,
    user_errors,
)
from kuva_audit.cli.recap import written_lines
from kuva_audit.config.loader import (
    CONFIG_ENV,
    DEFAULT_CONFIG,
    LoadedConfig,
    load_config,
    resolve_config_path,
)
from kuva_audit.config.sources import Sources
from kuva_audit.history.store import record
from kuva_audit.locks import output_locks
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline.judging import announce, publish_run
from kuva_audit.progress_display import reporter_for
from kuva_audit.triage.accepted import DEFAULT_ACCEPTED
from kuva_audit.writable import check_output_dir

if TYPE_CHECKING:
    from kuva_audit.audit.run import RunOutcome


RUN_ID_ENV = "GITHUB_RUN_ID"
"""GitHub's id of a workflow run: the same in every job of it, and on a re-run."""


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
    with output_locks(audits, *outputs.folders()):
        outcome = audit_services(loaded, service or [], audits, browser, concurrency, part)
        runs = tuple(load_service_run(s.path) for s in outcome.services)
        written = {"audit results": [s.path for s in outcome.services]}
        if part is None:
            written["compact history"] = record(audits, runs)
        verdict = publish_run(runs, outcome.date, triage, outputs, Sources.of(loaded), terminal)
    for line in written_lines(written, {}, indent=False):
        say(line)
    raise typer.Exit(announce(*verdict, terminal))


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
    outputs.check()
    runs = load_run_dir(run_dir)
    loaded = run_config(config, run_dir, needed=sarif is not None)
    folder = loaded.root if loaded is not None else _config_folder(run_dir)
    if accepted is None and not (folder / DEFAULT_ACCEPTED).is_file():
        say(
            f"no {DEFAULT_ACCEPTED} at {folder / DEFAULT_ACCEPTED}: no issue is accepted "
            "(give --accepted PATH if there is one elsewhere)"
        )
    triage = Triage.of(accepted, folder, baseline, fail_on, fail_on_new)
    sources = Sources.of(loaded) if loaded is not None else None
    with output_locks(*outputs.folders()):
        verdict = publish_run(runs, runs[0].date, triage, outputs, sources, terminal)
    raise typer.Exit(announce(*verdict, terminal))


def _config_folder(run_dir: Path) -> Path:
    """Where the services.yaml of a run folder ``<root>/audits/<date>`` lives: ``<root>``."""
    return run_dir.resolve().parent.parent


def run_config(config: Path | None, run_dir: Path, *, needed: bool) -> LoadedConfig | None:
    """The services.yaml of results already on disk: ``config``, else the default one if it
    exists, else the one beside the run's audits/ folder; an error when ``needed`` (for SARIF)
    and there is none."""
    path = resolve_config_path(config)
    if config is None and not path.is_file():
        beside = _config_folder(run_dir) / DEFAULT_CONFIG.name
        if beside.is_file():
            return load_config(beside)
        if needed:
            raise fail(
                f"--sarif points each result at its line in services.yaml, and there is none "
                f"at {path} or {beside}: pass --config PATH (or set {CONFIG_ENV})"
            )
        return None
    return load_config(path)


def parse_shard(text: str, run_id: str | None = None) -> Shard:
    """``K/N`` with 1 <= K <= N."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise fail(f"--shard {text}: give K/N with 1 <= K <= N, like --shard 2/4")
    run = (run_id or os.environ.get(RUN_ID_ENV) or "").strip() or None
    return Shard(index=int(match[1]), count=int(match[2]), run_id=run)


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


def audit_services(
    loaded: LoadedConfig,
    service_ids: list[str],
    out_dir: Path,
    browser: str | None,
    concurrency: int | None,
    shard: Shard | None = None,
) -> RunOutcome:
    from kuva_audit.audit.run import run_audit, select_services  # playwright: only here

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
