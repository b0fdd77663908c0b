"""Every command has help and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer.main

from kuva_audit.cli import app

from .conftest import run_cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_commands_are_the_documented_ones() -> None:
    assert COMMANDS == [
        "audit",
        "browser",
        "demo",
        "export",
        "history",
        "merge",
        "report",
        "run",
        "schema",
        "statements",
        "surveys",
        "validate",
    ]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for name in COMMANDS:
        result = run_cli(name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 3
        assert f"`kuva-audit {name}" in README, f"kuva-audit {name} is not in README.md"


def test_readme_starts_with_the_two_setup_commands() -> None:
    head = "\n".join(README.splitlines()[:6])
    assert "make demo" in head and "make test" in head


def test_readme_shows_every_command_help_as_it_is() -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "readme_help.py"
    spec = importlib.util.spec_from_file_location("readme_help", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.updated(README) == README, "run: python scripts/readme_help.py"
