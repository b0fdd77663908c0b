"""The terminal table of satisfaction scores."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from kuva_audit.surveys.entry import UNDATED
from kuva_audit.surveys.metrics import METRICS
from kuva_audit.surveys.score import ScoreRow


def _value(row: ScoreRow) -> str:
    if row.period == UNDATED:
        return "-"
    if row.value is None or row.ci_low is None or row.ci_high is None:
        return "suppressed"
    unit = METRICS[row.metric].unit
    return f"{row.value:.1f}{unit} ({row.ci_low:.1f} to {row.ci_high:.1f})"


def _change(row: ScoreRow) -> str:
    c = row.change
    if c is None:
        return ""
    mark = " *" if c.significant else ""
    return f"{c.delta:+.1f} vs {c.previous_period}{mark}"


def scores_table(rows: Sequence[ScoreRow]) -> Table:
    table = Table(
        title="Customer satisfaction",
        caption="Value with its 95 % interval. Suppressed: fewer responses than "
        "satisfaction.min_shown (or, for a roll-up, revealing one that is). (low): under "
        "min_confident. *: significant change (p < 0.05, both periods min_confident or more).",
    )
    for column in ("service", "period", "question", "metric", "n", "value", "change", "rejected"):
        table.add_column(column, justify="right" if column == "n" else "left")
    for row in rows:
        rejected = ", ".join(f"{k} {v}" for k, v in row.rejected.items())
        flag = " (low)" if row.low_confidence and not row.suppressed else ""
        table.add_row(
            row.service,
            row.period,
            row.question,
            row.metric,
            str(row.n),
            _value(row) + flag,
            _change(row),
            rejected,
        )
    return table
