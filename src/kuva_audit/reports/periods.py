"""Long audit histories summarised by week, month, quarter or year, so trend charts and their
data tables stay short however many nights there are.

Open issues are a level, not a flow: a week or month is shown by each service's *last* audit
in it (the state at the end of the period), dated by that audit's day. Nothing is averaged, so
every figure shown is one that an audit really found, and an engine upgrade still shows at the
first period whose last audit used the new engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Period = Literal["night", "week", "month", "quarter", "year"]
MAX_POINTS = 40
"""The most points (rows) a trend shows: nights when there are this few, else weeks, months
quarters or years, the finest that fits."""


@dataclass(frozen=True)
class AuditPoint:
    """One service's automated audit on one day: open WCAG 2.1 A/AA issues."""

    date: str
    service: str
    issues: int
    failed_criteria: dict[str, int]
    axe_core: str


_KEYS: dict[Period, Callable[[dt.date], tuple[int, int]]] = {
    "night": lambda d: (d.toordinal(), 0),
    "week": lambda d: (d.isocalendar()[0], d.isocalendar()[1]),
    "month": lambda d: (d.year, d.month),
    "quarter": lambda d: (d.year, (d.month - 1) // 3),
    "year": lambda d: (d.year, 0),
}


@dataclass(frozen=True)
class Trend:
    points: list[AuditPoint]
    period: Period
    nights: int
    """Audit days summarised."""


def summarise(points: Sequence[AuditPoint]) -> Trend:
    """``points`` by the finest period that gives at most :data:`MAX_POINTS` periods. A period
    holds each service's last point in it, dated by the period's last audit day (so all
    services of a period share one place on the time axis)."""
    days = sorted({dt.date.fromisoformat(p.date) for p in points})
    period: Period = next(
        (p for p, key in _KEYS.items() if len({key(d) for d in days}) <= MAX_POINTS),
        "year",
    )
    if period == "night":
        return Trend(list(points), period, len(days))
    key = _KEYS[period]
    last: dict[tuple[tuple[int, int], str], AuditPoint] = {}
    end: dict[tuple[int, int], str] = {}
    for point in sorted(points, key=lambda p: p.date):
        bucket = key(dt.date.fromisoformat(point.date))
        last[(bucket, point.service)] = point
        end[bucket] = point.date
    summary = [dataclasses.replace(point, date=end[bucket]) for (bucket, _), point in last.items()]
    return Trend(sorted(summary, key=lambda p: (p.date, p.service)), period, len(days))
