"""Checks are switched per service (``checks:``) and run only where they apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from .checks_helpers import outcome
from .conftest import Site, audit, service

pytestmark = pytest.mark.browser

SETTINGS = """checks: {htmlcs: false, keyboard: false, motion: false}
viewports:
  - {name: desktop, width: 1280, height: 800}
  - {name: phone, width: 375, height: 700, mobile: true}"""


def test_switched_off_checks_do_not_run_and_page_checks_run_once(
    tmp_path: Path, site: Site
) -> None:
    config = service(
        "switch", site.origin + "/checks/", ["trap-passed.html", "lang-passed.html"], SETTINGS
    )
    _, runs = audit(tmp_path, config)
    run = runs["switch"]
    assert "keyboard" not in run.settings["checks"]
    by_viewport = {p.viewport: p for p in run.pages if p.url.endswith("/trap-passed.html")}
    desktop, phone = by_viewport["desktop"], by_viewport["phone"]
    lang = {p.viewport: p for p in run.pages if p.url.endswith("/lang-passed.html")}
    for page in (desktop, phone):
        assert page.status == "ok"
        assert outcome(page, "check:keyboard-trap") is None
        assert outcome(page, "check:motion") is None
        assert "check:keyboard" not in page.timings.engines_s
        assert outcome(page, "check:focus-visible") == "passed"  # per viewport
    # Language and reflow do not depend on the viewport: the first one only.
    assert outcome(lang["desktop"], "check:language-page") == "passed"
    assert outcome(lang["phone"], "check:language-page") is None
    assert outcome(desktop, "check:reflow") == "passed"
    assert outcome(phone, "check:reflow") is None
    assert "check:reflow" not in phone.timings.engines_s
    # 200 % zoom of a 375 px viewport is beyond what 1.4.4 asks: not run there.
    assert outcome(desktop, "check:text-resize") == "passed"
    assert outcome(phone, "check:text-resize") is None
