"""The HTML run report: one self-contained, accessible page for fixers and coordinators.

:func:`render` turns a :class:`RunReport` into a view (plain frozen dataclasses, everything
counted and sorted here) and hands it to ``templates/run_report.html.j2``. Issues are grouped
by fingerprint so each is listed once with every page it is on ("fix once, clears N pages").

An issue's pages are split by triage: pages where it is accepted (accepted.yaml) are listed
under "Accepted", the others keep it open. Counts are those of the other formats
(:meth:`RunReport.issue_counts`): an issue is open while any of its pages is not
accepted, and counts as accepted once it is accepted on every page; so they can be lower than
a result file's ``totals``, which know nothing of acceptances.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kuva_audit.audit.results import (
    IMPACT_ORDER,
    EngineInfo,
    Finding,
    FingerprintEntry,
    Impact,
    Node,
    ServiceRun,
)
from kuva_audit.audit.wcag import criterion_key, is_legal
from kuva_audit.formats.engines import CHECK_PREFIX, found_by, labels, rule_docs, several
from kuva_audit.templating import render_template
from kuva_audit.texts import lookup
from kuva_audit.triage.report import Acceptance, Change, RunReport

TEMPLATE = "run_report.html.j2"
WORST_CRITERIA = 3
_RANK: dict[str | None, int] = {impact: n for n, impact in enumerate(IMPACT_ORDER)}


@dataclass(frozen=True)
class PageRef:
    """A page an issue is on, with the viewports it was seen at."""

    url: str
    viewports: tuple[str, ...]


@dataclass(frozen=True)
class AcceptedPages:
    """Pages on which an issue is accepted by one acceptance entry."""

    acceptance: Acceptance
    pages: tuple[PageRef, ...]


@dataclass(frozen=True)
class Issue:
    """One fingerprint of one service: a rule failing (or to review) on one element."""

    key: str
    """``<service id>-<fingerprint>``: anchors are ``issue-``, ``accepted-``, ``review-`` + key."""
    fingerprint: str
    rule: str
    help: str
    description: str
    help_url: str
    impact: Impact | None
    wcag: tuple[str, ...]
    level: str | None
    legal: bool
    selector: str
    html: str
    failure_summary: str | None
    pages: tuple[PageRef, ...]
    """Open pages: those where the issue is not accepted."""
    accepted: tuple[AcceptedPages, ...]
    change: Change | None
    found_by: tuple[str, ...] = ("axe-core",)
    """Engines that reported it: axe-core, htmlcs, check (one issue when several did)."""

    @property
    def found_by_text(self) -> str:
        return labels(self.found_by)

    @property
    def rule_docs(self) -> str:
        return rule_docs(self.found_by[0])


@dataclass(frozen=True)
class CheckRow:
    """One interaction-check rule of one service: on how many audited pages each outcome."""

    rule: str
    criteria: tuple[str, ...]
    passed: int
    failed: int
    review: int
    inapplicable: int


@dataclass(frozen=True)
class ErrorPage:
    url: str
    viewport: str
    kind: str
    error: str


@dataclass(frozen=True)
class WarnedPage:
    url: str
    viewport: str
    warning: str


@dataclass(frozen=True)
class CriterionIssues:
    criterion: str
    issues: int
    rules: tuple[str, ...]


@dataclass(frozen=True)
class RuleRow:
    rule: str
    help: str
    issues: int
    pages: int


@dataclass(frozen=True)
class FixedView:
    service: str
    issue: FingerprintEntry


@dataclass(frozen=True)
class ServiceView:
    id: str
    name: str
    url: str
    pages_ok: int
    pages_all: int
    errors: tuple[ErrorPage, ...]
    warned: tuple[WarnedPage, ...]
    """Pages audited with a warning (still loading, blank, ...), one row per warning."""
    issues: tuple[Issue, ...]
    """Open WCAG 2.1 A/AA issues, worst impact first, then most pages."""
    beyond: tuple[Issue, ...]
    """Open issues beyond the legal requirement (best practices, WCAG 2.2, AAA)."""
    accepted: tuple[Issue, ...]
    review: tuple[Issue, ...]
    by_criterion: tuple[CriterionIssues, ...]
    by_rule: tuple[RuleRow, ...]
    by_impact: tuple[tuple[str, int], ...]
    """Open WCAG 2.1 A/AA issues by impact, every impact listed."""
    accepted_count: int
    """WCAG 2.1 A/AA issues accepted on every page they are on."""
    new: int
    persisting: int
    review_count: int
    """(page, viewport, rule) results to review, as in the result file's totals."""
    worst: tuple[str, ...]
    fixed: tuple[FingerprintEntry, ...]
    checks: tuple[CheckRow, ...] = ()
    """Interaction checks: a pass is automated evidence for its criteria; review is neither
    a pass nor a failure."""
    automated: tuple[str, ...] = ()
    """WCAG 2.1 A/AA criteria an axe rule or interaction check passed on an audited page and
    nothing failed: tested automatically (as the statements' "checked automatically")."""


@dataclass(frozen=True)
class ReportView:
    date: str
    engines: tuple[EngineInfo, ...]
    notes: tuple[str, ...]
    services: tuple[ServiceView, ...]
    compared: bool
    """True when the run was compared with a baseline (New/Persisting/Fixed are shown)."""
    other_fixed: tuple[FixedView, ...]
    """Fixed issues of services that are not in this run."""
    pages_ok: int
    pages_error: int
    by_impact: tuple[tuple[str, int], ...]
    issues: int
    """Open WCAG 2.1 A/AA issues; ``new`` and ``persisting`` split them by the baseline."""
    beyond: int
    accepted: int
    review: int
    new: int
    persisting: int
    fixed: int

    @property
    def several_engines(self) -> bool:
        """True when HTML_CodeSniffer or interaction checks ran besides axe-core."""
        return several(self.engines)


@dataclass
class _Group:
    """Accumulates one fingerprint's occurrences in page order."""

    finding: Finding
    node: Node
    impact: Impact | None
    open: dict[str, dict[str, None]] = field(default_factory=dict)
    accepted: dict[str, tuple[Acceptance, dict[str, None]]] = field(default_factory=dict)

    def add(self, finding: Finding, url: str, viewport: str, acc: Acceptance | None) -> None:
        ranked = [i for i in IMPACT_ORDER if i in (self.impact, finding.impact)]
        self.impact = ranked[0] if ranked else None
        if acc is None:
            self.open.setdefault(url, {})[viewport] = None
        else:
            self.accepted.setdefault(url, (acc, {}))[1][viewport] = None


def _acceptance_key(acc: Acceptance) -> tuple[str, str, str, str]:
    return (acc.source, acc.reason, acc.owner, acc.expires.isoformat() if acc.expires else "")


def _accepted_pages(group: _Group) -> tuple[AcceptedPages, ...]:
    by_acceptance: dict[Acceptance, list[PageRef]] = {}
    for url, (acc, viewports) in group.accepted.items():
        by_acceptance.setdefault(acc, []).append(PageRef(url, tuple(viewports)))
    entries = [AcceptedPages(acc, tuple(pages)) for acc, pages in by_acceptance.items()]
    return tuple(sorted(entries, key=lambda e: _acceptance_key(e.acceptance)))


def _issue(report: RunReport, service: str, fp: str, group: _Group) -> Issue:
    finding, node = group.finding, group.node
    return Issue(
        key=f"{service}-{fp}",
        fingerprint=fp,
        rule=finding.rule,
        help=finding.help,
        description=finding.description,
        help_url=finding.help_url,
        impact=group.impact,
        wcag=tuple(sorted(finding.wcag, key=criterion_key)),
        level=finding.level,
        legal=finding.legal,
        selector=node.selector,
        html=node.html,
        failure_summary=node.failure_summary,
        pages=tuple(PageRef(url, tuple(vps)) for url, vps in group.open.items()),
        accepted=_accepted_pages(group),
        change=report.change(service, fp),
        found_by=found_by(finding, node),
    )


def _sorted(issues: Iterable[Issue], accepted: bool = False) -> tuple[Issue, ...]:
    def key(issue: Issue) -> tuple[int, int, str, str, str]:
        pages = sum(len(a.pages) for a in issue.accepted) if accepted else len(issue.pages)
        return (_RANK.get(issue.impact, 9), -pages, issue.rule, issue.selector, issue.fingerprint)

    return tuple(sorted(issues, key=key))


def _by_criterion(issues: tuple[Issue, ...]) -> tuple[CriterionIssues, ...]:
    counts: Counter[str] = Counter()
    rules: dict[str, set[str]] = {}
    for issue in issues:
        for c in issue.wcag:
            counts[c] += 1
            rules.setdefault(c, set()).add(issue.rule)
    return tuple(
        CriterionIssues(c, counts[c], tuple(sorted(rules[c])))
        for c in sorted(counts, key=criterion_key)
    )


def _by_rule(issues: tuple[Issue, ...]) -> tuple[RuleRow, ...]:
    counts: Counter[str] = Counter()
    pages: dict[str, set[str]] = {}
    helps: dict[str, str] = {}
    for issue in issues:
        counts[issue.rule] += 1
        pages.setdefault(issue.rule, set()).update(p.url for p in issue.pages)
        helps.setdefault(issue.rule, issue.help)
    rows = [RuleRow(r, helps[r], counts[r], len(pages[r])) for r in counts]
    return tuple(sorted(rows, key=lambda r: (-r.issues, -r.pages, r.rule)))


def _by_impact(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((impact, counts.get(impact, 0)) for impact in IMPACT_ORDER)


def _service(report: RunReport, run: ServiceRun) -> ServiceView:
    sid = run.service.id
    found: dict[str, _Group] = {}
    review: dict[str, _Group] = {}
    errors = []
    for page in run.pages:
        if page.status == "error":
            errors.append(
                ErrorPage(
                    page.url,
                    page.viewport,
                    page.error_kind or "unknown",
                    page.error or "no reason recorded",
                )
            )
        for finding in page.violations:
            for node in finding.nodes:
                acc = report.acceptance(sid, node.fingerprint, page.url)
                group = found.setdefault(node.fingerprint, _Group(finding, node, finding.impact))
                group.add(finding, page.url, page.viewport, acc)
        for finding in page.needs_review:
            for node in finding.nodes:
                group = review.setdefault(node.fingerprint, _Group(finding, node, finding.impact))
                group.add(finding, page.url, page.viewport, None)

    opened = [_issue(report, sid, fp, g) for fp, g in found.items() if g.open]
    issues = _sorted(i for i in opened if i.legal)
    worst = sorted(_by_criterion(issues), key=lambda r: (-r.issues, criterion_key(r.criterion)))
    fixed = [f.issue for f in report.fixed if f.service == sid]
    counts = report.issue_counts(run)
    return ServiceView(
        id=sid,
        name=run.service.name.get("en") or sid,
        url=run.service.url,
        pages_ok=sum(p.status == "ok" for p in run.pages),
        pages_all=len(run.pages),
        errors=tuple(errors),
        warned=tuple(
            WarnedPage(page.url, page.viewport, warning)
            for page in run.pages
            for warning in page.warnings
        ),
        issues=issues,
        beyond=_sorted(i for i in opened if not i.legal),
        accepted=_sorted(
            (_issue(report, sid, fp, g) for fp, g in found.items() if g.accepted),
            accepted=True,
        ),
        review=_sorted(_issue(report, sid, fp, g) for fp, g in review.items()),
        by_criterion=_by_criterion(issues),
        by_rule=_by_rule(issues),
        by_impact=_by_impact(counts.by_impact),
        accepted_count=counts.accepted,
        new=counts.new,
        persisting=sum(i.change == "persisting" for i in issues),
        review_count=run.totals.needs_review,
        worst=tuple(row.criterion for row in worst[:WORST_CRITERIA]),
        fixed=tuple(sorted(fixed, key=lambda e: (_RANK.get(e.impact, 9), e.rule, e.id))),
        checks=_check_rows(run),
        automated=_automated(run),
    )


def _automated(run: ServiceRun) -> tuple[str, ...]:
    passed: set[str] = set()
    failed: set[str] = set()
    for page in run.pages:
        if page.status != "ok":
            continue
        for rule in page.passed_rules:
            passed.update(run.rule_criteria.get(rule, ()))
        for finding in page.violations:
            if finding.legal:
                failed.update(finding.wcag)
    return tuple(sorted((c for c in passed - failed if is_legal(c)), key=criterion_key))


def _check_rows(run: ServiceRun) -> tuple[CheckRow, ...]:
    outcomes: dict[str, Counter[str]] = {}
    for page in run.pages:
        if page.status != "ok":
            continue
        seen: dict[str, str] = {}
        for rule in page.passed_rules:
            seen[rule] = "passed"
        for rule in page.inapplicable_rules:
            seen[rule] = "inapplicable"
        for finding in page.needs_review:
            if finding.engine == "check":
                seen[finding.rule] = "review"
        for finding in page.violations:
            if finding.engine == "check":
                seen[finding.rule] = "failed"
        for rule, outcome in seen.items():
            if rule.startswith(CHECK_PREFIX):
                outcomes.setdefault(rule, Counter())[outcome] += 1
    return tuple(
        CheckRow(
            rule,
            tuple(run.rule_criteria.get(rule, ())),
            counts["passed"],
            counts["failed"],
            counts["review"],
            counts["inapplicable"],
        )
        for rule, counts in sorted(outcomes.items())
    )


def run_report_view(report: RunReport) -> ReportView:
    """Everything the template shows, counted and in order."""
    services = tuple(_service(report, run) for run in report.services)
    ids = {s.id for s in services}
    other_fixed = sorted(
        (FixedView(f.service, f.issue) for f in report.fixed if f.service not in ids),
        key=lambda f: (f.service, _RANK.get(f.issue.impact, 9), f.issue.rule, f.issue.id),
    )
    engines = {run.engine for run in report.services}
    by_impact: Counter[str] = Counter()
    for s in services:
        by_impact.update(dict(s.by_impact))
    return ReportView(
        date=report.date,
        engines=tuple(sorted(engines, key=lambda e: e.model_dump_json())),
        notes=report.notes,
        services=services,
        compared=report.changes is not None,
        other_fixed=tuple(other_fixed),
        pages_ok=sum(s.pages_ok for s in services),
        pages_error=sum(len(s.errors) for s in services),
        by_impact=_by_impact(by_impact),
        issues=sum(len(s.issues) for s in services),
        beyond=sum(len(s.beyond) for s in services),
        accepted=sum(s.accepted_count for s in services),
        review=sum(s.review_count for s in services),
        new=sum(s.new for s in services),
        persisting=sum(s.persisting for s in services),
        fixed=len(report.fixed),
    )


def render(report: RunReport, lang: str = "en") -> str:
    """The report as one HTML5 page (inline CSS, no script, no external resources), in English
    unless told: its fixed texts are ``ci.run_report`` of the catalogue, in fi, sv and en."""
    return render_template(
        TEMPLATE, report=run_report_view(report), t=lookup("ci.run_report", lang), lang=lang
    )
