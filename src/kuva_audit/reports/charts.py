"""Trend charts as inline SVG, each with a text alternative and the table of its data.

The SVG is built by hand from escaped values only (no plotting library), so output is small and
deterministic. Every chart is ``role="img"`` named by its ``<title>`` and ``<desc>``; series
differ by colour (each at least 3:1 against white), dash pattern and marker shape, and the
legend names each one in text, so nothing relies on colour alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from kuva_audit.audit.wcag import criterion_key
from kuva_audit.reports.catalogue import decimal, format_iso, texts
from kuva_audit.reports.data import ReportData
from kuva_audit.statements.data import criteria_by_id

if TYPE_CHECKING:
    from kuva_audit.surveys.score import ScoreRow


@dataclass(frozen=True)
class Chart:
    id: str
    """HTML id, unique on the page."""
    title: str
    description: str
    """The text alternative: what the chart shows and its main finding, in words."""
    svg: Markup
    """The chart, built from escaped values only, so it is safe to insert as is."""
    columns: list[str]
    rows: list[list[str]]
    """The chart's data, as a table (first column: the x value)."""


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
TOP_CRITERIA = 8

WIDTH = 720
LEFT, RIGHT, TOP = 64, 20, 16
PLOT_HEIGHT = 240
LEGEND_ROW = 22
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK = "#1b1b1b"
AXIS = "#767676"
GRID = "#d9d9d9"


# -- numbers -------------------------------------------------------------------------------------


def _num(value: float, lang: str, digits: int = 1) -> str:
    """``82.5`` -> ``82.5`` (en) or ``82,5`` (fi); whole numbers without decimals."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.{digits}f}"
    if text == "-0":
        text = "0"
    return decimal(text, lang)


def _c(value: float) -> str:
    """A coordinate: one decimal, no trailing ``.0``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ticks(lo: float, hi: float, integer: bool) -> list[float]:
    """About five round ticks covering lo..hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, float(math.ceil(step)))
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value < hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


# -- SVG -----------------------------------------------------------------------------------------


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


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 4.5
    stroke = f'stroke="{colour}" stroke-width="2"'
    if kind == "circle":
        return f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{r}" fill="{colour}"/>'
    if kind == "ring":
        return f'<circle cx="{_c(x)}" cy="{_c(y)}" r="{r}" fill="#ffffff" {stroke}/>'
    if kind == "square":
        return (
            f'<rect x="{_c(x - r)}" y="{_c(y - r)}" width="{2 * r}" height="{2 * r}" '
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


def _style(index: int) -> tuple[str, str, str]:
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


def _svg(
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_range: tuple[float, float],
    axis_titles: tuple[str, str],
    integer: bool,
    lang: str,
    extra_legend: Sequence[tuple[str, str]] = (),
) -> Markup:
    """One line chart: categorical x, linear y, a text legend under the plot."""
    ticks = _ticks(*y_range, integer=integer)
    lo, hi = ticks[0], ticks[-1]
    plot_w = WIDTH - LEFT - RIGHT
    bottom = TOP + PLOT_HEIGHT
    count = len(x_labels)
    band = plot_w / max(count, 1)

    def x_of(index: int, offset: float = 0.0) -> float:
        return LEFT + band * (index + 0.5) + offset

    def y_of(value: float) -> float:
        return bottom - (value - lo) / (hi - lo) * PLOT_HEIGHT

    legend = [(s.label, i) for i, s in enumerate(series)]
    items = len(legend) + len(extra_legend)
    labels = [label for label, _ in legend] + [label for _, label in extra_legend]
    columns = 2 if all(len(label) <= 40 for label in labels) else 1
    legend_top = bottom + 64
    height = legend_top + math.ceil(items / columns) * LEGEND_ROW + 8

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="display:block;height:auto;max-width:100%" class="chart" '
        f'font-family="{FONT}" font-size="13" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g class="grid">',
    ]
    for tick in ticks:
        y = _c(y_of(tick))
        out.append(f'<path d="M{LEFT} {y}H{WIDTH - RIGHT}" stroke="{GRID}" stroke-width="1"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(_num(tick, lang, 2))}</text>"
        )
    out.append("</g>")
    every = max(1, math.ceil(count / 8))
    out.append('<g class="x-axis">')
    for index, label in enumerate(x_labels):
        if (count - 1 - index) % every:
            continue
        x = _c(x_of(index))
        out.append(f'<path d="M{x} {bottom}V{bottom + 5}" stroke="{AXIS}" stroke-width="1"/>')
        out.append(f'<text x="{x}" y="{bottom + 20}" text-anchor="middle">{escape(label)}</text>')
    out.append(
        f'<path d="M{LEFT} {TOP}V{bottom}H{WIDTH - RIGHT}" fill="none" stroke="{AXIS}" '
        f'stroke-width="1.5"/>'
    )
    middle = _c(TOP + PLOT_HEIGHT / 2)
    out.append(
        f'<text x="{LEFT + plot_w / 2:g}" y="{bottom + 44}" text-anchor="middle" '
        f'font-weight="bold">{escape(axis_titles[0])}</text>'
    )
    out.append(
        f'<text x="16" y="{middle}" text-anchor="middle" font-weight="bold" '
        f'transform="rotate(-90 16 {middle})">{escape(axis_titles[1])}</text>'
    )
    out.append("</g>")

    spread = min(8.0, band / (len(series) + 1)) if any(s.intervals for s in series) else 0.0
    for index, s in enumerate(series):
        colour, dash, marker = _style(index)
        offset = (index - (len(series) - 1) / 2) * spread
        out.append('<g class="series" stroke-linecap="round">')
        for low_x, low, high in s.intervals:
            x = _c(x_of(low_x, offset))
            out.append(
                f'<path d="M{x} {_c(y_of(low))}V{_c(y_of(high))}'
                f"M{_c(x_of(low_x, offset) - 4)} {_c(y_of(low))}h8"
                f'M{_c(x_of(low_x, offset) - 4)} {_c(y_of(high))}h8" '
                f'stroke="{colour}" stroke-width="1.5" fill="none"/>'
            )
        for segment in s.segments:
            if len(segment) > 1:
                first_x, first_y = segment[0]
                path = f"M{_c(x_of(first_x, offset))} {_c(y_of(first_y))}"
                for px, py in segment[1:]:
                    if s.step:
                        path += f"H{_c(x_of(px, offset))}V{_c(y_of(py))}"
                    else:
                        path += f"L{_c(x_of(px, offset))} {_c(y_of(py))}"
                out.append(_line(colour, dash, path))
            for px, py in segment:
                out.append(_marker(marker, x_of(px, offset), y_of(py), colour))
                if px in s.flagged:
                    out.append(
                        f'<circle cx="{_c(x_of(px, offset))}" cy="{_c(y_of(py))}" r="9" '
                        f'fill="none" stroke="{INK}" stroke-width="1.5"/>'
                    )
        out.append("</g>")

    out.append('<g class="legend">')
    column_width = (WIDTH - LEFT) / columns
    entries: list[tuple[str, str]] = []
    for label, index in legend:
        colour, dash, marker = _style(index)
        entries.append((label, _line(colour, dash, "M0 0h32") + _marker(marker, 16, 0, colour)))
    for kind, label in extra_legend:
        if kind == "engine":
            entries.append(
                (
                    label,
                    f'<circle cx="16" cy="0" r="9" fill="none" stroke="{INK}" stroke-width="1.5"/>',
                )
            )
    for position, (label, icon) in enumerate(entries):
        row, column = divmod(position, columns)
        left = LEFT + column * column_width
        out.append(
            f'<g transform="translate({_c(left)} {legend_top + row * LEGEND_ROW})">{icon}'
            f'<text x="42" y="0" dominant-baseline="middle">{escape(label)}</text></g>'
        )
    out.append("</g></svg>")
    return Markup("\n".join(out))


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
    svg = _svg(
        chart_id,
        t["history_title"],
        description,
        months,
        series,
        (0, top),
        (t["month"], t["services"]),
        integer=True,
        lang=data.lang,
    )
    rows = [
        [m, str(p.accessibility), str(p.satisfaction), str(p.total)]
        for m, p in zip(months, points, strict=True)
    ]
    columns = [t["month"], t["accessibility"], t["satisfaction"], t["total"]]
    return Chart(chart_id, t["history_title"], description, svg, columns, rows)


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
    svg = _svg(
        chart_id,
        t["audits_title"],
        description,
        [shown[d] for d in days],
        series,
        (0, top),
        (t["audit_day"], t["issues"]),
        integer=True,
        lang=data.lang,
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
    return Chart(chart_id, t["audits_title"], description, svg, columns, rows)


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
    svg = _svg(
        chart_id,
        t["criteria_title"],
        description,
        [shown[d] for d in days],
        series,
        (0, max(highest, 1)),
        (t["audit_day"], t["issues"]),
        integer=True,
        lang=data.lang,
    )
    columns = [t["audit_day"]] + [criterion(c, data.lang) for c in top]
    rows = [[shown[d]] + [str(per_day[d].get(c, 0)) for c in top] for d in days]
    return Chart(chart_id, t["criteria_title"], description, svg, columns, rows)


def _metric_label(t: dict[str, str], metric: str, scale: tuple[float, float], lang: str) -> str:
    if metric == "mean" or metric not in t:
        return t["mean"].format(lo=_num(scale[0], lang), hi=_num(scale[1], lang))
    return t[metric]


def _y_range(metric: str, scale: tuple[float, float], rows: list[ScoreRow]) -> tuple[float, float]:
    if metric == "csat":
        return 0.0, 100.0
    if metric == "nps":
        return -100.0, 100.0
    values = [v for r in rows for v in (r.value, r.ci_low, r.ci_high) if v is not None]
    return min([scale[0], *values]), max([scale[1], *values])


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
        svg = _svg(
            chart_id,
            title,
            description,
            [format_iso(p, data.lang) for p in periods],
            series,
            _y_range(metric, scale, rows),
            (t["period"], t["value"]),
            integer=False,
            lang=data.lang,
        )
        columns = [t["period"]] + [labels[k] for k in keys]
        table = [
            [format_iso(p, data.lang)] + [_cell(cells[k].get(p), t, data.lang) for k in keys]
            for p in periods
        ]
        result.append(Chart(chart_id, title, description, svg, columns, table))
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
    t: dict[str, str] = texts()[data.lang]["charts"]
    names = _service_names(data)
    tp = _period_texts(data, t)
    found = [_history(data, t), _audits(data, tp, names), _criteria(data, tp)]
    result = [c for c in found if c is not None]
    result.extend(_satisfaction(data, t, names))
    return result
