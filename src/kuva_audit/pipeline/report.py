"""The report stage: goal progress (progress.json, .md, .html and index.html)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.locks import output_locks
from kuva_audit.pipeline.options import parse_day
from kuva_audit.writable import check_output_dir

if TYPE_CHECKING:
    from kuva_audit.reports.data import ReportData
    from kuva_audit.surveys.score import Surveys


def report_stage(
    loaded: LoadedConfig,
    as_of: dt.date,
    lang: str,
    out_dir: Path,
    surveys: Surveys | None = None,
) -> tuple[ReportData, list[Path]]:
    """Gather the goal figures (from ``surveys`` when the surveys stage has read them) and
    write the report (the whole job's stage)."""
    from kuva_audit.reports.data import gather
    from kuva_audit.reports.output import write_report

    data = gather(loaded, as_of, lang, out_dir, surveys)
    return data, write_report(data, out_dir)


def report_command(
    loaded: LoadedConfig, as_of: str | None, lang: str, out_dir: Path
) -> tuple[ReportData, list[Path]]:
    """`report`: check the folder, then the report stage as of ``as_of`` (YYYY-MM-DD, default
    today) under the folder's lock."""
    check_output_dir("--out-dir", out_dir)
    day = parse_day(as_of, "--as-of")
    with output_locks(out_dir):
        return report_stage(loaded, day, lang, out_dir)
