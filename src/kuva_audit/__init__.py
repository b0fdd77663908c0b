"""kuva-audit: accessibility and customer-satisfaction audits for a city's digital services."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kuva-audit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
