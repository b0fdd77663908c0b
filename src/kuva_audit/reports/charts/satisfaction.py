"""Satisfaction by period: one chart per metric (and answer scale), a series per service (and
question, when a service asks more than one), with intervals; suppressed scores are gaps."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from kuva_audit.reports.charts.draw import chart
from kuva_audit.reports.charts.model import Axis, Chart, Plot, Series, number
from kuva_audit.reports.data import ReportData
from kuva_audit.surveys.metrics import METRICS
from kuva_audit.texts.locale import format_iso

if TYPE_CHECKING:
    from kuva_audit.surveys.score import ScoreRow

Scale = tuple[float, float]
Key = tuple[str, str]
"""(service, question): one series."""


def _metric_label(t: dict[str, str], metric: str, scale: Scale, lang: str) -> str:
    if metric == "mean" or metric not in t:
        return t["mean"].format(lo=number(scale[0], lang), hi=number(scale[1], lang))
    return t[metric]


def _axis(metric: str, scale: Scale) -> Axis:
    """The metric's own scale (surveys.metrics: CSAT 0-100 %, NPS -100..100, a mean its
    answer scale, CES 1-7); an interval reaching past it is drawn to its end."""
    low, high = METRICS[metric].axis(scale)
    return Axis(low, high, fixed=True)


def _cell(row: ScoreRow | None, t: dict[str, str], lang: str) -> str:
    if row is None:
        return t["no_data"]
    if row.suppressed or row.value is None:
        return t["suppressed"].format(n=row.n)
    text = number(row.value, lang)
    if row.ci_low is not None and row.ci_high is not None:
        text += f" ({number(row.ci_low, lang)}–{number(row.ci_high, lang)})"
    text += f", n = {row.n}"
    if row.low_confidence:
        text += f", {t['low_confidence']}"
    return text


def _labels(keys: list[Key], names: dict[str, str]) -> dict[Key, str]:
    """A series' name: its service's, with the question when the service asks more than one."""
    questions: dict[str, int] = defaultdict(int)
    for service, _ in keys:
        questions[service] += 1
    return {
        (s, q): names.get(s, s) if questions[s] == 1 else f"{names.get(s, s)} – {q}"
        for s, q in keys
    }


def _finding(t: dict[str, str], name: str, shown: list[tuple[str, float]], lang: str) -> str:
    """One series in words: its first and last shown score."""
    if not shown:
        return t["satisfaction_none"].format(name=name)
    if len(shown) == 1:
        return t["satisfaction_one"].format(
            name=name,
            last=number(shown[0][1], lang),
            last_period=format_iso(shown[0][0], lang),
        )
    return t["satisfaction_series"].format(
        name=name,
        first=number(shown[0][1], lang),
        first_period=format_iso(shown[0][0], lang),
        last=number(shown[-1][1], lang),
        last_period=format_iso(shown[-1][0], lang),
    )


def _one(
    chart_id: str,
    metric: str,
    scale: Scale,
    rows: list[ScoreRow],
    data: ReportData,
    t: dict[str, str],
    names: dict[str, str],
) -> Chart:
    metric_label = _metric_label(t, metric, scale, data.lang)
    periods = sorted({r.period for r in rows})
    index = {p: i for i, p in enumerate(periods)}
    keys = sorted({(r.service, r.question) for r in rows})
    cells: dict[Key, dict[str, ScoreRow]] = defaultdict(dict)
    for r in rows:
        cells[(r.service, r.question)][r.period] = r
    labels = _labels(keys, names)
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
        findings.append(_finding(t, labels[key], shown, data.lang))
    description = t["satisfaction_desc"].format(
        metric=metric_label, finding="; ".join(findings) + "."
    )
    if suppressed:
        description += t["suppressed_note"].format(count=suppressed)
    plot = Plot(
        t["satisfaction_title"].format(metric=metric_label),
        description,
        [format_iso(p, data.lang) for p in periods],
        series,
        _axis(metric, scale),
        (t["period"], t["value"]),
        lambda v: number(v, data.lang),
    )
    columns = [t["period"]] + [labels[k] for k in keys]
    table = [
        [format_iso(p, data.lang)] + [_cell(cells[k].get(p), t, data.lang) for k in keys]
        for p in periods
    ]
    return chart(chart_id, plot, columns, table, t)


def satisfaction_charts(data: ReportData, t: dict[str, str], names: dict[str, str]) -> list[Chart]:
    groups: dict[tuple[str, Scale], list[ScoreRow]] = defaultdict(list)
    for row in data.satisfaction:
        groups[(row.metric, row.scale)].append(row)
    return [
        _one(f"chart-satisfaction-{n}", metric, scale, rows, data, t, names)
        for n, ((metric, scale), rows) in enumerate(sorted(groups.items()), start=1)
    ]
