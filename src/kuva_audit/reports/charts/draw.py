"""A placed chart (charts/geometry.py) as inline SVG, by the autoescaping template
``chart.svg.j2``: every text in it is escaped, so the result is safe to insert as is."""

from __future__ import annotations

from markupsafe import Markup

from kuva_audit.reports.charts.geometry import NARROW, WIDE, ChartLayout, place
from kuva_audit.reports.charts.model import Chart, Plot
from kuva_audit.templating import render_template


def coordinate(value: float) -> str:
    """A coordinate: one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def draw(chart_id: str, plot: Plot, layout: ChartLayout) -> Markup:
    """One line chart in one layout: categorical x, linear y, each series named at its last
    point."""
    svg = render_template(
        "chart.svg.j2",
        id=chart_id,
        title=plot.title,
        description=plot.description,
        p=place(plot, layout),
        c=coordinate,
    )
    return Markup(svg.removesuffix("\n"))  # the template escaped every value


def chart(
    chart_id: str,
    plot: Plot,
    columns: list[str],
    rows: list[list[str]],
    t: dict[str, str],
) -> Chart:
    """A chart in both layouts; a plain note when it has one point in time only, and no
    picture at all when no series has a value."""
    if not any(s.last() is not None for s in plot.series):
        return Chart(
            chart_id, plot.title, plot.description, None, None, columns, rows, empty=t["no_values"]
        )
    note = t["one_point"].format(x=plot.x_labels[0]) if len(plot.x_labels) == 1 else None
    return Chart(
        chart_id,
        plot.title,
        plot.description,
        draw(chart_id, plot, WIDE),
        draw(f"{chart_id}-narrow", plot, NARROW),
        columns,
        rows,
        note=note,
    )
