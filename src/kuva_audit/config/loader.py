"""Load services.yaml and report every problem as ``FILE:LINE: path: message``.

ruamel.yaml keeps the line of every key and item, so a pydantic error location such as
``('services', 2, 'url')`` can be pointed at the line a person has to edit.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kuva_audit.config.base import SLUG
from kuva_audit.config.models import Config
from kuva_audit.errors import ConfigError

Loc = tuple[str | int, ...]
DEFAULT_CONFIG = Path("services.yaml")
CONFIG_ENV = "KUVA_AUDIT_CONFIG"


@dataclass(frozen=True)
class Problem:
    line: int
    loc: Loc
    message: str

    def format(self, file: Path) -> str:
        where = format_loc(self.loc)
        return f"{file}:{self.line}: {where + ': ' if where else ''}{self.message}"


class ConfigProblems(ConfigError):
    """One or more problems in a config file; ``str()`` is the first, ``lines()`` all."""

    def __init__(self, file: Path, problems: Sequence[Problem]) -> None:
        self.file = file
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__(self.problems[0].format(file))

    def lines(self) -> list[str]:
        return [p.format(self.file) for p in self.problems]


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config, where it came from, and the YAML tree for line look-ups."""

    config: Config
    path: Path
    tree: Any

    @property
    def root(self) -> Path:
        """The folder of services.yaml: relative data paths (audits/, surveys/...) start here."""
        return self.path.resolve().parent

    def line_of(self, loc: Loc) -> int:
        return line_of(self.tree, loc)

    def error(self, loc: Loc, message: str) -> ConfigError:
        return ConfigProblems(self.path, [Problem(self.line_of(loc), loc, message)])


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def line_of(tree: Any, loc: Loc) -> int:
    """1-based line of the deepest node of ``loc`` present in the YAML tree."""
    line = 1
    node = tree
    for part in loc:
        if isinstance(node, CommentedMap) and isinstance(part, str) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def resolve_config_path(path: Path | None) -> Path:
    if path is not None:
        return path
    return Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))


def load_config(path: Path | None = None) -> LoadedConfig:
    """Read and validate services.yaml; raise :class:`ConfigProblems` listing every problem."""
    path = resolve_config_path(path)
    config, tree = load_yaml_model(
        path,
        Config,
        expected="a mapping with a `services:` list",
        remedy=f"pass --config PATH or set {CONFIG_ENV}",
    )
    loaded = LoadedConfig(config, path, tree)
    problems = _semantic_problems(loaded)
    if problems:
        raise ConfigProblems(path, problems)
    return loaded


M = TypeVar("M", bound=BaseModel)


def load_yaml_model(
    path: Path, model: type[M], *, expected: str, remedy: str = "check the path"
) -> tuple[M, Any]:
    """Read a YAML mapping and validate it as ``model``; problems carry their line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; {remedy}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc}); save it as UTF-8 text") from None
    tree = parse_yaml(path, text)
    if not isinstance(tree, CommentedMap):
        raise ConfigProblems(path, [Problem(1, (), f"expected {expected}")])
    try:
        return model.model_validate(plain(tree)), tree
    except ValidationError as exc:
        raise ConfigProblems(path, [_problem(tree, err) for err in exc.errors()]) from None


def parse_yaml(path: Path, text: str) -> Any:
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise ConfigProblems(path, [Problem(line, (), f"YAML syntax: {reason}")]) from None
    except YAMLError as exc:
        raise ConfigProblems(path, [Problem(1, (), f"YAML: {exc}")]) from None


def plain(node: Any) -> Any:
    """ruamel's round-trip nodes as plain Python values, for strict pydantic validation."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if type(node).__name__ == "ScalarBoolean":
        return bool(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    return node


def _problem(tree: Any, err: Any) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown key; check its spelling and indentation"
    elif kind == "missing":
        message = "required key is missing"
    elif kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == SLUG:
        message = "must be a slug: lowercase letters a-z, digits and single hyphens"
    else:
        message = str(err["msg"]).removeprefix("Value error, ")
    return Problem(line_of(tree, loc), loc, message)


def _semantic_problems(loaded: LoadedConfig) -> list[Problem]:
    config = loaded.config
    problems = []
    for index, service in enumerate(config.services):
        if not service.pages and config.settings_for(service).sitemap is None:
            loc: Loc = ("services", index)
            problems.append(
                Problem(loaded.line_of(loc), (*loc, "pages"), "list some pages or a sitemap")
            )
    return problems
