"""Load services.yaml and report every problem as ``FILE:LINE: path: message``.

ruamel.yaml keeps the line of every key and item, so a pydantic error location such as
``('services', 2, 'url')`` can be pointed at the line a person has to edit.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kuva_audit.config.base import EMAIL, SLUG
from kuva_audit.config.limits import check_yaml_shape, read_limited
from kuva_audit.config.models import Config
from kuva_audit.config.statement import CRITERION
from kuva_audit.errors import ConfigError
from kuva_audit.writable import os_reason

Loc = tuple[str | int, ...]
DEFAULT_CONFIG = Path("services.yaml")
CONFIG_ENV = "KUVA_AUDIT_CONFIG"


@dataclass(frozen=True)
class ConfigProblem:
    line: int
    loc: Loc
    message: str

    def format(self, file: Path) -> str:
        where = format_loc(self.loc)
        return f"{file}:{self.line}: {where + ': ' if where else ''}{self.message}"


class ConfigProblems(ConfigError):
    """One or more problems in a config file; ``str()`` is the first, ``lines()`` all."""

    def __init__(self, file: Path, problems: Sequence[ConfigProblem]) -> None:
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
        return ConfigProblems(self.path, [ConfigProblem(self.line_of(loc), loc, message)])


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
        text = read_limited(path).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file; {remedy}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a YAML file; {remedy}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({os_reason(exc)}); {remedy}") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text; save it as UTF-8 (in an editor: Save as, UTF-8)"
        ) from None
    tree = parse_yaml(path, text)
    if not isinstance(tree, CommentedMap):
        raise ConfigProblems(path, [ConfigProblem(1, (), f"expected {expected}")])
    try:
        return model.model_validate(plain(tree)), tree
    except ValidationError as exc:
        raise ConfigProblems(path, _problems(tree, exc.errors())) from None


def parse_yaml(path: Path, text: str) -> Any:
    yaml = YAML(typ="rt")
    try:
        check_yaml_shape(path, text)
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise ConfigProblems(path, [ConfigProblem(line, (), f"YAML syntax: {reason}")]) from None
    except YAMLError as exc:
        position = getattr(exc, "position", None)
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 1
        character = getattr(exc, "character", None)
        if isinstance(character, str):
            reason = f"the character {character!r} cannot be in a YAML file; delete it"
        else:
            reason = " ".join(str(exc).split())
        raise ConfigProblems(path, [ConfigProblem(line, (), f"YAML: {reason}")]) from None


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


_TAG = re.compile(
    r"^(?:literal|list|dict|tuple|set|union|nullable|function-\w+|lax-or-strict|json-or-python"
    r"|constrained-\w+|str|int|float|bool|date|datetime)(?:\[.*\])?$"
)
"""The names pydantic puts in an error's location for the branches of a union."""
_FINNISH_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DATE_ERRORS = ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime")
_CRITERIA_HINT = "WCAG success criteria numbers like [1.1.1, 1.4.3]"


def _clean(loc: Loc) -> tuple[Loc, bool]:
    """``loc`` without the names of union branches, and whether it had one."""
    kept = tuple(part for part in loc if not (isinstance(part, str) and _TAG.match(part)))
    return kept, len(kept) != len(loc)


def _shown(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _date_example(value: Any) -> str:
    """The date a person most likely meant, as YYYY-MM-DD, for the example in the message."""
    match = _FINNISH_DATE.match(str(value))
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return "2020-03-23"


def _message(err: Any) -> str:
    """One error of pydantic in the words of the person who wrote the file."""
    kind = err["type"]
    value = err.get("input")
    pattern = err.get("ctx", {}).get("pattern")
    if kind == "extra_forbidden":
        return "unknown key; check its spelling and indentation"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch" and pattern == SLUG:
        return "must be a slug: lowercase letters a-z, digits and single hyphens"
    if kind == "string_pattern_mismatch" and pattern == EMAIL:
        return f"{_shown(value)!r} is not an e-mail address; write it like saavutettavuus@hel.fi"
    if kind == "string_pattern_mismatch" and pattern == CRITERION:
        return f"{_shown(value)!r} is not a WCAG success criterion; write it like 1.4.3"
    if kind in _DATE_ERRORS or kind.startswith("date_from"):
        return (
            f"{_shown(value)!r} is not a date; write dates as YYYY-MM-DD, "
            f"e.g. {_date_example(value)}"
        )
    return str(err["msg"]).removeprefix("Value error, ")


def _union_problem(tree: Any, loc: Loc, errors: list[Any]) -> ConfigProblem:
    """One problem for a value that fits no branch of its union (``criteria: all | [...]``)."""
    if loc and loc[-1] == "criteria":
        bad = [_shown(err.get("input")) for err in errors if isinstance(err["loc"][-1], int)]
        if bad:
            message = f"{', '.join(bad)}: not a success criterion; give `all` or {_CRITERIA_HINT}"
        else:
            message = f"give `all` or a list of {_CRITERIA_HINT}"
    else:
        message = "; or ".join(dict.fromkeys(_message(err) for err in errors))
    return ConfigProblem(line_of(tree, loc), loc, message)


def _problems(tree: Any, errors: list[Any]) -> list[ConfigProblem]:
    """Problems of a validation error: one per field, a value that fits no branch of a union
    as one problem at the field."""
    found: list[ConfigProblem] = []
    unions: dict[Loc, list[Any]] = {}
    for err in errors:
        loc, tagged = _clean(tuple(err["loc"]))
        if tagged:
            first_tag = next(
                n for n, part in enumerate(err["loc"]) if isinstance(part, str) and _TAG.match(part)
            )
            unions.setdefault(tuple(err["loc"][:first_tag]), []).append(err)
        else:
            found.append(ConfigProblem(line_of(tree, loc), loc, _message(err)))
    found += [_union_problem(tree, loc, errs) for loc, errs in unions.items()]
    return found


def _semantic_problems(loaded: LoadedConfig) -> list[ConfigProblem]:
    config = loaded.config
    problems = []
    first: dict[str, int] = {}
    for index, service in enumerate(config.services):
        if service.id in first:
            id_loc = ("services", index, "id")
            problems.append(
                ConfigProblem(
                    loaded.line_of(id_loc),
                    id_loc,
                    f"service id {service.id!r} is used twice (first at line "
                    f"{loaded.line_of(('services', first[service.id], 'id'))}); ids must be unique",
                )
            )
        first.setdefault(service.id, index)
        if not service.pages and config.settings_for(service).sitemap is None:
            loc: Loc = ("services", index)
            problems.append(
                ConfigProblem(loaded.line_of(loc), (*loc, "pages"), "list some pages or a sitemap")
            )
    return problems
