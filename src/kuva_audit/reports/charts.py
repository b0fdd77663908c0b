"""Trend charts as inline SVG, each with a text alternative and the table of its data.

The SVG is drawn by reports/svg.py (no plotting library), so output is small and
deterministic, in a wide and a narrow layout (the page shows one, by its width). Every chart is
``role="img"`` named by its ``<title>`` and ``<desc>``; series differ by colour, dash pattern
and marker shape, and each is named in text beside its last point, so nothing relies on colour
alone. One point in time is said in words; a chart whose values are all suppressed is a
sentence, not an empty frame.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from kuva_audit.audit.wcag import criterion_key
from kuva_audit.reports.data import ReportData
from kuva_audit.reports.svg import NARROW, WIDE, Axis, Plot, Series, draw
from kuva_audit.statements.data import criteria_by_id
from kuva_audit.surveys.metrics import METRICS
from kuva_audit.texts import lookup
from kuva_audit.texts.locale import format_iso, format_number

if TYPE_CHECKING:
    from kuva_audit.surveys.score import ScoreRow


@dataclass(frozen=True)
class Chart:
    id: str
    """HTML id, unique on the page."""
    title: str
    description: str
    """The text alternative: what the chart shows and its main finding, in words."""
    svg: Markup | None
    """The chart for wide screens, built from escaped values only, so it is safe to insert as
    is; None when there is nothing to draw (``empty`` says why)."""
    narrow: Markup | None
    """The same chart laid out for phones (reports/svg.py)."""
    columns: list[str]
    rows: list[list[str]]
    """The chart's data, as a table (first column: the x value)."""
    note: str | None = None
    """A plain statement shown with the chart: one point in time only, so no trend yet."""
    empty: str | None = None
    """Shown instead of the chart when no series has a value (all suppressed)."""


TOP_CRITERIA = 8


def _num(value: float, lang: str, digits: int = 1) -> str:
    """``82.5`` -> ``82.5`` (en) or ``82,5`` (fi); whole numbers without decimals."""
    return format_number(value, lang, digits)


def _chart(
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


def criterion(number: str, lang: str) -> str:
    """``1.4.3`` -> ``1.4.3 Kontrasti (minimi)`` in the report's language (the statements'
    names); an unknown number is returned as is."""
    found = criteria_by_id().get(number)
    return f"{number} {found.name[lang]}" if found else number


# -- the charts ----------------------------------------------------------------------------------


def _service_names(data: ReportData) -> dict[str, str]:
    names: dict[str, str] = {}
    for status in data.progress.accessibility.services + data.progress.satisfaction.services:
        name = status.name.get(data.lang) or status.name.get("en") or status.id
        names.setdefault(status.id, name)
    return names


def _change(t: dict[str, str], first: int, last: int, total: int) -> str:
    key = "rose" if last > first else "fell" if last < first else "stayed"
    return t[key].format(a=first, b=last, total=total)


def _history(data: ReportData, t: dict[str, str]) -> Chart | None:
    points = sorted(data.history, key=lambda p: p.date)
    if not points:
        return None
    chart_id = "chart-history"
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
        lambda v: _num(v, data.lang),
    )
    rows = [
        [m, str(p.accessibility), str(p.satisfaction), str(p.total)]
        for m, p in zip(months, points, strict=True)
    ]
    columns = [t["month"], t["accessibility"], t["satisfaction"], t["total"]]
    return _chart(chart_id, plot, columns, rows, t)


def _audits(data: ReportData, t: dict[str, str], names: dict[str, str]) -> Chart | None:
    if not data.audits:
        return None
    chart_id = "chart-audits"
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
        lambda v: _num(v, data.lang),
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
    return _chart(chart_id, plot, columns, rows, t)


def _criteria(data: ReportData, t: dict[str, str]) -> Chart | None:
    if not data.audits:
        return None
    chart_id = "chart-criteria"
    days = sorted({a.date for a in data.audits})
    per_day: dict[str, dict[str, int]] = {d: defaultdict(int) for d in days}
    overall: dict[str, int] = defaultdict(int)
    for a in data.audits:
        for number, count in a.failed_criteria.items():
            per_day[a.date][number] += count
            overall[number] += count
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
        lambda v: _num(v, data.lang),
    )
    columns = [t["audit_day"]] + [criterion(c, data.lang) for c in top]
    rows = [[shown[d]] + [str(per_day[d].get(c, 0)) for c in top] for d in days]
    return _chart(chart_id, plot, columns, rows, t)


def _metric_label(t: dict[str, str], metric: str, scale: tuple[float, float], lang: str) -> str:
    if metric == "mean" or metric not in t:
        return t["mean"].format(lo=_num(scale[0], lang), hi=_num(scale[1], lang))
    return t[metric]


def _axis(metric: str, scale: tuple[float, float]) -> Axis:
    """The metric's own scale (surveys.metrics: CSAT 0-100 %, NPS -100..100, a mean its
    answer scale, CES 1-7); an interval reaching past it is drawn to its end."""
    low, high = METRICS[metric].axis(scale)
    return Axis(low, high, fixed=True)


def _cell(row: ScoreRow | None, t: dict[str, str], lang: str) -> str:
    if row is None:
        return t["no_data"]
    if row.suppressed or row.value is None:
        return t["suppressed"].format(n=row.n)
    text = _num(row.value, lang)
    if row.ci_low is not None and row.ci_high is not None:
        text += f" ({_num(row.ci_low, lang)}–{_num(row.ci_high, lang)})"
    text += f", n = {row.n}"
    if row.low_confidence:
        text += f", {t['low_confidence']}"
    return text


def _satisfaction(data: ReportData, t: dict[str, str], names: dict[str, str]) -> list[Chart]:
    groups: dict[tuple[str, tuple[float, float]], list[ScoreRow]] = defaultdict(list)
    for row in data.satisfaction:
        groups[(row.metric, row.scale)].append(row)
    result = []
    for number, ((metric, scale), rows) in enumerate(sorted(groups.items()), start=1):
        chart_id = f"chart-satisfaction-{number}"
        metric_label = _metric_label(t, metric, scale, data.lang)
        title = t["satisfaction_title"].format(metric=metric_label)
        periods = sorted({r.period for r in rows})
        index = {p: i for i, p in enumerate(periods)}
        keys = sorted({(r.service, r.question) for r in rows})
        questions: dict[str, int] = defaultdict(int)
        for service, _ in keys:
            questions[service] += 1
        cells: dict[tuple[str, str], dict[str, ScoreRow]] = defaultdict(dict)
        for r in rows:
            cells[(r.service, r.question)][r.period] = r
        labels = {
            (s, q): names.get(s, s) if questions[s] == 1 else f"{names.get(s, s)} – {q}"
            for s, q in keys
        }
        keys.sort(key=lambda k: (labels[k].casefold(), k))
        series = []
        findings = []
        suppressed = 0
        for key in keys:
            segments: list[list[tuple[int, float]]] = [[]]
            intervals = []
            shown: list[tuple[str, float]] = []
            for period in periods:
                found = cells[key].get(period)
                if found is None or found.suppressed or found.value is None:
                    if found is not None:
                        suppressed += 1
                    if segments[-1]:
                        segments.append([])
                    continue
                segments[-1].append((index[period], found.value))
                shown.append((period, found.value))
                if found.ci_low is not None and found.ci_high is not None:
                    intervals.append((index[period], found.ci_low, found.ci_high))
            series.append(Series(labels[key], [s for s in segments if s], intervals))
            name = labels[key]
            if not shown:
                findings.append(t["satisfaction_none"].format(name=name))
            elif len(shown) == 1:
                findings.append(
                    t["satisfaction_one"].format(
                        name=name,
                        last=_num(shown[0][1], data.lang),
                        last_period=format_iso(shown[0][0], data.lang),
                    )
                )
            else:
                findings.append(
                    t["satisfaction_series"].format(
                        name=name,
                        first=_num(shown[0][1], data.lang),
                        first_period=format_iso(shown[0][0], data.lang),
                        last=_num(shown[-1][1], data.lang),
                        last_period=format_iso(shown[-1][0], data.lang),
                    )
                )
        description = t["satisfaction_desc"].format(
            metric=metric_label, finding="; ".join(findings) + "."
        )
        if suppressed:
            description += t["suppressed_note"].format(count=suppressed)
        plot = Plot(
            title,
            description,
            [format_iso(p, data.lang) for p in periods],
            series,
            _axis(metric, scale),
            (t["period"], t["value"]),
            lambda v: _num(v, data.lang),
        )
        columns = [t["period"]] + [labels[k] for k in keys]
        table = [
            [format_iso(p, data.lang)] + [_cell(cells[k].get(p), t, data.lang) for k in keys]
            for p in periods
        ]
        result.append(_chart(chart_id, plot, columns, table, t))
    return result


def _period_texts(data: ReportData, t: dict[str, str]) -> dict[str, str]:
    """``t`` for the audit trends: their day column and a note saying how a long history is
    summarised (reports/periods.py)."""
    if data.audit_period == "night":
        return {**t, "period_suffix": ""}
    note = t["period_note"].format(
        nights=data.audit_nights, period=t[f"period_{data.audit_period}"]
    )
    return {**t, "audit_day": t[f"audit_day_{data.audit_period}"], "period_suffix": note}


def charts(data: ReportData) -> list[Chart]:
    """The report's trend charts, in the report's language; a chart without data is left out."""
    t: dict[str, str] = lookup("reports.charts", data.lang)
    names = _service_names(data)
    tp = _period_texts(data, t)
    found = [_history(data, t), _audits(data, tp, names), _criteria(data, tp)]
    result = [c for c in found if c is not None]
    result.extend(_satisfaction(data, t, names))
    return result
