"""The language check on its fixtures, with the real Chromium, and its judgement rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.audit.checks.language import judge_language

from .checks_helpers import by_page, outcome, selectors
from .conftest import Site, audit, service

PAGES = ["lang-passed.html", "lang-failed.html", "lang-short.html"]


def test_judgement_needs_enough_words_and_confidence() -> None:
    finnish = "Kaupungin uimahallit ovat avoinna arkisin aamukuudesta iltayhdeksään."
    assert judge_language("fi", finnish).outcome == "match"
    assert judge_language("fi-FI", finnish).outcome == "match"
    wrong = judge_language("sv", finnish)
    assert (wrong.outcome, wrong.found) == ("fail", "fi")
    assert judge_language("en", "Hei").outcome == "none"  # too short to decide
    assert judge_language("i-lux", finnish).outcome == "none"  # a tag the identifier does not know
    assert judge_language(
        "nb", "Biblioteket er åpent hver dag og lånekortet er gratis."
    ).outcome in (
        "match",
        "none",
    )


@pytest.mark.browser
def test_page_and_parts(tmp_path: Path, site: Site) -> None:
    config = service("lang", site.origin + "/checks/", PAGES, "checks: {htmlcs: false}")
    _, runs = audit(tmp_path, config)
    pages = by_page(runs["lang"])
    good, bad, short = (pages[name] for name in PAGES)
    assert outcome(good, "check:language-page") == "passed"
    assert outcome(good, "check:language-parts") == "passed"
    assert outcome(bad, "check:language-page") == "failed"
    assert selectors(bad, "check:language-page") == ["html"]
    assert outcome(bad, "check:language-parts") == "failed"
    assert selectors(bad, "check:language-parts") == ["html > body > main > p:nth-of-type(2)"]
    (finding,) = [f for f in bad.violations if f.rule == "check:language-page"]
    assert finding.wcag == ["3.1.1"] and finding.engine == "check"
    assert "reads as 'fi'" in (finding.nodes[0].failure_summary or "")
    assert outcome(short, "check:language-page") is None  # too little text: no verdict
    assert outcome(short, "check:language-parts") == "inapplicable"
    assert "check:language-page" in runs["lang"].rule_criteria
