"""A page audited with a warning (still loading, blank) is shown by every output format."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.formats import junit, markdown, sarif
from kuva_audit.triage.report import RunReport

WARNING = "blank page: nothing visible after the page settled"


def _warned(run: ServiceRun) -> ServiceRun:
    if run.service.id != "ahti":
        return run
    first = run.pages[0].model_copy(update={"warnings": [WARNING]})
    return run.model_copy(update={"pages": [first, *run.pages[1:]]})


@pytest.fixture(scope="module")
def report(fixed_report: RunReport) -> RunReport:
    return dataclasses.replace(
        fixed_report, services=tuple(_warned(run) for run in fixed_report.services)
    )


def test_markdown_lists_the_page_and_its_warning(report: RunReport) -> None:
    text = markdown.render(report)
    assert "**Pages audited with warnings**" in text
    url = report.services[0].pages[0].url
    assert f"- ahti: {url} (desktop): {WARNING}" in text.splitlines()


def test_junit_writes_it_in_the_page_case_without_failing_it(report: RunReport) -> None:
    root = ET.fromstring(junit.render(report).encode("utf-8"))
    url = report.services[0].pages[0].url
    case = next(c for c in root.iter("testcase") if c.get("name") == url)
    out = case.find("system-out")
    assert out is not None and out.text is not None
    assert f"warning: {WARNING}" in out.text.splitlines()
    assert case.find("error") is None


def test_sarif_has_a_warning_notification_at_the_page_line(report: RunReport) -> None:
    log = json.loads(sarif.render(report))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    url = report.services[0].pages[0].url
    (note,) = [n for n in notes if WARNING in n["message"]["text"]]
    assert note["level"] == "warning"
    assert note["message"]["text"] == f"{url} (desktop) was audited with a warning: {WARNING}"
    assert note["properties"] == {"service": "ahti", "url": url, "viewport": "desktop"}
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
