"""Chart geometry (reports/charts/geometry.py): pure numbers, no browser and no markup."""

from __future__ import annotations

from itertools import pairwise

from kuva_audit.reports.charts.draw import coordinate
from kuva_audit.reports.charts.geometry import (
    LAYOUTS,
    NARROW,
    WIDE,
    Marker,
    Text,
    place,
    spread,
    style,
    text_width,
    ticks,
    wrap,
)
from kuva_audit.reports.charts.model import Axis, Plot, Series


def _plot(labels: list[str], series: list[Series], axis: Axis | None = None) -> Plot:
    return Plot(
        "title",
        "description",
        labels,
        series,
        axis or Axis(0, 10, integer=True),
        ("x", "y"),
        lambda v: f"{v:g}",
    )


def test_ticks_of_a_fixed_scale_span_it_exactly() -> None:
    assert ticks(Axis(1, 7, fixed=True)) == [1, 2, 3, 4, 5, 6, 7]
    assert ticks(Axis(-100, 100, fixed=True)) == [-100, -50, 0, 50, 100]
    assert ticks(Axis(0, 100, fixed=True)) == [0, 20, 40, 60, 80, 100]
    # no round step divides 0..13 into 2-7 parts: round ticks inside, the ends as given
    found = ticks(Axis(0, 13, fixed=True, integer=True))
    assert found[0] == 0 and found[-1] == 13 and all(v == int(v) for v in found)


def test_ticks_of_a_free_scale_cover_it_with_round_steps() -> None:
    assert ticks(Axis(0, 9, integer=True)) == [0, 2, 4, 6, 8, 10]
    assert ticks(Axis(0, 1, integer=True)) == [0, 1]
    assert ticks(Axis(3, 3)) == [3, 3.2, 3.4, 3.6, 3.8, 4]  # an empty range gets a unit


def test_wrap_keeps_lines_within_the_width() -> None:
    lines = wrap("Satisfaction by period for the whole city", 100, 10)
    assert all(text_width(line, 10) <= 100 for line in lines)
    assert " ".join(lines) == "Satisfaction by period for the whole city"
    # 60 units of font 10 hold 10 characters: a longer word is broken with a hyphen
    assert wrap("Kulttuuripalvelukokonaisuus", 60, 10) == ["Kulttuuri-", "palveluko-", "konaisuus"]
    assert wrap("Kulttuuripalvelukokonaisuus", 60, 10, hyphenate=False) == [
        "Kulttuuripalvelukokonaisuus"
    ]
    assert wrap("", 60, 10) == [""]


def test_spread_keeps_blocks_apart_and_below_the_top() -> None:
    assert spread([10, 12, 50], [10, 10, 10], 0, 4) == [10, 24, 50]
    assert spread([-20], [10], 5, 4) == [5]


def test_styles_repeat_but_neighbours_differ() -> None:
    looks = [style(i) for i in range(8)]
    assert len({(s.colour, s.dash, s.marker) for s in looks}) == 8
    assert len({s.marker for s in looks}) == 8


def test_marker_corners_and_text_rows() -> None:
    triangle = Marker("triangle", 10, 20, 4, "#000")
    assert triangle.corners == [(10, 15), (15, 24), (5, 24)]
    assert Marker("circle", 10, 20, 4, "#000").corners == []
    assert Text(0, 10, ["a", "b"], 10).rows == [(10, "a"), (22, "b")]


def test_coordinates_have_one_decimal_at_most() -> None:
    assert [coordinate(v) for v in (64, 12.25, -0.01, 3.96)] == ["64", "12.2", "0", "4"]


def test_values_map_into_the_plot_and_labels_do_not_overlap() -> None:
    series = [
        Series(f"Service {i}", [[(0, 5.0), (1, 5.0 + i / 10)]]) for i in range(5)
    ]  # five last points at about the same height
    for layout in LAYOUTS:
        placed = place(_plot(["Jan", "Feb"], series), layout)
        assert placed.grid[0].y == placed.bottom and placed.grid[-1].y == placed.top
        for s in placed.series:
            for x, y in s.runs[0].points:
                assert placed.left < x < placed.right and placed.top <= y <= placed.bottom
        blocks = sorted(
            (label.text.y, label.text.y + layout.font * 1.2 * len(label.text.lines))
            for label in placed.labels
        )
        assert all(a[1] <= b[0] for a, b in pairwise(blocks))
        assert all(label.text.x > placed.right for label in placed.labels)
        assert placed.height > placed.bottom


def test_markers_at_the_same_value_are_moved_apart() -> None:
    series = [Series(name, [[(0, 3.0)]]) for name in ("a", "b", "c")]
    placed = place(_plot(["Jan"], series), WIDE)
    xs = [s.runs[0].markers[0].x for s in placed.series]
    assert len(set(xs)) == 3


def test_many_x_labels_stand_upright_and_thin_out() -> None:
    labels = [f"2026-{m:02d}-01" for m in range(1, 13)] * 5
    placed = place(_plot(labels, [Series("a", [[(i, 1.0) for i in range(60)]])]), NARROW)
    assert all(tick.upright for tick in placed.x_ticks)
    assert 1 < len(placed.x_ticks) < 60
    assert placed.x_ticks[-1].label.lines == [labels[-1]]  # the newest is always labelled
    few = place(_plot(["Jan", "Feb"], [Series("a", [[(0, 1.0), (1, 2.0)]])]), WIDE)
    assert not any(tick.upright for tick in few.x_ticks)


def test_flagged_points_are_ringed_and_the_legend_follows_the_plot() -> None:
    series = [Series("a", [[(0, 1.0), (1, 2.0)]], flagged=[1])]
    plot = Plot("t", "d", ["x", "y"], series, Axis(0, 2), ("x", "y"), str, [("engine", "ring")])
    placed = place(plot, WIDE)
    assert [m.ringed for m in placed.series[0].runs[0].markers] == [False, True]
    assert placed.legend[0].ring is not None
    assert placed.legend[0].text.y > placed.x_title.y
