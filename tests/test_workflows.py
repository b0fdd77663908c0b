"""The GitHub workflows pass actionlint (with shellcheck on their scripts)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
BIN = Path(sys.executable).parent


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_workflows_pass_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "nightly.yml"]
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks_scripts(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo $UNQUOTED_VARIABLE\n",
        encoding="utf-8",
    )
    result = actionlint(bad)
    assert result.returncode == 1
    assert "SC2086" in result.stdout  # shellcheck ran inside actionlint


def test_actions_are_pinned_and_permissions_are_least() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        workflow = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert workflow["permissions"] == {"contents": "read"}, path.name
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@", 1)[1]
                    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step


def test_nightly_shards_audit_merge_and_publish() -> None:
    nightly = YAML(typ="safe").load((WORKFLOWS / "nightly.yml").read_text(encoding="utf-8"))
    assert set(nightly["on"]) == {"schedule", "workflow_dispatch"}
    shards = nightly["jobs"]["audit"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(nightly["env"]["SHARDS"]) + 1))
    merge = nightly["jobs"]["merge"]
    assert merge["permissions"] == {"contents": "write", "security-events": "write"}
    scripts = "\n".join(step.get("run", "") for step in merge["steps"])
    for command in (
        "kuva-audit merge",
        "kuva-audit run --audited",
        "--sarif",
        "--junit",
        "git push",
    ):
        assert command in scripts
