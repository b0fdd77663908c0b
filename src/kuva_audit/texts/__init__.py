"""The one catalogue of the fixed texts a person reads (statements, reports, charts, the index,
labels), in Finnish, Swedish and English, and its one lookup.

The texts are package data in ``texts/data/``: one YAML file per area (``reports.yaml``,
``statements.yaml``, ``labels.yaml``, ``ci.yaml``), each ``language -> key -> text``, and the rule
descriptions (area ``rules``), kept key first in ``axe_rules.yaml`` and ``check_rules.yaml``. A
key is namespaced by its area: ``lookup("reports.links.heading", "fi")``. Every language has the
same keys with the same placeholders (tests/test_texts.py checks it). The one table of WCAG
criteria is :mod:`kuva_audit.texts.criteria`; dates and numbers are written by
:mod:`kuva_audit.texts.locale`. The CI outputs (area ``ci``: the job summary, the run report)
are English by default; every one of their strings is in the catalogue in fi, sv and en, and
the functions that write them take a ``lang`` (README, "The whole job"). The terminal's own
lines (progress, the outputs list, the verdict) stay in English and in code.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any, Literal

from ruamel.yaml import YAML

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")
AREAS = ("reports", "statements", "labels", "ci")
"""The catalogue's files (``texts/data/<area>.yaml``), each the namespace of its keys."""
BY_KEY: dict[str, tuple[str, ...]] = {"rules": ("axe_rules.yaml", "check_rules.yaml")}
"""Areas whose files are kept key first (``key -> language -> text``), a table best edited side
by side: ``rules``, the statements' plain-language description of each rule's failure
(axe-core's rule ids and the interaction checks' ``check:...``)."""


def load_data(name: str) -> Any:
    """A YAML file of ``texts/data/``, parsed."""
    text = (files("kuva_audit.texts") / "data" / name).read_text(encoding="utf-8")
    return YAML(typ="safe").load(text)


@functools.cache
def catalogue() -> dict[str, dict[str, Any]]:
    """Every fixed text: language -> area -> key -> text (nested)."""
    areas = {area: load_data(f"{area}.yaml") for area in AREAS}
    found: dict[str, dict[str, Any]] = {
        lang: {area: data[lang] for area, data in areas.items()} for lang in LANGS
    }
    for area, names in BY_KEY.items():
        for lang in LANGS:
            found[lang][area] = {}
        for name in names:
            for key, by_lang in load_data(name).items():
                for lang, value in by_lang.items():
                    found[lang][area][key] = value
    return found


def lookup(key: str, lang: str) -> Any:
    """The text (or the group of texts, a dict) at the dotted ``key`` in ``lang``:
    ``lookup("reports.figures", "sv")``. A key that is not in the catalogue is a KeyError."""
    node: Any = catalogue()[lang]
    for part in key.split("."):
        node = node[part]
    return node


def text(key: str, lang: str, **values: object) -> str:
    """The text at ``key`` in ``lang`` with its placeholders filled from ``values``."""
    found = str(lookup(key, lang))
    return found.format(**values) if values else found


def every_lang(key: str, **values: object) -> dict[str, str]:
    """The text at ``key`` in every language: ``{"fi": ..., "sv": ..., "en": ...}``."""
    return {lang: text(key, lang, **values) for lang in LANGS}
