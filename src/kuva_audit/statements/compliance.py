"""Which criteria a service fails or meets, and the compliance status the evidence supports.

Each of the 49 criteria the law requires is, in this order of precedence:

- *failed* when the latest manual audit that covered it lists a finding for it, or the latest
  automated audit found a WCAG 2.1 A/AA violation of it on a page it could audit
  (needs-review items are not failures);
- *passed in a manual audit* when a manual or third-party audit covered it and its findings
  are recorded (an audit with ``findings_recorded: false`` assesses nothing: what it found is
  not known here);
- *checked automatically* when an automated rule for it (an axe rule or an interaction check)
  passed on an audited page; a check's item for review is neither a pass nor a failure;
- *not tested* otherwise.

A criterion is *assessed* when it failed or passed a manual audit. Automated testing alone
assesses nothing that passes: the engines and checks test only part of about 27 of the 49
criteria.

The status (model statement, Commission Implementing Decision (EU) 2018/1523):

========================  =================================================================
status                    what the evidence must show
========================  =================================================================
*not yet assessed*        any criterion not assessed: the statement is a draft, whatever
                          else is known, and says what is missing
*not compliant*           all assessed, and most (more than half) of the 49 criteria fail
*partially compliant*     all assessed, most met, and something fails or a
                          disproportionate burden is claimed
*fully compliant*         all assessed, nothing fails and no burden is claimed
========================  =================================================================

A ``status_override`` is used only when the evidence allows it: ``fully`` is refused while a
criterion fails or a burden is claimed; ``partially`` and ``not`` need non-accessible content
listed (a failure or a burden claim); ``partially`` is refused when most criteria fail. A
refused override makes the statement a draft that says why. No override makes an incomplete
assessment publishable.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from kuva_audit.audit.results import PageResult, ServiceRun
from kuva_audit.config.statement import AuditFinding, ManualAudit, Statement, StatusOverride
from kuva_audit.statements.data import criteria, in_scope_ids
from kuva_audit.statements.evidence import LangEvidence
from kuva_audit.texts import text
from kuva_audit.texts.locale import format_date

CriterionStatus = Literal[
    "failed", "passed-manual", "passed-automated", "not-tested", "out-of-scope"
]
Compliance = Literal["fully", "partially", "not"]
Status = Literal["fully", "partially", "not", "not-assessed"]
Basis = Literal["override", "manual-all-clear", "most-fail", "open-issues", "not-assessed"]
ASSESSED: tuple[CriterionStatus, ...] = ("failed", "passed-manual")


@dataclass(frozen=True)
class AutomatedFailure:
    criterion: str
    rule: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class ManualFinding:
    finding: AuditFinding
    audit: ManualAudit


@dataclass(frozen=True)
class Missing:
    """Something a service owner must add or fix before the statement can be published.
    ``key`` names its text under ``missing:`` in texts/data/statements.yaml; ``params`` fill its
    placeholders (a ``status`` param is shown as the status word of the language, a ``date``
    param, ISO in ``params``, as the language writes dates)."""

    key: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        params = dict(self.params)
        if "status" in params:
            params["status"] = text(f"statements.status_word.{params['status']}", lang)
        if "date" in params:
            params["date"] = format_date(dt.date.fromisoformat(params["date"]), lang)
        return text(f"statements.missing.{self.key}", lang, **params)


@dataclass(frozen=True)
class PageOutcome:
    """One (page, viewport) of the automated audit, as the statement discloses it."""

    url: str
    viewport: str
    error_kind: str | None = None
    error: str | None = None
    http_status: int | None = None


@dataclass(frozen=True)
class AutomatedTesting:
    """What the latest automated audit covered for one language version."""

    date: str
    axe_core: str
    viewports: tuple[tuple[str, int, int], ...]
    audited: tuple[PageOutcome, ...]
    not_audited: tuple[PageOutcome, ...]


@dataclass(frozen=True)
class Assessment:
    has_statement: bool
    criteria: dict[str, CriterionStatus]
    manual: tuple[ManualFinding, ...]
    automated: tuple[AutomatedFailure, ...]
    status: Status
    basis: Basis
    override: StatusOverride | None
    """The override in force (None when there is none, or it was refused)."""
    missing: tuple[Missing, ...]
    testing: AutomatedTesting | None
    burden: int

    def count(self, status: CriterionStatus) -> int:
        return sum(s == status for s in self.criteria.values())

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c for c, s in self.criteria.items() if s == "failed")

    @property
    def unassessed(self) -> tuple[str, ...]:
        return tuple(c for c in in_scope_ids() if self.criteria[c] not in ASSESSED)

    @property
    def complete(self) -> bool:
        """Every criterion in scope assessed: "nothing found" may be said."""
        return not self.unassessed

    @property
    def publishable(self) -> bool:
        return not self.missing


def _covered(audit: ManualAudit, in_scope: tuple[str, ...]) -> list[str]:
    if audit.criteria == "all":
        return list(in_scope)
    return [c for c in audit.criteria if c in in_scope]


def pages_of(run: ServiceRun | None, lang: str | None) -> list[PageResult]:
    """The run's pages of one language version: pages whose ``lang`` is ``lang`` and pages
    with no ``lang`` (all of them when ``lang`` is None)."""
    if run is None:
        return []
    return [p for p in run.pages if lang is None or p.lang is None or p.lang == lang]


def testing_of(run: ServiceRun | None, lang: str | None) -> AutomatedTesting | None:
    pages = pages_of(run, lang)
    if run is None or not pages:
        return None
    shown = {p.viewport for p in pages}
    configured = run.settings.get("viewports")
    viewports = tuple(
        (str(v["name"]), int(v["width"]), int(v["height"]))
        for v in (configured if isinstance(configured, list) else [])
        if isinstance(v, dict) and v.get("name") in shown
    )
    ordered = sorted(pages, key=lambda p: (p.position, p.viewport))
    return AutomatedTesting(
        date=run.date,
        axe_core=run.engine.axe_core,
        viewports=viewports,
        audited=tuple(PageOutcome(p.url, p.viewport) for p in ordered if p.status == "ok"),
        not_audited=tuple(
            PageOutcome(p.url, p.viewport, p.error_kind, p.error, p.http_status)
            for p in ordered
            if p.status != "ok"
        ),
    )


def assess(
    statement: Statement | None, run: ServiceRun | None, lang: str | None = None
) -> Assessment:
    """The evidence of one language version (``lang``; None: every page) and its status."""
    in_scope = in_scope_ids()
    failing_pages: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    passed: set[str] = set()
    for page in pages_of(run, lang):
        if page.status != "ok":
            continue
        for finding in page.violations:
            if finding.legal:
                for criterion in finding.wcag:
                    if criterion in in_scope:
                        failing_pages[(criterion, finding.rule)][page.url] = None
        for rule in page.passed_rules:
            passed.update((run.rule_criteria if run else {}).get(rule, ()))
    automated = tuple(
        AutomatedFailure(criterion, rule, tuple(pages))
        for (criterion, rule), pages in sorted(failing_pages.items())
    )
    return _judged(
        statement, {a.criterion for a in automated}, passed, automated, testing_of(run, lang)
    )


def assess_evidence(statement: Statement | None, evidence: LangEvidence | None) -> Assessment:
    """What :func:`assess` says of a language version, from the run's statement evidence
    (which the compact history keeps): the same criteria, status and missing items, without
    the failures by rule and page and the testing disclosure, which only a draft shows."""
    in_scope = set(in_scope_ids())
    failed = {c for c in evidence.failed if c in in_scope} if evidence else set()
    passed = set(evidence.passed) if evidence else set()
    return _judged(statement, failed, passed, (), None)


def _judged(
    statement: Statement | None,
    automated_failed: set[str],
    passed: set[str],
    automated: tuple[AutomatedFailure, ...],
    testing: AutomatedTesting | None,
) -> Assessment:
    """The assessment of the criteria the automated run failed and passed, with the manual
    audits of ``statement``."""
    in_scope = in_scope_ids()
    all_audits = sorted(statement.audits if statement else [], key=lambda a: a.date)
    audits = [a for a in all_audits if a.findings_recorded]
    latest: dict[str, ManualAudit] = {}
    for audit in audits:
        for criterion in _covered(audit, in_scope):
            latest[criterion] = audit
    manual = tuple(
        ManualFinding(finding, audit)
        for audit in audits
        for finding in audit.findings
        if latest.get(finding.criterion) is audit
    )
    failed = {m.finding.criterion for m in manual} | automated_failed
    statuses: dict[str, CriterionStatus] = {}
    for c in criteria():
        if not c.in_scope:
            statuses[c.id] = "out-of-scope"
        elif c.id in failed:
            statuses[c.id] = "failed"
        elif c.id in latest:
            statuses[c.id] = "passed-manual"
        elif c.id in passed:
            statuses[c.id] = "passed-automated"
        else:
            statuses[c.id] = "not-tested"
    failing = [c for c in in_scope if statuses[c] == "failed"]
    unassessed = [c for c in in_scope if statuses[c] not in ASSESSED]
    burden = len(statement.burden) if statement else 0
    missing: list[Missing] = []
    if statement is None:
        missing.append(Missing("statement"))
    missing += [
        Missing("findings-not-recorded", {"date": audit.date.isoformat(), "by": audit.by})
        for audit in all_audits
        if not audit.findings_recorded
    ]
    if unassessed:
        missing.append(
            Missing(
                "unassessed",
                {"count": str(len(unassessed)), "criteria": ", ".join(unassessed)},
            )
        )
    status: Status
    basis: Basis
    status, basis = computed_status(len(failing), burden)
    override = statement.status_override if statement else None
    refusals = override_refusals(override, failing, burden) if override else []
    missing += refusals
    if unassessed:
        status, basis = "not-assessed", "not-assessed"
    if override is not None and not refusals and not unassessed:
        status, basis = override.status, "override"
    return Assessment(
        has_statement=statement is not None,
        criteria=statuses,
        manual=manual,
        automated=automated,
        status=status,
        basis=basis,
        override=override if basis == "override" else None,
        missing=tuple(missing),
        testing=testing,
        burden=burden,
    )


def computed_status(failed: int, burden: int) -> tuple[Compliance, Basis]:
    """The status of a complete assessment with ``failed`` criteria failing."""
    if failed * 2 > len(in_scope_ids()):
        return "not", "most-fail"
    if failed or burden:
        return "partially", "open-issues"
    return "fully", "manual-all-clear"


def override_refusals(override: StatusOverride, failing: list[str], burden: int) -> list[Missing]:
    """Why the evidence cannot support ``override`` (empty when it can)."""
    refused: list[Missing] = []
    if override.status == "fully":
        if failing:
            refused.append(
                Missing(
                    "override-fully-fails",
                    {"count": str(len(failing)), "criteria": ", ".join(failing)},
                )
            )
        if burden:
            refused.append(Missing("override-fully-burden", {"count": str(burden)}))
        return refused
    if not failing and not burden:
        refused.append(Missing("override-no-content", {"status": override.status}))
    if override.status == "partially" and len(failing) * 2 > len(in_scope_ids()):
        refused.append(Missing("override-partially-most-fail", {"count": str(len(failing))}))
    return refused
