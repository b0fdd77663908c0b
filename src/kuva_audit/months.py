"""Calendar months, the one way every age in months is computed (a statement's last review,
an audit's age, a survey window)."""

from __future__ import annotations

import calendar
import datetime as dt


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the month's length
    (31 March minus one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def older_than(earlier: dt.date, day: dt.date, months: int) -> bool:
    """Whether ``earlier`` lies more than ``months`` calendar months before ``day``: a review
    of 3 December 2025 is 12 months old, not older, on 3 December 2026 and older from the 4th."""
    return earlier < months_before(day, months)
