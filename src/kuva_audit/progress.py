"""Run progress: a rich progress bar on a terminal, plain log lines otherwise (CI logs)."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kuva_audit.audit.results import PageResult


def _describe(result: PageResult) -> str:
    if result.status == "error":
        return f"ERROR ({result.error})"
    legal = sum(len(f.nodes) for f in result.violations if f.legal)
    review = len(result.needs_review)
    return f"ok, {legal} failing element(s), {review} to review, {result.timings.total_s:.1f} s"


class LogReporter:
    """One line per page on stderr: readable in CI logs, nothing redrawn."""

    def __init__(self) -> None:
        self._total = 0
        self._done = 0
        self._started = time.perf_counter()

    def start(self, total: int) -> None:
        self._total = total
        self._started = time.perf_counter()
        print(f"kuva-audit: auditing {total} page(s)", file=sys.stderr, flush=True)

    def page_done(self, service_id: str, result: PageResult) -> None:
        self._done += 1
        print(
            f"[{self._done}/{self._total}] {service_id} {result.viewport} {result.url}: "
            f"{_describe(result)}",
            file=sys.stderr,
            flush=True,
        )

    def note(self, message: str) -> None:
        print(f"kuva-audit: {message}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        elapsed = time.perf_counter() - self._started
        self.note(f"{self._done} page(s) in {elapsed:.1f} s")


class BarReporter:
    """A rich progress bar; failed pages are printed above it as they happen."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress = Progress(
            TextColumn("[bold]auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("", total=None)

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start()

    def page_done(self, service_id: str, result: PageResult) -> None:
        if result.status == "error":
            self._console.print(f"[red]error[/red] {service_id} {result.url}: {result.error}")
        self._progress.update(self._task, advance=1, description=f"{service_id} {result.url}")

    def stop(self) -> None:
        self._progress.stop()


def reporter_for(console: Console) -> LogReporter | BarReporter:
    return BarReporter(console) if console.is_terminal else LogReporter()
