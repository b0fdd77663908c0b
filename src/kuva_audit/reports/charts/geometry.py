"""Where everything of one line chart goes, in numbers: scales, ticks, label wrapping and
placement, marker offsets, in a wide (desktop) and a narrow (phone) layout.

Pure functions of a ``Plot`` and a ``ChartLayout``; the SVG markup is the template
``chart.svg.j2`` (charts/draw.py). Each layout keeps its text at least 12 CSS px where the page
shows it (see the ``ChartLayout`` notes and progress.css). Series differ by colour (each at least
3:1 against white), dash pattern and marker shape, and each is named by a direct label beside
its last point, so nothing relies on colour alone; markers that would hide each other at the
same value are moved apart sideways.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from kuva_audit.reports.charts.model import Axis, Plot

COLOURS = (
    "#0050a0",
    "#a0430a",
    "#2f6b33",
    "#5b3a8c",
    "#9b1c1c",
    "#6a5300",
    "#00707a",
    "#555555",
)
"""Series colours, each with at least 3:1 contrast against white."""
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4")
MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross", "plus", "ring")
CHAR = 0.6
"""Estimated width of one character, in font sizes (system-ui, mixed case and digits)."""
LINE = 1.2
"""Line height, in font sizes."""


@dataclass(frozen=True)
class ChartLayout:
    name: str
    width: int
    """viewBox width."""
    font: float
    """Font size of every text, in viewBox units."""
    plot_height: int
    left: int
    labels: int
    """Widest column of direct labels right of the plot."""
    marker: float
    """Marker radius."""


WIDE = ChartLayout("wide", 720, 13, 240, 64, 200, 4.5)
"""Shown from 48rem (768 px) up at 736 px or more: text 13.3 px or larger."""
NARROW = ChartLayout("narrow", 320, 14, 200, 50, 150, 4.0)
"""Shown below 48rem, at least 288 px wide on a 320 px screen: text 12.6 px or larger."""
LAYOUTS = (WIDE, NARROW)


# -- numbers and text ----------------------------------------------------------------------------


def text_width(text: str, font: float) -> float:
    return len(text) * CHAR * font


def wrap(text: str, width: float, font: float, hyphenate: bool = True) -> list[str]:
    """``text`` in lines of at most ``width`` units; a longer word is broken with a hyphen
    (or, without ``hyphenate``, left whole on its line)."""
    chars = max(4, int(width / (CHAR * font)))
    words: list[str] = []
    for word in text.split():
        while hyphenate and len(word) > chars:
            words.append(word[: chars - 1] + "-")
            word = word[chars - 1 :]
        words.append(word)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def ticks(axis: Axis) -> list[float]:
    """Round ticks: exactly lo..hi for a fixed scale (1-7 gives 1, 2, ... 7), else about five
    covering lo..hi."""
    lo, hi = axis.lo, axis.hi
    if hi <= lo:
        hi = lo + 1
    if axis.fixed:
        for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
            count = (hi - lo) / step
            if count.is_integer() and 2 <= count <= 7 and not (axis.integer and step % 1):
                return [round(lo + i * step, 10) for i in range(int(count) + 1)]
    raw = (hi - lo) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if axis.integer:
        step = max(1.0, float(math.ceil(step)))
    if axis.fixed:  # no round step divides the scale: round ticks inside it, ends as given
        first = math.ceil(lo / step) * step
        inside = [round(first + i * step, 10) for i in range(int((hi - first) / step) + 1)]
        return sorted({lo, *[v for v in inside if lo < v < hi], hi})
    start = math.floor(lo / step) * step
    found = []
    value = start
    while value < hi + step * 1e-9:
        found.append(round(value, 10))
        value += step
    if found[-1] < hi:
        found.append(round(found[-1] + step, 10))
    return found


def spread(wanted: list[float], heights: list[float], top: float, gap: float) -> list[float]:
    """Tops of label blocks as near their wanted tops as possible without overlapping, none
    above ``top`` (they may run below the plot: the picture grows)."""
    placed: list[float] = []
    for index, want in enumerate(wanted):
        start = max(want, top)
        if index:
            start = max(start, placed[-1] + heights[index - 1] + gap)
        placed.append(start)
    return placed


# -- shapes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    colour: str
    dash: str
    """SVG dash pattern; empty for a solid line."""
    marker: str


def style(index: int) -> Style:
    return Style(
        COLOURS[index % len(COLOURS)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


@dataclass(frozen=True)
class Marker:
    kind: str
    x: float
    y: float
    r: float
    colour: str
    ringed: bool = False
    """Ringed (radius ``2 * r``): the axe-core version changed at this point."""

    @property
    def corners(self) -> list[tuple[float, float]]:
        """The polygon of a triangle, down triangle or diamond (empty for other kinds)."""
        r = self.r
        offsets = {
            "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
            "down": [(0, r + 1), (r + 1, -r), (-r - 1, -r)],
            "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
        }.get(self.kind, [])
        return [(self.x + dx, self.y + dy) for dx, dy in offsets]


@dataclass(frozen=True)
class Text:
    """Text of one or more lines; ``y`` is the middle of the first line."""

    x: float
    y: float
    lines: Sequence[str]
    font: float
    anchor: str = "start"

    @property
    def rows(self) -> list[tuple[float, str]]:
        """Each line with the y of its middle."""
        return [(self.y + i * self.font * LINE, line) for i, line in enumerate(self.lines)]


# -- the placed chart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class XTick:
    label: Text
    """At the tick's x; ``upright``: rotated, one line, its end at the tick."""
    upright: bool


@dataclass(frozen=True)
class Run:
    points: list[tuple[float, float]]
    """Joined by a line when there are two or more."""
    markers: list[Marker]


@dataclass(frozen=True)
class PlacedSeries:
    style: Style
    intervals: list[tuple[float, float, float]]
    """Error bars: (x, y of low, y of high)."""
    runs: list[Run]
    step: bool


@dataclass(frozen=True)
class DirectLabel:
    start: tuple[float, float]
    """Where its leader line leaves the series' last point."""
    end: tuple[float, float]
    marker: Marker
    text: Text


@dataclass(frozen=True)
class LegendRow:
    ring: tuple[float, float] | None
    """Centre of the ring of an engine change (radius ``2 * marker``), when it shows one."""
    text: Text


@dataclass(frozen=True)
class Placed:
    """One chart laid out: every position, in viewBox units."""

    layout: ChartLayout
    height: int
    left: float
    top: float
    right: float
    bottom: float
    grid: list[Text]
    """A grid line at the y of each tick's label."""
    x_ticks: list[XTick]
    x_title: Text
    y_title: Text
    series: list[PlacedSeries]
    labels: list[DirectLabel]
    legend: list[LegendRow]


def place(plot: Plot, layout: ChartLayout) -> Placed:
    """One line chart: categorical x, linear y, each series named at its last point."""
    font, r = layout.font, layout.marker
    lines_of = [
        wrap(f"{s.label}: {plot.number(last[1])}", layout.labels - 22, font)
        for s in plot.series
        if (last := s.last()) is not None
    ]
    label_w = max((text_width(line, font) for lines in lines_of for line in lines), default=0.0)
    column = min(float(layout.labels), label_w + 26) if lines_of else 0.0
    left, top = layout.left, round(font * 1.5)
    right = layout.width - column - 8
    plot_w = right - left
    bottom = top + layout.plot_height
    count = len(plot.x_labels)
    band = plot_w / max(count, 1)
    tick_values = ticks(plot.axis)
    lo, hi = tick_values[0], tick_values[-1]

    def x_of(index: int, offset: float = 0.0) -> float:
        return left + band * (index + 0.5) + offset

    def y_of(value: float) -> float:
        value = min(max(value, lo), hi)
        return bottom - (value - lo) / (hi - lo) * layout.plot_height

    # x labels: wrapped in two lines at most, and only every n-th when they would collide
    x_lines = [wrap(label, band - font / 2, font, hyphenate=False) for label in plot.x_labels]
    widest = max((text_width(line, font) for lines in x_lines for line in lines), default=0.0)
    fit = max(1, int(plot_w // (widest + font / 2)))
    # labels that do not all fit side by side (in two lines at most) stand upright, one line
    # each, so that more fit
    upright = fit < count or any(len(lines) > 2 for lines in x_lines)
    if upright:
        fit = max(1, int(plot_w // (font * 1.4)))
        x_lines = [[label] for label in plot.x_labels]
        widest = max((text_width(label, font) for label in plot.x_labels), default=0.0)
        x_extent = widest
    else:
        x_extent = font * LINE * max((len(lines) for lines in x_lines), default=1)
    every = max(1, math.ceil(count / fit))
    x_title_y = bottom + 10 + x_extent + font * 0.6

    # markers at (about) the same place are moved apart sideways; with error bars every series
    # is offset so that the bars do not hide each other
    n = len(plot.series)
    offsets: dict[tuple[int, int], float] = {}
    if any(s.intervals for s in plot.series):
        gap = min(2 * r + 3, band / (n + 1))
        for index, s in enumerate(plot.series):
            for segment in s.segments:
                for px, _ in segment:
                    offsets[(index, px)] = (index - (n - 1) / 2) * gap
            for px, _, _ in s.intervals:
                offsets[(index, px)] = (index - (n - 1) / 2) * gap
    else:
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, s in enumerate(plot.series):
            for segment in s.segments:
                for px, py in segment:
                    groups[(px, round(y_of(py) / (2 * r + 2)))].append(index)
        for (px, _), members in groups.items():
            step = min(2 * r + 2, band / (len(members) + 1))
            for rank, index in enumerate(members):
                offsets[(index, px)] = (rank - (len(members) - 1) / 2) * step

    def at(index: int, px: int) -> float:
        return x_of(px, offsets.get((index, px), 0.0))

    # direct labels, right of the plot, as near their series' last point as they can be
    named = [(i, last) for i, s in enumerate(plot.series) if (last := s.last()) is not None]
    heights = [font * LINE * len(lines) for lines in lines_of]
    order = sorted(range(len(named)), key=lambda k: (y_of(named[k][1][1]), k))
    tops = spread(
        [y_of(named[k][1][1]) - heights[k] / 2 for k in order],
        [heights[k] for k in order],
        top - font / 2,
        4,
    )
    label_top = dict(zip(order, tops, strict=True))
    labels_end = max((label_top[k] + heights[k] for k in order), default=0.0)

    legend_top = max(x_title_y + font * 1.6, labels_end + font)
    legend_lines = [
        (kind, wrap(label, layout.width - left - 32, font)) for kind, label in plot.extra_legend
    ]
    legend_rows = sum(len(lines) for _, lines in legend_lines)
    height = math.ceil(legend_top + legend_rows * font * LINE + len(legend_lines) * font * 0.5 + 4)

    grid = [Text(left - 6, y_of(tick), [plot.number(tick)], font, "end") for tick in tick_values]
    x_ticks = []
    for index, lines in enumerate(x_lines):
        if (count - 1 - index) % every:
            continue
        x = x_of(index)
        y = bottom + 10 if upright else bottom + 10 + font * 0.6
        x_ticks.append(XTick(Text(x, y, lines, font, "end" if upright else "middle"), upright))

    series = []
    for index, s in enumerate(plot.series):
        look = style(index)
        series.append(
            PlacedSeries(
                look,
                [(at(index, px), y_of(low), y_of(high)) for px, low, high in s.intervals],
                [
                    Run(
                        [(at(index, px), y_of(py)) for px, py in segment],
                        [
                            Marker(
                                look.marker,
                                at(index, px),
                                y_of(py),
                                r,
                                look.colour,
                                px in s.flagged,
                            )
                            for px, py in segment
                        ],
                    )
                    for segment in s.segments
                ],
                s.step,
            )
        )

    label_x = right + 8
    labels = []
    for k, (index, (px, py)) in enumerate(named):
        look = style(index)
        middle_y = label_top[k] + font * 0.6
        labels.append(
            DirectLabel(
                (at(index, px) + r + 2, y_of(py)),
                (label_x + 2, middle_y),
                Marker(look.marker, label_x + 9, middle_y, r, look.colour),
                Text(label_x + 20, middle_y, lines_of[k], font),
            )
        )
    legend = []
    y = legend_top + font * 0.6
    for kind, lines in legend_lines:
        ring = (left + 9, y) if kind == "engine" else None
        legend.append(LegendRow(ring, Text(left + 24, y, lines, font)))
        y += font * (LINE * len(lines) + 0.5)

    return Placed(
        layout,
        height,
        left,
        top,
        right,
        bottom,
        grid,
        x_ticks,
        Text(left + plot_w / 2, x_title_y, [plot.axis_titles[0]], font, "middle"),
        Text(font * 0.9, top + layout.plot_height / 2, [plot.axis_titles[1]], font, "middle"),
        series,
        labels,
        legend,
    )
