"""JUnit XML output, read back with junitparser as a CI server would."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from kuva_audit.audit.results import PageResult
from kuva_audit.formats import junit
from kuva_audit.triage.report import Acceptance, RunReport

ORIGIN = "http://127.0.0.1:8000"


def _parse(report: RunReport, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(junit.render(report), encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    assert isinstance(xml, JUnitXml)
    return xml


def _suites(xml: JUnitXml) -> dict[str, TestSuite]:
    return {suite.name: suite for suite in xml}


def _cases(suite: TestSuite) -> list[TestCase]:
    return list(suite)


def test_golden(fixed_report: RunReport, golden: Callable[[str, str], None]) -> None:
    text = junit.render(fixed_report)
    assert text == junit.render(fixed_report)
    assert text.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<testsuites")
    assert text.endswith("</testsuites>\n")
    golden("run.junit.xml", text)


def test_a_suite_per_service_a_case_per_page_and_viewport(
    fixed_report: RunReport, tmp_path: Path
) -> None:
    xml = _parse(fixed_report, tmp_path)
    assert xml.name == "kuva-audit"
    suites = _suites(xml)
    assert list(suites) == [run.service.id for run in fixed_report.services]
    assert len(suites) == 7
    for run in fixed_report.services:
        cases = _cases(suites[run.service.id])
        assert [(c.classname, c.name) for c in cases] == [
            (f"{run.service.id}.{page.viewport}", page.url) for page in run.pages
        ]
        assert [c.time for c in cases] == [page.timings.total_s for page in run.pages]
    ahti = _cases(suites["ahti"])
    assert len(ahti) == 6
    assert {c.classname for c in ahti} == {"ahti.desktop", "ahti.mobile"}
    assert xml.tests == sum(len(run.pages) for run in fixed_report.services) == 23


def test_unauditable_page_is_an_error(fixed_report: RunReport, tmp_path: Path) -> None:
    kultus = _suites(_parse(fixed_report, tmp_path))["kultus"]
    errors = [c for c in _cases(kultus) if c.is_error]
    assert [c.name for c in errors] == [f"{ORIGIN}/kultus/old.html"]
    (error,) = errors[0].result
    assert isinstance(error, Error)
    assert error.message == "HTTP 500 Internal Server Error"
    assert error.type == "http"
    assert kultus.errors == 1


def test_failures_are_the_failing_nodes(fixed_report: RunReport, tmp_path: Path) -> None:
    suites = _suites(_parse(fixed_report, tmp_path))
    for run in fixed_report.services:
        cases = _cases(suites[run.service.id])
        failing_pages = 0
        for page, case in zip(run.pages, cases, strict=True):
            failing = list(fixed_report.failing_nodes(run, page))
            failures = [r for r in case.result if isinstance(r, Failure)]
            if not failing:
                assert not failures
                continue
            failing_pages += 1
            (failure,) = failures
            assert failure.type == "accessibility"
            noun = "issue" if len(failing) == 1 else "issues"
            assert failure.message == f"{len(failing)} WCAG 2.1 A/AA {noun}"
            lines = (failure.text or "").splitlines()
            assert len(lines) == len(failing)
            for line, (finding, node) in zip(lines, failing, strict=True):
                assert line.startswith(f"{finding.rule} [{finding.impact}] ")
                assert f"WCAG {', '.join(finding.wcag)}" in line
                assert node.selector in line
                assert line.endswith(f"({finding.help_url})")
        assert suites[run.service.id].failures == failing_pages


def test_counts_on_suites_and_root(fixed_report: RunReport, tmp_path: Path) -> None:
    xml = _parse(fixed_report, tmp_path)
    counts = {s.name: (s.tests, s.failures, s.errors, s.time) for s in _suites(xml).values()}
    assert counts == {
        "ahti": (6, 0, 0, 3.0),
        "helsinkikuvia": (4, 3, 0, 2.0),
        "jassari": (2, 1, 0, 1.0),
        "kukkuu": (2, 2, 0, 1.0),
        "kultus": (4, 2, 1, 1.5),
        "tapahtumat": (2, 1, 0, 1.0),
        "venepaikat": (3, 2, 0, 1.5),
    }
    assert (xml.tests, xml.failures, xml.errors) == (23, 11, 1)
    # The counts written are those of the cases: junitparser recounting agrees.
    before = [(s.tests, s.failures, s.errors) for s in xml]
    for suite in xml:
        suite.update_statistics()
    assert [(s.tests, s.failures, s.errors) for s in xml] == before


def test_beyond_legal_and_needs_review_do_not_fail(fixed_report: RunReport, tmp_path: Path) -> None:
    suites = _suites(_parse(fixed_report, tmp_path))
    about = _cases(suites["tapahtumat"])[1]
    assert about.name == f"{ORIGIN}/tapahtumat/about.html"
    assert about.is_passed
    assert about.system_out is not None
    assert about.system_out.startswith("beyond the legal requirement: region [moderate]")
    front = _cases(suites["kultus"])[0]
    assert front.is_passed
    assert front.system_out is not None
    assert front.system_out.startswith("needs review: color-contrast [serious] WCAG 1.4.3")


def test_accepted_issues_do_not_fail(fixed_report: RunReport, tmp_path: Path) -> None:
    kukkuu = next(run for run in fixed_report.services if run.service.id == "kukkuu")
    accepted = {
        ("kukkuu", node.fingerprint, page.url): Acceptance(
            reason=f"Accepted {finding.rule}",
            owner="kukkuu-team",
            expires=dt.date(2027, 1, 31),
            source="accepted.yaml:4",
        )
        for page in kukkuu.pages
        for finding in page.violations
        for node in finding.nodes
    }
    assert len(accepted) == 2
    report = dataclasses.replace(fixed_report, accepted=accepted)
    xml = _parse(report, tmp_path)
    suite = _suites(xml)["kukkuu"]
    assert (suite.tests, suite.failures, suite.errors) == (2, 0, 0)
    assert (xml.tests, xml.failures, xml.errors) == (23, 9, 1)
    for case in _cases(suite):
        assert case.is_passed
        assert case.system_out is not None
        assert case.system_out.startswith("accepted: ")
        assert "(owner: kukkuu-team, expires: 2027-01-31, accepted.yaml:4)" in case.system_out


def test_several_issues_on_a_page(fixed_report: RunReport, tmp_path: Path) -> None:
    kukkuu = next(run for run in fixed_report.services if run.service.id == "kukkuu")
    merged = kukkuu.pages[0].model_copy(
        update={"violations": [*kukkuu.pages[0].violations, *kukkuu.pages[1].violations]}
    )
    run = kukkuu.model_copy(update={"pages": [merged]})
    xml = _parse(RunReport(date="2026-11-27", services=(run,)), tmp_path)
    suite = _suites(xml)["kukkuu"]
    (case,) = _cases(suite)
    (failure,) = case.result
    assert failure.message == "2 WCAG 2.1 A/AA issues"
    assert (suite.tests, suite.failures, xml.failures) == (1, 1, 1)
    assert [line.split(" ")[0] for line in (failure.text or "").splitlines()] == [
        "image-alt",
        "color-contrast",
    ]


def test_text_xml_cannot_hold_is_replaced(fixed_report: RunReport, tmp_path: Path) -> None:
    kultus = next(run for run in fixed_report.services if run.service.id == "kultus")
    broken = PageResult(
        url=f"{ORIGIN}/kultus/broken.html",
        viewport="desktop",
        position=0,
        status="error",
        error="net::ERR\x00 \x1b[31mbad\x1b[0m",
        error_kind="navigation",
    )
    run = kultus.model_copy(update={"pages": [broken]})
    xml = _parse(RunReport(date="2026-11-27", services=(run,)), tmp_path)
    (case,) = _cases(_suites(xml)["kultus"])
    (error,) = case.result
    assert error.message == "net::ERR\ufffd \ufffd[31mbad\ufffd[0m"
    assert error.type == "navigation"
