"""The surveys stage: score every satisfaction survey of services.yaml and write the scores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.locks import output_locks
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.writable import check_output_dir

if TYPE_CHECKING:
    from kuva_audit.surveys.score import Surveys


def score_surveys(
    loaded: LoadedConfig,
    out_dir: Path,
    reporter: Reporter,
    *,
    table: bool = True,
    surveys: Surveys | None = None,
) -> list[Path]:
    """Score every survey of the config (``surveys`` when already read), show the table
    (when ``table`` and there are surveys), write the outputs; nothing is written when an
    export cannot be read."""
    from kuva_audit.surveys.output import write_scores
    from kuva_audit.surveys.summary import scores_table

    if surveys is None:
        from kuva_audit.surveys.score import read_surveys

        surveys = read_surveys(loaded)
    rows = surveys.scores()
    for warning in surveys.warnings:
        reporter.line(f"warning: {warning}", err=True)
    if table and any(s.surveys for s in loaded.config.services):
        reporter.table(scores_table(rows))
    return write_scores(rows, out_dir)


def surveys_command(loaded: LoadedConfig, out_dir: Path, reporter: Reporter) -> list[Path]:
    """`surveys`: check the folder, score and write under its lock."""
    check_output_dir("--out-dir", out_dir)
    if not any(s.surveys for s in loaded.config.services):
        reporter.line(f"no service of {loaded.path} has surveys: the score files are empty")
    with output_locks(out_dir):
        return score_surveys(loaded, out_dir, reporter)
