"""validate, browser, schema and history."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kuva_audit.audit.browser import BROWSER_ENV, ensure_browser, find_browser
from kuva_audit.audit.results import ServiceRun
from kuva_audit.cli.app import BrowserOption, ConfigOption, app, fail, say, user_errors
from kuva_audit.config.loader import ConfigProblems, load_config
from kuva_audit.words import count


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
    ids = ", ".join(s.id for s in services)
    say(f"{loaded.path}: valid, {count(len(services), 'service')}: {ids}")


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


@app.command("history")
@user_errors
def history_command(
    config: ConfigOption = None,
    audits: Annotated[
        Path | None,
        typer.Option(help="Audits folder [default: audits/ beside services.yaml]"),
    ] = None,
    keep_full: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Then delete the full results but the newest N nights (each only once the "
            "compact history holds it)",
        ),
    ] = None,
) -> None:
    """Write the compact history (audits/history/<YYYY>/<date>.jsonl) of every full result
    that has none yet; with --keep-full N, keep only the newest N nights of full results."""
    from kuva_audit.history.store import migrate, prune

    folder = audits or load_config(config).root / "audits"
    written = migrate(folder)
    for path in written:
        say(f"wrote {path}")
    if keep_full is not None:
        for removed in prune(folder, keep_full):
            say(f"deleted {removed} (kept in the compact history)")
    if not written and keep_full is None:
        say(f"{folder}: the compact history is complete")
