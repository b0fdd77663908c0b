"""`export`: the CI outputs and the verdict of results already on disk."""

from __future__ import annotations

from pathlib import Path

from kuva_audit.audit.store import load_run_dir
from kuva_audit.config.loader import (
    CONFIG_ENV,
    DEFAULT_CONFIG,
    LoadedConfig,
    load_config,
    resolve_config_path,
)
from kuva_audit.config.sources import Sources
from kuva_audit.errors import KuvaError
from kuva_audit.locks import output_locks
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline.judging import FailOn, Triage, judge_and_write
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.triage.accepted import DEFAULT_ACCEPTED
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict


def config_folder(run_dir: Path) -> Path:
    """Where the services.yaml of a run folder ``<root>/audits/<date>`` lives: ``<root>``."""
    return run_dir.resolve().parent.parent


def run_config(config: Path | None, run_dir: Path, *, needed: bool) -> LoadedConfig | None:
    """The services.yaml of results already on disk: ``config``, else the default one if it
    exists, else the one beside the run's audits/ folder; an error when ``needed`` (for SARIF)
    and there is none."""
    path = resolve_config_path(config)
    if config is None and not path.is_file():
        beside = config_folder(run_dir) / DEFAULT_CONFIG.name
        if beside.is_file():
            return load_config(beside)
        if needed:
            raise KuvaError(
                f"--sarif points each result at its line in services.yaml, and there is none "
                f"at {path} or {beside}: pass --config PATH (or set {CONFIG_ENV})"
            )
        return None
    return load_config(path)


def export_run(
    run_dir: Path,
    config: Path | None,
    outputs: OutputPaths,
    accepted: Path | None,
    baseline: Path | None,
    fail_on: FailOn,
    fail_on_new: bool,
    reporter: Reporter,
) -> tuple[RunReport, Verdict]:
    """Judge the run in ``run_dir`` as `audit` would have, and write the outputs asked for."""
    outputs.check()
    runs = load_run_dir(run_dir)
    loaded = run_config(config, run_dir, needed=outputs.sarif is not None)
    folder = loaded.root if loaded is not None else config_folder(run_dir)
    if accepted is None and not (folder / DEFAULT_ACCEPTED).is_file():
        reporter.line(
            f"no {DEFAULT_ACCEPTED} at {folder / DEFAULT_ACCEPTED}: no issue is accepted "
            "(give --accepted PATH if there is one elsewhere)"
        )
    triage = Triage.of(accepted, folder, baseline, fail_on, fail_on_new)
    sources = Sources.of(loaded) if loaded is not None else None
    with output_locks(*outputs.folders()):
        return judge_and_write(runs, runs[0].date, triage, outputs, sources, reporter)
