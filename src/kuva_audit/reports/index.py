"""The front page of the whole job (``reports/index.html``): the goal's two figures, each
service's state (latest audit, open issues, statement, satisfaction) with links to its
outputs, and links to every report and score file.

Everything shown comes from :class:`~kuva_audit.reports.data.ReportData`, gathered once for
the progress report: the figures here are the progress report's figures, never counted again.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace

from kuva_audit.reports.data import Link, ReportData, StatementRow
from kuva_audit.reports.progress import ServiceStatus
from kuva_audit.templating import render_template
from kuva_audit.texts import LANGS, lookup
from kuva_audit.texts.locale import format_date


@dataclass(frozen=True)
class IndexRow:
    """One service on the front page, in the report's language."""

    id: str
    name: str
    audited: bool
    """The goal's accessibility audit is done (an audit and a current statement)."""
    audit_reason: str
    automated: str | None
    """Date of the latest automated audit, in the language's convention; None when none."""
    automated_iso: str | None
    open_issues: int | None
    """Open WCAG 2.1 A/AA issues of the latest automated audit; None when none."""
    statement: str | None
    """missing, draft, current or stale; None when the statement state is unknown."""
    statement_detail: str
    measured: bool
    satisfaction_reason: str
    links: list[Link]


def _at(base: str, href: str) -> str:
    return posixpath.normpath(base + href)


def _after_state(detail: str, state: str) -> str:
    """The statement's detail without the state word it may start with (shown beside it):
    ``draft: 3 criteria not assessed`` -> ``3 criteria not assessed``."""
    if detail.lower().startswith(state.lower()):
        return detail[len(state) :].lstrip(":, ")
    return detail


def index_rows(data: ReportData, base: str = "") -> list[IndexRow]:
    """Each service's state, in the order of services.yaml, its links relative to the reports
    folder with ``base`` in front."""
    lang = data.lang
    words = lookup("reports.index", lang)
    state_words = lookup("reports.links.statement_states", lang)
    satisfaction = {s.id: s for s in data.progress.satisfaction.services}
    statements: dict[str, StatementRow] = {row.service: row for row in data.statements}
    states = []
    for status in data.progress.accessibility.services:
        name = status.name.get(lang) or status.id
        measured: ServiceStatus | None = satisfaction.get(status.id)
        row = statements.get(status.id)
        links = [Link(link.label, _at(base, link.href)) for link in (row.links if row else [])]
        automated = status.automated
        if automated is not None and data.run_report is not None:
            href = _at(base, data.run_report.href) + f"#service-{status.id}"
            links.append(Link(str(words["run_report_service"]).format(name=name), href))
        states.append(
            IndexRow(
                id=status.id,
                name=name,
                audited=status.done,
                audit_reason=status.reason.text(lang),
                automated=format_date(automated.date, lang) if automated else None,
                automated_iso=automated.date.isoformat() if automated else None,
                open_issues=automated.issues if automated else None,
                statement=row.state if row else None,
                statement_detail=_after_state(row.detail, state_words[row.state]) if row else "",
                measured=measured.done if measured else False,
                satisfaction_reason=measured.reason.text(lang) if measured else "",
                links=links,
            )
        )
    return states


def render_index(data: ReportData, base: str = "") -> str:
    """The index page (``reports/index.html``): one self-contained, accessible HTML page.

    Its links are relative to the reports folder; ``base`` (``reports/``) makes the same page
    work from the folder above it, the root of the published site."""
    lang = data.lang if data.lang in LANGS else "en"
    data = replace(data, lang=lang)
    t: dict[str, str] = lookup("reports.index", lang)
    date = format_date(data.as_of, lang)
    progress = [
        Link(t["progress_html"], _at(base, "progress.html")),
        Link(t["progress_md"], _at(base, "progress.md")),
    ]
    satisfaction = [
        Link(t["satisfaction_csv"], _at(base, "satisfaction.csv")),
        Link(t["satisfaction_json"], _at(base, "satisfaction.json")),
    ]
    run_report = Link(t["run_report"], _at(base, data.run_report.href)) if data.run_report else None
    figures = lookup("reports.figures", lang)
    return render_template(
        "index.html.j2",
        lang=lang,
        t=t,
        states=lookup("reports.links.statement_states", lang),
        heading=t["heading"].format(title=data.title),
        date=date,
        date_iso=data.as_of.isoformat(),
        footer=t["footer"].format(date=date),
        figures=[
            ("accessibility", figures["accessibility"], data.progress.accessibility),
            ("satisfaction", figures["satisfaction"], data.progress.satisfaction),
        ],
        figures_note=str(figures["note"]).format(date=date),
        services=index_rows(data, base),
        progress=progress,
        run_report=run_report,
        satisfaction=satisfaction,
    )
