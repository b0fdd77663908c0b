"""Output formats: each a module with a pure ``render(report: RunReport) -> str``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum

from kuva_audit.triage.report import RunReport


class Format(StrEnum):
    """Every output format; the value is the module that renders it."""

    sarif = "sarif"
    junit = "junit"
    html = "html"
    markdown = "markdown"


def renderer(fmt: Format) -> Callable[[RunReport], str]:
    render: Callable[[RunReport], str] = importlib.import_module(f"kuva_audit.formats.{fmt}").render
    return render
