"""The names ``checks:`` switches: the second engine and each interaction check.

Kept free of imports so that the configuration can validate names without loading the engine.
"""

from __future__ import annotations

HTMLCS = "htmlcs"
CHECK_NAMES: tuple[str, ...] = ()
"""Interaction checks, in the order they run (those that only read the page first)."""
ENGINE_NAMES: tuple[str, ...] = (HTMLCS, *CHECK_NAMES)
