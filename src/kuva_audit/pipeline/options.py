"""Checks of option values the commands share: one-line errors naming the option."""

from __future__ import annotations

import datetime as dt

from kuva_audit.errors import KuvaError

REPORT_LANGS = ("fi", "sv", "en")


def report_lang(lang: str) -> str:
    """``lang`` if the progress report is written in it, else a one-line error."""
    if lang not in REPORT_LANGS:
        raise KuvaError(f"--lang {lang}: the progress report is in fi, sv or en")
    return lang


def parse_day(value: str | None, option: str) -> dt.date:
    """``value`` as a date (YYYY-MM-DD), today when it is not given."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise KuvaError(f"{option} {value}: give a date as YYYY-MM-DD") from None
