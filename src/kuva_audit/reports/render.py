"""Render the progress report as self-contained HTML and as Markdown (a CI job summary).

Both show the same content in the same order: the two figures, a table per figure, the goal
card, the trends (charts in HTML; their data tables in both) and the links. The fixed texts
come from the one catalogue (kuva_audit.texts, area ``reports``), same keys in every
language (fi, sv, en).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from kuva_audit.reports.charts import charts
from kuva_audit.reports.data import Link, ReportData
from kuva_audit.templating import render_template
from kuva_audit.texts import LANGS, lookup
from kuva_audit.texts.locale import format_date

__all__ = ["LANGS", "format_date", "render_progress_html", "render_progress_md"]


def automated_line(data: ReportData, automated: Any) -> str:
    """A service's latest automated audit in words, in the report's language."""
    t = lookup("reports.services", data.lang)
    return str(t["automated_line"]).format(
        date=format_date(automated.date, data.lang),
        ok=automated.ok,
        pages=automated.pages,
        issues=automated.issues,
    )


def percent(value: float) -> str:
    """A 0-100 share in words, rounded to a whole percent: ``29 %``."""
    return f"{round(value)} %"


def hreflang(link: Link) -> str | None:
    """The language of a statement link (``.../fi.html`` -> ``fi``), None when unknown."""
    stem = PurePosixPath(link.href).stem
    return stem if stem in ("fi", "sv", "en") else None


def _context(data: ReportData) -> dict[str, Any]:
    if data.lang not in LANGS:
        raise ValueError(f"report language must be one of {', '.join(LANGS)}, not {data.lang!r}")
    return {
        "d": data,
        "t": lookup("reports", data.lang),
        "charts": charts(data),
        "as_of": format_date(data.as_of, data.lang),
        "percent": percent,
        "automated": lambda a: automated_line(data, a),
        "hreflang": hreflang,
    }


def render_progress_html(data: ReportData) -> str:
    """The progress report as one self-contained, accessible HTML page."""
    return render_template("progress.html.j2", **_context(data))


def render_progress_md(data: ReportData) -> str:
    """The progress report as plain Markdown (no HTML), e.g. for a CI job summary."""
    return render_template("progress.md.j2", **_context(data))
