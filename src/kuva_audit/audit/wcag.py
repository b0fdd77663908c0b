"""WCAG success criteria, their levels, and what axe-core's tags mean for the law.

The only place that interprets axe tags. The criteria, their conformance levels and names are
the one table of kuva_audit.texts.criteria (:data:`CRITERIA` here).

Finnish law (306/2019, via EN 301 549) requires WCAG 2.1 levels A and AA. A rule counts for
the law only through its WCAG 2.1 A and AA criteria: ``scrollable-region-focusable`` is tagged
``wcag2a`` with 2.1.1 Keyboard (A) and 2.1.3 Keyboard (No Exception) (AAA), so it counts for
2.1.1 only and 2.1.3 is kept aside (:attr:`WcagMapping.beyond`). Anything else axe reports
(best practices, WCAG 2.2, AAA) is kept but marked as beyond the legal requirement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kuva_audit.texts.criteria import Criterion, criteria_table
from kuva_audit.texts.criteria import criterion_key as criterion_key

LEGAL_TAGS = frozenset({"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"})
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")

CRITERIA: dict[str, Criterion] = criteria_table()
"""Every success criterion of WCAG 2.1 and 2.2 (4.1.1 Parsing, obsolete in 2.2, included)."""


@dataclass(frozen=True)
class WcagMapping:
    criteria: tuple[str, ...]
    """The criteria the rule counts for, sorted numerically: its WCAG 2.1 A/AA criteria when
    it is a legal rule (``("1.4.3",)``), else every criterion it names."""
    beyond: tuple[str, ...]
    """A legal rule's other criteria (AAA, WCAG 2.2): named by axe, never counted."""
    level: Literal["A", "AA"] | None
    """"A" or "AA" when the rule tests a WCAG 2.1 A/AA criterion, else None."""
    legal: bool
    """True when the rule tests a requirement of the law (a WCAG 2.1 A/AA criterion)."""


_LEGAL = frozenset(c.id for c in CRITERIA.values() if c.legal)


def is_legal(criterion: str) -> bool:
    """Whether ``criterion`` is one of the WCAG 2.1 A/AA criteria the law requires."""
    return criterion in _LEGAL


def split_criteria(criteria: Iterable[str]) -> tuple[list[str], list[str]]:
    """(WCAG 2.1 A/AA criteria, the others), each sorted numerically."""
    ordered = sorted(set(criteria), key=criterion_key)
    return [c for c in ordered if is_legal(c)], [c for c in ordered if not is_legal(c)]


def map_tags(tags: Iterable[str]) -> WcagMapping:
    """Map an axe rule's tags (``wcag143``, ``wcag2aa``, ``best-practice``...) to criteria.

    A criterion tag is ``wcag`` + principle digit + guideline digit + criterion number:
    ``wcag111`` is 1.1.1, ``wcag1412`` is 1.4.12. A rule is legal when axe tags it as a WCAG
    2.0/2.1 A/AA rule *and* it names at least one WCAG 2.1 A/AA criterion of :data:`CRITERIA`;
    its level is the strictest level among those criteria.
    """
    tag_set = set(tags)
    named = set()
    for tag in tag_set:
        match = _CRITERION_TAG.match(tag)
        if match:
            named.add(".".join(match.groups()))
    counted, others = split_criteria(named)
    if not (tag_set & LEGAL_TAGS and counted):
        return WcagMapping(tuple(sorted(named, key=criterion_key)), (), None, False)
    level: Literal["A", "AA"] = "A" if any(CRITERIA[c].level == "A" for c in counted) else "AA"
    return WcagMapping(tuple(counted), tuple(others), level, True)
