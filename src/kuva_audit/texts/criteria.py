"""The one table of WCAG success criteria (``texts/data/criteria.yaml``): number, level, the
WCAG version that added it, and its names; for the 50 WCAG 2.1 A/AA criteria the law requires,
the names in fi, sv and en, whether the Swedish name is an authorized translation, which names
are not yet checked, and whether Finnish law requires it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal, cast

from kuva_audit.texts import load_data

Level = Literal["A", "AA", "AAA"]
Since = Literal["2.0", "2.1", "2.2"]
NameMark = Literal["unofficial", "unverified"]
"""How a criterion name that is not the authorized one is marked wherever it appears:
*unofficial* when no authorized translation exists (Swedish names of the criteria new in
WCAG 2.1), *unverified* when one exists but the name has not been checked against it."""


def criterion_key(criterion: str) -> tuple[int, ...]:
    """Sort key so that 1.4.10 follows 1.4.3."""
    return tuple(int(part) for part in criterion.split("."))


@dataclass(frozen=True)
class Criterion:
    id: str
    level: Level
    since: Since
    """The WCAG version that added it."""
    name: dict[str, str]
    """Its short name by language: always ``en`` (as in the W3C Recommendation); ``fi`` and
    ``sv`` for the WCAG 2.1 A/AA criteria."""
    in_scope: bool = False
    """Finnish law requires it (49 of the 50 WCAG 2.1 A/AA criteria)."""
    sv_official: bool = True
    uncertain: frozenset[str] = frozenset()
    scope_note: dict[str, str] | None = None

    @property
    def legal(self) -> bool:
        """A WCAG 2.1 level A or AA criterion: what the law requires (1.2.4 aside, which the
        statements exclude themselves)."""
        return self.since != "2.2" and self.level != "AAA"

    def mark(self, lang: str) -> NameMark | None:
        """The mark the name carries in ``lang``, or None for an authorized, checked name."""
        if lang == "sv" and not self.sv_official:
            return "unofficial"
        return "unverified" if lang in self.uncertain else None


@functools.cache
def criteria_table() -> dict[str, Criterion]:
    """Every criterion of WCAG 2.1 and the WCAG 2.2 additions by number, in numeric order."""
    rows = [
        Criterion(
            id=str(c["id"]),
            level=cast(Level, str(c["level"])),
            since=cast(Since, str(c["since"])),
            name={str(lang): str(name) for lang, name in c["name"].items()},
            in_scope=bool(c.get("in_scope", False)),
            sv_official=bool(c.get("sv_official", True)),
            uncertain=frozenset(c.get("uncertain", ())),
            scope_note=c.get("scope_note"),
        )
        for c in load_data("criteria.yaml")
    ]
    return {c.id: c for c in sorted(rows, key=lambda c: criterion_key(c.id))}
