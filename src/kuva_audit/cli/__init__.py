"""The kuva-audit command line.

Exit codes (pa11y's convention): 0 success; 1 bad input, tool failure, or a page that could not
be audited; 2 accessibility findings at or above ``--fail-on``.
"""

from __future__ import annotations

from kuva_audit.cli import audit, job, misc, stages
from kuva_audit.cli.app import app

__all__ = ["app", "audit", "job", "main", "misc", "stages"]


def main() -> None:
    app()
