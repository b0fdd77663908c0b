"""Limits on the YAML files kuva-audit reads (services.yaml, accepted.yaml).

A YAML file can ask for far more than it holds: aliases (``*name``) repeat an anchored part
(``&name``) wherever they stand, so nine levels of nine aliases make 387 million values out of
a few hundred bytes, and thousands of nested brackets exhaust Python's recursion. Before a file
is loaded, its events are walked once, without building anything, and the file is refused with
one line when it is larger than :data:`MAX_YAML_BYTES`, nests deeper than :data:`MAX_DEPTH`,
or holds more than :data:`MAX_VALUES` values once its aliases are expanded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    ScalarEvent,
)

from kuva_audit.errors import ConfigError

MAX_YAML_BYTES = 4 * 1024 * 1024
"""4 MiB: a services.yaml of a thousand services is a few hundred kilobytes."""
MAX_DEPTH = 32
"""Nested mappings and lists: services.yaml itself needs under ten levels."""
MAX_VALUES = 250_000
"""Keys, values and items, counting each alias as the values it repeats."""


class YamlLimitError(ConfigError):
    """A YAML file over one of the limits; the message names the file and the line."""


def read_limited(path: Path) -> bytes:
    """The bytes of ``path``; a one-line error when it is larger than :data:`MAX_YAML_BYTES`
    (checked before reading, and again on the bytes read, for files that grow)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise YamlLimitError(
            f"{path}: larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB, the most kuva-audit "
            "reads of a YAML file; is this the right file?"
        )
    return data


def check_yaml_shape(path: Path, text: str) -> None:
    """Walk the YAML events of ``text``; raise :class:`YamlLimitError` (naming the line) at
    the first place that nests deeper than :data:`MAX_DEPTH` or makes the expanded file hold
    more than :data:`MAX_VALUES` values. Syntax errors are left for the loader to report."""
    sizes: dict[Any, int] = {}
    stack: list[tuple[Any, int]] = []  # (anchor, values so far) of each open collection
    for event in YAML(typ="rt").parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise YamlLimitError(
                    f"{path}:{line}: nested more than {MAX_DEPTH} levels deep, the most "
                    "kuva-audit reads; is a bracket or an indentation wrong?"
                )
            stack.append((event.anchor, 1))
            continue
        if isinstance(event, CollectionEndEvent):
            anchor, size = stack.pop()
        elif isinstance(event, AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        elif isinstance(event, ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        if not stack:
            continue
        stack[-1] = (stack[-1][0], stack[-1][1] + size)
        if stack[-1][1] > MAX_VALUES:  # the outer collections hold at least as many
            raise YamlLimitError(
                f"{path}:{line}: holds more than {MAX_VALUES:,} values once its aliases "
                "(*name) are expanded, the most kuva-audit reads; write the values out or "
                "use fewer aliases"
            )
