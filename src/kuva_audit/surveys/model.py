"""The survey stage's contract: what reading an export yields, and its root error."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kuva_audit.config.surveys import SurveyTool
from kuva_audit.errors import KuvaError


class SurveyError(KuvaError):
    """An export that cannot be read or scored, as one line naming file, row and column."""

    def __init__(
        self,
        path: Path,
        problem: str,
        *,
        row: int | None = None,
        column: str | None = None,
        remedy: str = "",
    ) -> None:
        where = "".join(
            [f", row {row}" if row is not None else "", f", column {column!r}" if column else ""]
        )
        super().__init__(f"{path}{where}: {problem}{'; ' + remedy if remedy else ''}")
        self.path, self.row, self.column = path, row, column


@dataclass(frozen=True)
class RawTable:
    """One export as read: a column per question, answers as text, nothing interpreted yet."""

    source: Path
    tool: SurveyTool
    """The layout it was read as (detected when the configured format is ``auto``)."""
    frame: pd.DataFrame
    """One column per (final, single-row) header; values are strings (pandas string dtype),
    blank cells are NA. The index is the record number in the file (header rows included,
    1-based), so errors and rejections can name the row a person sees in a spreadsheet."""
    date_column: str | None
    """The tool's own timestamp column (``Timestamp``/``Aikaleima``, ``Completion time``,
    ``End Date``, ``RecordedDate``, ``Submit Date (UTC)``, ``submitdate``...) if present."""
    id_column: str | None
    """The tool's response id column, if any; duplicate ids were dropped."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Rows dropped before scoring, by reason: ``unfinished`` (responses the tool marks
    incomplete: Qualtrics, LimeSurvey, Typeform), ``duplicate id``, ``empty row``."""
    time_zone: str | None = None
    """The zone of the tool's dates when it says (Typeform: UTC; Qualtrics: its ImportId)."""
    counts: dict[str, float] | None = None
    """Count columns and the answer each counts, for tools that export counts (HappyOrNot)."""
    groups: dict[str, list[str]] = field(default_factory=dict)
    """Matrix questions: a question's name -> the columns of its statements."""
    dated: bool = False
    """The tool writes a date for every response (scoring it undated deserves a warning)."""
