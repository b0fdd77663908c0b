"""What the terminal says last after `run` and `demo` (and where `audit` wrote): the audit
table, where the outputs are, the goal's figures, the front page to open and the time taken.
The verdict (the counts that decided the exit code) follows it as the very last lines.

Everything here is English, like the rest of the terminal (see kuva_audit/words.py)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.words import count, duration

if TYPE_CHECKING:
    from kuva_audit.reports.data import ReportData


def folders(paths: Sequence[Path]) -> str:
    """Where ``paths`` are: their common folder, else each of their folders."""
    if not paths:
        return "-"
    found = list(dict.fromkeys(str(p.parent.resolve()) for p in paths))
    common = os.path.commonpath(found)
    if len(found) == 1 or Path(common).parent != Path(common):
        return common
    return ", ".join(found)


def written_lines(
    written: Mapping[str, Sequence[Path]], hints: Mapping[str, str], *, indent: bool = True
) -> list[str]:
    """One line per kind of output: ``audit results: 7 files in /x/audits/2026-12-03``;
    indented as a list with the counts aligned when ``indent``."""
    width = max((len(what) for what in written), default=0) + 1 if indent else 0
    lead = "  " if indent else ""
    return [
        f"{lead}{what + ':':<{width}} {count(len(paths), 'file')} in {folders(paths)}"
        + (f" ({hints[what]})" if what in hints else "")
        for what, paths in written.items()
    ]


def goal_line(data: ReportData) -> str:
    a, s = data.progress.accessibility, data.progress.satisfaction
    return (
        f"goal progress {data.as_of}: accessibility audits {a.done}/{a.total}, "
        f"satisfaction measured {s.done}/{s.total}"
    )


def recap_lines(
    *,
    written: Mapping[str, Sequence[Path]],
    hints: Mapping[str, str],
    data: ReportData | None,
    front_pages: Sequence[Path],
    elapsed: float,
) -> list[str]:
    """The lines after the audit table and before the verdict."""
    lines = ["outputs:", *written_lines(written, hints)] if written else []
    lines.append(goal_line(data) if data is not None else "goal progress: not computed")
    lines += [f"open the front page: {page.resolve()}" for page in front_pages]
    lines.append(f"whole job: {duration(elapsed)}")
    return lines
