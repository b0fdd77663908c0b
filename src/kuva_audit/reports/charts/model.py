"""What a chart is, independent of how it is drawn: its series, axis and texts (``Plot``), and
the finished chart a report shows (``Chart``: the SVG in two layouts, its text alternative and
the table of its data)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from kuva_audit.texts.locale import format_number


@dataclass
class Series:
    label: str
    segments: list[list[tuple[int, float]]]
    """Runs of (x index, value) joined by a line; a gap between runs."""
    intervals: list[tuple[int, float, float]] = field(default_factory=list)
    """Error bars: (x index, low, high)."""
    flagged: list[int] = field(default_factory=list)
    """x indices of points to ring (the axe-core version changed)."""
    step: bool = False

    def last(self) -> tuple[int, float] | None:
        points = [p for s in self.segments for p in s]
        return points[-1] if points else None


@dataclass(frozen=True)
class Axis:
    lo: float
    hi: float
    fixed: bool = False
    """The metric's own scale (1-7, 0-100, -100..100): the axis spans exactly lo..hi."""
    integer: bool = False


@dataclass(frozen=True)
class Plot:
    """What a chart shows, independent of its layout."""

    title: str
    description: str
    x_labels: Sequence[str]
    series: Sequence[Series]
    axis: Axis
    axis_titles: tuple[str, str]
    number: Callable[[float], str]
    """A value in the report's language (``82,5``)."""
    extra_legend: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Chart:
    id: str
    """HTML id, unique on the page."""
    title: str
    description: str
    """The text alternative: what the chart shows and its main finding, in words."""
    svg: Markup | None
    """The chart for wide screens, rendered by an autoescaping template, so it is safe to
    insert as is; None when there is nothing to draw (``empty`` says why)."""
    narrow: Markup | None
    """The same chart laid out for phones (charts/geometry.py)."""
    columns: list[str]
    rows: list[list[str]]
    """The chart's data, as a table (first column: the x value)."""
    note: str | None = None
    """A plain statement shown with the chart: one point in time only, so no trend yet."""
    empty: str | None = None
    """Shown instead of the chart when no series has a value (all suppressed)."""


def number(value: float, lang: str, digits: int = 1) -> str:
    """``82.5`` -> ``82.5`` (en) or ``82,5`` (fi); whole numbers without decimals."""
    return format_number(value, lang, digits)
