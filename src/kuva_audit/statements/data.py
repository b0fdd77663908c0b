"""Package data of the statements: WCAG criteria names, axe rule descriptions, fixed texts."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from ruamel.yaml import YAML

from kuva_audit.audit.wcag import criterion_key

LANGS = ("fi", "sv", "en")


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
    scope_note: dict[str, str] | None = None


@functools.cache
def criteria() -> tuple[Criterion, ...]:
    """The 50 WCAG 2.1 A/AA success criteria, in order (49 in Finnish scope)."""
    items = [
        Criterion(
            id=str(c["id"]),
            level=str(c["level"]),
            since=str(c["since"]),
            in_scope=bool(c["in_scope"]),
            name={lang: str(c["name"][lang]) for lang in LANGS},
            sv_official=bool(c.get("sv_official", True)),
            scope_note=c.get("scope_note"),
        )
        for c in _load("criteria.yaml")
    ]
    return tuple(sorted(items, key=lambda c: criterion_key(c.id)))


@functools.cache
def criteria_by_id() -> dict[str, Criterion]:
    return {c.id: c for c in criteria()}


@functools.cache
def rule_descriptions() -> dict[str, dict[str, str]]:
    """axe rule id -> plain-language description of its failure in fi, sv and en."""
    data: dict[str, dict[str, str]] = _load("axe_rules.yaml")
    return data


@functools.cache
def texts() -> dict[str, dict[str, Any]]:
    """The statements' fixed texts: language -> key -> text."""
    data: dict[str, dict[str, Any]] = _load("texts.yaml")
    return data
