"""The survey part of services.yaml: exports, their questions, and how scores are shown."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from kuva_audit.config.base import StrictModel

Metric = Literal["csat", "nps", "ces", "smiley", "mean"]
SCALES: dict[str, tuple[float, float]] = {
    "csat": (1, 5),
    "nps": (0, 10),
    "ces": (1, 7),
    "smiley": (1, 4),
}
"""Fixed answer scales; ``mean`` questions give their own ``min`` and ``max``."""
SurveyTool = Literal[
    "csv",
    "xlsx",
    "google-forms",
    "microsoft-forms",
    "surveymonkey",
    "qualtrics",
    "webropol",
    "typeform",
    "limesurvey",
    "happyornot",
]
"""The export layouts kuva-audit reads (``format:`` of a survey entry, besides ``auto``)."""
SURVEY_FORMATS: tuple[str, ...] = ("auto", *get_args(SurveyTool))
CITY_TIME_ZONE = "Europe/Helsinki"
"""Periods are calendar periods of local dates in the city's time zone."""

# A time zone written at the end of a date layout: %Z or %z, ``GMT+2`` / ``UTC-05:00``, or an
# abbreviation such as ``EET``. The zone of each value is then read from the value itself.
_ZONE_IN_FORMAT = re.compile(
    r"\s*(?:%[Zz]|(?:GMT|UTC)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|\b[A-Z]{2,5})\s*$"
)
_NOT_ZONES = frozenset({"AM", "PM"})


def split_zone_format(layout: str) -> tuple[str, bool]:
    """(the layout without a time zone at its end, whether it had one).

    ``%Y/%m/%d %I:%M:%S %p EET`` -> (``%Y/%m/%d %I:%M:%S %p``, True): the zone of a value is
    read from the value, so a layout written in winter still reads summer dates (EEST).
    """
    match = _ZONE_IN_FORMAT.search(layout)
    if match is None or match.group().strip() in _NOT_ZONES:
        return layout, False
    return layout[: match.start()], True


def _name(value: str) -> str:
    """A configured name as the reader sees headers: surrounding spaces removed."""
    return value.strip()


class Question(StrictModel):
    """One scored question: its column in the export (or, for an export of counts, a column of
    counts per answer) and how to read its answers.

    ``labels`` maps answer texts to numbers (case and surrounding spaces ignored);
    ``min``/``max`` give the scale of a ``mean`` question (e.g. the school grade 4-10);
    ``counts`` maps count columns to the answer they count (HappyOrNot's faces, say
    ``{Very positive: 4, Positive: 3, Negative: 2, Very negative: 1}``); ``name`` labels the
    question in the scores (default: its column).
    """

    column: str | None = Field(default=None, min_length=1)
    metric: Metric
    labels: dict[str, float] | None = None
    counts: dict[str, float] | None = Field(default=None, min_length=1)
    name: str | None = Field(default=None, min_length=1)
    min: float | None = None
    max: float | None = None

    @field_validator("column", "name")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return None if value is None else _name(value)

    @field_validator("counts")
    @classmethod
    def _count_columns(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        return None if value is None else {_name(k): v for k, v in value.items()}

    @model_validator(mode="after")
    def _scale(self) -> Question:
        if self.column is not None and self.counts is not None:
            raise ValueError("give either column (one answer a row) or counts, not both")
        if self.metric == "mean":
            if self.min is None or self.max is None or self.min >= self.max:
                raise ValueError("a `mean` question needs its scale: min: LOW, max: HIGH")
        elif self.min is not None or self.max is not None:
            lo, hi = SCALES[self.metric]
            raise ValueError(f"{self.metric} has a fixed scale {lo:g}-{hi:g}; remove min/max")
        return self

    @property
    def scale(self) -> tuple[float, float]:
        if self.metric == "mean":
            assert self.min is not None and self.max is not None
            return self.min, self.max
        return SCALES[self.metric]

    @property
    def label(self) -> str | None:
        """How the scores name this question (None: the layout's count columns decide)."""
        if self.name is not None:
            return self.name
        if self.column is not None:
            return self.column
        return " / ".join(self.counts) if self.counts else None


class SurveySource(StrictModel):
    """Survey exports of a service: a glob relative to services.yaml, and their questions."""

    file: str = Field(min_length=1)
    format: Literal["auto"] | SurveyTool = "auto"
    header_row: int | None = Field(default=None, ge=1)
    """The row (as a spreadsheet numbers it) of the table's first header row, when a title
    block above the table is not detected."""
    date_column: str | None = None
    date_format: str | None = None
    """strftime format of the dates, when detection from the values is ambiguous."""
    time_zone: str | None = None
    """IANA zone of dates written without one (default: the tool's, else Europe/Helsinki)."""
    id_column: str | None = None
    weight: str | None = None
    """A column of counts: each row stands for that many identical responses."""
    complete_only: bool = True
    """Leave out the responses the tool marks incomplete (Qualtrics, LimeSurvey, Typeform)."""
    where: dict[str, str] | None = None
    """Only rows whose columns have these values (an export shared by several services,
    e.g. ``where: {Palvelu: Kultus}``)."""
    questions: list[Question] = Field(min_length=1)
    optional: bool = False
    """A ``file`` glob that matches nothing is an error unless this is true (exports that
    do not exist yet)."""

    @field_validator("date_column", "id_column", "weight")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be blank")
        return None if value is None else _name(value)

    @field_validator("where")
    @classmethod
    def _where(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        return None if value is None else {_name(k): v.strip() for k, v in value.items()}

    @field_validator("date_format")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        if value is not None:
            layout, _ = split_zone_format(value.strip())
            sample = dt.datetime(2026, 11, 27, 13, 45, 30)
            try:
                dt.datetime.strptime(sample.strftime(layout), layout)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a date layout; use strftime codes like %d.%m.%Y %H.%M"
                ) from None
            return value.strip()
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                zoneinfo.ZoneInfo(value.strip())
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"{value!r} is not a time zone; use an IANA name like Europe/Helsinki or UTC"
                ) from None
            return value.strip()
        return value


class SatisfactionSettings(StrictModel):
    """How scores are grouped and when they are shown (see README)."""

    period: Literal["month", "quarter", "year"] = "quarter"
    min_shown: int = Field(default=5, ge=1)
    min_confident: int = Field(default=30, ge=1)
