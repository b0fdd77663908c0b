"""Open issues per service on each audit day (or week, month, quarter), with the days the
axe-core version changed ringed and named."""

from __future__ import annotations

from collections import defaultdict

from kuva_audit.reports.charts.draw import chart
from kuva_audit.reports.charts.model import Axis, Chart, Plot, Series, number
from kuva_audit.reports.data import ReportData
from kuva_audit.texts.locale import format_iso


def audits_chart(data: ReportData, t: dict[str, str], names: dict[str, str]) -> Chart | None:
    if not data.audits:
        return None
    days = sorted({a.date for a in data.audits})
    day_index = {d: i for i, d in enumerate(days)}
    by_service: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for a in sorted(data.audits, key=lambda a: (a.service, a.date)):
        by_service[a.service][a.date] = (a.issues, a.axe_core)
    services = sorted(by_service, key=lambda sid: (names.get(sid, str(sid)).casefold(), sid))
    series = []
    changes: dict[str, set[str]] = defaultdict(set)
    for service in services:
        points = by_service[service]
        flagged = []
        previous = None
        for day in sorted(points):
            version = points[day][1]
            if previous is not None and version != previous:
                flagged.append(day_index[day])
                changes[day].add(f"{previous} → {version}")
            previous = version
        series.append(
            Series(
                names.get(service, service),
                [[(day_index[d], float(points[d][0])) for d in sorted(points)]],
                flagged=flagged,
            )
        )
    totals = {d: sum(p[d][0] for p in by_service.values() if d in p) for d in days}
    shown = {d: format_iso(d, data.lang) for d in days}
    description = t["audits_desc_one" if len(days) == 1 else "audits_desc"].format(
        services=len(services),
        first_total=totals[days[0]],
        first=shown[days[0]],
        last_total=totals[days[-1]],
        last=shown[days[-1]],
    )
    description += t["period_suffix"]
    versions = sorted({a.axe_core for a in data.audits})
    if changes:
        description += t["audits_engine"].format(
            changes="; ".join(
                f"{shown[d]} ({', '.join(sorted(changes[d]))})" for d in sorted(changes)
            )
        )
    else:
        description += t["audits_same_engine"].format(version=", ".join(versions))
    top = max(max(a.issues for a in data.audits), 1)
    plot = Plot(
        t["audits_title"],
        description,
        [shown[d] for d in days],
        series,
        Axis(0, top, integer=True),
        (t["audit_day"], t["issues"]),
        lambda v: number(v, data.lang),
        extra_legend=[("engine", t["engine_changed"])] if changes else [],
    )
    columns = [t["audit_day"], t["axe_core"]] + [names.get(s, s) for s in services]
    rows = []
    for day in days:
        day_versions = sorted({a.axe_core for a in data.audits if a.date == day})
        version = ", ".join(day_versions)
        if day in changes:
            version += f" ({t['engine_changed']})"
        cells = [
            str(by_service[s][day][0]) if day in by_service[s] else t["not_audited"]
            for s in services
        ]
        rows.append([shown[day], version, *cells])
    return chart("chart-audits", plot, columns, rows, t)
