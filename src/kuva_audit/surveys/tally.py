"""From answer texts to counts: parse each answer, reject what cannot be scored, tally per period.

Survey answers take few distinct values, so each column is factorised and only its distinct
texts are parsed in Python; the per-row work stays in numpy. A tally keeps sufficient
statistics (n, sums, category counts), so tallies of several files add up exactly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from kuva_audit.config.surveys import Question
from kuva_audit.surveys.model import SurveyError

UNDATED = "not scored"
"""Pseudo-period of responses that have no period: a blank or unreadable date, or dropped by
the reader (unfinished, duplicate id). Its row counts them by reason; it has no score."""

BLANK, UNPARSEABLE, OUT_OF_RANGE, NOT_ON_SCALE, BAD_DATE = (
    "blank",
    "unparseable",
    "out of range",
    "not on the scale",
    "blank or unreadable date",
)
_REASONS = (BLANK, UNPARSEABLE, OUT_OF_RANGE, NOT_ON_SCALE)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")

# Date layouts tried on a sample of the values, most specific first.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H.%M.%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
)
_PERIOD_CODE = {"month": "M", "quarter": "Q", "year": "Y"}


@dataclass
class Tally:
    """Sufficient statistics of one question in one period."""

    n: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    top: int = 0
    """Answers counted as satisfied: CSAT 4-5, CES 5-7, smiley 3-4."""
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def __iadd__(self, other: Tally) -> Tally:
        self.n += other.n
        self.total += other.total
        self.total_sq += other.total_sq
        self.top += other.top
        self.promoters += other.promoters
        self.passives += other.passives
        self.detractors += other.detractors
        self.rejected.update(other.rejected)
        return self

    @property
    def mean(self) -> float:
        return self.total / self.n

    @property
    def sd(self) -> float:
        if self.n < 2:
            return 0.0
        variance = (self.total_sq - self.total**2 / self.n) / (self.n - 1)
        return math.sqrt(max(variance, 0.0))


TOP_FROM = {"csat": 4.0, "ces": 5.0, "smiley": 3.0, "nps": 9.0}


def _parse_one(text: str, labels: Mapping[str, float]) -> tuple[float, str | None]:
    cleaned = " ".join(text.split())
    if not cleaned:
        return math.nan, BLANK
    label = labels.get(cleaned.casefold())
    if label is not None:
        return label, None
    if _NUMBER.match(cleaned):
        return float(cleaned.replace(",", ".")), None
    return math.nan, UNPARSEABLE


@dataclass(frozen=True)
class Encoded:
    """A column as codes into its distinct values (-1 for blank cells): survey answers and
    dates take few distinct values, so parsing them once each is cheap at any row count."""

    codes: npt.NDArray[np.signedinteger[Any]]
    """The smallest integer type that holds them: less memory to move per row."""
    uniques: list[str]

    @classmethod
    def of(cls, column: pd.Series) -> Encoded:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        small = np.min_scalar_type(-len(uniques) - 1)
        return cls(np.asarray(codes).astype(small), [str(u) for u in uniques])

    def rows_equal(self, value: str) -> npt.NDArray[np.bool_]:
        """Rows whose value, spaces trimmed, is ``value``."""
        wanted = [i for i, u in enumerate(self.uniques) if u.strip() == value]
        if len(wanted) == 1:
            return np.asarray(self.codes == wanted[0], dtype=np.bool_)
        return np.isin(self.codes, wanted)

    def select(self, rows: npt.NDArray[np.intp] | None) -> npt.NDArray[np.signedinteger[Any]]:
        return self.codes if rows is None else self.codes[rows]


def parse_answers(
    answers: Encoded, question: Question, rows: npt.NDArray[np.intp] | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int8]]:
    """Each (selected) answer as a number (NaN if rejected) and its rejection reason (-1: none)."""
    labels = {" ".join(k.split()).casefold(): v for k, v in (question.labels or {}).items()}
    lo, hi = question.scale
    whole = question.metric != "mean"
    values = np.full(len(answers.uniques) + 1, math.nan)
    reasons = np.full(len(answers.uniques) + 1, -1, dtype=np.int8)
    reasons[-1] = _REASONS.index(BLANK)  # code -1 (a blank cell) indexes the last slot
    for i, text in enumerate(answers.uniques):
        value, reason = _parse_one(text, labels)
        if reason is None and not lo <= value <= hi:
            reason = OUT_OF_RANGE
        elif reason is None and whole and not value.is_integer():
            reason = NOT_ON_SCALE
        if reason is None:
            values[i] = value
        else:
            reasons[i] = _REASONS.index(reason)
    codes = answers.select(rows)
    return values[codes], reasons[codes]


def detect_date_format(values: list[str], path: Path, column: str) -> str | None:
    """The layout that reads the most of up to 200 distinct sampled values (at least half of
    them; values it cannot read are rejected later as unreadable dates)."""
    sample = pd.Series([v.strip() for v in values[:200] if v.strip()], dtype="string")
    if sample.empty:
        return None
    read = {
        layout: int(pd.to_datetime(sample, format=layout, errors="coerce").notna().sum())
        for layout in DATE_FORMATS
    }
    best = max(DATE_FORMATS, key=lambda layout: read[layout])  # first of equals wins
    if read[best] * 2 < len(sample):
        raise SurveyError(
            path,
            f"cannot tell the date layout (e.g. {sample.iloc[0]!r})",
            column=column,
            remedy="give it as date_format (strftime, like %d.%m.%Y) in services.yaml",
        )
    return best


@dataclass(frozen=True)
class PeriodTable:
    """The period of each distinct date value (the last label, UNDATED, for unreadable ones)."""

    by_unique: npt.NDArray[np.intp]
    names: list[str]

    @classmethod
    def of(
        cls, dates: Encoded, period: str, date_format: str | None, path: Path, column: str
    ) -> PeriodTable:
        layout = date_format or detect_date_format(dates.uniques, path, column)
        try:
            stamps = pd.to_datetime(
                pd.Series(dates.uniques, dtype="string").str.strip(),
                format=layout,
                errors="coerce",
            )
        except ValueError as exc:
            raise SurveyError(
                path,
                f"date_format {layout!r}: {exc}",
                column=column,
                remedy="fix date_format in services.yaml",
            ) from None
        labels = stamps.dt.to_period(_PERIOD_CODE[period]).astype("string")
        codes, found = pd.factorize(labels, use_na_sentinel=True)
        names = [str(u) for u in found] + [UNDATED]
        undated = len(names) - 1
        by_unique = np.append(np.where(codes < 0, undated, codes), undated)  # -1: blank cell
        return cls(by_unique.astype(np.intp), names)

    def rows(self, dates: Encoded, rows: npt.NDArray[np.intp] | None) -> npt.NDArray[np.intp]:
        """Each (selected) row's index into ``names``."""
        return np.asarray(self.by_unique[dates.select(rows)], dtype=np.intp)


ALL_PERIODS = ["all"]
"""The one period of a survey without dates."""


def tally(
    values: npt.NDArray[np.float64],
    reasons: npt.NDArray[np.int8],
    period_codes: npt.NDArray[np.intp] | None,
    period_names: list[str],
    metric: str,
) -> dict[str, Tally]:
    """Tallies per period; rows of the UNDATED period are rejected whatever their answer."""
    count = len(period_names)
    codes = period_codes if period_codes is not None else np.zeros(len(values), dtype=np.intp)
    undated = period_names.index(UNDATED) if UNDATED in period_names else -1
    valid = ~np.isnan(values) & (codes != undated)
    vcodes, v = codes[valid], values[valid]
    n = np.bincount(vcodes, minlength=count)
    total = np.bincount(vcodes, weights=v, minlength=count)
    total_sq = np.bincount(vcodes, weights=v * v, minlength=count)
    top = np.bincount(vcodes[v >= TOP_FROM.get(metric, math.inf)], minlength=count)
    passives = np.bincount(vcodes[(v >= 7) & (v <= 8)], minlength=count)
    detractors = np.bincount(vcodes[v <= 6], minlength=count)
    out: dict[str, Tally] = {}
    for k, name in enumerate(period_names):
        out[name] = Tally(
            n=int(n[k]),
            total=float(total[k]),
            total_sq=float(total_sq[k]),
            top=int(top[k]),
            promoters=int(top[k]) if metric == "nps" else 0,
            passives=int(passives[k]) if metric == "nps" else 0,
            detractors=int(detractors[k]) if metric == "nps" else 0,
        )
    for reason_index, reason in enumerate(_REASONS):
        hits = np.bincount(codes[(reasons == reason_index) & (codes != undated)], minlength=count)
        for k, name in enumerate(period_names):
            if hits[k]:
                out[name].rejected[reason] += int(hits[k])
    if undated >= 0:
        rows = int(np.count_nonzero(codes == undated))
        if rows:
            out[UNDATED].rejected[BAD_DATE] += rows
    return {name: t for name, t in out.items() if t.n or t.rejected}
