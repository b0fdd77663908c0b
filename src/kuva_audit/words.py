"""English words for the terminal: counts with their noun in singular or plural, durations.

The terminal and CI logs are in English whatever ``--lang`` says (the reports' language), so
that logs, grep patterns and annotations read the same for every report language."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``0 pages``; ``plural`` when adding ``s`` is wrong."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def duration(seconds: float) -> str:
    """``4.2 s`` under a minute, ``1 min 05 s`` under an hour, ``1 h 02 min`` above."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
