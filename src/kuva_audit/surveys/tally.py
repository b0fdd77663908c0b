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
from kuva_audit.surveys.dates import local_times
from kuva_audit.surveys.entry import UNDATED
from kuva_audit.surveys.metrics import METRICS, NPS_PASSIVES_FROM, NPS_PROMOTERS_FROM
from kuva_audit.surveys.model import SurveyError

BLANK, UNPARSEABLE, OUT_OF_RANGE, NOT_ON_SCALE, BAD_DATE, BAD_COUNT = (
    "blank",
    "unparseable",
    "out of range",
    "not on the scale",
    "blank or unreadable date",
    "unreadable count",
)
REASONS = (BLANK, UNPARSEABLE, OUT_OF_RANGE, NOT_ON_SCALE, BAD_COUNT)
"""Rejection reasons of an answer, in the order of their codes in ``parse_answers``."""
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")

PERIOD_CODES = {"month": "M", "quarter": "Q", "year": "Y"}
"""pandas' code of each configured period."""


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
    reasons[-1] = REASONS.index(BLANK)  # code -1 (a blank cell) indexes the last slot
    for i, text in enumerate(answers.uniques):
        value, reason = _parse_one(text, labels)
        if reason is None and not lo <= value <= hi:
            reason = OUT_OF_RANGE
        elif reason is None and whole and not value.is_integer():
            reason = NOT_ON_SCALE
        if reason is None:
            values[i] = value
        else:
            reasons[i] = REASONS.index(reason)
    codes = answers.select(rows)
    return values[codes], reasons[codes]


UNREADABLE_SHARE = 0.1
"""A file with more unreadable dates than this share of its non-blank dates (and more than
one) is an error: its layout was not understood. Fewer are rejected one by one and counted."""


@dataclass(frozen=True)
class PeriodTable:
    """The period of each distinct date value (the last label, UNDATED, for unreadable ones)."""

    by_unique: npt.NDArray[np.intp]
    names: list[str]

    @classmethod
    def of(
        cls,
        dates: Encoded,
        period: str,
        date_format: str | None,
        zone: str | None,
        where: tuple[Path, str, pd.Index],
    ) -> PeriodTable:
        """``where``: the file, the column and the frame's index (row numbers for errors)."""
        try:
            local = local_times(dates.uniques, date_format=date_format, zone=zone)
        except ValueError as exc:  # a layout pandas cannot use, though strptime can
            path, column, _ = where
            raise SurveyError(
                path,
                f"date_format {date_format!r}: {exc}",
                column=column,
                remedy="fix date_format in services.yaml",
            ) from None
        filled = np.array([bool(u.strip()) for u in dates.uniques], dtype=np.bool_)
        unreadable = filled & local.isna().to_numpy()
        if unreadable.any():
            _check_readable(dates, unreadable, filled, date_format, where)
        labels = local.dt.to_period(PERIOD_CODES[period]).astype("string")
        codes, found = pd.factorize(labels, use_na_sentinel=True)
        names = [str(u) for u in found] + [UNDATED]
        undated = len(names) - 1
        by_unique = np.append(np.where(codes < 0, undated, codes), undated)  # -1: blank cell
        return cls(by_unique.astype(np.intp), names)

    def rows(self, dates: Encoded, rows: npt.NDArray[np.intp] | None) -> npt.NDArray[np.intp]:
        """Each (selected) row's index into ``names``."""
        return np.asarray(self.by_unique[dates.select(rows)], dtype=np.intp)


def _check_readable(
    dates: Encoded,
    unreadable: npt.NDArray[np.bool_],
    filled: npt.NDArray[np.bool_],
    date_format: str | None,
    where: tuple[Path, str, pd.Index],
) -> None:
    """SurveyError naming the first unreadable row when too many dates cannot be read."""
    per_unique = np.bincount(dates.codes[dates.codes >= 0], minlength=len(dates.uniques))
    bad, total = int(per_unique[unreadable].sum()), int(per_unique[filled].sum())
    if bad <= max(1.0, UNREADABLE_SHARE * total):
        return
    path, column, index = where
    position = int(np.argmax(np.isin(dates.codes, np.flatnonzero(unreadable))))
    value = dates.uniques[int(dates.codes[position])]
    layout = f"with date_format {date_format!r} " if date_format else ""
    raise SurveyError(
        path,
        f"cannot read the date {value.strip()!r} {layout}({bad} of {total} dates are unreadable)",
        row=int(index[position]),
        column=column,
        remedy="give the layout as date_format (strftime, like %d.%m.%Y %H.%M) in "
        "services.yaml, or fix the dates in the export",
    )


ALL_PERIODS = ["all"]
"""The one period of a survey without dates."""


def tally(
    values: npt.NDArray[np.float64],
    reasons: npt.NDArray[np.int8],
    period_codes: npt.NDArray[np.intp] | None,
    period_names: list[str],
    metric: str,
    weights: npt.NDArray[np.float64] | None = None,
) -> dict[str, Tally]:
    """Tallies per period; rows of the UNDATED period are rejected whatever their answer.

    ``weights``: how many answers each row stands for (a count column); every count here
    and in the rejections is then a count of answers, not of rows.
    """
    count = len(period_names)
    codes = period_codes if period_codes is not None else np.zeros(len(values), dtype=np.intp)
    undated = period_names.index(UNDATED) if UNDATED in period_names else -1
    valid = ~np.isnan(values) & (codes != undated)
    vcodes, v = codes[valid], values[valid]
    w = None if weights is None else weights[valid]

    def counted(mask: npt.NDArray[np.bool_] | None, by: npt.NDArray[Any] | None = None) -> Any:
        picked = vcodes if mask is None else vcodes[mask]
        if w is None:
            return np.bincount(picked, weights=by, minlength=count)
        ws = w if mask is None else w[mask]
        return np.bincount(picked, weights=ws if by is None else ws * by, minlength=count)

    n = counted(None)
    total = counted(None, v)
    total_sq = counted(None, v * v)
    kind = METRICS[metric]
    positive = kind.positive_from
    top = counted(v >= (math.inf if positive is None else positive))
    passives = counted((v >= NPS_PASSIVES_FROM) & (v < NPS_PROMOTERS_FROM))
    detractors = counted(v < NPS_PASSIVES_FROM)
    net = kind.kind == "net"
    out: dict[str, Tally] = {}
    for k, name in enumerate(period_names):
        out[name] = Tally(
            n=_whole(n[k]),
            total=float(total[k]),
            total_sq=float(total_sq[k]),
            top=_whole(top[k]),
            promoters=_whole(top[k]) if net else 0,
            passives=_whole(passives[k]) if net else 0,
            detractors=_whole(detractors[k]) if net else 0,
        )
    dated = codes != undated
    for reason_index, reason in enumerate(REASONS):
        mask = (reasons == reason_index) & dated
        hits = np.bincount(
            codes[mask],
            weights=None if weights is None else _at_least_one(weights[mask]),
            minlength=count,
        )
        for k, name in enumerate(period_names):
            if hits[k]:
                out[name].rejected[reason] += _whole(hits[k])
    if undated >= 0:
        mask = codes == undated
        rows = _whole(
            np.count_nonzero(mask) if weights is None else _at_least_one(weights[mask]).sum()
        )
        if rows:
            out[UNDATED].rejected[BAD_DATE] += rows
    return {name: t for name, t in out.items() if t.n or t.rejected}


def _whole(value: Any) -> int:
    return round(float(value))


def _at_least_one(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """A rejected row counts as its answers, and as one row when its count is 0 or unread."""
    return np.maximum(weights, 1.0)


def parse_counts(
    counts: Encoded, rows: npt.NDArray[np.intp] | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Each (selected) cell of a count column as a number of answers, and whether it could
    not be read: counts are whole numbers >= 0 (``1 234`` and ``1234,0`` read; a blank cell
    is 0)."""
    parsed = np.zeros(len(counts.uniques) + 1)
    bad = np.zeros(len(counts.uniques) + 1, dtype=np.bool_)
    for i, text in enumerate(counts.uniques):
        cleaned = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", text.strip())
        value, reason = _parse_one(cleaned, {})
        if reason == BLANK:
            continue
        if reason is not None or value < 0 or not value.is_integer():
            bad[i] = True
        else:
            parsed[i] = value
    codes = counts.select(rows)
    return parsed[codes], bad[codes]


@dataclass
class Respondents:
    """Sums over respondents (not answers) of a pooled figure, for its effective sample size.

    With M the answers a respondent gave to the pooled questions and Y the sum of their
    unit values (see ``unit_values``): ``count`` respondents with M > 0, and the sums of
    Y^2, Y*M and M^2 over them.
    """

    count: float = 0.0
    yy: float = 0.0
    ym: float = 0.0
    mm: float = 0.0

    def __iadd__(self, other: Respondents) -> Respondents:
        self.count += other.count
        self.yy += other.yy
        self.ym += other.ym
        self.mm += other.mm
        return self

    @classmethod
    def single(cls, t: Tally, metric: str) -> Respondents:
        """One answer a respondent (one question, or one count a respondent)."""
        m = METRICS[metric]
        return cls(t.n, m.unit_square_sum(t), m.unit_sum(t), t.n)


def respondents(
    units: list[npt.NDArray[np.float64]],
    period_codes: npt.NDArray[np.intp] | None,
    period_names: list[str],
    weights: npt.NDArray[np.float64] | None,
) -> dict[str, Respondents]:
    """Per period, the respondent sums of several questions answered on the same rows (each
    row one respondent, or ``weights`` identical ones)."""
    count = len(period_names)
    codes = period_codes if period_codes is not None else np.zeros(len(units[0]), dtype=np.intp)
    undated = period_names.index(UNDATED) if UNDATED in period_names else -1
    answered = np.stack([~np.isnan(u) for u in units])
    m = answered.sum(axis=0).astype(float)
    y = np.where(answered, np.stack(units), 0.0).sum(axis=0)
    keep = (m > 0) & (codes != undated)
    w = np.ones(int(keep.sum())) if weights is None else weights[keep]
    c, mk, yk = codes[keep], m[keep], y[keep]
    sums = [np.bincount(c, weights=w * x, minlength=count) for x in (1.0, yk * yk, yk * mk)]
    mm = np.bincount(c, weights=w * mk * mk, minlength=count)
    return {
        name: Respondents(float(sums[0][k]), float(sums[1][k]), float(sums[2][k]), float(mm[k]))
        for k, name in enumerate(period_names)
        if sums[0][k]
    }
