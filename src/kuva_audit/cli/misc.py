"""validate, browser and schema."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from kuva_audit.audit.browser import BROWSER_ENV, ensure_browser, find_browser
from kuva_audit.audit.results import ServiceRun
from kuva_audit.cli.app import BrowserOption, ConfigOption, app, fail, say, user_errors
from kuva_audit.config.loader import load_config


@app.command()
@user_errors
def validate(config: ConfigOption = None) -> None:
    """Check services.yaml; print every problem as FILE:LINE: path: message."""
    loaded = load_config(config)
    services = loaded.config.services
    say(f"{loaded.path}: valid, {len(services)} service(s): {', '.join(s.id for s in services)}")


@app.command("browser")
@user_errors
def browser_command(
    install: Annotated[
        bool, typer.Option("--install", help="Install a Chromium if none is found")
    ] = False,
    browser: BrowserOption = None,
) -> None:
    """Show which Chromium kuva-audit uses (and install one with --install)."""
    choice = (
        ensure_browser(browser, say=lambda text: say(text, err=True))
        if install
        else find_browser(browser)
    )
    if choice is None:
        raise fail(f"no Chromium found; run `kuva-audit browser --install` or set {BROWSER_ENV}")
    say(f"{choice.path or 'Playwright Chromium'} (from {choice.source})")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the audit result files."""
    sys.stdout.write(json.dumps(ServiceRun.model_json_schema(), indent=2) + "\n")
