"""Run a GitHub Actions job of this repository locally, from the workflow file itself.

Enough of the runner to execute the nightly workflow's own commands on this machine, so they
cannot drift from what is tested: ``run:`` steps in bash (``-eo pipefail``, like GitHub) with
``$GITHUB_OUTPUT``, ``$GITHUB_ENV``, ``$GITHUB_PATH`` and ``$GITHUB_STEP_SUMMARY``; expressions
(``${{ }}``, ``if:``) with the contexts and status functions the workflows use; the local
composite action (``uses: ./``) step by step; and stand-ins for the actions GitHub provides
(checkout clones a local "origin", artifacts are folders, upload-sarif applies GitHub's upload
checks, Pages uploads and deploys are folders). An expression, a function or an action it does
not know is an error, never silently skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from .github_sarif import upload_problems

REPO = Path(__file__).resolve().parents[1]

# --- Expressions --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>().,\[\]])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)


class ExpressionError(Exception):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"cannot read {text[pos:]!r} in {text!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def _equal(a: Any, b: Any) -> bool:
    a = "" if a is None else a
    b = "" if b is None else b
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    contexts: Mapping[str, Any]
    functions: Mapping[str, Callable[..., Any]]
    pos: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ExpressionError("unexpected end of expression")
        token = self.tokens[self.pos]
        if expected is not None and token[1] != expected:
            raise ExpressionError(f"expected {expected!r}, found {token[1]!r}")
        self.pos += 1
        return token

    def parse(self) -> Any:
        value = self.or_()
        if self.pos != len(self.tokens):
            raise ExpressionError(f"unexpected {self.peek()!r}")
        return value

    def or_(self) -> Any:
        value = self.and_()
        while self.peek() == "||":
            self.take()
            other = self.and_()
            value = value if _truthy(value) else other
        return value

    def and_(self) -> Any:
        value = self.compare()
        while self.peek() == "&&":
            self.take()
            other = self.compare()
            value = other if _truthy(value) else value
        return value

    def compare(self) -> Any:
        value = self.unary()
        if self.peek() in ("==", "!=", "<", ">", "<=", ">="):
            op = self.take()[1]
            other = self.unary()
            if op == "==":
                return _equal(value, other)
            if op == "!=":
                return not _equal(value, other)
            return {"<": value < other, ">": value > other, "<=": value <= other}.get(
                op, value >= other
            )
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not _truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        kind, text = self.take()
        if text == "(":
            value = self.or_()
            self.take(")")
            return value
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r}")
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self.peek() == "(":
            self.take("(")
            args = []
            while self.peek() != ")":
                args.append(self.or_())
                if self.peek() == ",":
                    self.take()
            self.take(")")
            if text not in self.functions:
                raise ExpressionError(f"function {text}() is not supported here")
            return self.functions[text](*args)
        if text not in self.contexts:
            raise ExpressionError(f"unknown context {text!r}")
        value = self.contexts[text]
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                key: Any = self.take()[1]
            else:
                key = self.or_()
                self.take("]")
            value = value.get(key) if isinstance(value, Mapping) else None
        return value


def evaluate(
    text: str, contexts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
) -> Any:
    return _Parser(_tokens(text), contexts, functions).parse()


_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def substitute(
    value: Any, contexts: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
) -> Any:
    """``${{ }}`` in a string (a whole-string expression keeps its type)."""
    if not isinstance(value, str):
        return value
    whole = _TEMPLATE.fullmatch(value.strip())
    if whole and "${{" not in whole.group(1):
        return evaluate(whole.group(1), contexts, functions)

    def text(match: re.Match[str]) -> str:
        result = evaluate(match.group(1), contexts, functions)
        if result is None:
            return ""
        if isinstance(result, bool):
            return "true" if result else "false"
        return str(result)

    return _TEMPLATE.sub(text, value)


# --- The runner ---------------------------------------------------------------------------------


@dataclass
class StepRecord:
    name: str
    outcome: str  # success, failure, skipped
    code: int | None = None
    log: str = ""


@dataclass
class JobResult:
    result: str
    outputs: dict[str, Any]
    steps: list[StepRecord]
    summary: str
    workspace: Path

    @property
    def log(self) -> str:
        return "\n".join(f"## {s.name} [{s.outcome}]\n{s.log}" for s in self.steps)

    def step(self, name: str) -> StepRecord:
        return next(s for s in self.steps if s.name == name)


@dataclass
class Machine:
    """What a job runs on: a fresh workspace, a temp folder and the environment."""

    root: Path
    origin: Path
    """The bare repository actions/checkout clones (and pushes go to)."""
    artifacts: Path
    """Shared by the jobs of a run, like GitHub's artifact storage."""
    path: list[str]
    """Folders put before PATH (the stand-in for an installed kuva-audit)."""
    github: dict[str, Any]
    vars: dict[str, str] = field(default_factory=dict)
    skip: Mapping[str, str] = field(default_factory=dict)
    """Step id -> why it is skipped here (the install steps: no network)."""
    input_overrides: Mapping[str, str] = field(default_factory=dict)
    """Inputs of the local action set differently here (with the reason in the test)."""
    uploaded_sarif: list[dict[str, Any]] = field(default_factory=list)
    pages_url: str = "https://city.example/kuva-audit/"


class Job:
    def __init__(
        self, machine: Machine, name: str, spec: dict[str, Any], workflow_env: dict[str, Any]
    ):
        self.m = machine
        self.name = name
        self.spec = spec
        self.workspace = machine.root / "workspace"
        self.temp = machine.root / "temp"
        for folder in (self.workspace, self.temp):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        self.summary = self.temp / "step-summary.md"
        self.summary.write_text("", encoding="utf-8")
        self.workflow_env = workflow_env
        self.added_env: dict[str, str] = {}
        self.added_path: list[str] = []
        self.records: list[StepRecord] = []
        self.failed = False

    # contexts
    def functions(self, failed: Callable[[], bool]) -> dict[str, Callable[..., Any]]:
        return {
            "always": lambda: True,
            "cancelled": lambda: False,
            "success": lambda: not failed(),
            "failure": lambda: failed(),
            "contains": lambda a, b: str(b).lower() in str(a).lower(),
            "startsWith": lambda a, b: str(a).lower().startswith(str(b).lower()),
        }

    def run(self, matrix: Mapping[str, Any], needs: Mapping[str, Any]) -> JobResult:
        base = {
            "github": self.m.github,
            "runner": {"os": "Linux", "temp": str(self.temp)},
            "vars": self.m.vars,
            "secrets": {},
            "matrix": dict(matrix),
            "needs": dict(needs),
        }
        env_ctx: dict[str, Any] = {}
        contexts: dict[str, Any] = {**base, "env": env_ctx, "steps": {}}
        fns = self.functions(lambda: self.failed)
        for key, value in self.workflow_env.items():
            env_ctx[key] = str(substitute(value, contexts, fns))
        for key, value in (self.spec.get("env") or {}).items():
            env_ctx[key] = str(substitute(value, contexts, fns))
        steps_ctx: dict[str, Any] = contexts["steps"]
        for number, step in enumerate(self.spec["steps"]):
            self.step(step, number, contexts, steps_ctx, env_ctx, lambda: self.failed, None)
        outputs = {
            key: substitute(value, contexts, fns)
            for key, value in (self.spec.get("outputs") or {}).items()
        }
        return JobResult(
            "failure" if self.failed else "success",
            outputs,
            self.records,
            self.summary.read_text(encoding="utf-8"),
            self.workspace,
        )

    def step(
        self,
        step: dict[str, Any],
        number: int,
        contexts: dict[str, Any],
        steps_ctx: dict[str, Any],
        env_ctx: dict[str, Any],
        failed: Callable[[], bool],
        action_path: Path | None,
    ) -> bool:
        """Run one step; return False when it failed."""
        fns = self.functions(failed)
        name = str(step.get("id") or step.get("name") or step.get("uses") or f"step {number}")
        condition = step.get("if", "success()")
        if isinstance(condition, str) and "${{" not in condition:
            condition = "${{ " + condition + " }}"
        record = StepRecord(name, "skipped")
        self.records.append(record)
        outputs: dict[str, Any] = {}
        if step.get("id"):
            steps_ctx[step["id"]] = {
                "outputs": outputs,
                "outcome": "skipped",
                "conclusion": "skipped",
            }
        if not _truthy(substitute(condition, contexts, fns)):
            return True
        if step.get("id") in self.m.skip:
            record.log = f"skipped here: {self.m.skip[step['id']]}"
            return True
        env = {**env_ctx}
        for key, value in (step.get("env") or {}).items():
            env[key] = str(substitute(value, contexts, fns) or "")
        if "run" in step:
            ok, out_values = self.shell(step, contexts, fns, env, action_path, record)
            outputs.update(out_values)
        else:
            ok = self.uses(step, contexts, fns, env, outputs, record)
        record.outcome = "success" if ok else "failure"
        if step.get("id"):
            steps_ctx[step["id"]].update(outcome=record.outcome, conclusion=record.outcome)
        if not ok and not step.get("continue-on-error"):
            self.failed = True
        return ok

    def process_env(self, env: Mapping[str, str], action_path: Path | None) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "KUVA_"))}
        path = os.pathsep.join([*self.added_path[::-1], *self.m.path, keep.get("PATH", "")])
        github = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_REF_NAME": self.m.github["ref_name"],
            "GITHUB_REPOSITORY": self.m.github["repository"],
            "GITHUB_REPOSITORY_OWNER": self.m.github["repository_owner"],
            "GITHUB_RUN_ID": self.m.github.get("run_id", "1"),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
        }
        if action_path is not None:
            github["GITHUB_ACTION_PATH"] = str(action_path)
        return {**keep, **github, **self.added_env, **env, "PATH": path}

    def shell(
        self,
        step: dict[str, Any],
        contexts: dict[str, Any],
        fns: Mapping[str, Callable[..., Any]],
        env: dict[str, str],
        action_path: Path | None,
        record: StepRecord,
    ) -> tuple[bool, dict[str, str]]:
        script = str(substitute(step["run"], contexts, fns))
        files = {name: self.temp / f"{name}-{len(self.records)}" for name in ("out", "env", "path")}
        for file in files.values():
            file.write_text("", encoding="utf-8")
        script_file = self.temp / f"step-{len(self.records)}.sh"
        script_file.write_text(script, encoding="utf-8")
        process_env = self.process_env(env, action_path)
        process_env |= {
            "GITHUB_OUTPUT": str(files["out"]),
            "GITHUB_ENV": str(files["env"]),
            "GITHUB_PATH": str(files["path"]),
        }
        cwd = self.workspace / step.get("working-directory", ".")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
            cwd=cwd,
            env=process_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            timeout=1800,
        )
        record.code = done.returncode
        record.log = done.stdout
        self.added_env.update(_key_values(files["env"].read_text(encoding="utf-8")))
        self.added_path += [p for p in files["path"].read_text(encoding="utf-8").splitlines() if p]
        return done.returncode == 0, _key_values(files["out"].read_text(encoding="utf-8"))

    def uses(
        self,
        step: dict[str, Any],
        contexts: dict[str, Any],
        fns: Mapping[str, Callable[..., Any]],
        env: dict[str, str],
        outputs: dict[str, Any],
        record: StepRecord,
    ) -> bool:
        uses = str(step["uses"])
        inputs = {k: substitute(v, contexts, fns) for k, v in (step.get("with") or {}).items()}
        if uses == "./":
            return self.composite(inputs, env, outputs, record)
        action = uses.split("@", 1)[0]
        handler = getattr(self, "action_" + re.sub(r"[^a-z0-9]+", "_", action.lower()), None)
        if handler is None:
            raise AssertionError(f"the local runner has no stand-in for {uses}")
        result: bool = handler(inputs, outputs, record)
        return result

    def composite(
        self,
        given: dict[str, Any],
        env: dict[str, str],
        outputs: dict[str, Any],
        record: StepRecord,
    ) -> bool:
        from ruamel.yaml import YAML

        action = YAML(typ="safe").load((REPO / "action.yml").read_text(encoding="utf-8"))
        unknown = set(given) - set(action["inputs"])
        assert not unknown, f"inputs the action does not have: {unknown}"
        inputs = {k: str(spec.get("default", "")) for k, spec in action["inputs"].items()}
        inputs |= {k: "" if v is None else str(v) for k, v in given.items()}
        inputs |= self.m.input_overrides
        inner_steps: dict[str, Any] = {}
        contexts = {
            "github": self.m.github,
            "runner": {"os": "Linux", "temp": str(self.temp)},
            "inputs": inputs,
            "steps": inner_steps,
            "env": env,
        }
        start = len(self.records)
        failed_before = self.failed
        inner_failed = [False]
        for number, inner in enumerate(action["runs"]["steps"]):
            ok = self.step(inner, number, contexts, inner_steps, env, lambda: inner_failed[0], REPO)
            if not ok and not inner.get("continue-on-error"):
                inner_failed[0] = True
        self.failed = failed_before
        fns = self.functions(lambda: inner_failed[0])
        for key, spec in action.get("outputs", {}).items():
            outputs[key] = substitute(spec["value"], contexts, fns)
        for inner_record in self.records[start:]:
            inner_record.name = f"action: {inner_record.name}"
        record.log = "(the local action; its steps follow)"
        return not inner_failed[0]

    # stand-ins for GitHub's actions -------------------------------------------------------------

    def action_actions_checkout(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        shutil.rmtree(self.workspace)
        done = subprocess.run(
            [
                "git",
                "clone",
                "--quiet",
                "--branch",
                self.m.github["ref_name"],
                str(self.m.origin),
                str(self.workspace),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        r.log = done.stdout + done.stderr
        return done.returncode == 0

    def action_actions_setup_python(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        r.log = f"python {inputs.get('python-version')}: this machine's"
        return True

    def action_actions_cache(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        assert inputs.get("path") and inputs.get("key"), inputs
        r.log = f"cache {inputs['path']} as {inputs['key']}"
        outputs["cache-hit"] = "false"
        return True

    def _resolve(self, path: str) -> Path:
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.workspace / candidate

    def action_actions_upload_artifact(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        target = self.m.artifacts / str(inputs["name"])
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        paths = [self._resolve(p.strip()) for p in str(inputs["path"]).splitlines() if p.strip()]
        found = [p for p in paths if p.exists()]
        if not found:
            r.log = "no files found"
            return inputs.get("if-no-files-found", "warn") != "error"
        for path in found:
            if path.is_dir() and len(paths) == 1:
                shutil.copytree(path, target, dirs_exist_ok=True)
            elif path.is_dir():
                shutil.copytree(path, target / path.name, dirs_exist_ok=True)
            else:
                shutil.copy2(path, target / path.name)
        r.log = f"artifact {inputs['name']}: {', '.join(p.name for p in found)}"
        return True

    def action_actions_download_artifact(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        target = self._resolve(str(inputs.get("path") or "."))
        names = sorted(
            a.name
            for a in self.m.artifacts.iterdir()
            if fnmatchcase(a.name, str(inputs["pattern"]))
        )
        for name in names:
            shutil.copytree(self.m.artifacts / name, target / name, dirs_exist_ok=True)
        r.log = f"downloaded {names}"
        return True

    def action_github_codeql_action_upload_sarif(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        path = self._resolve(str(inputs["sarif_file"]))
        text = path.read_text(encoding="utf-8")
        problems = upload_problems(json.loads(text), text=text, source_root=self.workspace)
        r.log = (
            "\n".join(problems) or f"code scanning accepted {path.name} ({inputs.get('category')})"
        )
        self.m.uploaded_sarif.append(json.loads(text))
        return not problems

    def action_actions_upload_pages_artifact(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        source = self._resolve(str(inputs["path"]))
        target = self.m.artifacts / str(inputs.get("name") or "github-pages")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
        r.log = f"pages artifact from {source}"
        return True

    def action_actions_deploy_pages(
        self, inputs: dict[str, Any], outputs: dict[str, Any], r: StepRecord
    ) -> bool:
        site = self.m.artifacts / "github-pages"
        if not (site / "index.html").is_file():
            r.log = "no github-pages artifact with an index.html"
            return False
        outputs["page_url"] = self.m.pages_url
        r.log = f"deployed {site} to {self.m.pages_url}"
        return True


def _key_values(text: str) -> dict[str, str]:
    """``name=value`` lines and ``name<<EOF`` blocks of a GITHUB_OUTPUT / GITHUB_ENV file."""
    values: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, marker = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == marker:
                    break
                block.append(inner)
            values[key] = "\n".join(block)
        elif "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def run_job(
    machine: Machine,
    workflow: dict[str, Any],
    name: str,
    *,
    matrix: Mapping[str, Any] | None = None,
    needs: Mapping[str, Any] | None = None,
) -> JobResult:
    """Run job ``name`` of ``workflow`` on ``machine`` (after checking its ``if:``)."""
    spec = workflow["jobs"][name]
    job = Job(machine, name, spec, workflow.get("env") or {})
    condition = spec.get("if")
    if condition is not None:
        contexts = {"github": machine.github, "needs": dict(needs or {}), "vars": machine.vars}
        text = condition if "${{" in str(condition) else "${{ " + str(condition) + " }}"
        if not _truthy(substitute(text, contexts, job.functions(lambda: False))):
            return JobResult("skipped", {}, [], "", job.workspace)
    return job.run(matrix or {}, needs or {})
