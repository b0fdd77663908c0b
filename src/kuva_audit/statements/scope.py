"""Which success criteria a statement may name, and why any other may not.

The law (306/2019, via EN 301 549) requires the 49 WCAG 2.1 level A and AA criteria other
than 1.2.4. A manual finding or an audit's criteria list naming anything else would vanish
from the statement, so it is an error that says why: a criterion excluded in Finland, one of
level AAA, one new in WCAG 2.2, or no WCAG success criterion at all (a typo).
"""

from __future__ import annotations

from kuva_audit.audit.wcag import CRITERIA, criterion_key
from kuva_audit.statements.data import criteria_by_id, in_scope_ids
from kuva_audit.templating import WCAG_CRITERIA

WCAG22_NEW = frozenset(c.id for c in CRITERIA.values() if c.since == "2.2")
"""The nine success criteria WCAG 2.2 added; the law requires WCAG 2.1."""


def _named(criterion: str) -> str:
    name = WCAG_CRITERIA.get(criterion)
    return f"{criterion} {name}" if name else criterion


def out_of_scope_reason(criterion: str) -> str | None:
    """None for one of the 49 criteria in scope; otherwise why it cannot be used, in words."""
    if criterion in in_scope_ids():
        return None
    known = criteria_by_id().get(criterion)
    if known is not None:
        return (
            f"{_named(criterion)} is excluded in Finland: the Act on the Provision of Digital "
            "Services (306/2019) does not require it; list such content under `out_of_scope` "
            "(category live-media)"
        )
    if criterion in WCAG22_NEW:
        return (
            f"{_named(criterion)} is new in WCAG 2.2, not in WCAG 2.1 A/AA that the law "
            "requires; report it outside the statement"
        )
    if criterion in WCAG_CRITERIA:
        return (
            f"{_named(criterion)} is level AAA, not in WCAG 2.1 A/AA that the law requires; "
            "report it outside the statement"
        )
    return (
        f"{criterion} is not a WCAG 2.1 success criterion; use one of the 49 criteria the law "
        "requires (WCAG 2.1 levels A and AA, 1.2.4 excepted)"
    )


def sorted_criteria(ids: set[str] | frozenset[str]) -> list[str]:
    return sorted(ids, key=criterion_key)
