"""SARIF 2.1.0 for GitHub code scanning: one result per failing element, page and viewport.

Code scanning accepts only locations that are files of the repository, so every result is
located at the line of services.yaml where its page is listed (for a page found through a
sitemap: where its service is), relative to the repository root (``uriBaseId: %SRCROOT%``);
the page URL, viewport, selector and HTML snippet are in the message and the ``properties``.
A run rendered without its services.yaml points every result at line 1 of ``services.yaml``
and says so in a notification (the CLI always gives it).

Every violation is a result, legal or not: WCAG 2.0/2.1 A/AA rules keep the level of their
impact, rules beyond the legal requirement are notes. Accepted issues carry an external
suppression; with a baseline every result has a ``baselineState`` and fixed issues come back as
``absent`` results. Needs-review items are not results; pages that could not be audited are tool
execution notifications. ``partialFingerprints`` hold the issue fingerprint (rule + element), so
code scanning follows an issue from run to run whatever the date, viewport or line.

axe-core, HTML_CodeSniffer and the interaction checks are the tool's extensions; a rule or
result that axe-core did not find alone says so (``engine`` on the rule, ``foundBy`` on the
result: every engine that reported that element).

GitHub rejects a whole upload above its limits (25,000 results per run, 10 MB gzip-compressed);
a run above them keeps its most important results (new before persisting, errors before
warnings and notes, open before accepted) and says in a notification how many were left out.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kuva_audit.audit.results import (
    SITEMAP_ERRORS,
    Finding,
    FingerprintEntry,
    Impact,
    Node,
    PageResult,
    ServiceRun,
)
from kuva_audit.config.sources import SourceLine, Sources
from kuva_audit.formats.engines import engine_label, found_by
from kuva_audit.triage.report import Acceptance, FixedIssue, RunReport

Json = dict[str, Any]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/City-of-Helsinki/kuva-audit"
AXE_URI = "https://github.com/dequelabs/axe-core"
HTMLCS_URI = "https://github.com/pa11y/HTML_CodeSniffer"
FINGERPRINT_KEY = "kuvaAuditIssue/v1"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000
"""GitHub code scanning rejects a run with more results."""
MAX_GZIP_BYTES = 10_000_000
"""GitHub code scanning rejects a file larger than this once gzip-compressed."""
MAX_TAGS = 20
"""GitHub code scanning rejects a rule with more tags."""
UNKNOWN_LINES = (
    "rendered without the run's services.yaml: every result points at the first line of "
    "{uri}, not at its page's line (export --config gives the lines)"
)

_LEVEL: dict[Impact, str] = {
    "critical": "error",
    "serious": "error",
    "moderate": "warning",
    "minor": "note",
}
_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_BASELINE = {"new": "new", "persisting": "unchanged"}
_KEEP_STATE: dict[str | None, int] = {"new": 0, None: 1, "unchanged": 2, "absent": 3}
_KEEP_LEVEL = {"error": 0, "warning": 1, "note": 2}


def render(report: RunReport) -> str:
    """The run as a SARIF 2.1.0 log (JSON text ending in a newline) that GitHub accepts."""
    sources = report.sources or Sources.unknown()
    rules = _rules(report)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [*_results(report, sources, index), *_fixed_results(report, sources, index)]
    failed = [
        (run, page) for run in report.services for page in run.pages if page.status == "error"
    ]
    notifications = [_page_error(run, page, sources) for run, page in failed]
    notifications += [
        _page_warning(run, page, warning, sources)
        for run in report.services
        for page in run.pages
        for warning in page.warnings
    ]
    notifications += [{"level": "warning", "message": {"text": note}} for note in report.notes]
    if report.sources is None:
        notifications.append(
            {"level": "warning", "message": {"text": UNKNOWN_LINES.format(uri=sources.uri)}}
        )
    sarif_run: Json = {
        "tool": _tool(report, rules),
        "invocations": [
            {"executionSuccessful": not failed, "toolExecutionNotifications": notifications}
        ],
        "results": results,
        "properties": {"date": report.date, "services": [r.service.id for r in report.services]},
    }
    kept = min(len(results), MAX_RESULTS)
    while True:
        text = _dump(sarif_run, _keep(results, kept))
        if len(gzip.compress(text.encode("utf-8"))) <= MAX_GZIP_BYTES or not kept:
            return text
        kept //= 2


def _dump(sarif_run: Json, results: list[Json]) -> str:
    run = sarif_run
    total = len(sarif_run["results"])
    if len(results) < total:
        left_out = {
            "level": "warning",
            "message": {
                "text": f"{total - len(results)} of {total} results are left out to stay within "
                f"GitHub code scanning's limits ({MAX_RESULTS:,} results per run, "
                f"{MAX_GZIP_BYTES // 1_000_000} MB compressed): new before persisting, errors "
                "before warnings and notes, open before accepted; the HTML run report lists "
                "them all"
            },
        }
        (invocation,) = sarif_run["invocations"]
        notifications = [*invocation["toolExecutionNotifications"], left_out]
        invocation = {**invocation, "toolExecutionNotifications": notifications}
        run = {**sarif_run, "invocations": [invocation], "results": results}
    sarif = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _keep(results: list[Json], count: int) -> list[Json]:
    """The ``count`` results that matter most, in their original order."""
    if count >= len(results):
        return results

    def rank(i: int) -> tuple[int, int, int, int]:
        result = results[i]
        return (
            _KEEP_STATE.get(result.get("baselineState"), 1),
            _KEEP_LEVEL.get(result.get("level", "warning"), 1),
            1 if "suppressions" in result else 0,
            i,
        )

    return [results[i] for i in sorted(sorted(range(len(results)), key=rank)[:count])]


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
    extensions = [axe]
    htmlcs = _versions(r.engine.htmlcs for r in report.services if r.engine.htmlcs)
    if htmlcs:
        extensions.append(
            {"name": engine_label("htmlcs"), "version": htmlcs, "informationUri": HTMLCS_URI}
        )
    if any(r.engine.checks for r in report.services):
        checks: Json = {"name": engine_label("check")}
        if own:
            checks["version"] = own
        checks["informationUri"] = INFORMATION_URI
        extensions.append(checks)
    return {"driver": driver, "extensions": extensions}


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
    properties: Json = {"tags": tags[:MAX_TAGS], "wcag": finding.wcag}
    if finding.level:
        properties["wcagLevel"] = finding.level
    if finding.engine != "axe-core":
        properties["engine"] = finding.engine
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
            "tags": _criteria_tags(issue.wcag, None, issue.legal)[:MAX_TAGS],
            "wcag": issue.wcag,
            "legal": issue.legal,
            "precision": "very-high",
            "problem.severity": _SEVERITY[default],
        },
    }


def _message(finding: Finding, node: Node, page: PageResult) -> str:
    text = f"{finding.help}: {node.selector} on {page.url} ({page.viewport})"
    if not finding.legal:
        text += " (beyond the legal requirement)"
    text += f"\nElement: {node.html}"
    if node.failure_summary:
        text += "\n" + node.failure_summary
    return text


def _location(line: SourceLine, what: str, selector: str | None = None) -> Json:
    location: Json = {
        "physicalLocation": {
            "artifactLocation": {"uri": line.uri, "uriBaseId": SRCROOT},
            "region": {"startLine": line.line, "startColumn": line.column},
        },
        "message": {"text": what},
    }
    if selector is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": selector, "kind": "element"}]
    return location


def _what(sources: Sources, line: SourceLine, service: str, url: str) -> str:
    """What a located line of services.yaml is, for the reader of an alert."""
    if line.kind == "page":
        return f"{service}: the page {url} is listed here"
    if line.kind == "sitemap":
        return f"{service}: its sitemap setting ({url} could not be read)"
    if line.kind == "service" and service in sources.sitemaps:
        return f"{service}: the service whose sitemap lists {url}"
    if line.kind == "service":
        return f"{service}: the service; {url} is not listed in this file (any more)"
    return f"{service}: {url} (its service is not found in this file)"


def _suppression(acceptance: Acceptance) -> Json:
    expires = acceptance.expires.isoformat() if acceptance.expires else "never"
    justification = (
        f"{acceptance.reason} (owner: {acceptance.owner}, expires: {expires}, {acceptance.source})"
    )
    return {"kind": "external", "status": "accepted", "justification": justification}


def _results(report: RunReport, sources: Sources, index: dict[str, int]) -> Iterator[Json]:
    for run, page, finding in _violations(report):
        service = run.service.id
        line = sources.page(service, page.url)
        what = _what(sources, line, service, page.url)
        for node in finding.nodes:
            properties: Json = {
                "service": service,
                "url": page.url,
                "viewport": page.viewport,
                "selector": node.selector,
                "html": node.html,
                "wcag": finding.wcag,
                "impact": finding.impact,
                "legal": finding.legal,
            }
            if not finding.legal:
                properties["beyondLegalRequirement"] = True
            engines = found_by(finding, node)
            if engines != ("axe-core",):
                properties["foundBy"] = list(engines)
            result: Json = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": level(finding.impact, finding.legal),
                "message": {"text": _message(finding, node, page)},
                "locations": [_location(line, what, node.selector)],
                "partialFingerprints": {FINGERPRINT_KEY: node.fingerprint},
            }
            acceptance = report.acceptance(service, node.fingerprint, page.url)
            if acceptance is not None:
                result["suppressions"] = [_suppression(acceptance)]
            if report.changes is not None and service not in report.uncompared:
                change = report.change(service, node.fingerprint) or "new"
                result["baselineState"] = _BASELINE[change]
            result["properties"] = properties
            yield result


def _fixed_results(report: RunReport, sources: Sources, index: dict[str, int]) -> Iterator[Json]:
    """Baseline issues this run no longer finds, located where their first page is listed."""
    if report.changes is None:
        return
    urls = {run.service.id: run.service.url for run in report.services}

    def key(fixed: FixedIssue) -> tuple[str, str, str, str]:
        return fixed.service, fixed.issue.rule, fixed.issue.selector, fixed.issue.id

    for fixed in sorted(report.fixed, key=key):
        issue = fixed.issue
        url = issue.pages[0] if issue.pages else urls.get(fixed.service, "")
        line = sources.page(fixed.service, url)
        what = _what(sources, line, fixed.service, url)
        yield {
            "ruleId": issue.rule,
            "ruleIndex": index[issue.rule],
            "level": level(issue.impact, issue.legal),
            "message": {
                "text": f"Fixed since the baseline: {issue.rule} on {issue.selector} ({url})"
            },
            "locations": [_location(line, what, issue.selector)],
            "partialFingerprints": {FINGERPRINT_KEY: issue.id},
            "baselineState": "absent",
            "properties": {
                "service": fixed.service,
                "url": url,
                "pages": issue.pages,
                "viewports": issue.viewports,
                "selector": issue.selector,
                "wcag": issue.wcag,
                "impact": issue.impact,
                "legal": issue.legal,
            },
        }


def _page_error(run: ServiceRun, page: PageResult, sources: Sources) -> Json:
    line = sources.page(run.service.id, page.url, sitemap_error=page.error_kind in SITEMAP_ERRORS)
    what = _what(sources, line, run.service.id, page.url)
    return {
        "level": "error",
        "message": {
            "text": f"{page.url} ({page.viewport}) could not be audited: {page.error or '?'}"
        },
        "locations": [_location(line, what)],
        "properties": {
            "service": run.service.id,
            "url": page.url,
            "viewport": page.viewport,
            "errorKind": page.error_kind,
            "attempts": page.attempts,
        },
    }


def _page_warning(run: ServiceRun, page: PageResult, warning: str, sources: Sources) -> Json:
    """A page that was audited, but with a caveat its results depend on."""
    line = sources.page(run.service.id, page.url)
    return {
        "level": "warning",
        "message": {"text": f"{page.url} ({page.viewport}) was audited with a warning: {warning}"},
        "locations": [_location(line, _what(sources, line, run.service.id, page.url))],
        "properties": {"service": run.service.id, "url": page.url, "viewport": page.viewport},
    }
