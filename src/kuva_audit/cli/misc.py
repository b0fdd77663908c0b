"""validate, browser and schema."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from kuva_audit.audit.browser import BROWSER_ENV, ensure_browser, find_browser
from kuva_audit.audit.results import ServiceRun
from kuva_audit.cli.app import BrowserOption, ConfigOption, app, fail, say, user_errors
from kuva_audit.config.loader import ConfigProblems, load_config


@app.command()
@user_errors
def validate(config: ConfigOption = None) -> None:
    """Check services.yaml; print every problem as FILE:LINE: path: message.

    Beyond the schema: criteria of statement findings and audits outside the 49 the law
    requires, and status overrides the evidence (services.yaml and the latest audit) cannot
    support, are errors; burden claims that read like content outside the law's scope are
    warnings."""
    from kuva_audit.statements.build import override_errors
    from kuva_audit.statements.validate import statement_errors, statement_warnings

    loaded = load_config(config)
    for warning in statement_warnings(loaded):
        say(f"warning: {warning.format(loaded.path)}", err=True)
    errors = statement_errors(loaded)
    if not errors:
        errors = override_errors(loaded, loaded.root / "audits")
    if errors:
        raise ConfigProblems(loaded.path, errors)
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
