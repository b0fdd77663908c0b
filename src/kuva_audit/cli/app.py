"""The typer app, its shared options, and how errors become one line and exit 1."""

from __future__ import annotations

import datetime as dt
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from kuva_audit import __version__
from kuva_audit.audit.browser import BROWSER_ENV
from kuva_audit.config.loader import CONFIG_ENV, ConfigProblems
from kuva_audit.errors import KuvaError
from kuva_audit.outputs import STEP_SUMMARY_ENV
from kuva_audit.pipeline.judging import FailOn, Triage
from kuva_audit.pipeline.options import parse_day
from kuva_audit.progress_display import progress_for
from kuva_audit.triage.verdict import EXIT_ERROR
from kuva_audit.writable import os_error_line

if TYPE_CHECKING:
    from kuva_audit.audit.run import AuditProgress  # playwright: only when auditing

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

__all__ = ["FailOn", "Triage", "app", "fail", "say", "terminal", "user_errors"]


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


class TerminalReporter:
    """The pipeline's lines and tables on the terminal; its audit progress on standard error."""

    def line(self, text: str, *, err: bool = False) -> None:
        say(text, err=err)

    def table(self, table: Table) -> None:
        console.print(table)

    def progress(self) -> AuditProgress:
        return progress_for(err_console)


terminal = TerminalReporter()


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
        except OSError as exc:
            raise fail(os_error_line(exc)) from None
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


ServiceOption = Annotated[
    list[str] | None, typer.Option("--service", "-s", help="Audit only this service (repeat)")
]
ConcurrencyOption = Annotated[
    int | None,
    typer.Option(min=1, max=64, help="Pages in flight [default: from config, else 4]"),
]
SarifOption = Annotated[Path | None, typer.Option("--sarif", help="Write SARIF 2.1.0 here")]
JunitOption = Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here")]
HtmlOption = Annotated[Path | None, typer.Option("--html", help="Write the HTML report here")]
MarkdownOption = Annotated[
    Path | None,
    typer.Option("--markdown", help=f"Write a Markdown summary here (also to ${STEP_SUMMARY_ENV})"),
]
AcceptedOption = Annotated[
    Path | None,
    typer.Option(
        "--accepted", help="Accepted issues [default: accepted.yaml beside services.yaml, if any]"
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="Earlier run to compare with: its folder (audits/<date>), read from the compact "
        "history when the folder is gone, or a history file",
    ),
]
FailOnOption = Annotated[
    FailOn, typer.Option(help="Exit 2 if an open WCAG A/AA issue has this impact or worse")
]
FailOnNewOption = Annotated[
    bool, typer.Option("--fail-on-new", help="Exit 2 only for issues new since --baseline")
]


LangOption = Annotated[str, typer.Option("--lang", help="Report language: fi, sv or en")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Report date, YYYY-MM-DD [default: today]")
]


def date_option(value: str | None, option: str) -> dt.date:
    """``value`` of ``option`` as a date (YYYY-MM-DD), today when it is not given."""
    return parse_day(value, option)
