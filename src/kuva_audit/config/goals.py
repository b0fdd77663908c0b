"""The goals part of services.yaml: how goal progress is counted, and the goal card."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kuva_audit.config.base import LocalizedText, StrictModel
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
    within the 12 months before the report date."""

    title: LocalizedText = LocalizedText(**every_lang("labels.goal_title"))
    audit_max_age_months: int = Field(default=12, ge=1)
    statement_max_age_months: int = Field(default=12, ge=1)
    satisfaction_min_responses: int = Field(default=30, ge=1)
    satisfaction_window_months: int = Field(default=12, ge=1)
    subgoals: list[SubGoal] = Field(default_factory=list)
    forecast: LocalizedText | None = None
    risks: list[LocalizedText] = Field(default_factory=list)
