"""The project's one Jinja environment and the filters every template may use.

Templates live in ``kuva_audit/templates/``. Autoescaping is on for every template whatever its
extension, and undefined names are errors. Filters return plain strings, never markup, so what
they return is escaped like any other value: nothing a page or a config supplies is ever marked
safe.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import jinja2

from kuva_audit.audit.wcag import CRITERIA, criterion_key
from kuva_audit.mdtext import md_punctuation, safe_href
from kuva_audit.texts import lookup
from kuva_audit.texts.locale import format_date

WCAG_CRITERIA: dict[str, str] = {c.id: c.name["en"] for c in CRITERIA.values()}
"""WCAG 2.2 success criteria (and 2.1's 4.1.1) by number: their English names."""


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


def impact_label(impact: str | None, lang: str = "en") -> str:
    """axe's impact as a word a reader sees: ``Critical``; ``No impact given`` for None."""
    labels: dict[str, str] = lookup("labels.impact", lang)
    if impact is None:
        return labels["none"]
    return labels.get(impact, impact.capitalize())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 page``, ``3 pages``; give the plural form when it is not singular + s."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def day(value: dt.date | str, lang: str) -> str:
    """A date (or an ISO date) as ``lang`` writes it: ``30.6.2020``, ``30 June 2020``."""
    return format_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(value), lang)


def is_http_url(value: object) -> bool:
    """Test: an absolute http(s) URL, safe to put in an ``href``."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


FILTERS: dict[str, Any] = {
    "md": md_punctuation,
    "safe_href": safe_href,
    "criterion": criterion,
    "criteria": criteria,
    "impact_label": impact_label,
    "plural": plural,
    "day": day,
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
