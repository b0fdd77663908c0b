"""The root exceptions of kuva-audit.

Library code raises these with a one-line, actionable message; only the CLI catches them,
prints the message and exits with status 1 (no traceback).
"""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """The first line of ``exc``'s message (a browser's error can run to many lines), or its
    type's name when it says nothing."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class KuvaError(Exception):
    """Root of every error kuva-audit reports to a user as one line."""


class ConfigError(KuvaError):
    """services.yaml (or another input file) is missing, malformed or invalid."""


class BrowserError(KuvaError):
    """No usable Chromium could be found, installed or launched."""
