"""Which criteria a service fails or meets, and its compliance status.

Rules (see README): a criterion is *failed* when the latest manual audit that covered it lists
a finding for it, or the latest automated audit found a WCAG 2.1 A/AA violation of it
(needs-review items are not failures); otherwise *passed in a manual audit* when a manual audit
covered it; otherwise *checked automatically* when an axe rule for it passed; otherwise *not
tested*. The service is *fully compliant* only when manual audits covered all 49 criteria in
scope and nothing fails (automated testing alone never suffices), *not compliant* when most
criteria in scope fail, and *partially compliant* otherwise. A manual override with a reason
wins over all of this.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.statement import AuditFinding, ManualAudit, Statement, StatusOverride
from kuva_audit.statements.data import criteria

CriterionStatus = Literal[
    "failed", "passed-manual", "passed-automated", "not-tested", "out-of-scope"
]
Compliance = Literal["fully", "partially", "not"]
Basis = Literal["override", "manual-all-clear", "most-fail", "open-issues", "not-fully-audited"]


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
class Assessment:
    criteria: dict[str, CriterionStatus]
    manual: tuple[ManualFinding, ...]
    automated: tuple[AutomatedFailure, ...]
    status: Compliance
    basis: Basis
    override: StatusOverride | None

    def count(self, status: CriterionStatus) -> int:
        return sum(s == status for s in self.criteria.values())


def _covered(audit: ManualAudit, in_scope: list[str]) -> list[str]:
    return (
        list(in_scope) if audit.criteria == "all" else [c for c in audit.criteria if c in in_scope]
    )


def assess(statement: Statement | None, run: ServiceRun | None) -> Assessment:
    in_scope = [c.id for c in criteria() if c.in_scope]
    audits = sorted(statement.audits if statement else [], key=lambda a: a.date)
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
    failing_pages: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    passed: set[str] = set()
    for page in run.pages if run else []:
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
    failed = {m.finding.criterion for m in manual} | {a.criterion for a in automated}
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
    status, basis = _status(statement, statuses, len(in_scope), len(latest))
    override = statement.status_override if statement else None
    return Assessment(statuses, manual, automated, status, basis, override)


def _status(
    statement: Statement | None,
    statuses: dict[str, CriterionStatus],
    in_scope: int,
    manually_covered: int,
) -> tuple[Compliance, Basis]:
    if statement is not None and statement.status_override is not None:
        return statement.status_override.status, "override"
    failed = sum(s == "failed" for s in statuses.values())
    if failed * 2 > in_scope:
        return "not", "most-fail"
    if failed or (statement is not None and statement.burden):
        return "partially", "open-issues"
    if manually_covered == in_scope:
        return "fully", "manual-all-clear"
    return "partially", "not-fully-audited"
