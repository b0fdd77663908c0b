"""The survey part of services.yaml: exports, their questions, and how scores are shown."""

from __future__ import annotations

import datetime as dt
from typing import Literal

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
SURVEY_FORMATS = (
    "auto",
    "csv",
    "xlsx",
    "google-forms",
    "microsoft-forms",
    "surveymonkey",
    "qualtrics",
)


class Question(StrictModel):
    """One scored question: its column in the export and how to read its answers.

    ``labels`` maps answer texts to numbers (case and surrounding spaces ignored);
    ``min``/``max`` give the scale of a ``mean`` question (e.g. the school grade 4-10).
    """

    column: str = Field(min_length=1)
    metric: Metric
    labels: dict[str, float] | None = None
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _scale(self) -> Question:
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


class SurveySource(StrictModel):
    """Survey exports of a service: a glob relative to services.yaml, and their questions."""

    file: str = Field(min_length=1)
    format: Literal[SURVEY_FORMATS] = "auto"  # type: ignore[valid-type]
    date_column: str | None = None
    date_format: str | None = None
    """strftime format of the dates, when detection from the values is ambiguous."""
    id_column: str | None = None
    where: dict[str, str] | None = None
    """Only rows whose columns have these values (an export shared by several services,
    e.g. ``where: {Palvelu: Kultus}``)."""
    questions: list[Question] = Field(min_length=1)

    @field_validator("date_format")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        if value is not None:
            sample = dt.datetime(2026, 11, 27, 13, 45, 30)
            try:
                dt.datetime.strptime(sample.strftime(value), value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a date layout; use strftime codes like %d.%m.%Y %H.%M"
                ) from None
        return value


class SatisfactionSettings(StrictModel):
    """How scores are grouped and when they are shown (see README)."""

    period: Literal["month", "quarter", "year"] = "quarter"
    min_shown: int = Field(default=5, ge=1)
    min_confident: int = Field(default=30, ge=1)
