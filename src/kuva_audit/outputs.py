"""Write a run's reports: the formats asked for, atomically, and the CI job summary."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kuva_audit.atomic import write_texts_atomic
from kuva_audit.formats import Format, renderer
from kuva_audit.triage.report import RunReport
from kuva_audit.writable import OutputError, check_output_file, os_reason

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class OutputPaths:
    sarif: Path | None = None
    junit: Path | None = None
    html: Path | None = None
    markdown: Path | None = None

    def wanted(self) -> list[tuple[Format, Path]]:
        return [(fmt, path) for fmt in Format if (path := getattr(self, fmt.value)) is not None]

    def folders(self) -> list[Path]:
        """The folders the outputs go to (each is locked while they are written)."""
        return [path.parent for _, path in self.wanted()]

    def check(self) -> None:
        """Each path can be written as a file (before any work starts); one line otherwise."""
        for fmt, path in self.wanted():
            check_output_file(f"--{fmt.value}", path)


def append_step_summary(text: str) -> None:
    """Append ``text`` to $GITHUB_STEP_SUMMARY when that variable is set."""
    summary = os.environ.get(STEP_SUMMARY_ENV)
    if not summary:
        return
    try:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(
            f"{summary} (${STEP_SUMMARY_ENV}): cannot write ({os_reason(exc)})"
        ) from None


def write_ci_outputs(report: RunReport, paths: OutputPaths) -> list[Path]:
    """Write each requested format; append the Markdown summary to $GITHUB_STEP_SUMMARY when
    that variable is set (GitHub Actions collects the job summary from it)."""
    wanted = list(paths.wanted())
    write_texts_atomic([(path, renderer(fmt)(report), "utf-8") for fmt, path in wanted])
    written = [path for _, path in wanted]
    if os.environ.get(STEP_SUMMARY_ENV):
        append_step_summary(renderer(Format.markdown)(report))
    return written
