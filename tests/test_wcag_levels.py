"""Levels come from the one table of criteria: a rule counts for its WCAG 2.1 A/AA criteria
only, and AAA criteria never reach legal counts, failed criteria, reports or statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.audit.results import Finding
from kuva_audit.audit.wcag import CRITERIA, map_tags
from kuva_audit.formats import html
from kuva_audit.statements.compliance import assess
from kuva_audit.triage.report import RunReport

from .conftest import Site, audit, service


@pytest.mark.browser
def test_a_rules_aaa_criterion_is_kept_aside_not_counted(tmp_path: Path, site: Site) -> None:
    _, runs = audit(tmp_path, service("levels", site.origin + "/defects/", ["scrollable.html"]))
    run = runs["levels"]
    (result,) = run.pages
    assert result.status == "ok", result.error
    finding = next(f for f in result.violations if f.rule == "scrollable-region-focusable")
    assert "wcag213" in finding.tags  # axe names 2.1.3 Keyboard (No Exception), level AAA
    assert (finding.wcag, finding.wcag_beyond) == (["2.1.1"], ["2.1.3"])
    assert (finding.level, finding.legal) == ("A", True)
    assert "2.1.3" not in run.totals.failed_criteria
    assert run.totals.failed_criteria["2.1.1"] == 1
    (issue,) = [fp for fp in run.fingerprints if fp.rule == "scrollable-region-focusable"]
    assert (issue.wcag, issue.wcag_beyond) == (["2.1.1"], ["2.1.3"])
    assert "2.1.3" not in run.rule_criteria["scrollable-region-focusable"]
    assert all(CRITERIA[c].legal for cs in run.rule_criteria.values() for c in cs)

    view = html.run_report_view(RunReport(run.date, (run,)))
    rows = [row.criterion for s in view.services for row in s.by_criterion]
    assert "2.1.1" in rows
    assert "2.1.3" not in rows
    assessment = assess(None, run)
    assert assessment.criteria["2.1.1"] == "failed"
    assert "2.1.3" not in assessment.criteria


def test_results_written_before_the_table_are_read_the_same_way() -> None:
    """An older result file lists 2.1.3 among a legal finding's criteria; it is moved aside."""
    old = {
        "rule": "scrollable-region-focusable",
        "impact": "serious",
        "wcag": ["2.1.1", "2.1.3"],
        "level": "A",
        "legal": True,
        "tags": ["wcag2a", "wcag211", "wcag213"],
        "description": "",
        "help": "",
        "help_url": "",
        "nodes": [],
    }
    finding = Finding.model_validate(old)
    assert (finding.wcag, finding.wcag_beyond) == (["2.1.1"], ["2.1.3"])
    beyond = Finding.model_validate({**old, "legal": False, "level": None, "wcag": ["1.4.6"]})
    assert beyond.wcag == ["1.4.6"]


def test_levels_come_from_the_criteria_not_from_the_rule_tags() -> None:
    assert map_tags(["wcag2a", "wcag211", "wcag213"]).criteria == ("2.1.1",)
    assert map_tags(["wcag2aa", "wcag143"]).level == "AA"
    assert map_tags(["wcag2a", "wcag2aa", "wcag111", "wcag143"]).level == "A"
    aaa_only = map_tags(["wcag2aaa", "wcag146"])
    assert (aaa_only.legal, aaa_only.criteria) == (False, ("1.4.6",))
    wcag22 = map_tags(["wcag22aa", "wcag258"])
    assert (wcag22.legal, wcag22.level) == (False, None)
