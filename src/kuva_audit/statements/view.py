"""Everything one statement in one language shows, resolved: the templates only lay it out.

A view is the statement's content. How it is issued (a draft made on a day, or a version
published by a person on a day) is its :class:`Edition`, kept apart so that a draft and the
version published from it have the same content, and :func:`content_digest` tells whether a
draft on disk is still what the current evidence gives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from kuva_audit import __version__
from kuva_audit.config.models import Service
from kuva_audit.config.statement import FeedbackChannel, Organisation, review_overdue
from kuva_audit.statements.compliance import (
    Assessment,
    AutomatedTesting,
    Basis,
    CriterionStatus,
    Status,
)
from kuva_audit.statements.data import criteria
from kuva_audit.texts import lookup, text
from kuva_audit.texts.criteria import NameMark

TEMPLATE_VERSION = "2"
"""Version of the statement templates and texts; stored in every statement it renders.
2: drafts and published editions, status from evidence only, disclosure of the automated
testing, one entry per criterion, Traficom's unit names and complaint pages."""


@dataclass(frozen=True)
class Edition:
    """How a statement is issued: a draft made on ``date``, or a version published on
    ``date`` (its *updated* date) by ``by``."""

    mode: Literal["draft", "published"]
    date: dt.date
    by: str | None = None


@dataclass(frozen=True)
class Problem:
    """One way a criterion is not met: what, where, until when, meanwhile what."""

    source: Literal["manual", "automated"]
    description: str
    where: tuple[str, ...]
    """Pages (URLs) for automated findings; the affected part, in words, for manual ones."""
    fix_by: dt.date | None = None
    alternative: str | None = None


@dataclass(frozen=True)
class Entry:
    """One failing criterion: listed once, with every problem found for it."""

    criterion: str
    name: str
    mark: NameMark | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class StatementCriterion:
    id: str
    name: str
    level: str
    status: CriterionStatus
    mark: NameMark | None


@dataclass(frozen=True)
class Claim:
    item: str
    detail: str
    """The justification (burden) or the exemption category key (out of scope)."""


@dataclass(frozen=True)
class TestedPage:
    url: str
    viewports: tuple[str, ...]


@dataclass(frozen=True)
class UntestedPage:
    url: str
    viewport: str
    kind: str
    """A key of ``error_kind`` in texts/data/statements.yaml."""
    http_status: int | None


@dataclass(frozen=True)
class Testing:
    """The automated testing of this language version, as disclosed."""

    date: str
    axe_version: str
    viewports: str
    """"desktop 1280 × 800, mobile 390 × 844"."""
    audited: int
    total: int
    tested: tuple[TestedPage, ...]
    untested: tuple[UntestedPage, ...]


@dataclass(frozen=True)
class StatementView:
    lang: str
    service_id: str
    service_name: str
    service_url: str
    organisation: str
    unit: str
    has_statement: bool
    status: Status
    status_basis: Basis
    override_reason: str | None
    complete: bool
    """All 49 criteria assessed: only then may the statement say nothing was found."""
    unassessed: int
    publishable: bool
    missing: tuple[str, ...]
    """What a service owner must add or fix before publishing, in the statement's language."""
    review_overdue: dt.date | None
    """The last review date when it is over 12 months before the statement's date."""
    entries: tuple[Entry, ...]
    burden: tuple[Claim, ...]
    out_of_scope: tuple[Claim, ...]
    prepared: dt.date | None
    reviewed: dt.date | None
    method: str | None
    report_url: str | None
    testing: Testing | None
    feedback_form: str | None
    feedback_email: str | None
    responsible_unit: str | None
    responsible_email: str | None
    criteria: tuple[StatementCriterion, ...]
    counts: dict[str, int]
    kuva_audit_version: str = __version__
    template_version: str = TEMPLATE_VERSION

    @property
    def criteria_listed(self) -> list[str]:
        return [e.criterion for e in self.entries]


def content_digest(view: StatementView) -> str:
    """Fingerprint of a statement's content (not of its edition)."""
    data = json.dumps(dataclasses.asdict(view), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def _overdue(reviewed: dt.date | None, day: dt.date) -> bool:
    return reviewed is not None and review_overdue(reviewed, day)


def _feedback(service: Service, organisation: Organisation, lang: str) -> FeedbackChannel:
    own = service.statement.feedback if service.statement else None
    channel = own or organisation.feedback
    if channel.form:
        return channel.model_copy(update={"form": channel.form.replace("{lang}", lang)})
    return channel


def _entries(assessment: Assessment, lang: str) -> tuple[Entry, ...]:
    descriptions: dict[str, str] = lookup("rules", lang)
    problems: dict[str, list[Problem]] = {}
    for m in assessment.manual:
        problems.setdefault(m.finding.criterion, []).append(
            Problem(
                "manual",
                m.finding.description.get(lang),
                (m.finding.part.get(lang),),
                m.finding.fix_by,
                m.finding.alternative.get(lang) if m.finding.alternative else None,
            )
        )
    for a in assessment.automated:
        problems.setdefault(a.criterion, []).append(
            Problem("automated", _described(descriptions, a.rule, lang), a.pages)
        )
    return tuple(
        Entry(c.id, c.name[lang], c.mark(lang), tuple(problems[c.id]))
        for c in criteria()
        if c.id in problems
    )


def _described(descriptions: dict[str, str], rule: str, lang: str) -> str:
    """The rule's plain-language description; a rule without one (HTML_CodeSniffer's codes)
    gets the general sentence, never a code the public cannot read."""
    own = descriptions.get(rule)
    return own if own else text("statements.non_accessible.automated_other", lang)


def _testing(testing: AutomatedTesting | None) -> Testing | None:
    if testing is None:
        return None
    tested: dict[str, list[str]] = {}
    for page in testing.audited:
        tested.setdefault(page.url, []).append(page.viewport)
    return Testing(
        date=testing.date,
        axe_version=testing.axe_core,
        viewports=", ".join(f"{name} {w} × {h}" for name, w, h in testing.viewports),
        audited=len(testing.audited),
        total=len(testing.audited) + len(testing.not_audited),
        tested=tuple(TestedPage(url, tuple(vps)) for url, vps in tested.items()),
        untested=tuple(
            UntestedPage(
                p.url,
                p.viewport,
                p.error_kind
                if p.error_kind is not None
                and p.error_kind in lookup("statements.error_kind", "en")
                else "other",
                p.http_status,
            )
            for p in testing.not_audited
        ),
    )


def statement_view(
    service: Service,
    organisation: Organisation,
    assessment: Assessment,
    lang: str,
    day: dt.date,
) -> StatementView:
    """The statement of ``service`` in ``lang`` as of ``day`` (the day it is issued)."""
    statement = service.statement
    feedback = _feedback(service, organisation, lang)
    rows = tuple(
        StatementCriterion(c.id, c.name[lang], c.level, assessment.criteria[c.id], c.mark(lang))
        for c in criteria()
    )
    counts = {
        status: assessment.count(status)
        for status in ("failed", "passed-manual", "passed-automated", "not-tested", "out-of-scope")
    }
    reviewed = statement.reviewed if statement else None
    return StatementView(
        lang=lang,
        service_id=service.id,
        service_name=service.name.get(lang),
        service_url=service.url,
        organisation=organisation.name.get(lang),
        unit=organisation.unit.get(lang),
        has_statement=statement is not None,
        status=assessment.status,
        status_basis=assessment.basis,
        override_reason=(
            assessment.override.reason.get(lang) if assessment.override is not None else None
        ),
        complete=assessment.complete,
        unassessed=len(assessment.unassessed),
        publishable=assessment.publishable,
        missing=tuple(m.text(lang) for m in assessment.missing),
        review_overdue=reviewed if _overdue(reviewed, day) else None,
        entries=_entries(assessment, lang),
        burden=tuple(
            Claim(b.item.get(lang), b.justification.get(lang))
            for b in (statement.burden if statement else [])
        ),
        out_of_scope=tuple(
            Claim(o.item.get(lang), o.category)
            for o in (statement.out_of_scope if statement else [])
        ),
        prepared=statement.prepared if statement else None,
        reviewed=reviewed,
        method=statement.method if statement else None,
        report_url=statement.report_url if statement else None,
        testing=_testing(assessment.testing),
        feedback_form=feedback.form,
        feedback_email=feedback.email,
        responsible_unit=statement.responsible.unit.get(lang) if statement else None,
        responsible_email=statement.responsible.email if statement else None,
        criteria=rows,
        counts=counts,
    )
