"""Drawing one line chart as inline SVG, in two layouts: wide (desktop) and narrow (phones).

Built by hand from escaped values only, so the output is small, deterministic and safe to
insert as is. Each layout keeps its text at least 12 CSS px where the page shows it (see the
``LAYOUTS`` notes and progress.css). Series differ by colour (each at least 3:1 against white),
dash pattern and marker shape, and each is named by a direct label beside its last point, so
nothing relies on colour alone; markers that would hide each other at the same value are
moved apart sideways.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

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
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1b1b1b"
AXIS = "#767676"
GRID = "#d9d9d9"
CHAR = 0.6
"""Estimated width of one character, in font sizes (system-ui, mixed case and digits)."""


@dataclass(frozen=True)
class Layout:
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


WIDE = Layout("wide", 720, 13, 240, 64, 200, 4.5)
"""Shown from 48rem (768 px) up at 736 px or more: text 13.3 px or larger."""
NARROW = Layout("narrow", 320, 14, 200, 50, 150, 4.0)
"""Shown below 48rem, at least 288 px wide on a 320 px screen: text 12.6 px or larger."""
LAYOUTS = (WIDE, NARROW)


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


# -- numbers and text ----------------------------------------------------------------------------


def _c(value: float) -> str:
    """A coordinate: one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _width(text: str, font: float) -> float:
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


# -- shapes --------------------------------------------------------------------------------------


def marker(kind: str, x: float, y: float, colour: str, r: float = 4.5) -> str:
    stroke = f'stroke="{colour}" stroke-width="2"'
    if kind == "circle":
        return f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_c(r)}" fill="{colour}"/>'
    if kind == "ring":
        return f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{_c(r)}" fill="#ffffff" {stroke}/>'
    if kind == "square":
        return (
            f'<rect x="{_c(x - r)}" y="{_c(y - r)}" width="{_c(2 * r)}" height="{_c(2 * r)}" '
            f'fill="{colour}"/>'
        )
    points = {
        "triangle": [(0, -r - 1), (r + 1, r), (-r - 1, r)],
        "down": [(0, r + 1), (r + 1, -r), (-r - 1, -r)],
        "diamond": [(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
    }.get(kind)
    if points:
        text = " ".join(f"{_c(x + dx)},{_c(y + dy)}" for dx, dy in points)
        return f'<polygon points="{text}" fill="{colour}"/>'
    if kind == "cross":
        return (
            f'<path d="M{_c(x - r)} {_c(y - r)}L{_c(x + r)} {_c(y + r)}'
            f'M{_c(x - r)} {_c(y + r)}L{_c(x + r)} {_c(y - r)}" {stroke} fill="none"/>'
        )
    # plus
    return (
        f'<path d="M{_c(x - r - 1)} {_c(y)}H{_c(x + r + 1)}M{_c(x)} {_c(y - r - 1)}'
        f'V{_c(y + r + 1)}" {stroke} fill="none"/>'
    )


def style(index: int) -> tuple[str, str, str]:
    return (
        COLOURS[index % len(COLOURS)],
        DASHES[index % len(DASHES)],
        MARKERS[index % len(MARKERS)],
    )


def _line(colour: str, dash: str, path: str, width: float = 2.5) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}"'
        f'{dashed} stroke-linejoin="round"/>'
    )


def _text(x: float, y: float, lines: Sequence[str], font: float, anchor: str = "start") -> str:
    """Text of one or more lines; ``y`` is the middle of the first line."""
    anchored = f' text-anchor="{anchor}"' if anchor != "start" else ""
    if len(lines) == 1:
        return (
            f'<text x="{_c(x)}" y="{_c(y)}"{anchored} dominant-baseline="middle">'
            f"{escape(lines[0])}</text>"
        )
    spans = "".join(
        f'<tspan x="{_c(x)}" y="{_c(y + i * font * 1.2)}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text{anchored} dominant-baseline="middle">{spans}</text>'


def _spread(wanted: list[float], heights: list[float], top: float, gap: float) -> list[float]:
    """Tops of label blocks as near their wanted tops as possible without overlapping, none
    above ``top`` (they may run below the plot: the picture grows)."""
    placed: list[float] = []
    for index, want in enumerate(wanted):
        start = max(want, top)
        if index:
            start = max(start, placed[-1] + heights[index - 1] + gap)
        placed.append(start)
    return placed


# -- the chart -----------------------------------------------------------------------------------


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


def draw(chart_id: str, plot: Plot, layout: Layout) -> Markup:
    """One line chart: categorical x, linear y, each series named at its last point."""
    font, r = layout.font, layout.marker
    lines_of = [
        wrap(f"{s.label}: {plot.number(last[1])}", layout.labels - 22, font)
        for s in plot.series
        if (last := s.last()) is not None
    ]
    label_w = max((_width(line, font) for lines in lines_of for line in lines), default=0.0)
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
    widest = max((_width(line, font) for lines in x_lines for line in lines), default=0.0)
    fit = max(1, int(plot_w // (widest + font / 2)))
    # labels that do not all fit side by side (in two lines at most) stand upright, one line
    # each, so that more fit
    upright = fit < count or any(len(lines) > 2 for lines in x_lines)
    if upright:
        fit = max(1, int(plot_w // (font * 1.4)))
        x_lines = [[label] for label in plot.x_labels]
        widest = max((_width(label, font) for label in plot.x_labels), default=0.0)
        x_extent = widest
    else:
        x_extent = font * 1.2 * max((len(lines) for lines in x_lines), default=1)
    every = max(1, math.ceil(count / fit))
    x_title_y = bottom + 10 + x_extent + font * 0.6

    # markers at (about) the same place are moved apart sideways; with error bars every series
    # is offset so that the bars do not hide each other
    n = len(plot.series)
    offsets: dict[tuple[int, int], float] = {}
    if any(s.intervals for s in plot.series):
        spread = min(2 * r + 3, band / (n + 1))
        for index, s in enumerate(plot.series):
            for segment in s.segments:
                for px, _ in segment:
                    offsets[(index, px)] = (index - (n - 1) / 2) * spread
            for px, _, _ in s.intervals:
                offsets[(index, px)] = (index - (n - 1) / 2) * spread
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
    heights = [font * 1.2 * len(lines) for lines in lines_of]
    order = sorted(range(len(named)), key=lambda k: (y_of(named[k][1][1]), k))
    tops = _spread(
        [y_of(named[k][1][1]) - heights[k] / 2 for k in order],
        [heights[k] for k in order],
        top - font / 2,
        4,
    )
    label_top = dict(zip(order, tops, strict=True))
    labels_end = max((label_top[k] + heights[k] for k in order), default=0.0)

    legend_top = max(x_title_y + font * 1.6, labels_end + font)
    legend = [
        (kind, wrap(label, layout.width - left - 32, font)) for kind, label in plot.extra_legend
    ]
    legend_rows = sum(len(lines) for _, lines in legend)
    height = math.ceil(legend_top + legend_rows * font * 1.2 + len(legend) * font * 0.5 + 4)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {layout.width} {height}" width="100%" '
        f'style="height:auto" class="chart-{layout.name}" '
        f'font-family="{FONT}" font-size="{_c(font)}" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(plot.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(plot.description)}</desc>',
        '<g class="grid">',
    ]
    for tick in tick_values:
        y = y_of(tick)
        out.append(f'<path d="M{left} {_c(y)}H{_c(right)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_text(left - 6, y, [plot.number(tick)], font, "end"))
    out.append("</g>")
    out.append('<g class="x-axis">')
    for index, lines in enumerate(x_lines):
        if (count - 1 - index) % every:
            continue
        x = x_of(index)
        out.append(f'<path d="M{_c(x)} {bottom}V{bottom + 5}" stroke="{AXIS}" stroke-width="1"/>')
        if upright:
            y = bottom + 10
            out.append(
                f'<text x="{_c(x)}" y="{_c(y)}" text-anchor="end" dominant-baseline="middle" '
                f'transform="rotate(-90 {_c(x)} {_c(y)})">{escape(lines[0])}</text>'
            )
        else:
            out.append(_text(x, bottom + 10 + font * 0.6, lines, font, "middle"))
    out.append(
        f'<path d="M{left} {top}V{bottom}H{_c(right)}" fill="none" stroke="{AXIS}" '
        f'stroke-width="1.5"/>'
    )
    out.append(
        f'<text x="{_c(left + plot_w / 2)}" y="{_c(x_title_y)}" text-anchor="middle" '
        f'dominant-baseline="middle" font-weight="bold">{escape(plot.axis_titles[0])}</text>'
    )
    middle = _c(top + layout.plot_height / 2)
    x_axis_title = _c(font * 0.9)
    out.append(
        f'<text x="{x_axis_title}" y="{middle}" text-anchor="middle" dominant-baseline="middle" '
        f'font-weight="bold" transform="rotate(-90 {x_axis_title} {middle})">'
        f"{escape(plot.axis_titles[1])}</text>"
    )
    out.append("</g>")

    for index, s in enumerate(plot.series):
        colour, dash, kind = style(index)
        out.append('<g class="series" stroke-linecap="round">')
        for px, low, high in s.intervals:
            x = at(index, px)
            out.append(
                f'<path d="M{_c(x)} {_c(y_of(low))}V{_c(y_of(high))}'
                f"M{_c(x - 4)} {_c(y_of(low))}h8"
                f'M{_c(x - 4)} {_c(y_of(high))}h8" '
                f'stroke="{colour}" stroke-width="1.5" fill="none"/>'
            )
        for segment in s.segments:
            if len(segment) > 1:
                first_x, first_y = segment[0]
                path = f"M{_c(at(index, first_x))} {_c(y_of(first_y))}"
                for px, py in segment[1:]:
                    if s.step:
                        path += f"H{_c(at(index, px))}V{_c(y_of(py))}"
                    else:
                        path += f"L{_c(at(index, px))} {_c(y_of(py))}"
                out.append(_line(colour, dash, path))
            for px, py in segment:
                out.append(marker(kind, at(index, px), y_of(py), colour, r))
                if px in s.flagged:
                    out.append(
                        f'<circle cx="{_c(at(index, px))}" cy="{_c(y_of(py))}" '
                        f'r="{_c(2 * r)}" fill="none" stroke="{INK}" stroke-width="1.5"/>'
                    )
        out.append("</g>")

    out.append('<g class="labels">')
    label_x = right + 8
    for k, (index, (px, py)) in enumerate(named):
        colour, _, kind = style(index)
        middle_y = label_top[k] + font * 0.6
        out.append(
            f'<path d="M{_c(at(index, px) + r + 2)} {_c(y_of(py))}L{_c(label_x + 2)} '
            f'{_c(middle_y)}" stroke="{colour}" stroke-width="1" fill="none"/>'
        )
        out.append(marker(kind, label_x + 9, middle_y, colour, r))
        out.append(_text(label_x + 20, middle_y, lines_of[k], font))
    y = legend_top + font * 0.6
    for kind, lines in legend:
        if kind == "engine":
            out.append(
                f'<circle cx="{left + 9}" cy="{_c(y)}" r="{_c(2 * r)}" fill="none" '
                f'stroke="{INK}" stroke-width="1.5"/>'
            )
        out.append(_text(left + 24, y, lines, font))
        y += font * (1.2 * len(lines) + 0.5)
    out.append("</g></svg>")
    return Markup("\n".join(out))
