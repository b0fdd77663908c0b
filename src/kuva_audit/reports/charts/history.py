"""The goal's two figures month by month: services audited and services whose satisfaction
was measured, out of all (step lines)."""

from __future__ import annotations

from kuva_audit.reports.charts.draw import chart
from kuva_audit.reports.charts.model import Axis, Chart, Plot, Series, number
from kuva_audit.reports.data import ReportData
from kuva_audit.texts.locale import format_iso


def _change(t: dict[str, str], first: int, last: int, total: int) -> str:
    key = "rose" if last > first else "fell" if last < first else "stayed"
    return t[key].format(a=first, b=last, total=total)


def history_chart(data: ReportData, t: dict[str, str]) -> Chart | None:
    points = sorted(data.history, key=lambda p: p.date)
    if not points:
        return None
    first, last = points[0], points[-1]
    months = [format_iso(f"{p.date:%Y-%m}", data.lang) for p in points]
    if len(points) == 1:
        description = t["history_one"].format(
            a=last.accessibility, s=last.satisfaction, total=last.total, last=months[-1]
        )
    else:
        description = t["history_desc"].format(
            a=_change(t, first.accessibility, last.accessibility, last.total),
            s=_change(t, first.satisfaction, last.satisfaction, last.total),
            first=months[0],
            last=months[-1],
        )
    series = [
        Series(
            t[name],
            [[(i, float(getattr(p, name))) for i, p in enumerate(points)]],
            step=True,
        )
        for name in ("accessibility", "satisfaction", "total")
    ]
    top = max(max(p.total for p in points), 1)
    plot = Plot(
        t["history_title"],
        description,
        months,
        series,
        Axis(0, top, fixed=True, integer=True),
        (t["month"], t["services"]),
        lambda v: number(v, data.lang),
    )
    rows = [
        [m, str(p.accessibility), str(p.satisfaction), str(p.total)]
        for m, p in zip(months, points, strict=True)
    ]
    columns = [t["month"], t["accessibility"], t["satisfaction"], t["total"]]
    return chart("chart-history", plot, columns, rows, t)
