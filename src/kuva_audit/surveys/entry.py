"""What reports need from the surveys package, without importing pandas when no service has
surveys: the labels of the pseudo-rows and the scores (pandas is imported on first use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kuva_audit.config.loader import LoadedConfig
    from kuva_audit.surveys.score import ScoreRow, Surveys

ROLL_UP = "all services"
"""The service of the rows that pool every service's answers."""
UNDATED = "not scored"
"""Pseudo-period of responses that have no period: a blank or unreadable date, or dropped by
the reader (unfinished, duplicate id). Its row counts them by reason; it has no score."""


def scores_by_month_and_period(
    loaded: LoadedConfig, surveys: Surveys | None = None
) -> tuple[list[ScoreRow], list[ScoreRow]]:
    """Every score row by month (the goal's satisfaction window counts responses by month)
    and by the configured ``satisfaction.period``, from one reading of the exports
    (``surveys`` when the caller has read them already); none, and nothing imported, when no
    service has surveys."""
    if not any(service.surveys for service in loaded.config.services):
        return [], []
    if surveys is None:
        from kuva_audit.surveys.score import read_surveys

        surveys = read_surveys(loaded)
    return surveys.scores("month"), surveys.scores()
