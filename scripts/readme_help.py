"""Write every command's --help into README.md, between the help markers.

python scripts/readme_help.py          # rewrite the section
python scripts/readme_help.py --check  # exit 1 if it is out of date (the tests do this)
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from kuva_audit.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- help:start -->", "<!-- help:end -->"


def help_section() -> str:
    commands = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    parts = [START, ""]
    for name in commands:
        result = CliRunner().invoke(
            app, [name, "--help"], prog_name="kuva-audit", terminal_width=100
        )
        text = "\n".join(line.rstrip() for line in result.stdout.strip().splitlines())
        parts += [f"### `kuva-audit {name}`", "", "```text", text, "```", ""]
    parts.append(END)
    return "\n".join(parts)


def updated(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + help_section() + tail


def main() -> int:
    readme = README.read_text(encoding="utf-8")
    new = updated(readme)
    if "--check" in sys.argv:
        return 0 if new == readme else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
