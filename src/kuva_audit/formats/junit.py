"""JUnit XML for CI test reports: a suite per service, a test case per page and viewport.

A page fails when it has WCAG 2.0/2.1 A/AA violations that are not accepted; a page that could
not be audited is an error. Accepted issues, issues beyond the legal requirement and items that
need a human review do not fail a page: they are listed in the case's ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from kuva_audit.audit.results import Finding, Node, PageResult, ServiceRun
from kuva_audit.triage.report import Acceptance, RunReport

# Characters XML 1.0 cannot hold; an element's HTML or an error message may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class _Counts:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    time: float = 0.0

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.time += other.time

    def set_on(self, element: ET.Element) -> None:
        element.set("tests", str(self.tests))
        element.set("failures", str(self.failures))
        element.set("errors", str(self.errors))
        element.set("skipped", "0")
        element.set("time", _seconds(self.time))


def render(report: RunReport) -> str:
    """The run as JUnit XML (UTF-8 text with an XML declaration, ending in a newline)."""
    root = ET.Element("testsuites", name="kuva-audit")
    total = _Counts()
    for run in report.services:
        suite = ET.SubElement(root, "testsuite", name=_clean(run.service.id))
        counts = _Counts()
        for page in run.pages:
            counts.add(_testcase(ET.SubElement(suite, "testcase"), report, run, page))
        counts.set_on(suite)
        total.add(counts)
    total.set_on(root)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data.decode("utf-8") + "\n"


def _testcase(case: ET.Element, report: RunReport, run: ServiceRun, page: PageResult) -> _Counts:
    """Fill one test case; return what it adds to its suite's counts."""
    case.set("classname", _clean(f"{run.service.id}.{page.viewport}"))
    case.set("name", _clean(page.url))
    case.set("time", _seconds(page.timings.total_s))
    counts = _Counts(tests=1, time=page.timings.total_s)
    if page.status == "error":
        error = ET.SubElement(case, "error")
        error.set("message", _clean(page.error or "the page could not be audited"))
        error.set("type", page.error_kind or "error")
        error.text = _clean(
            f"{page.url} ({page.viewport}) could not be audited after {page.attempts} "
            f"attempt(s): {page.error or 'unknown error'}"
        )
        counts.errors = 1
        return counts
    failing = list(report.failing_nodes(run, page))
    if failing:
        failure = ET.SubElement(case, "failure")
        noun = "issue" if len(failing) == 1 else "issues"
        failure.set("message", f"{len(failing)} WCAG 2.1 A/AA {noun}")
        failure.set("type", "accessibility")
        failure.text = _clean("\n".join(_line(finding, node) for finding, node in failing))
        counts.failures = 1
    others = list(_other_lines(report, run, page))
    if others:
        ET.SubElement(case, "system-out").text = _clean("\n".join(others))
    return counts


def _line(finding: Finding, node: Node) -> str:
    """One violation on one element: rule, impact, criteria, selector, help URL."""
    criteria = f"WCAG {', '.join(finding.wcag)}" if finding.wcag else "no WCAG criterion"
    return (
        f"{finding.rule} [{finding.impact or 'unknown impact'}] {criteria}: "
        f"{node.selector} - {finding.help} ({finding.help_url})"
    )


def _accepted(acceptance: Acceptance) -> str:
    expires = acceptance.expires.isoformat() if acceptance.expires else "never"
    return (
        f"{acceptance.reason} (owner: {acceptance.owner}, expires: {expires}, {acceptance.source})"
    )


def _other_lines(report: RunReport, run: ServiceRun, page: PageResult) -> Iterator[str]:
    """What the page reports without failing: its warnings, accepted, beyond-legal and
    needs-review items."""
    for warning in page.warnings:
        yield f"warning: {warning}"
    for finding in page.violations:
        for node in finding.nodes:
            acceptance = report.acceptance(run.service.id, node.fingerprint, page.url)
            if acceptance is not None:
                yield f"accepted: {_line(finding, node)}; {_accepted(acceptance)}"
            elif not finding.legal:
                yield f"beyond the legal requirement: {_line(finding, node)}"
    for finding in page.needs_review:
        for node in finding.nodes:
            yield f"needs review: {_line(finding, node)}"


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
