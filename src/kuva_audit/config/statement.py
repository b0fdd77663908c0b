"""The statement part of services.yaml: what an accessibility statement needs beyond the
audit results (Act 306/2019, model statement (EU) 2018/1523), and the organisation block."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from kuva_audit.config.base import EMAIL, LocalizedText, StrictModel, check_http_url
from kuva_audit.months import older_than

LEGAL_REVIEW_MONTHS = 12
"""The law's rule, which the supervisor (Traficom) enforces: a statement is reviewed at least
once a year (recital 3 of (EU) 2018/1523). The statements check and publishing apply it; the
goal's ``statement_max_age_months`` defaults to it and may only be stricter."""


def review_overdue(reviewed: dt.date, day: dt.date, limit: int = LEGAL_REVIEW_MONTHS) -> bool:
    """Whether a statement last reviewed on ``reviewed`` is, on ``day``, older than ``limit``
    calendar months (the legal maximum unless a stricter limit is given): the one place a
    statement's age is judged."""
    return older_than(reviewed, day, limit)


CRITERION = r"^[1-4]\.[1-9]\.[1-9][0-9]?$"
Criterion = Annotated[str, Field(pattern=CRITERION)]


class FeedbackChannel(StrictModel):
    """Where users send accessibility feedback: a web form and/or an email address.
    ``{lang}`` in the form URL becomes fi, sv or en."""

    form: str | None = None
    email: str | None = Field(default=None, pattern=EMAIL)

    @model_validator(mode="after")
    def _some(self) -> FeedbackChannel:
        if self.form is None and self.email is None:
            raise ValueError("give a feedback `form` URL, an `email`, or both")
        if self.form is not None:
            check_http_url(self.form.replace("{lang}", "fi"))
        return self


class Organisation(StrictModel):
    name: LocalizedText
    unit: LocalizedText
    feedback: FeedbackChannel


class AuditFinding(StrictModel):
    """A failure found in a manual audit."""

    criterion: Criterion
    description: LocalizedText
    part: LocalizedText
    """The affected part of the service or its pages, in words."""
    fix_by: dt.date | None = None
    alternative: LocalizedText | None = None
    """How to get the content in an accessible way meanwhile."""


class ManualAudit(StrictModel):
    date: dt.date
    by: str = Field(min_length=2)
    criteria: Literal["all"] | list[Criterion] = "all"
    """The criteria the audit covered: all 49 in Finnish scope, or a list."""
    findings: list[AuditFinding] = Field(default_factory=list)
    findings_recorded: bool = True
    """False when the audit's report is known but its findings were never copied here: the
    audit then assesses nothing, and the statement is a draft until they are recorded."""


class BurdenClaim(StrictModel):
    item: LocalizedText
    justification: LocalizedText


class OutOfScope(StrictModel):
    item: LocalizedText
    category: Literal[
        "office-documents-before-2018",
        "recorded-media-before-2020",
        "live-media",
        "maps",
        "third-party-content",
        "archives",
        "extranet-before-2019",
        "heritage-collections",
    ]
    """Exemption categories of Directive (EU) 2016/2102 Art. 1(4) and Act 306/2019 s. 3."""


class StatusOverride(StrictModel):
    status: Literal["fully", "partially", "not"]
    reason: LocalizedText
    """Why, in each statement language; shown with the status."""


class Responsible(StrictModel):
    unit: LocalizedText
    email: str = Field(pattern=EMAIL)


class Statement(StrictModel):
    """What a service's accessibility statement needs beyond the audit results."""

    prepared: dt.date
    reviewed: dt.date
    method: Literal["self-assessment", "third-party"]
    report_url: str | None = None
    responsible: Responsible
    feedback: FeedbackChannel | None = None
    """Overrides the organisation's default feedback channel."""
    audits: list[ManualAudit] = Field(default_factory=list)
    burden: list[BurdenClaim] = Field(default_factory=list)
    out_of_scope: list[OutOfScope] = Field(default_factory=list)
    status_override: StatusOverride | None = None

    @model_validator(mode="after")
    def _dates(self) -> Statement:
        if self.reviewed < self.prepared:
            raise ValueError("`reviewed` cannot be before `prepared`")
        return self
