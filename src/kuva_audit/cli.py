"""The kuva-audit command line.

Exit codes (pa11y's convention): 0 success; 1 bad input, tool failure, or a page that could not
be audited; 2 accessibility findings at or above ``--fail-on``.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from kuva_audit import __version__
from kuva_audit.audit.browser import BROWSER_ENV, ensure_browser, find_browser
from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.run import EXIT_ERROR, EXIT_OK, RunOutcome, run_audit, select_services
from kuva_audit.config.loader import CONFIG_ENV, ConfigProblems, LoadedConfig, load_config
from kuva_audit.errors import KuvaError
from kuva_audit.progress import reporter_for
from kuva_audit.summary import summary_table

app = typer.Typer(
    help="Accessibility and customer-satisfaction audits for a city's digital services.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
# Not a terminal (CI logs, pipes): wide enough that the summary table keeps one line per row.
console = Console(width=None if sys.stdout.isatty() else 132)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 132)

F = TypeVar("F", bound=Callable[..., Any])


class FailOn(StrEnum):
    critical = "critical"
    serious = "serious"
    moderate = "moderate"
    minor = "minor"
    none = "none"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", help=f"services.yaml to read [default: ${CONFIG_ENV} or ./services.yaml]"
    ),
]
BrowserOption = Annotated[
    str | None,
    typer.Option("--browser", help=f"Chromium binary to use [default: ${BROWSER_ENV}, or found]"),
]


def say(text: str, *, err: bool = False) -> None:
    """Print plain text: no markup, no highlighting, no wrapping (grep- and CI-friendly)."""
    (err_console if err else console).print(text, markup=False, highlight=False, soft_wrap=True)


def fail(message: str) -> typer.Exit:
    say(f"kuva-audit: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def user_errors(func: F) -> F:
    """Turn kuva-audit's own errors and interruptions into one-line messages and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            return func(*args, **kwargs)
        except ConfigProblems as exc:
            for line in exc.lines():
                say(line, err=True)
            raise typer.Exit(EXIT_ERROR) from None
        except KuvaError as exc:
            raise fail(str(exc)) from None
        except KeyboardInterrupt:
            raise fail("interrupted; results of unfinished services were not written") from None

    return wrapper  # type: ignore[return-value]


def version_callback(value: bool) -> None:
    if value:
        console.print(f"kuva-audit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Accessibility and customer-satisfaction audits for a city's digital services."""


@app.command()
@user_errors
def validate(config: ConfigOption = None) -> None:
    """Check services.yaml; print every problem as FILE:LINE: path: message."""
    loaded = load_config(config)
    services = loaded.config.services
    say(f"{loaded.path}: valid, {len(services)} service(s): {', '.join(s.id for s in services)}")


@app.command()
@user_errors
def audit(
    config: ConfigOption = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Audit only this service (repeat)")
    ] = None,
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Pages in flight [default: from config, else 4]"),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where results go [default: audits/ beside services.yaml]"),
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option(help="Exit 2 if a WCAG A/AA issue has this impact or worse")
    ] = FailOn.serious,
    browser: BrowserOption = None,
) -> None:
    """Audit services with axe-core in Chromium; write audits/<date>/<service>.json."""
    loaded = load_config(config)
    outcome = _run(loaded, service or [], out_dir or loaded.root / "audits", browser, concurrency)
    raise typer.Exit(outcome.exit_code(fail_on.value))


def _run(
    loaded: LoadedConfig,
    service_ids: list[str],
    out_dir: Path,
    browser: str | None,
    concurrency: int | None,
) -> RunOutcome:
    services = select_services(loaded, service_ids)
    choice = find_browser(browser)
    if choice is None:
        raise fail(f"no Chromium found; run `kuva-audit browser --install`, or set {BROWSER_ENV}")
    outcome = asyncio.run(
        run_audit(
            loaded,
            services,
            out_dir=out_dir,
            browser_choice=choice,
            reporter=reporter_for(err_console),
            concurrency=concurrency,
        )
    )
    console.print(summary_table(outcome))
    for s in outcome.services:
        say(f"wrote {s.path}")
    return outcome


@app.command()
@user_errors
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Working folder for the demo's config and outputs")
    ] = Path("kuva-demo"),
    browser: BrowserOption = None,
) -> None:
    """Serve the bundled demo sites on 127.0.0.1 and run the whole job on them.

    Exits 0 when every page was audited (the demo's defects are intended), 1 otherwise.
    """
    from kuva_audit.demo.server import serve_demo, write_demo_config

    with serve_demo() as origin:
        config_path = write_demo_config(workdir / "services.yaml", origin)
        say(f"demo sites served at {origin}/")
        loaded = load_config(config_path)
        outcome = _run(loaded, [], workdir / "audits", browser, None)
    say(f"demo config: {config_path}")
    say(f"audit results: {workdir / 'audits' / outcome.date}/")
    raise typer.Exit(EXIT_ERROR if any(s.totals.errors for s in outcome.services) else EXIT_OK)


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


def main() -> None:
    app()
