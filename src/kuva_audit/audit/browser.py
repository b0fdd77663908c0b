"""Finding, installing and launching Chromium.

Order of preference: ``--browser PATH``, then ``$KUVA_AUDIT_BROWSER``, then a system Chromium
or Chrome on PATH, then Playwright's own download (``playwright install chromium``).
:func:`ensure_browser` installs one when none is found: Playwright's download first, then on
Debian or Ubuntu as root ``apt-get install -y chromium``.

The value ``playwright`` (for ``--browser`` or ``$KUVA_AUDIT_BROWSER``) asks for Playwright's
own pinned Chromium build even when a system browser is on PATH: CI machines whose images
roll out at different times then all run the same build (``ensure_browser`` downloads it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.errors import BrowserError, first_line

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

BROWSER_ENV = "KUVA_AUDIT_BROWSER"
PLAYWRIGHT = "playwright"
"""The ``--browser`` / ``$KUVA_AUDIT_BROWSER`` value for Playwright's own pinned Chromium."""
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these, Chromium keeps trying to reach Google's hosts; --no-sandbox because CI and
# containers often run as root.
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
HOW_TO_FIX = (
    f"install Chromium (Debian/Ubuntu: apt-get install -y chromium; elsewhere: "
    f"python -m playwright install chromium) or set {BROWSER_ENV} to a Chromium binary"
)


@dataclass(frozen=True)
class BrowserChoice:
    path: str | None
    """Executable to launch, or None for Playwright's own downloaded Chromium."""
    source: str
    build: str | None = None
    """Which build: ``playwright chromium-1187`` (Playwright's pinned download, by its
    revision) or the executable's real path; recorded in the results beside the version."""


def find_browser(explicit: str | None = None) -> BrowserChoice | None:
    """The Chromium to use, or None when there is none."""
    for source, value in (("--browser", explicit), (BROWSER_ENV, os.environ.get(BROWSER_ENV))):
        if value == PLAYWRIGHT:
            bundled = _playwright_chromium()
            if bundled is None:
                raise BrowserError(
                    f"{source}: {PLAYWRIGHT}: Playwright's Chromium is not installed; run "
                    "`python -m playwright install chromium` or `kuva-audit browser --install`"
                )
            return _bundled(bundled, source)
        if value:
            path = shutil.which(value) or value
            if not Path(path).is_file():
                raise BrowserError(f"{source}: {value}: no such executable; {HOW_TO_FIX}")
            return BrowserChoice(path, source, str(Path(path).resolve()))
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(found, "system", str(Path(found).resolve()))
    bundled = _playwright_chromium()
    if bundled:
        return _bundled(bundled, "playwright")
    return None


def _bundled(executable: str, source: str) -> BrowserChoice:
    """Playwright's download, named by its revision folder (``chromium-1187``)."""
    path = Path(executable)
    revision = next((p.name for p in path.parents if p.name.startswith("chromium")), path.name)
    label = source if source == PLAYWRIGHT else f"{source}={PLAYWRIGHT}"
    return BrowserChoice(None, f"{label} ({executable})", f"{PLAYWRIGHT} {revision}")


def _playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium if it has been downloaded."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # a broken Playwright driver means: no bundled browser
        return None
    return path if path and Path(path).is_file() else None


def ensure_browser(
    explicit: str | None = None, *, say: Callable[[str], object] = print
) -> BrowserChoice:
    """Find a Chromium, installing one if needed; raise :class:`BrowserError` if impossible."""
    wants_playwright = (explicit or os.environ.get(BROWSER_ENV)) == PLAYWRIGHT
    if not wants_playwright or _playwright_chromium() is not None:
        choice = find_browser(explicit)
        if choice is not None:
            return choice
    say("kuva-audit: no Chromium found; trying `playwright install chromium`")
    if _run([sys.executable, "-m", "playwright", "install", "chromium"]):
        choice = find_browser(explicit)
        if choice is not None:
            return choice
    if wants_playwright:
        raise BrowserError(f"Playwright's Chromium could not be installed; {HOW_TO_FIX}")
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("kuva-audit: trying `apt-get install -y chromium`")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if _run(["apt-get", "update", "-qq"], env) and _run(
            ["apt-get", "install", "-y", "-qq", "chromium"], env
        ):
            choice = find_browser(explicit)
            if choice is not None:
                return choice
    raise BrowserError(f"no Chromium could be found or installed; {HOW_TO_FIX}")


def _run(command: list[str], env: dict[str, str] | None = None) -> bool:
    try:
        return subprocess.run(command, env=env, check=False, timeout=900).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


async def launch(playwright: Playwright, choice: BrowserChoice) -> Browser:
    try:
        return await playwright.chromium.launch(
            executable_path=choice.path, args=list(CHROMIUM_FLAGS), headless=True
        )
    except Exception as exc:
        where = choice.path or "Playwright's Chromium"
        raise BrowserError(f"cannot start {where}: {first_line(exc)}; {HOW_TO_FIX}") from None
