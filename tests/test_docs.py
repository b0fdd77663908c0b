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
        "merge",
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
