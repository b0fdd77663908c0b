"""Run progress: a rich progress bar on a terminal, plain log lines otherwise (CI logs); both
show the time left (from the pages done so far) and end with the time the audit took."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kuva_audit.audit.results import PageResult
from kuva_audit.words import count, duration


def describe(result: PageResult) -> str:
    """A page's outcome in a few words: ``ok, 1 failing element, 2 to review, 0.5 s``."""
    if result.status == "error":
        return f"ERROR ({result.error})"
    legal = sum(len(f.nodes) for f in result.violations if f.legal)
    review = len(result.needs_review)
    return (
        f"ok, {count(legal, 'failing element')}, {review} to review, {result.timings.total_s:.1f} s"
    )


def eta(done: int, total: int, elapsed: float) -> str:
    """Time left at the pace so far: ``eta 12.0 s``; ``eta ?`` before the first page."""
    if done == 0:
        return "eta ?"
    return f"eta {duration(elapsed / done * max(total - done, 0))}"


def finished(pages: int, elapsed: float) -> str:
    return f"{count(pages, 'page')} audited in {duration(elapsed)}"


class LogProgress:
    """One line per page on stderr: readable in CI logs, nothing redrawn."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0
        self._started = time.perf_counter()

    def start(self, total: int) -> None:
        self._total = total
        self._started = time.perf_counter()
        print(f"kuva-audit: auditing {count(total, 'page')}", file=sys.stderr, flush=True)

    def page_done(self, service_id: str, result: PageResult) -> None:
        self._done += 1
        left = eta(self._done, self._total, time.perf_counter() - self._started)
        print(
            f"[{self._done}/{self._total}, {left}] {service_id} {result.viewport} {result.url}: "
            f"{describe(result)}",
            file=sys.stderr,
            flush=True,
        )

    def note(self, message: str) -> None:
        print(f"kuva-audit: {message}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        self.note(finished(self._done, time.perf_counter() - self._started))


class BarProgress:
    """A rich progress bar with the time taken and left; failed pages are printed above it as
    they happen, and the time the audit took once it is done."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress = Progress(
            TextColumn("[bold]auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("", total=None)
        self._done = 0
        self._started = time.perf_counter()

    def start(self, total: int) -> None:
        self._started = time.perf_counter()
        self._progress.update(self._task, total=total)
        self._progress.start()

    def page_done(self, service_id: str, result: PageResult) -> None:
        self._done += 1
        if result.status == "error":
            self._console.print(f"[red]error[/red] {service_id} {result.url}: {result.error}")
        self._progress.update(self._task, advance=1, description=f"{service_id} {result.url}")

    def stop(self) -> None:
        self._progress.stop()
        elapsed = time.perf_counter() - self._started
        self._console.print(f"kuva-audit: {finished(self._done, elapsed)}", highlight=False)


def progress_for(console: Console) -> LogProgress | BarProgress:
    return BarProgress(console) if console.is_terminal else LogProgress()
