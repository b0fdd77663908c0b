"""The packages are layers: a module imports only from its own package and from lower layers
(the README's "Code layout" lists them). Lazy imports inside functions count as well."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kuva_audit"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("__init__", "errors", "schemas"),
    ("writable", "mdtext", "months", "words", "texts"),
    ("atomic", "locks", "textfile"),
    ("config",),
    ("audit",),
    ("history", "templating", "progress_display", "demo"),
    ("triage",),
    ("formats", "surveys", "statements", "audit_table"),
    ("reports", "outputs"),
    ("pipeline",),
    ("cli",),
    ("__main__",),
)
"""Lowest first. A unit is a package (folder) or a top-level module of kuva_audit."""

LEVEL = {unit: level for level, units in enumerate(LAYERS) for unit in units}


def unit_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else parts[0].removesuffix(".py")


def imported_units(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = node.module.split(".")
            if names[0] != "kuva_audit":
                continue
            if len(names) > 1:
                found.add((names[1], node.lineno))
            else:  # from kuva_audit import x
                found.update((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "kuva_audit" and len(names) > 1:
                    found.add((names[1], node.lineno))
    return found


def test_every_unit_has_a_layer() -> None:
    units = {unit_of(p) for p in SRC.rglob("*.py")}
    assert units <= set(LEVEL), f"give these a layer in LAYERS: {sorted(units - set(LEVEL))}"


def test_no_package_imports_upward_or_sideways() -> None:
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        own = unit_of(path)
        for target, line in sorted(imported_units(ast.parse(path.read_text(encoding="utf-8")))):
            target = "__init__" if target == "__version__" else target
            if target == own:
                continue
            if LEVEL.get(target, -1) >= LEVEL[own]:
                wrong.append(f"{path.relative_to(SRC)}:{line} ({own}) imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


README = SRC.parents[1] / "README.md"


def readme_layers() -> dict[int, str]:
    """The README's code layout (its Development section): layer number -> its item."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Development") :]
    section = section[: section.index("`action.yml` is the GitHub Action")]
    parts = re.split(r"^ {2}(\d+)\. ", section, flags=re.MULTILINE)
    return {int(number): item for number, item in zip(parts[1::2], parts[2::2], strict=True)}


def test_the_readme_names_every_unit_in_its_layer() -> None:
    items = readme_layers()
    assert sorted(items) == list(range(len(LAYERS))), "number the README's layers as LAYERS"
    for level, units in enumerate(LAYERS):
        named = {token.rstrip("/") for token in re.findall(r"`([^`]+)`", items[level])}
        assert named & set(LEVEL) == set(units), f"README layer {level}: name {units}"


def test_the_readme_names_every_module_of_a_package() -> None:
    items = readme_layers()
    missing = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.rglob("*.py"))
        if len(path.relative_to(SRC).parts) > 1
        and path.name != "__init__.py"
        and f"`{path.name}`" not in items[LEVEL[unit_of(path)]]
    ]
    assert not missing, f"name these in the README's code layout: {missing}"
