"""The project's one Jinja environment and the filters every template may use.

Templates live in ``kuva_audit/templates/``. Autoescaping is on for every template whatever its
extension, and undefined names are errors. Filters return plain strings, never markup, so what
they return is escaped like any other value: nothing a page or a config supplies is ever marked
safe.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import jinja2

from kuva_audit.audit.wcag import criterion_key

WCAG_CRITERIA: dict[str, str] = {
    "1.1.1": "Non-text Content",
    "1.2.1": "Audio-only and Video-only (Prerecorded)",
    "1.2.2": "Captions (Prerecorded)",
    "1.2.3": "Audio Description or Media Alternative (Prerecorded)",
    "1.2.4": "Captions (Live)",
    "1.2.5": "Audio Description (Prerecorded)",
    "1.2.6": "Sign Language (Prerecorded)",
    "1.2.7": "Extended Audio Description (Prerecorded)",
    "1.2.8": "Media Alternative (Prerecorded)",
    "1.2.9": "Audio-only (Live)",
    "1.3.1": "Info and Relationships",
    "1.3.2": "Meaningful Sequence",
    "1.3.3": "Sensory Characteristics",
    "1.3.4": "Orientation",
    "1.3.5": "Identify Input Purpose",
    "1.3.6": "Identify Purpose",
    "1.4.1": "Use of Color",
    "1.4.2": "Audio Control",
    "1.4.3": "Contrast (Minimum)",
    "1.4.4": "Resize Text",
    "1.4.5": "Images of Text",
    "1.4.6": "Contrast (Enhanced)",
    "1.4.7": "Low or No Background Audio",
    "1.4.8": "Visual Presentation",
    "1.4.9": "Images of Text (No Exception)",
    "1.4.10": "Reflow",
    "1.4.11": "Non-text Contrast",
    "1.4.12": "Text Spacing",
    "1.4.13": "Content on Hover or Focus",
    "2.1.1": "Keyboard",
    "2.1.2": "No Keyboard Trap",
    "2.1.3": "Keyboard (No Exception)",
    "2.1.4": "Character Key Shortcuts",
    "2.2.1": "Timing Adjustable",
    "2.2.2": "Pause, Stop, Hide",
    "2.2.3": "No Timing",
    "2.2.4": "Interruptions",
    "2.2.5": "Re-authenticating",
    "2.2.6": "Timeouts",
    "2.3.1": "Three Flashes or Below Threshold",
    "2.3.2": "Three Flashes",
    "2.3.3": "Animation from Interactions",
    "2.4.1": "Bypass Blocks",
    "2.4.2": "Page Titled",
    "2.4.3": "Focus Order",
    "2.4.4": "Link Purpose (In Context)",
    "2.4.5": "Multiple Ways",
    "2.4.6": "Headings and Labels",
    "2.4.7": "Focus Visible",
    "2.4.8": "Location",
    "2.4.9": "Link Purpose (Link Only)",
    "2.4.10": "Section Headings",
    "2.4.11": "Focus Not Obscured (Minimum)",
    "2.4.12": "Focus Not Obscured (Enhanced)",
    "2.4.13": "Focus Appearance",
    "2.5.1": "Pointer Gestures",
    "2.5.2": "Pointer Cancellation",
    "2.5.3": "Label in Name",
    "2.5.4": "Motion Actuation",
    "2.5.5": "Target Size (Enhanced)",
    "2.5.6": "Concurrent Input Mechanisms",
    "2.5.7": "Dragging Movements",
    "2.5.8": "Target Size (Minimum)",
    "3.1.1": "Language of Page",
    "3.1.2": "Language of Parts",
    "3.1.3": "Unusual Words",
    "3.1.4": "Abbreviations",
    "3.1.5": "Reading Level",
    "3.1.6": "Pronunciation",
    "3.2.1": "On Focus",
    "3.2.2": "On Input",
    "3.2.3": "Consistent Navigation",
    "3.2.4": "Consistent Identification",
    "3.2.5": "Change on Request",
    "3.2.6": "Consistent Help",
    "3.3.1": "Error Identification",
    "3.3.2": "Labels or Instructions",
    "3.3.3": "Error Suggestion",
    "3.3.4": "Error Prevention (Legal, Financial, Data)",
    "3.3.5": "Help",
    "3.3.6": "Error Prevention (All)",
    "3.3.7": "Redundant Entry",
    "3.3.8": "Accessible Authentication (Minimum)",
    "3.3.9": "Accessible Authentication (Enhanced)",
    "4.1.1": "Parsing",
    "4.1.2": "Name, Role, Value",
    "4.1.3": "Status Messages",
}
"""WCAG 2.2 success criteria (and 2.1's 4.1.1) by number: their English names."""

IMPACT_LABELS = {
    "critical": "Critical",
    "serious": "Serious",
    "moderate": "Moderate",
    "minor": "Minor",
}


def criterion(number: str) -> str:
    """``1.4.3`` -> ``1.4.3 Contrast (Minimum)``; an unknown number is returned as is."""
    name = WCAG_CRITERIA.get(number)
    return f"{number} {name}" if name else number


def criteria(numbers: Iterable[str], names: bool = False, empty: str = "none") -> str:
    """Criteria in numeric order joined by commas (``1.1.1, 1.4.3``), with names if asked."""
    ordered = sorted(set(numbers), key=criterion_key)
    if not ordered:
        return empty
    return ", ".join(criterion(c) if names else c for c in ordered)


def impact_label(impact: str | None) -> str:
    """axe's impact as a word a reader sees: ``Critical``; ``No impact given`` for None."""
    if impact is None:
        return "No impact given"
    return IMPACT_LABELS.get(impact, impact.capitalize())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 page``, ``3 pages``; give the plural form when it is not singular + s."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def is_http_url(value: object) -> bool:
    """Test: an absolute http(s) URL, safe to put in an ``href``."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


FILTERS: dict[str, Any] = {
    "criterion": criterion,
    "criteria": criteria,
    "impact_label": impact_label,
    "plural": plural,
}
TESTS: dict[str, Any] = {"http_url": is_http_url}


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment, created once."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kuva_audit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def render_template(name: str, **context: Any) -> str:
    """Render the template ``name`` (a file in ``kuva_audit/templates/``) with ``context``."""
    return environment().get_template(name).render(**context)
