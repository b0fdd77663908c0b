"""The goals part of services.yaml: how goal progress is counted, and the goal card."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from kuva_audit.config.base import LocalizedText, StrictModel
from kuva_audit.config.statement import LEGAL_REVIEW_MONTHS
from kuva_audit.texts import every_lang

SubGoalStatus = Literal["not-started", "in-progress", "done"]


class SubGoal(StrictModel):
    """A sub-goal measured elsewhere (Teams adoption, spaces in Varaamo...), entered by hand."""

    name: LocalizedText
    target: str = Field(min_length=1)
    """The target in words, e.g. "80 %" or "20 spaces"."""
    progress: float = Field(ge=0, le=100)
    """How far, in percent of the target."""
    status: SubGoalStatus
    measured: str | None = None
    """The measured value in words, e.g. "65 %"."""


class Goals(StrictModel):
    """Defaults: an audit record and a statement review within 12 months; 30 valid responses
    within the 12 months before the report date. ``statement_max_age_months`` is the
    coordinator's own target: the legal maximum (:data:`LEGAL_REVIEW_MONTHS`) or stricter."""

    title: LocalizedText = LocalizedText(**every_lang("labels.goal_title"))
    audit_max_age_months: int = Field(default=12, ge=1)
    statement_max_age_months: int = Field(default=LEGAL_REVIEW_MONTHS, ge=1)
    satisfaction_min_responses: int = Field(default=30, ge=1)
    satisfaction_window_months: int = Field(default=12, ge=1)
    subgoals: list[SubGoal] = Field(default_factory=list)
    forecast: LocalizedText | None = None
    risks: list[LocalizedText] = Field(default_factory=list)

    @field_validator("statement_max_age_months")
    @classmethod
    def _not_looser_than_the_law(cls, months: int) -> int:
        if months > LEGAL_REVIEW_MONTHS:
            raise ValueError(
                f"{months} months is looser than the law: a statement must be reviewed at least "
                f"every {LEGAL_REVIEW_MONTHS} months; give {LEGAL_REVIEW_MONTHS} or fewer"
            )
        return months
