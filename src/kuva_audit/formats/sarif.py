"""SARIF 2.1.0 for GitHub code scanning: one result per failing element, page and viewport.

Every violation is a result, legal or not: WCAG 2.0/2.1 A/AA rules keep the level of their
impact, rules beyond the legal requirement are notes. Accepted issues carry an external
suppression; with a baseline every result has a ``baselineState`` and fixed issues come back as
``absent`` results. Needs-review items are not results; pages that could not be audited are tool
execution notifications. ``partialFingerprints`` hold the issue fingerprint (rule + element), so
code scanning follows an issue from run to run whatever the date or viewport.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from kuva_audit.audit.results import (
    Finding,
    FingerprintEntry,
    Impact,
    Node,
    PageResult,
    ServiceRun,
)
from kuva_audit.formats.report import Acceptance, FixedIssue, RunReport

Json = dict[str, Any]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/City-of-Helsinki/kuva-audit"
AXE_URI = "https://github.com/dequelabs/axe-core"
FINGERPRINT_KEY = "kuvaAuditIssue/v1"

_LEVEL: dict[Impact, str] = {
    "critical": "error",
    "serious": "error",
    "moderate": "warning",
    "minor": "note",
}
_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_BASELINE = {"new": "new", "persisting": "unchanged"}


def render(report: RunReport) -> str:
    """The run as a SARIF 2.1.0 log (JSON text ending in a newline)."""
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [*_results(report, index), *_fixed_results(report, index)]
    failed = [
        (run, page) for run in report.services for page in run.pages if page.status == "error"
    ]
    notifications = [_page_error(run, page) for run, page in failed]
    notifications += [{"level": "warning", "message": {"text": note}} for note in report.notes]
    sarif_run: Json = {
        "tool": _tool(report, rules),
        "invocations": [
            {"executionSuccessful": not failed, "toolExecutionNotifications": notifications}
        ],
        "results": results,
        "properties": {"date": report.date, "services": [r.service.id for r in report.services]},
    }
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [sarif_run]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def level(impact: Impact | None, legal: bool) -> str:
    """SARIF level of an issue: by impact for legal rules, ``note`` beyond the law."""
    if not legal:
        return "note"
    return _LEVEL[impact] if impact else "warning"


def _versions(values: Iterable[str]) -> str | None:
    distinct = sorted(set(values))
    return ", ".join(distinct) if distinct else None


def _tool(report: RunReport, rules: list[Json]) -> Json:
    own = _versions(r.engine.kuva_audit for r in report.services)
    axe_version = _versions(r.engine.axe_core for r in report.services)
    driver: Json = {"name": "kuva-audit"}
    if own:
        driver["version"] = own
    driver["informationUri"] = INFORMATION_URI
    driver["rules"] = rules
    axe: Json = {"name": "axe-core"}
    if axe_version:
        axe["version"] = axe_version
    axe["informationUri"] = AXE_URI
    return {"driver": driver, "extensions": [axe]}


def _violations(report: RunReport) -> Iterator[tuple[ServiceRun, PageResult, Finding]]:
    for run in report.services:
        for page in run.pages:
            for finding in page.violations:
                yield run, page, finding


def _criteria_tags(wcag: list[str], level_: str | None, legal: bool) -> list[str]:
    tags = ["accessibility", *(f"WCAG {c}" for c in wcag)]
    if legal:
        tags.append(f"WCAG 2.1 {level_}" if level_ else "WCAG 2.1 A/AA")
    else:
        tags.append("beyond legal requirement")
    return tags


def _rules(report: RunReport) -> list[Json]:
    """One reporting descriptor per axe rule, sorted by id; from its first finding in the run."""
    first: dict[str, Finding] = {}
    for _, _, finding in _violations(report):
        first.setdefault(finding.rule, finding)
    rules = {rule: _rule(finding) for rule, finding in first.items()}
    for fixed in report.fixed if report.changes is not None else ():
        if fixed.issue.rule not in rules:
            rules[fixed.issue.rule] = _fixed_rule(fixed.issue)
    return [rules[rule] for rule in sorted(rules)]


def _rule(finding: Finding) -> Json:
    tags = _criteria_tags(finding.wcag, finding.level, finding.legal)
    if "best-practice" in finding.tags:
        tags.append("best-practice")
    default = level(finding.impact, finding.legal)
    description = finding.description.rstrip(".")
    properties: Json = {"tags": tags, "wcag": finding.wcag}
    if finding.level:
        properties["wcagLevel"] = finding.level
    properties |= {
        "legal": finding.legal,
        "precision": "very-high",
        "problem.severity": _SEVERITY[default],
    }
    return {
        "id": finding.rule,
        "shortDescription": {"text": finding.help},
        "fullDescription": {"text": finding.description},
        "helpUri": finding.help_url,
        "help": {
            "text": f"{description}. See {finding.help_url}",
            "markdown": f"{description}. [{finding.help}]({finding.help_url})",
        },
        "defaultConfiguration": {"level": default},
        "properties": properties,
    }


def _fixed_rule(issue: FingerprintEntry) -> Json:
    """A rule this run no longer reports: only what the baseline's issue tells of it."""
    text = f"axe-core rule {issue.rule}"
    default = level(issue.impact, issue.legal)
    return {
        "id": issue.rule,
        "shortDescription": {"text": text},
        "fullDescription": {"text": f"{text}; not found in this run, only fixed issues"},
        "help": {"text": text},
        "defaultConfiguration": {"level": default},
        "properties": {
            "tags": _criteria_tags(issue.wcag, None, issue.legal),
            "wcag": issue.wcag,
            "legal": issue.legal,
            "precision": "very-high",
            "problem.severity": _SEVERITY[default],
        },
    }


def _message(finding: Finding, node: Node) -> str:
    text = f"{finding.help}: {node.selector}"
    if not finding.legal:
        text += " (beyond the legal requirement)"
    if node.failure_summary:
        text += "\n" + node.failure_summary
    return text


def _location(url: str, selector: str, html: str | None) -> Json:
    region: Json = {"startLine": 1}
    if html:
        region["snippet"] = {"text": html}
    return {
        "physicalLocation": {"artifactLocation": {"uri": url}, "region": region},
        "logicalLocations": [{"fullyQualifiedName": selector, "kind": "element"}],
    }


def _suppression(acceptance: Acceptance) -> Json:
    expires = acceptance.expires.isoformat() if acceptance.expires else "never"
    justification = (
        f"{acceptance.reason} (owner: {acceptance.owner}, expires: {expires}, {acceptance.source})"
    )
    return {"kind": "external", "status": "accepted", "justification": justification}


def _results(report: RunReport, index: dict[str, int]) -> Iterator[Json]:
    for run, page, finding in _violations(report):
        service = run.service.id
        for node in finding.nodes:
            properties: Json = {
                "service": service,
                "viewport": page.viewport,
                "wcag": finding.wcag,
                "impact": finding.impact,
                "legal": finding.legal,
            }
            if not finding.legal:
                properties["beyondLegalRequirement"] = True
            result: Json = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": level(finding.impact, finding.legal),
                "message": {"text": _message(finding, node)},
                "locations": [_location(page.url, node.selector, node.html)],
                "partialFingerprints": {FINGERPRINT_KEY: node.fingerprint},
            }
            acceptance = report.acceptance(service, node.fingerprint, page.url)
            if acceptance is not None:
                result["suppressions"] = [_suppression(acceptance)]
            if report.changes is not None:
                change = report.change(service, node.fingerprint) or "new"
                result["baselineState"] = _BASELINE[change]
            result["properties"] = properties
            yield result


def _fixed_results(report: RunReport, index: dict[str, int]) -> Iterator[Json]:
    """Baseline issues this run no longer finds, located on the first page they were on."""
    if report.changes is None:
        return
    urls = {run.service.id: run.service.url for run in report.services}

    def key(fixed: FixedIssue) -> tuple[str, str, str, str]:
        return fixed.service, fixed.issue.rule, fixed.issue.selector, fixed.issue.id

    for fixed in sorted(report.fixed, key=key):
        issue = fixed.issue
        url = issue.pages[0] if issue.pages else urls.get(fixed.service, "")
        yield {
            "ruleId": issue.rule,
            "ruleIndex": index[issue.rule],
            "level": level(issue.impact, issue.legal),
            "message": {"text": f"Fixed since the baseline: {issue.rule} on {issue.selector}"},
            "locations": [_location(url, issue.selector, None)],
            "partialFingerprints": {FINGERPRINT_KEY: issue.id},
            "baselineState": "absent",
            "properties": {
                "service": fixed.service,
                "viewports": issue.viewports,
                "wcag": issue.wcag,
                "impact": issue.impact,
                "legal": issue.legal,
            },
        }


def _page_error(run: ServiceRun, page: PageResult) -> Json:
    return {
        "level": "error",
        "message": {
            "text": f"{page.url} ({page.viewport}) could not be audited: {page.error or '?'}"
        },
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": page.url}}}],
        "properties": {
            "service": run.service.id,
            "viewport": page.viewport,
            "errorKind": page.error_kind,
            "attempts": page.attempts,
        },
    }
