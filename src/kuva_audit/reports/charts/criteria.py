"""The WCAG criteria with most failures over the whole history, failures per audit day."""

from __future__ import annotations

from collections import defaultdict

from kuva_audit.audit.wcag import criterion_key
from kuva_audit.reports.charts.draw import chart
from kuva_audit.reports.charts.model import Axis, Chart, Plot, Series, number
from kuva_audit.reports.charts.names import criterion
from kuva_audit.reports.data import ReportData
from kuva_audit.texts.locale import format_iso

TOP_CRITERIA = 8


def criteria_chart(data: ReportData, t: dict[str, str]) -> Chart | None:
    if not data.audits:
        return None
    days = sorted({a.date for a in data.audits})
    per_day: dict[str, dict[str, int]] = {d: defaultdict(int) for d in days}
    overall: dict[str, int] = defaultdict(int)
    for a in data.audits:
        for code, count in a.failed_criteria.items():
            per_day[a.date][code] += count
            overall[code] += count
    top = sorted(
        (c for c in overall if overall[c] > 0), key=lambda c: (-overall[c], criterion_key(c))
    )[:TOP_CRITERIA]
    if not top:
        return None
    shown = {d: format_iso(d, data.lang) for d in days}
    series = [
        Series(
            criterion(c, data.lang),
            [[(i, float(per_day[d].get(c, 0))) for i, d in enumerate(days)]],
        )
        for c in top
    ]
    last = per_day[days[-1]]
    worst = sorted((c for c in top if last.get(c)), key=lambda c: (-last[c], criterion_key(c)))
    description = t["criteria_desc"].format(count=len(top))
    if worst:
        finding = ", ".join(f"{criterion(c, data.lang)} ({last[c]})" for c in worst[:3])
        description += t["criteria_top"].format(last=shown[days[-1]], top=finding)
    else:
        description += t["criteria_none"].format(last=shown[days[-1]])
    description += t["period_suffix"]
    highest = max(max(per_day[d].get(c, 0) for c in top) for d in days)
    plot = Plot(
        t["criteria_title"],
        description,
        [shown[d] for d in days],
        series,
        Axis(0, max(highest, 1), integer=True),
        (t["audit_day"], t["issues"]),
        lambda v: number(v, data.lang),
    )
    columns = [t["audit_day"]] + [criterion(c, data.lang) for c in top]
    rows = [[shown[d]] + [str(per_day[d].get(c, 0)) for c in top] for d in days]
    return chart("chart-criteria", plot, columns, rows, t)
