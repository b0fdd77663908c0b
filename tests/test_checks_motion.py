"""The motion check (2.2.2, review only) on its fixtures, with the real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks_helpers import by_page, outcome, selectors
from .conftest import Site, audit, service

pytestmark = pytest.mark.browser

PAGES = ["motion-review.html", "motion-control.html", "no-focusable.html"]


def test_updating_content_without_control_is_for_review(tmp_path: Path, site: Site) -> None:
    config = service("motion", site.origin + "/checks/", PAGES, "checks: {htmlcs: false}")
    _, runs = audit(tmp_path, config)
    pages = by_page(runs["motion"])
    rule = "check:motion"
    ticker = pages["motion-review.html"]
    assert outcome(ticker, rule) == "review"
    assert selectors(ticker, rule) == ["#queue"]
    assert not any(f.rule == rule for f in ticker.violations)  # never a failure
    # A stop button is there: nothing to report, but no pass either (a person decides).
    assert outcome(pages["motion-control.html"], rule) is None
    assert outcome(pages["no-focusable.html"], rule) == "inapplicable"
    assert rule not in {r for p in pages.values() for r in p.passed_rules}
