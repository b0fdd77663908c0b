"""Trend charts as inline SVG, each with a text alternative and the table of its data.

One builder per chart turns the report's data into a ``Plot`` (history.py, audits.py,
criteria.py, satisfaction.py); geometry.py places it in a wide and a narrow layout (the page
shows one, by its width), in numbers only; draw.py renders the placed chart with the
autoescaping template ``chart.svg.j2`` (no plotting library), so output is small and
deterministic. Every chart is ``role="img"`` named by its ``<title>`` and ``<desc>``; series
differ by colour, dash pattern and marker shape, and each is named in text beside its last
point, so nothing relies on colour alone. One point in time is said in words; a chart whose
values are all suppressed is a sentence, not an empty frame.
"""

from __future__ import annotations

from kuva_audit.reports.charts.audits import audits_chart
from kuva_audit.reports.charts.criteria import criteria_chart
from kuva_audit.reports.charts.history import history_chart
from kuva_audit.reports.charts.model import Chart
from kuva_audit.reports.charts.names import service_names
from kuva_audit.reports.charts.satisfaction import satisfaction_charts
from kuva_audit.reports.data import ReportData
from kuva_audit.texts import lookup

__all__ = ["Chart", "charts"]


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
    names = service_names(data)
    tp = _period_texts(data, t)
    found = [history_chart(data, t), audits_chart(data, tp, names), criteria_chart(data, tp)]
    result = [c for c in found if c is not None]
    result.extend(satisfaction_charts(data, t, names))
    return result
