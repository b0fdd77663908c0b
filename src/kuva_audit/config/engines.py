"""The names ``checks:`` switches: the second engine and each interaction check.

The configuration validates ``checks:`` against these names, so they live in the config
package (the lower layer); the audit package imports them from here, never the other way.
"""

from __future__ import annotations

HTMLCS = "htmlcs"
CHECK_NAMES: tuple[str, ...] = (
    "language",
    "motion",
    "keyboard",
    "focus-visible",
    "focus-order",
    "text-spacing",
    "text-resize",
    "reflow",
)
"""Interaction checks, in the order they run (those that only read the page first)."""
ENGINE_NAMES: tuple[str, ...] = (HTMLCS, *CHECK_NAMES)
