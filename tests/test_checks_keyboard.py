"""Keyboard, focus-visible and focus-order checks on their fixtures, with the real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.audit.results import PageResult

from .checks_helpers import by_page, outcome, selectors
from .conftest import Site, audit, service

pytestmark = pytest.mark.browser

PAGES = [
    "trap-failed.html",
    "trap-delayed.html",
    "trap-passed.html",
    "trap-instructions.html",
    "no-focusable.html",
    "focus-hidden.html",
    "focus-fades-in.html",
    "focus-elsewhere.html",
    "click-only.html",
    "focus-order.html",
    "frame-links.html",
]
ONLY = "checks: {htmlcs: false}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, site: Site) -> dict[str, PageResult]:
    tmp: Path = tmp_path_factory.mktemp("keyboard")
    _, runs = audit(tmp, service("keys", site.origin + "/checks/", PAGES, ONLY))
    run = runs["keys"]
    assert {"keyboard", "focus-visible", "focus-order"} <= set(run.engine.checks)
    return by_page(run)


def test_keyboard_trap_fails_only_when_certain(pages: dict[str, PageResult]) -> None:
    rule = "check:keyboard-trap"
    trapped = pages["trap-failed.html"]
    assert outcome(trapped, rule) == "failed"
    assert selectors(trapped, rule) == ["#email"]
    (finding,) = [f for f in trapped.violations if f.rule == rule]
    assert (finding.engine, finding.wcag, finding.level, finding.impact) == (
        "check",
        ["2.1.2"],
        "A",
        "critical",
    )
    assert outcome(pages["trap-passed.html"], rule) == "passed"
    # Focus is moved back on the animation frame after the blur and then 100 ms later: the
    # walk waits for the timers and frames the blur handler asked for, not a fixed delay.
    delayed = pages["trap-delayed.html"]
    assert outcome(delayed, rule) == "failed"
    assert selectors(delayed, rule) == ["#search"]
    # The page names a key (Escape) and it frees focus: no trap.
    assert outcome(pages["trap-instructions.html"], rule) == "passed"
    assert outcome(pages["no-focusable.html"], rule) == "inapplicable"
    # Tab moving through fifteen links inside a frame is not focus cycling in a trap.
    assert outcome(pages["frame-links.html"], rule) == "passed"


def test_focus_visible(pages: dict[str, PageResult]) -> None:
    rule = "check:focus-visible"
    hidden = pages["focus-hidden.html"]
    assert outcome(hidden, rule) == "failed"
    assert selectors(hidden, rule) == ["html > body > main > p > a"]
    assert outcome(pages["trap-passed.html"], rule) == "passed"
    # An outline that fades in is read when its transition has ended, not as it starts.
    assert outcome(pages["focus-fades-in.html"], rule) == "passed"
    # Shown by an indicator elsewhere: the check cannot tell, a person must look.
    assert outcome(pages["focus-elsewhere.html"], rule) == "review"
    # Focus inside a frame is drawn by the frame's document: not judged from outside.
    assert outcome(pages["frame-links.html"], rule) == "passed"
    assert outcome(pages["no-focusable.html"], rule) == "inapplicable"


def test_click_only_elements_are_for_review(pages: dict[str, PageResult]) -> None:
    rule = "check:keyboard-click-only"
    page = pages["click-only.html"]
    assert outcome(page, rule) == "review"
    assert sorted(selectors(page, rule)) == ["#next", "#prev"]
    assert outcome(pages["trap-passed.html"], rule) is None  # never a pass: one way only
    assert not any(f.engine == "check" for f in page.violations)


def test_focus_order_review(pages: dict[str, PageResult]) -> None:
    rule = "check:focus-order"
    page = pages["focus-order.html"]
    assert outcome(page, rule) == "review"
    assert sorted(selectors(page, rule)) == ["#email", "#phone"]
    assert outcome(pages["trap-passed.html"], rule) is None
    assert outcome(pages["no-focusable.html"], rule) == "inapplicable"


def test_review_is_neither_failure_nor_pass(pages: dict[str, PageResult]) -> None:
    for page in pages.values():
        reviewed = {f.rule for f in page.needs_review}
        assert not reviewed & {f.rule for f in page.violations}
        assert not reviewed & set(page.passed_rules)
