"""Which Chromium runs: Playwright's pinned build on request (what CI shards use), recorded in
the results as the browser build."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from kuva_audit.audit.browser import BROWSER_ENV, find_browser
from kuva_audit.errors import BrowserError

from .conftest import Site, audit, run_cli, service


def _playwright_executable() -> Path:
    """Where Playwright expects its Chromium ($PLAYWRIGHT_BROWSERS_PATH set by the test)."""
    with sync_playwright() as p:
        return Path(p.chromium.executable_path)


def test_playwright_is_asked_for_but_not_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    monkeypatch.setenv(BROWSER_ENV, "playwright")
    with pytest.raises(BrowserError, match="Playwright's Chromium is not installed"):
        find_browser()
    result = run_cli("browser")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "kuva-audit: error: KUVA_AUDIT_BROWSER: playwright: Playwright's Chromium is not "
        "installed; run `python -m playwright install chromium` or `kuva-audit browser --install`"
    )


@pytest.mark.browser
def test_playwright_build_wins_over_the_system_browser_and_is_named_by_its_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = find_browser()
    assert system is not None and system.source == "system"
    assert system.build == str(Path(system.path or "").resolve())
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    executable = _playwright_executable()
    assert executable.is_relative_to(tmp_path)
    executable.parent.mkdir(parents=True)
    executable.symlink_to(Path(system.path or "").resolve())
    revision = next(p.name for p in executable.parents if p.name.startswith("chromium"))
    for explicit, env, source in (
        ("playwright", None, "--browser=playwright"),
        (None, "playwright", "KUVA_AUDIT_BROWSER=playwright"),
    ):
        if env:
            monkeypatch.setenv(BROWSER_ENV, env)
        choice = find_browser(explicit)
        assert choice is not None
        assert choice.path is None  # Playwright launches its own build
        assert choice.build == f"playwright {revision}"
        assert choice.source == f"{source} ({executable})"
    monkeypatch.delenv(BROWSER_ENV)


@pytest.mark.browser
def test_results_record_the_browser_build_and_the_audit_ends_with_its_verdict(
    tmp_path: Path, site: Site
) -> None:
    choice = find_browser()
    assert choice is not None
    result, runs = audit(tmp_path, service("clean", site.origin + "/clean/", ["/", "about.html"]))
    engine = runs["clean"].engine
    assert engine.browser_build == choice.build
    assert engine.browser_version
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "kuva-audit: exit 0: all 2 pages audited; no open WCAG 2.1 A/AA issue at or above "
        "--fail-on serious (0 open issues in all)"
    )
