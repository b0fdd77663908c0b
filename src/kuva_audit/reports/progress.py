"""Count the goal's two figures as of a date, with each service's reason.

A service's *accessibility audit is done* when, as of the date, it has a manual or
third-party audit record no older than ``goals.audit_max_age_months`` and a statement whose
last review (as known on that date) is no older than ``goals.statement_max_age_months``. Its
*satisfaction is measured* when its survey exports hold at least
``goals.satisfaction_min_responses`` valid responses (to one question) dated in the
``goals.satisfaction_window_months`` before the date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kuva_audit.config.goals import Goals
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import Service
from kuva_audit.config.statement import review_overdue
from kuva_audit.history.compact import CompactRun
from kuva_audit.months import months_before, older_than
from kuva_audit.surveys.entry import ROLL_UP, UNDATED
from kuva_audit.texts import text
from kuva_audit.texts.locale import format_date, format_month

if TYPE_CHECKING:
    from kuva_audit.surveys.score import ScoreRow


@dataclass(frozen=True)
class Reason:
    """Why a service counts or not: the catalogue's ``reports.reasons.<key>`` with its values,
    written in any language (``reason.text("sv")``, ``reason["sv"]`` in templates); a date or a
    (year, month) value in that language's convention."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **values: object) -> Reason:
        return cls(key, tuple(values.items()))

    def text(self, lang: str) -> str:
        shown = {
            k: format_date(v, lang)
            if isinstance(v, dt.date)
            else format_month(v[0], v[1], lang)
            if isinstance(v, tuple)
            else v
            for k, v in self.values
        }
        return text(f"reports.reasons.{self.key}", lang, **shown)

    def __getitem__(self, lang: str) -> str:
        return self.text(lang)


@dataclass(frozen=True)
class Automated:
    """A service's latest automated audit (its compact history record)."""

    date: dt.date
    ok: int
    pages: int
    issues: int

    def __str__(self) -> str:
        return f"{self.date}: {self.ok}/{self.pages} pages, {self.issues} issues"


@dataclass(frozen=True)
class ServiceStatus:
    id: str
    name: dict[str, str]
    done: bool
    reason: Reason
    automated: Automated | None = None
    """Latest automated audit: its date, pages without failures and open WCAG 2.1 A/AA issues."""


@dataclass(frozen=True)
class Figure:
    done: int
    total: int
    services: list[ServiceStatus] = field(default_factory=list)


def accessibility_status(service: Service, goals: Goals, day: dt.date) -> tuple[bool, Reason]:
    statement = service.statement
    if statement is None:
        return False, Reason.of("no_statement")
    if statement.prepared > day:
        return False, Reason.of("no_statement_by", day=day)
    audits = [a.date for a in statement.audits if a.date <= day]
    if not audits:
        return False, Reason.of("no_audit")
    audited = max(audits)
    if older_than(audited, day, goals.audit_max_age_months):
        return False, Reason.of("audit_old", month=(audited.year, audited.month))
    reviewed = statement.reviewed if statement.reviewed <= day else statement.prepared
    if review_overdue(reviewed, day, goals.statement_max_age_months):
        return False, Reason.of("statement_old", reviewed=reviewed)
    return True, Reason.of("audited", audited=audited, reviewed=reviewed)


class Responses:
    """Valid responses per service and month (the most answered question of each service)."""

    def __init__(self, rows: Sequence[ScoreRow]) -> None:
        counts: dict[tuple[str, str], dict[tuple[int, int], int]] = defaultdict(dict)
        for row in rows:
            if row.service == ROLL_UP or row.period in (UNDATED, "all"):
                continue
            year, month = row.period.split("-")  # month periods are written YYYY-MM
            counts[(row.service, row.question)][(int(year), int(month))] = row.n
        self._counts = counts
        self.surveyed = {service for service, _ in counts}

    def count(self, service: str, day: dt.date, months: int) -> int:
        first = months_before(day, months)

        def within(month: tuple[int, int]) -> bool:
            year, number = month
            end = dt.date(year, number, calendar.monthrange(year, number)[1])
            return dt.date(year, number, 1) >= first and end <= day

        best = 0
        for (sid, _), by_month in self._counts.items():
            if sid == service:
                best = max(
                    best,
                    sum(n for month, n in by_month.items() if within(month)),
                )
        return best


def satisfaction_status(
    service: Service, goals: Goals, day: dt.date, responses: Responses
) -> tuple[bool, Reason]:
    if not service.surveys:
        return False, Reason.of("no_survey")
    n = responses.count(service.id, day, goals.satisfaction_window_months)
    need = goals.satisfaction_min_responses
    if n < need:
        return False, Reason.of("too_few", n=n, need=need)
    return True, Reason.of("responses", n=n)


@dataclass(frozen=True)
class Progress:
    as_of: dt.date
    accessibility: Figure
    satisfaction: Figure


def progress(
    loaded: LoadedConfig,
    day: dt.date,
    responses: Responses,
    latest: Mapping[str, CompactRun] | None = None,
) -> Progress:
    """Both figures as of ``day``, with each service's latest automated audit from ``latest``
    (its compact history record) when given."""
    goals = loaded.config.goals
    services = loaded.config.services
    access, satisfied = [], []
    for service in services:
        done, reason = accessibility_status(service, goals, day)
        run = (latest or {}).get(service.id)
        automated = None
        if run is not None:
            automated = Automated(
                dt.date.fromisoformat(str(run.date)),
                run.totals.ok,
                run.totals.pages,
                run.open_issues,
            )
        name = service.name.model_dump()
        access.append(ServiceStatus(service.id, name, done, reason, automated))
        done, reason = satisfaction_status(service, goals, day, responses)
        satisfied.append(ServiceStatus(service.id, name, done, reason))
    return Progress(
        day,
        Figure(sum(s.done for s in access), len(services), access),
        Figure(sum(s.done for s in satisfied), len(services), satisfied),
    )
