"""Dates and numbers as each language writes them, by Babel (the Unicode CLDR conventions):
``30.6.2020`` in Finnish and Swedish, ``30 June 2020`` in English.

The languages are those of Finland: Swedish follows Finland-Swedish usage (``sv_FI``) and
English the international one (``en_001``: day before month, a decimal point)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_decimal

LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_001"}
"""kuva-audit's languages -> the CLDR locales they are written in."""
_DAY = {"fi": "yMd", "sv": "yMd", "en": "yMMMMd"}
_MONTH = {"fi": "yM", "sv": "yM", "en": "yMMMM"}


def format_date(day: dt.date, lang: str) -> str:
    """``30.6.2020`` in Finnish and Swedish, ``30 June 2020`` in English."""
    return str(format_skeleton(_DAY[lang], day, locale=LOCALES[lang]))


def format_month(year: int, month: int, lang: str) -> str:
    """``6.2020`` in Finnish and Swedish, ``June 2020`` in English."""
    return str(format_skeleton(_MONTH[lang], dt.date(year, month, 1), locale=LOCALES[lang]))


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


def format_number(value: float, lang: str, digits: int = 1) -> str:
    """``82.5`` (en) or ``82,5`` (fi, sv) with ``digits`` decimals; whole numbers without
    decimals, never ``-0``."""
    whole = float(value).is_integer()
    rounded = Decimal(f"{value:.0f}" if whole else f"{value:.{digits}f}")
    if whole and rounded == 0:
        rounded = Decimal(0)
    pattern = "0" if whole else "0." + "0" * digits
    return str(format_decimal(rounded, format=pattern, locale=LOCALES[lang]))
