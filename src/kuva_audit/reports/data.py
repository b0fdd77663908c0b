"""Everything the progress report shows, gathered once: figures, goal card, trends, links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.config.goals import SubGoalStatus
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.history.compact import CompactRun
from kuva_audit.history.store import load_history
from kuva_audit.months import months_before
from kuva_audit.reports.periods import AuditPoint, Period, summarise
from kuva_audit.reports.progress import Figure, Progress, Responses, progress
from kuva_audit.statements.state import service_states
from kuva_audit.surveys.entry import ROLL_UP, UNDATED, scores_by_month_and_period
from kuva_audit.texts import lookup, text
from kuva_audit.texts.locale import format_iso

if TYPE_CHECKING:
    from kuva_audit.surveys.score import ScoreRow, Surveys

HISTORY_MONTHS = 24


@dataclass(frozen=True)
class CardRow:
    """One sub-goal on the goal card: computed (the two figures) or entered under goals:."""

    name: str
    target: str
    measured: str
    progress: float
    """0-100."""
    status: SubGoalStatus
    computed: bool


@dataclass(frozen=True)
class HistoryPoint:
    date: dt.date
    accessibility: int
    satisfaction: int
    total: int


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    """Relative to the reports folder."""


@dataclass(frozen=True)
class StatementRow:
    """One service's accessibility statement: its state (missing, draft, current, stale),
    why, and links to what is on disk (published versions first, then drafts)."""

    service: str
    name: str
    state: str
    detail: str
    links: list[Link]


@dataclass(frozen=True)
class ReportData:
    lang: str
    as_of: dt.date
    title: str
    progress: Progress
    card: list[CardRow]
    forecast: str | None
    risks: list[str]
    history: list[HistoryPoint]
    audits: list[AuditPoint]
    audit_period: Period
    """What one point of the audit trends stands for: a night, or the last audit of a week,
    month or quarter (see reports/periods.py)."""
    audit_nights: int
    satisfaction: list[ScoreRow]
    statements: list[StatementRow]
    run_report: Link | None


def status_of(done: int, total: int) -> SubGoalStatus:
    if total and done == total:
        return "done"
    return "in-progress" if done else "not-started"


def _figure_row(name: str, figure: Figure) -> CardRow:
    share = 100 * figure.done / figure.total if figure.total else 0.0
    return CardRow(
        name,
        f"{figure.total}/{figure.total}",
        f"{figure.done}/{figure.total}",
        share,
        status_of(figure.done, figure.total),
        computed=True,
    )


def audit_point(record: CompactRun) -> AuditPoint:
    return AuditPoint(
        record.date,
        record.service,
        record.open_issues,
        dict(record.totals.failed_criteria),
        record.axe_core,
    )


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def statement_rows(loaded: LoadedConfig, as_of: dt.date, lang: str) -> list[StatementRow]:
    """Every service's statement state as of ``as_of``, with its links (relative to the
    reports folder)."""
    words = lookup("reports.links.lang_names", lang)
    names = {s.id: s.name.get(lang) for s in loaded.config.services}
    rows = []
    for state in service_states(loaded, loaded.root / "statements", loaded.root / "audits", as_of):
        name = names[state.service]
        base = Path("..") / "statements"
        links = [
            Link(f"{name} {words[code]}", str(base / "published" / state.service / f"{code}.html"))
            for code in state.published
        ]
        links += [
            Link(
                f"{name}, {words['draft']} {words[code]}",
                str(base / "drafts" / state.service / f"{code}.html"),
            )
            for code in state.drafts
        ]
        rows.append(
            StatementRow(
                state.service,
                name,
                state.state,
                ISO_DAY.sub(
                    lambda m: format_iso(m.group(), lang),
                    state.detail.get(lang, state.detail["en"]),
                ),
                links,
            )
        )
    return rows


def gather(
    loaded: LoadedConfig,
    as_of: dt.date,
    lang: str,
    reports: Path,
    surveys: Surveys | None = None,
) -> ReportData:
    """Everything the report shows as of ``as_of``; ``surveys``: the exports already read
    (the whole job's surveys stage), else they are read here."""
    goals = loaded.config.goals
    by_month, rows = scores_by_month_and_period(loaded, surveys)
    responses = Responses(by_month)
    points: list[AuditPoint] = []
    latest: dict[str, CompactRun] = {}
    for record in load_history(loaded.root / "audits", issues=False):
        points.append(audit_point(record))
        latest[record.service] = record
    now = progress(loaded, as_of, responses, latest)
    figures = []
    for back in range(HISTORY_MONTHS, -1, -1):
        day = months_before(as_of, back)
        point = progress(loaded, day, responses)
        figures.append(
            HistoryPoint(
                day, point.accessibility.done, point.satisfaction.done, point.accessibility.total
            )
        )
    names = (
        text("reports.figures.accessibility", lang),
        text("reports.figures.satisfaction", lang),
    )
    card = [_figure_row(names[0], now.accessibility), _figure_row(names[1], now.satisfaction)]
    card += [
        CardRow(
            g.name.get(lang),
            g.target,
            g.measured or f"{g.progress:g} %",
            g.progress,
            g.status,
            computed=False,
        )
        for g in goals.subgoals
    ]
    trend = summarise(points)
    statements = statement_rows(loaded, as_of, lang)
    run_report = reports / "run.html"
    return ReportData(
        lang=lang,
        as_of=as_of,
        title=goals.title.get(lang),
        progress=now,
        card=card,
        forecast=goals.forecast.get(lang) if goals.forecast else None,
        risks=[risk.get(lang) for risk in goals.risks],
        history=figures,
        audits=trend.points,
        audit_period=trend.period,
        audit_nights=trend.nights,
        satisfaction=[r for r in rows if r.service != ROLL_UP and r.period != UNDATED],
        statements=statements,
        run_report=Link("run.html", "run.html") if run_report.is_file() else None,
    )
