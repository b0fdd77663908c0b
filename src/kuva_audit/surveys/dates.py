"""Dates as survey tools write them, read into local times of the city's time zone.

Google Forms writes ``2025/02/03 9:15:03 AM GMT+2`` or ``2026/01/10 12:00:00 EET`` (the form
owner's zone, EEST in summer), a Finnish Excel ``3.11.2026 9.12``, SurveyMonkey
``11/02/2026 09:12:01 AM``, Typeform ``2026-11-27 10:15:03`` in UTC, Microsoft Forms and
Qualtrics ISO dates. A zone written in the value (an abbreviation, ``GMT+N``/``UTC+N``, an ISO
offset) is honoured value by value, so both sides of daylight saving time read right; a value
without one is in the zone the export's tool states (Typeform: UTC; Qualtrics: its ImportId),
else the configured ``time_zone``, else the city's. Every time is then converted to
Europe/Helsinki, whose local date gives the period.

The layout (``%d.%m.%Y %H.%M`` ...) is detected on a sample of the distinct values unless
``date_format`` gives it; pandas parses, the standard ``zoneinfo`` database converts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kuva_audit.config.surveys import CITY_TIME_ZONE, split_zone_format

# Offsets of the zone abbreviations tools write (hours east of UTC). Ambiguous ones (IST,
# CST as China time...) are read as the meaning a survey tool would print in English.
ZONE_HOURS: dict[str, float] = {
    "Z": 0,
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 1,  # Irish Standard Time, as Google prints for Europe/Dublin in summer
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "AST": -4,
    "ADT": -3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
}

# A zone at the end of a value: an abbreviation, GMT/UTC with an offset, or a numeric offset
# after a time (``10:15:03+02:00``, ``10:15 +0200``; see _AFTER_TIME).
_ZONED = re.compile(
    r"^(?P<stamp>.*?\S)\s*(?:"
    r"(?P<name>[A-Z]{1,5})"
    r"|(?:GMT|UTC)\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?"
    r"|(?P<offset>[+\-]\d{2}):?(?P<offset_minutes>\d{2})"
    r")$"
)
_AFTER_TIME = re.compile(r":\d\d(?:[.,]\d+)?$")
_NOT_ZONES = frozenset({"AM", "PM", "A", "P"})
# Other spellings of AM/PM (Finnish ap./ip., Swedish fm/em, a.m./p.m.), and Finnish "klo".
_MERIDIEM = re.compile(r"(?i)(?<=\d)\s*(a\.?m\.?|ap\.|fm\.?)$|(?<=\d)\s*(p\.?m\.?|ip\.|em\.?)$")
_KLO = re.compile(r"(?i)\s+klo\s+")

# Layouts tried on a sample of the values, most specific first ("ISO8601" is pandas' own
# reader of 2026-11-27, 2026-11-27 10:15, 2026-11-27T10:15:03.123 ...).
DATE_FORMATS = (
    "ISO8601",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %I:%M %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %I.%M.%S %p",
    "%d.%m.%Y %I.%M %p",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H.%M",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)
SAMPLE = 1000
"""Values looked at for zones and clock words."""
DETECT = 200
"""Values the layout is detected on."""


def local_times(values: Sequence[str], *, date_format: str | None, zone: str | None) -> pd.Series:
    """Each value as a naive local time in Europe/Helsinki; NaT where blank or unreadable.

    ``zone``: the IANA zone of values written without one (default: the city's).
    """
    text = pd.Series(list(values), dtype=object).str.strip()
    sample = _sample(text)
    stamps, offsets = _split_zones(text, sample)
    if any(_MERIDIEM.search(value) or _KLO.search(value) for value in sample):
        stamps = stamps.str.replace(_KLO, " ", regex=True).str.replace(
            _MERIDIEM, _meridiem, regex=True
        )
    if date_format is not None:
        parsed = _parse(stamps, split_zone_format(date_format)[0])
    else:
        parsed = _detect_and_parse(stamps)
    return _to_city(parsed, offsets, zone or CITY_TIME_ZONE)


def _sample(text: pd.Series) -> list[str]:
    """Up to SAMPLE non-blank values spread over the whole column."""
    filled = text[text.notna() & (text != "")]
    step = max(1, len(filled) // SAMPLE)
    return [str(value) for value in filled.iloc[::step].iloc[:SAMPLE]]


def _split_zones(text: pd.Series, sample: list[str]) -> tuple[pd.Series, pd.Series | None]:
    """(the values without their zone, each value's offset in minutes east of UTC: NaN for a
    value without a zone, None when no value has one; an unknown abbreviation stays in the
    value, which then does not read)."""
    if not any(_zone_of(value) for value in sample):
        return text, None
    parts = text.str.extract(_ZONED)
    name = parts["name"].where(~parts["name"].isin(_NOT_ZONES))
    known = name.map(ZONE_HOURS) * 60
    sign = pd.Series(np.where(parts["sign"].isin(["-", "\u2212"]), -1.0, 1.0), text.index)
    written = sign * (
        pd.to_numeric(parts["hours"]) * 60 + pd.to_numeric(parts["minutes"]).fillna(0)
    )
    numeric = (
        pd.to_numeric(parts["offset"]).where(parts["stamp"].str.contains(_AFTER_TIME, na=False))
        * 60
    )
    numeric = numeric + np.sign(numeric.where(numeric != 0, 1)) * pd.to_numeric(
        parts["offset_minutes"]
    ).fillna(0)
    offsets = known.fillna(written).fillna(numeric).astype("float64")
    zoned = offsets.notna()
    stamps = text.where(~zoned, parts["stamp"])
    return stamps, offsets


def _zone_of(value: str) -> bool:
    match = _ZONED.match(value)
    if match is None:
        return False
    if match["offset"] is not None:
        return bool(_AFTER_TIME.search(match["stamp"]))
    return match["name"] is None or match["name"] in ZONE_HOURS


def _meridiem(match: re.Match[str]) -> str:
    return " AM" if match.group(1) else " PM"


def _parse(stamps: pd.Series, layout: str) -> pd.Series:
    return pd.to_datetime(stamps, format=layout, errors="coerce")


def _detect_and_parse(stamps: pd.Series) -> pd.Series:
    """Parse with the layout that reads the most of a sample; values it does not read get a
    second chance with the layout that reads the most of them (a file edited by hand)."""
    parsed = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[us]")
    todo = stamps.notna() & (stamps != "")
    for _ in range(2):
        sample = _sample(stamps[todo])
        if not sample:
            break
        layout = best_layout(sample)
        if layout is None:
            break
        found = _parse(stamps[todo], layout)
        parsed[todo] = found.astype("datetime64[us]")
        todo &= parsed.isna()
    return parsed


def best_layout(sample: Sequence[str]) -> str | None:
    """The first layout that reads all of ``sample`` (up to ``DETECT`` values), else the one
    that reads the most (the first of equals); None if none reads any."""
    series = pd.Series(list(sample)[:DETECT], dtype=object)
    counts: dict[str, int] = {}
    for layout in DATE_FORMATS:
        counts[layout] = int(_parse(series, layout).notna().sum())
        if counts[layout] == len(series):
            return layout
    best = max(DATE_FORMATS, key=lambda layout: counts[layout])
    return best if counts[best] else None


def _to_city(parsed: pd.Series, offsets: pd.Series | None, zone: str) -> pd.Series:
    """Naive local times in the city's zone from naive times in ``zone`` (or at ``offsets``)."""
    parsed = parsed.astype("datetime64[us]")
    result = parsed.copy()
    naive = parsed.notna() if offsets is None else parsed.notna() & offsets.isna()
    if zone != CITY_TIME_ZONE and naive.any():
        local = parsed[naive].dt.tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward")
        # An hour that repeats when clocks go back: take its first (summer time) instance.
        repeated = local.isna()
        if repeated.any():
            local[repeated] = (
                parsed[naive][repeated]
                .dt.tz_localize(zone, ambiguous=np.ones(int(repeated.sum()), dtype=bool))
                .astype(local.dtype)
            )
        result[naive] = local.dt.tz_convert(CITY_TIME_ZONE).dt.tz_localize(None)
    if offsets is not None:
        zoned = parsed.notna() & offsets.notna()
        if zoned.any():
            utc = parsed[zoned] - pd.to_timedelta(offsets[zoned], unit="m")
            result[zoned] = (
                utc.dt.tz_localize("UTC").dt.tz_convert(CITY_TIME_ZONE).dt.tz_localize(None)
            )
    return result
