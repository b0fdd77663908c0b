"""From axe-core tags to WCAG success criteria and to the legal requirement.

The only place that interprets axe tags. Finnish law (306/2019, via EN 301 549) requires
WCAG 2.1 levels A and AA; axe marks those rules with the tags below. Anything else axe reports
(best practices, WCAG 2.2, AAA) is kept but marked as beyond the legal requirement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LEGAL_TAGS = frozenset({"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"})
LEVEL_OF_TAG = {"wcag2a": "A", "wcag21a": "A", "wcag2aa": "AA", "wcag21aa": "AA"}
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


@dataclass(frozen=True)
class WcagMapping:
    criteria: tuple[str, ...]
    """Success criteria such as ``("1.4.3",)``, sorted numerically."""
    level: str | None
    """"A" or "AA" when the rule tests a WCAG 2.0/2.1 A/AA requirement, else None."""
    legal: bool
    """True when the rule tests a requirement of the law (WCAG 2.1 A/AA)."""


def criterion_key(criterion: str) -> tuple[int, ...]:
    """Sort key so that 1.4.10 follows 1.4.3."""
    return tuple(int(part) for part in criterion.split("."))


def map_tags(tags: Iterable[str]) -> WcagMapping:
    """Map an axe rule's tags (``wcag143``, ``wcag2aa``, ``best-practice``...) to criteria.

    A criterion tag is ``wcag`` + principle digit + guideline digit + criterion number:
    ``wcag111`` is 1.1.1, ``wcag1412`` is 1.4.12.
    """
    tag_set = set(tags)
    criteria = set()
    for tag in tag_set:
        match = _CRITERION_TAG.match(tag)
        if match:
            criteria.add(".".join(match.groups()))
    levels = {LEVEL_OF_TAG[t] for t in tag_set & LEGAL_TAGS}
    level = "A" if "A" in levels else ("AA" if levels else None)
    return WcagMapping(
        criteria=tuple(sorted(criteria, key=criterion_key)),
        level=level,
        legal=bool(levels),
    )
