"""Write a run's reports: the formats asked for, atomically, and the CI job summary."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kuva_audit.atomic import write_text_atomic
from kuva_audit.formats import Format, renderer
from kuva_audit.formats.report import RunReport

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class OutputPaths:
    sarif: Path | None = None
    junit: Path | None = None
    html: Path | None = None
    markdown: Path | None = None

    def wanted(self) -> list[tuple[Format, Path]]:
        return [(fmt, path) for fmt in Format if (path := getattr(self, fmt.value)) is not None]


def publish(report: RunReport, paths: OutputPaths) -> list[Path]:
    """Write each requested format; append the Markdown summary to $GITHUB_STEP_SUMMARY when
    that variable is set (GitHub Actions collects the job summary from it)."""
    written = []
    for fmt, path in paths.wanted():
        write_text_atomic(path, renderer(fmt)(report))
        written.append(path)
    summary = os.environ.get(STEP_SUMMARY_ENV)
    if summary:
        with Path(summary).open("a", encoding="utf-8") as handle:
            handle.write(renderer(Format.markdown)(report))
    return written
