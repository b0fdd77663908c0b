"""Interaction checks as statement evidence: a pass checks its criterion automatically, a
failure fails it, an item for review is neither; failures are described in words."""

from __future__ import annotations

from pathlib import Path

from kuva_audit.audit.checks import check_finding, rule_criteria
from kuva_audit.audit.checks.base import CheckResult, Item
from kuva_audit.audit.checks.focus import ORDER, VISIBLE
from kuva_audit.audit.checks.reflow import REFLOW
from kuva_audit.audit.results import Finding, ServiceRun
from kuva_audit.statements.compliance import assess
from kuva_audit.texts import text

from .test_statement_evidence import HEAD, STATEMENT, kukkuu_run, page_text, write

ITEM = (Item("main", "<main>", "found"),)


def _with_checks(run: ServiceRun, extra: list[Finding]) -> ServiceRun:
    pages = []
    for page in run.pages:
        if page.status == "ok":
            page = page.model_copy(
                update={
                    "violations": [check_finding(CheckResult(REFLOW, "failed", ITEM)), *extra],
                    "needs_review": [check_finding(CheckResult(ORDER, "review", ITEM))],
                    "passed_rules": [*page.passed_rules, VISIBLE.id],
                }
            )
        pages.append(page)
    criteria = run.rule_criteria | rule_criteria()
    return run.model_copy(update={"pages": pages, "rule_criteria": criteria})


def test_check_outcomes_are_evidence_and_review_is_neither() -> None:
    base = kukkuu_run()
    assert assess(None, base, "en").criteria["2.4.3"] == "not-tested"
    result = assess(None, _with_checks(base, []), "en")
    assert result.criteria["2.4.7"] == "passed-automated"  # the check passed
    assert result.criteria["1.4.10"] == "failed"  # the check failed
    assert result.criteria["2.4.3"] == "not-tested"  # only for review: no evidence either way


def test_failures_are_described_in_words(tmp_path: Path) -> None:
    htmlcs = Finding(
        rule="htmlcs:1.3.1:H43.HeadersRequired",
        engine="htmlcs",
        impact="serious",
        wcag=["1.3.1"],
        level="A",
        legal=True,
        tags=[],
        description="",
        help="",
        help_url="",
        nodes=check_finding(CheckResult(REFLOW, "failed", ITEM)).nodes,
    )
    config = write(tmp_path, HEAD + STATEMENT, _with_checks(kukkuu_run(), [htmlcs]))
    for lang in ("fi", "sv", "en"):
        page = page_text(config, lang)
        assert "check:reflow" not in page and "htmlcs:" not in page
        assert text("statements.non_accessible.automated_other", lang) in page
    assert "scrolled both down and sideways" in page_text(config, "en")
