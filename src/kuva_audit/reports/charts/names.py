"""Names the charts show: services and WCAG criteria, in the report's language."""

from __future__ import annotations

from kuva_audit.reports.data import ReportData
from kuva_audit.statements.data import criteria_by_id


def criterion(number: str, lang: str) -> str:
    """``1.4.3`` -> ``1.4.3 Kontrasti (minimi)`` in the report's language (the statements'
    names); an unknown number is returned as is."""
    found = criteria_by_id().get(number)
    return f"{number} {found.name[lang]}" if found else number


def service_names(data: ReportData) -> dict[str, str]:
    """Each service's name in the report's language (English, else its id, when missing)."""
    names: dict[str, str] = {}
    for status in data.progress.accessibility.services + data.progress.satisfaction.services:
        name = status.name.get(data.lang) or status.name.get("en") or status.id
        names.setdefault(status.id, name)
    return names
