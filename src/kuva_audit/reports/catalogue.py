"""The reports' one text catalogue (``texts.yaml``: fi, sv and en with the same keys) and the
language's conventions for dates and numbers."""

from __future__ import annotations

import datetime as dt
import functools
from importlib.resources import files
from typing import Any

from ruamel.yaml import YAML

LANGS = ("fi", "sv", "en")


@functools.cache
def texts() -> dict[str, dict[str, Any]]:
    """Every fixed text of the reports: language -> key -> text (nested)."""
    text = (files("kuva_audit.reports") / "texts.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, Any]] = YAML(typ="safe").load(text)
    return data


def format_date(day: dt.date, lang: str) -> str:
    """``30.6.2020`` in Finnish and Swedish, ``30 June 2020`` in English."""
    date = texts()[lang]["date"]
    return str(date["pattern"]).format(
        day=day.day, month=day.month, month_name=date["months"][day.month - 1], year=day.year
    )


def format_month(year: int, month: int, lang: str) -> str:
    """``6/2020`` in Finnish and Swedish, ``June 2020`` in English."""
    date = texts()[lang]["date"]
    return str(date["month_pattern"]).format(
        month=month, month_name=date["months"][month - 1], year=year
    )


def format_iso(text: str, lang: str) -> str:
    """An ISO day (``2026-12-01``) or month (``2026-12``) in the language's convention; any
    other text (a quarter such as ``2026Q3``) as is."""
    try:
        if len(text) == 10:
            return format_date(dt.date.fromisoformat(text), lang)
        if len(text) == 7 and text[4] == "-":
            return format_month(int(text[:4]), int(text[5:]), lang)
    except ValueError:
        return text
    return text


def decimal(text: str, lang: str) -> str:
    """A number written with ``.`` in the language's decimal separator (``82,5`` in fi/sv)."""
    return text.replace(".", str(texts()[lang]["date"]["decimal"]))
