"""The statements' view of the catalogue: the criteria they list (of the one table,
kuva_audit.texts.criteria) and the authority's digest. Their fixed texts and rule descriptions
are in the one catalogue (kuva_audit.texts)."""

from __future__ import annotations

import functools
import hashlib
import json

from kuva_audit.texts import lookup
from kuva_audit.texts.criteria import Criterion, criteria_table


@functools.cache
def criteria() -> tuple[Criterion, ...]:
    """The 50 WCAG 2.1 A/AA success criteria of the one table, in order (49 in Finnish
    scope)."""
    return tuple(c for c in criteria_table().values() if c.legal)


@functools.cache
def criteria_by_id() -> dict[str, Criterion]:
    return {c.id: c for c in criteria()}


@functools.cache
def in_scope_ids() -> tuple[str, ...]:
    """The 49 criteria the law requires, in order."""
    return tuple(c.id for c in criteria() if c.in_scope)


@functools.cache
def authority_digest(lang: str) -> str:
    """Fingerprint of the supervisory authority's texts and contacts in ``lang``: a published
    statement carries it, so ``--check`` finds one whose authority block is out of date."""
    block = json.dumps(lookup("statements.enforcement", lang), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(block.encode("utf-8")).hexdigest()[:16]
