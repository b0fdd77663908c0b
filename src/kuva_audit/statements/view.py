"""Everything one statement in one language shows, resolved: the templates only lay it out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kuva_audit import __version__
from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.models import Service
from kuva_audit.config.statement import FeedbackChannel, Organisation
from kuva_audit.statements.compliance import Assessment, Compliance, CriterionStatus
from kuva_audit.statements.data import criteria, criteria_by_id, rule_descriptions

TEMPLATE_VERSION = "1"
"""Version of the statement templates and texts; stored in every statement it renders."""


@dataclass(frozen=True)
class Item:
    """One non-accessible thing: what, which criterion, where, until when, meanwhile what."""

    criterion: str
    criterion_name: str
    description: str
    where: tuple[str, ...]
    """Pages (URLs) for automated findings; the affected part, in words, for manual ones."""
    source: str
    """"manual" or "automated"."""
    fix_by: dt.date | None = None
    alternative: str | None = None


@dataclass(frozen=True)
class CriterionRow:
    id: str
    name: str
    level: str
    status: CriterionStatus
    name_unofficial: bool
    """Swedish only: WCAG 2.1's new criteria have no authorized Swedish name."""


@dataclass(frozen=True)
class Claim:
    item: str
    detail: str
    """The justification (burden) or the exemption category key (out of scope)."""


@dataclass(frozen=True)
class StatementView:
    lang: str
    service_id: str
    service_name: str
    service_url: str
    organisation: str
    unit: str
    status: Compliance
    status_basis: str
    override_reason: str | None
    items: tuple[Item, ...]
    burden: tuple[Claim, ...]
    out_of_scope: tuple[Claim, ...]
    prepared: dt.date
    reviewed: dt.date
    method: str
    report_url: str | None
    automated_date: str | None
    axe_version: str | None
    feedback_form: str | None
    feedback_email: str | None
    responsible_unit: str
    responsible_email: str
    criteria: tuple[CriterionRow, ...]
    counts: dict[str, int]
    kuva_audit_version: str = __version__
    template_version: str = TEMPLATE_VERSION


def _feedback(service: Service, organisation: Organisation, lang: str) -> FeedbackChannel:
    assert service.statement is not None
    channel = service.statement.feedback or organisation.feedback
    if channel.form:
        return channel.model_copy(update={"form": channel.form.replace("{lang}", lang)})
    return channel


def build_view(
    service: Service,
    organisation: Organisation,
    assessment: Assessment,
    run: ServiceRun | None,
    lang: str,
) -> StatementView:
    statement = service.statement
    assert statement is not None
    by_id = criteria_by_id()
    descriptions = rule_descriptions()
    items = [
        Item(
            criterion=m.finding.criterion,
            criterion_name=by_id[m.finding.criterion].name[lang],
            description=m.finding.description.get(lang),
            where=(m.finding.part.get(lang),),
            source="manual",
            fix_by=m.finding.fix_by,
            alternative=m.finding.alternative.get(lang) if m.finding.alternative else None,
        )
        for m in assessment.manual
    ]
    items += [
        Item(
            criterion=a.criterion,
            criterion_name=by_id[a.criterion].name[lang],
            description=descriptions.get(a.rule, {}).get(lang, a.rule),
            where=a.pages,
            source="automated",
        )
        for a in assessment.automated
    ]
    items.sort(key=lambda i: (tuple(int(p) for p in i.criterion.split(".")), i.source))
    feedback = _feedback(service, organisation, lang)
    rows = tuple(
        CriterionRow(
            c.id,
            c.name[lang],
            c.level,
            assessment.criteria[c.id],
            lang == "sv" and not c.sv_official,
        )
        for c in criteria()
    )
    counts = {
        status: assessment.count(status)
        for status in ("failed", "passed-manual", "passed-automated", "not-tested", "out-of-scope")
    }
    return StatementView(
        lang=lang,
        service_id=service.id,
        service_name=service.name.get(lang),
        service_url=service.url,
        organisation=organisation.name.get(lang),
        unit=organisation.unit.get(lang),
        status=assessment.status,
        status_basis=assessment.basis,
        override_reason=(
            assessment.override.reason.get(lang) if assessment.override is not None else None
        ),
        items=tuple(items),
        burden=tuple(Claim(b.item.get(lang), b.justification.get(lang)) for b in statement.burden),
        out_of_scope=tuple(Claim(o.item.get(lang), o.category) for o in statement.out_of_scope),
        prepared=statement.prepared,
        reviewed=statement.reviewed,
        method=statement.method,
        report_url=statement.report_url,
        automated_date=run.date if run else None,
        axe_version=run.engine.axe_core if run else None,
        feedback_form=feedback.form,
        feedback_email=feedback.email,
        responsible_unit=statement.responsible.unit.get(lang),
        responsible_email=statement.responsible.email,
        criteria=rows,
        counts=counts,
    )
