"""Render the progress report as self-contained HTML and as Markdown (a CI job summary).

Both show the same content in the same order: the two figures, a table per figure, the goal
card, the trends (charts in HTML; their data tables in both) and the links. The fixed texts
come from ``texts.yaml`` next to this module, with the same keys in every language.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib.resources import files
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml import YAML

from kuva_audit.reports.charts import charts
from kuva_audit.reports.data import Link, ReportData
from kuva_audit.templating import render_template

LANGS = ("fi", "en")


@functools.cache
def texts() -> dict[str, dict[str, Any]]:
    """The report's fixed texts: language -> key -> text."""
    text = (files("kuva_audit.reports") / "texts.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = YAML(typ="safe").load(text)
    return data


def format_date(day: dt.date, lang: str) -> str:
    """``30.6.2020`` in Finnish, ``30 June 2020`` in English."""
    date = texts()[lang]["date"]
    return str(date["pattern"]).format(
        day=day.day, month=day.month, month_name=date["months"][day.month - 1], year=day.year
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
        "t": texts()[data.lang],
        "charts": charts(data),
        "as_of": format_date(data.as_of, data.lang),
        "percent": percent,
        "hreflang": hreflang,
    }


def render_progress_html(data: ReportData) -> str:
    """The progress report as one self-contained, accessible HTML page."""
    return render_template("progress.html.j2", **_context(data))


def render_progress_md(data: ReportData) -> str:
    """The progress report as plain Markdown (no HTML), e.g. for a CI job summary."""
    return render_template("progress.md.j2", **_context(data))
