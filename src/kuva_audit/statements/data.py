"""Package data of the statements: WCAG criteria names, rule descriptions. Their fixed texts are
in the one catalogue (kuva_audit.texts)."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any, Literal

from ruamel.yaml import YAML

from kuva_audit.audit.wcag import CRITERIA, criterion_key
from kuva_audit.texts import LANGS as LANGS
from kuva_audit.texts import lookup

NameMark = Literal["unofficial", "unverified"]
"""How a criterion name that is not the authorized one is marked wherever it appears:
*unofficial* when no authorized translation exists (Swedish names of the criteria new in
WCAG 2.1), *unverified* when one exists but the name has not been checked against it."""


def _load(name: str) -> Any:
    text = (files("kuva_audit.statements") / "data" / name).read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


@dataclass(frozen=True)
class Criterion:
    id: str
    level: str
    since: str
    in_scope: bool
    name: dict[str, str]
    sv_official: bool
    uncertain: frozenset[str] = frozenset()
    scope_note: dict[str, str] | None = None

    def mark(self, lang: str) -> NameMark | None:
        """The mark the name carries in ``lang``, or None for an authorized, checked name."""
        if lang == "sv" and not self.sv_official:
            return "unofficial"
        return "unverified" if lang in self.uncertain else None


@functools.cache
def criteria() -> tuple[Criterion, ...]:
    """The 50 WCAG 2.1 A/AA success criteria, in order (49 in Finnish scope)."""
    items = [
        Criterion(
            id=str(c["id"]),
            level=CRITERIA[str(c["id"])].level,
            since=str(c["since"]),
            in_scope=bool(c["in_scope"]),
            name={lang: str(c["name"][lang]) for lang in LANGS},
            sv_official=bool(c.get("sv_official", True)),
            uncertain=frozenset(c.get("uncertain", ())),
            scope_note=c.get("scope_note"),
        )
        for c in _load("criteria.yaml")
    ]
    return tuple(sorted(items, key=lambda c: criterion_key(c.id)))


@functools.cache
def criteria_by_id() -> dict[str, Criterion]:
    return {c.id: c for c in criteria()}


@functools.cache
def in_scope_ids() -> tuple[str, ...]:
    """The 49 criteria the law requires, in order."""
    return tuple(c.id for c in criteria() if c.in_scope)


@functools.cache
def rule_descriptions() -> dict[str, dict[str, str]]:
    """Rule id (axe-core's, and kuva-audit's interaction checks' ``check:...``) -> plain-language
    description of its failure in fi, sv and en."""
    data: dict[str, dict[str, str]] = dict(_load("axe_rules.yaml"))
    data.update(_load("check_rules.yaml"))
    return data


@functools.cache
def authority_digest(lang: str) -> str:
    """Fingerprint of the supervisory authority's texts and contacts in ``lang``: a published
    statement carries it, so ``--check`` finds one whose authority block is out of date."""
    block = json.dumps(lookup("statements.enforcement", lang), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(block.encode("utf-8")).hexdigest()[:16]
