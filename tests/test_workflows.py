"""The GitHub workflows and the action pass actionlint (with shellcheck on their scripts), and
are built the way the nightly job needs: pinned actions, least permissions, the same Chromium
on every shard, caches, results kept and committed whatever the exit code."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTION = ROOT / "action.yml"
README = ROOT / "README.md"
BIN = Path(sys.executable).parent


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def actionlint(*files: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(BIN / "actionlint"), "-no-color", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def action_as_workflow(action: dict[str, Any]) -> str:
    """The composite action's steps as a reusable workflow, so that actionlint checks their
    expressions and shellcheck their scripts (actionlint reads action.yml only for the inputs
    of `uses: ./`)."""
    inputs = {
        name: {"type": "string", "required": False, "default": str(spec.get("default", ""))}
        for name, spec in action["inputs"].items()
    }
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read"},
        "jobs": {"action": {"runs-on": "ubuntu-24.04", "steps": action["runs"]["steps"]}},
    }
    out = io.StringIO()
    YAML().dump(workflow, out)
    return out.getvalue()


def readme_example() -> str:
    """The complete example workflow of the README's section for other cities."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using kuva-audit in another repository", 1)[1]
    (example,) = re.findall(r"```yaml\n(# \.github/workflows/.*?)```", section, re.S)
    return example


def test_workflows_pass_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "nightly.yml"]
    result = actionlint(*files, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_action_passes_actionlint(tmp_path: Path) -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    steps = tmp_path / "action-steps.yml"
    steps.write_text(action_as_workflow(action), encoding="utf-8")
    result = actionlint(steps)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_example_passes_actionlint_with_this_action(tmp_path: Path) -> None:
    """A repository of another city using this action: its workflow and the action's metadata
    (inputs, outputs) are checked together, the action as a local one."""
    project = tmp_path / "city"
    (project / ".git").mkdir(parents=True)
    (project / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ACTION, project / "action.yml")
    example = re.sub(r"City-of-Helsinki/kuva-audit@[0-9a-f]{40}", "./", readme_example())
    assert "uses: ./" in example
    (project / ".github" / "workflows" / "audit.yml").write_text(example, encoding="utf-8")
    result = actionlint(project / ".github" / "workflows" / "audit.yml", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks_scripts_and_action_inputs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - run: echo $UNQUOTED_VARIABLE\n",
        encoding="utf-8",
    )
    result = actionlint(bad)
    assert result.returncode == 1
    assert "SC2086" in result.stdout  # shellcheck ran inside actionlint
    action = load(ACTION)
    action["runs"]["steps"].append({"shell": "bash", "run": "echo $UNQUOTED ${{ inputs.nope }}"})
    steps = tmp_path / "action-steps.yml"
    steps.write_text(action_as_workflow(action), encoding="utf-8")
    result = actionlint(steps)
    assert "SC2086" in result.stdout and "nope" in result.stdout, result.stdout
    project = tmp_path / "city"
    (project / ".git").mkdir(parents=True)
    (project / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ACTION, project / "action.yml")
    (project / ".github" / "workflows" / "x.yml").write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: ./\n        with:\n          no-such-input: x\n",
        encoding="utf-8",
    )
    result = actionlint(project / ".github" / "workflows" / "x.yml", cwd=project)
    assert result.returncode == 1 and "no-such-input" in result.stdout


def _all_steps() -> list[tuple[str, dict[str, Any]]]:
    steps = [(ACTION.name, step) for step in load(ACTION)["runs"]["steps"]]
    for path in WORKFLOWS.glob("*.yml"):
        for job in load(path)["jobs"].values():
            steps += [(path.name, step) for step in job.get("steps", [])]
    return steps


def test_actions_are_pinned_and_permissions_are_least() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        assert load(path)["permissions"] == {"contents": "read"}, path.name
    for where, step in _all_steps():
        if "uses" in step and step["uses"] != "./":
            ref = step["uses"].split("@", 1)[1]
            assert re.fullmatch(r"[0-9a-f]{40}", ref), (where, step)
    jobs = load(WORKFLOWS / "nightly.yml")["jobs"]
    assert "permissions" not in jobs["audit"]  # read-only: shards never write
    assert jobs["merge"]["permissions"] == {
        "contents": "write",
        "security-events": "write",
        "actions": "read",
        "pages": "read",
    }
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_nightly_shards_merge_publish_and_deploy() -> None:
    nightly = load(WORKFLOWS / "nightly.yml")
    assert set(nightly["on"]) == {"schedule", "workflow_dispatch"}
    assert nightly["concurrency"] == {"group": "nightly-audit", "cancel-in-progress": False}
    jobs = nightly["jobs"]
    shards = jobs["audit"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, int(nightly["env"]["SHARDS"]) + 1))
    (shard_step,) = [s for s in jobs["audit"]["steps"] if s.get("uses") == "./"]
    assert shard_step["with"] == {"shard": "${{ matrix.shard }}/${{ env.SHARDS }}"}
    (merge_step,) = [s for s in jobs["merge"]["steps"] if s.get("uses") == "./"]
    assert merge_step["with"]["parts"] == "parts"
    assert jobs["merge"]["if"] == "${{ !cancelled() }}"
    assert jobs["pages"]["environment"]["name"] == "github-pages"
    assert jobs["pages"]["if"] == "${{ !cancelled() && needs.merge.outputs.site != '' }}"


def _action_steps() -> dict[str, dict[str, Any]]:
    return {
        str(step.get("id") or step.get("name") or step["uses"].split("@")[0]): step
        for step in load(ACTION)["runs"]["steps"]
    }


def test_one_chromium_build_for_every_shard_cached_by_playwright_version() -> None:
    steps = _action_steps()
    action = load(ACTION)
    assert action["inputs"]["browser"]["default"] == "playwright"
    assert steps["browser"]["run"].strip() == "playwright install --with-deps chromium"
    cache = next(
        s
        for s in action["runs"]["steps"]
        if s.get("uses", "").startswith("actions/cache@")
        and s["with"]["path"] == "~/.cache/ms-playwright"
    )
    assert "steps.install.outputs.playwright" in cache["with"]["key"]
    assert steps["audit"]["env"]["KUVA_AUDIT_BROWSER"] == "${{ inputs.browser }}"


def test_the_runtime_install_has_no_dev_extras_and_pip_is_cached() -> None:
    steps = _action_steps()
    install = steps["install"]["run"]
    assert 'pip install --disable-pip-version-check --quiet "$GITHUB_ACTION_PATH"' in install
    assert "[dev]" not in install and "make" not in install
    pip_cache = next(
        s
        for s in load(ACTION)["runs"]["steps"]
        if s.get("uses", "").startswith("actions/cache@") and s["with"]["path"] == "~/.cache/pip"
    )
    assert pip_cache["with"]["key"] == "${{ steps.keys.outputs.pip }}"


def test_results_are_kept_and_committed_whatever_the_exit_code_which_comes_last() -> None:
    action = load(ACTION)
    steps = action["runs"]["steps"]
    last = steps[-1]
    assert last["name"] == "The run's exit code"
    assert last["if"].startswith("always()")
    assert 'exit "$CODE"' in last["run"]
    names = [str(s.get("id") or s.get("uses", "").split("@")[0]) for s in steps]
    run = names.index("run")
    for kept in (
        "github/codeql-action/upload-sarif",
        "actions/upload-artifact",
        "actions/upload-pages-artifact",
        "commit",
    ):
        step = steps[names.index(kept)]
        assert names.index(kept) > run, kept
        assert step["if"].startswith("always()"), kept
    # The whole job never stops the steps after it: its exit code is kept for the last step.
    assert "set +e" in steps[run]["run"] and "PIPESTATUS" in steps[run]["run"]
    assert "--fail-on-new" in steps[run]["run"] and "--baseline" in steps[run]["run"]


@pytest.mark.parametrize("path", [ACTION, WORKFLOWS / "nightly.yml"])
def test_no_secret_or_expression_is_spliced_into_a_script(path: Path) -> None:
    """Values reach scripts through env:, never through ${{ }} inside run: (injection)."""
    for where, step in _all_steps():
        if where == path.name and "run" in step:
            assert "${{" not in step["run"], (where, step.get("id"), step["run"][:80])
