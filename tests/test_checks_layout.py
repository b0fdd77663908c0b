"""Reflow, text-spacing and text-resize checks on their fixtures, with the real Chromium."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from kuva_audit.audit.browser import find_browser, launch
from kuva_audit.audit.checks import run_checks
from kuva_audit.audit.results import PageResult

from .checks_helpers import by_page, outcome, selectors
from .conftest import Site, audit, service

pytestmark = pytest.mark.browser

PAGES = [
    "reflow-failed.html",
    "reflow-table.html",
    "no-focusable.html",
    "spacing-clipped.html",
    "zoom-clipped.html",
    "zoom-passed.html",
    "blank.html",
]
ONLY = "allow_blank: true\nchecks: {htmlcs: false}"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, site: Site) -> dict[str, PageResult]:
    tmp: Path = tmp_path_factory.mktemp("layout")
    _, runs = audit(tmp, service("layout", site.origin + "/checks/", PAGES, ONLY))
    return by_page(runs["layout"])


def test_reflow(pages: dict[str, PageResult]) -> None:
    rule = "check:reflow"
    wide = pages["reflow-failed.html"]
    assert outcome(wide, rule) == "failed"
    assert selectors(wide, rule) == ["html > body > main > div"]
    (finding,) = [f for f in wide.violations if f.rule == rule]
    assert (finding.wcag, finding.level, finding.engine) == (["1.4.10"], "AA", "check")
    # Only a table (content that may need two dimensions) is wider: for a person to judge.
    assert outcome(pages["reflow-table.html"], rule) == "review"
    assert outcome(pages["no-focusable.html"], rule) == "passed"
    assert outcome(pages["blank.html"], rule) == "inapplicable"


def test_text_spacing(pages: dict[str, PageResult]) -> None:
    rule = "check:text-spacing"
    clipped = pages["spacing-clipped.html"]
    assert outcome(clipped, rule) == "failed"
    assert selectors(clipped, rule) == ["html > body > main > div"]
    assert outcome(pages["zoom-passed.html"], rule) == "passed"
    assert outcome(pages["blank.html"], rule) == "inapplicable"


def test_text_resize(pages: dict[str, PageResult]) -> None:
    rule = "check:text-resize"
    clipped = pages["zoom-clipped.html"]
    assert outcome(clipped, rule) == "failed"
    assert selectors(clipped, rule) == ["html > body > main > p"]
    assert outcome(pages["zoom-passed.html"], rule) == "passed"
    assert outcome(pages["blank.html"], rule) == "inapplicable"


def test_checks_restore_the_viewport(site: Site) -> None:
    """Reflow and resize change the viewport; the tab's next page must get it back."""

    async def go() -> tuple[dict[str, int] | None, list[str]]:
        choice = find_browser()
        assert choice is not None
        async with async_playwright() as playwright:
            browser = await launch(playwright, choice)
            try:
                page = await browser.new_page(viewport={"width": 1024, "height": 700})
                await page.goto(site.origin + "/checks/reflow-failed.html")
                done = await run_checks(page, ["text-resize", "reflow"], [])
                return page.viewport_size, [f.rule for f in done.violations]
            finally:
                await browser.close()

    size, failed = asyncio.run(go())
    assert size == {"width": 1024, "height": 700}
    assert failed == ["check:reflow"]
