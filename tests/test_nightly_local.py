"""The nightly workflow's own steps, read from .github/workflows/nightly.yml and action.yml, run
on this machine against the demo sites: what the job does on GitHub, night after night.

Four shard jobs audit their parts (each on a fresh clone of a local "origin"), the merge job
merges them and runs the whole job, uploads SARIF (checked with GitHub's upload rules), keeps
the reports, prepares the Pages site, commits the results and ends with the run's exit code,
and the pages job deploys. Two things differ from GitHub, both offline constraints: the step
that pip-installs kuva-audit is skipped (this checkout's kuva-audit stands in), and the action's
``browser`` input is empty (Playwright's Chromium cannot be downloaded here; the system
Chromium stands in).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from kuva_audit.demo.server import serve_demo, write_demo_config

from .gha import JobResult, Machine, run_job

pytestmark = pytest.mark.browser

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "nightly.yml"
PAGES_URL = "https://city.example/kuva-audit/"
RUN_ID = "9001"
"""$GITHUB_RUN_ID: GitHub gives every job of a workflow run the same."""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@dataclass
class Night:
    merge: JobResult
    pages: JobResult
    machine: Machine


class Nightly:
    """A local origin with the demo's services.yaml, and the jobs of the workflow."""

    def __init__(self, root: Path, origin_url: str) -> None:
        self.root = root
        self.workflow: dict[str, Any] = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
        self.origin = root / "origin.git"
        subprocess.run(
            ["git", "init", "--quiet", "--bare", "-b", "main", str(self.origin)], check=True
        )
        seed = root / "seed"
        seed.mkdir()
        git(seed, "init", "--quiet", "-b", "main")
        write_demo_config(seed / "services.yaml", origin_url)
        git(seed, "add", ".")
        git(seed, "commit", "--quiet", "-m", "The city's services")
        git(seed, "push", "--quiet", str(self.origin), "main")
        self.bin = root / "bin"
        self.bin.mkdir()
        stand_in = self.bin / "kuva-audit"
        stand_in.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kuva_audit "$@"\n')
        stand_in.chmod(0o755)
        self.artifacts = root / "artifacts"
        self.artifacts.mkdir()
        self.count = 0

    def machine(self, **vars_: str) -> Machine:
        self.count += 1
        return Machine(
            root=self.root / f"machine-{self.count}",
            origin=self.origin,
            artifacts=self.artifacts,
            path=[str(self.bin)],
            github={
                "ref_name": "main",
                "repository": "city/kuva-audit",
                "repository_owner": "city",
                "run_id": RUN_ID,
                "token": "",
                "workspace": "",
            },
            vars=dict(vars_),
            skip={"install": "offline: this checkout's kuva-audit stands in"},
            input_overrides={"browser": ""},
            pages_url=PAGES_URL,
        )

    def shards(self) -> list[JobResult]:
        shards = self.workflow["jobs"]["audit"]["strategy"]["matrix"]["shard"]
        return [
            run_job(self.machine(), self.workflow, "audit", matrix={"shard": k}) for k in shards
        ]

    def night(self, **vars_: str) -> Night:
        machine = self.machine(**vars_)
        merge = run_job(machine, self.workflow, "merge", needs={"audit": {"result": "success"}})
        needs = {"merge": {"result": merge.result, "outputs": merge.outputs}}
        pages = run_job(self.machine(), self.workflow, "pages", needs=needs)
        return Night(merge, pages, machine)

    def origin_files(self, branch: str = "main") -> list[str]:
        return git(self.origin, "ls-tree", "-r", "--name-only", branch).splitlines()

    def commits(self, branch: str = "main") -> list[str]:
        return git(self.origin, "log", "--format=%s", branch).splitlines()

    def edit_origin(self, change: Any, message: str, branch: str = "main") -> None:
        """Clone, change, commit and push: what a person (or an earlier night) does."""
        work = self.root / f"edit-{self.count}"
        self.count += 1
        git(self.root, "clone", "--quiet", "--branch", branch, str(self.origin), str(work))
        change(work)
        git(work, "add", "-A")
        git(work, "commit", "--quiet", "-m", message)
        git(work, "push", "--quiet", "origin", branch)


@pytest.fixture(scope="module")
def first_night(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Nightly, list[JobResult], Night]]:
    root = tmp_path_factory.mktemp("nightly")
    with serve_demo() as origin_url:
        nightly = Nightly(root, origin_url)
        shards = nightly.shards()
        night = nightly.night()
        yield nightly, shards, night


def step_log(job: JobResult, name: str) -> str:
    return job.step(name).log


def last_lines(text: str, count: int = 1) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][-count:]


def test_every_shard_audits_its_part_and_uploads_it(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    nightly, shards, _ = first_night
    for k, shard in enumerate(shards, start=1):
        assert shard.result == "success", shard.log
        assert "action: install" in [s.name for s in shard.steps]  # skipped, offline
        part = nightly.artifacts / f"audit-part-{k}"
        files = list(part.glob(f"20*/shard-{k}-of-4/*.json"))
        assert files, shard.log
        for path in files:  # each part says which shard of which run it is
            identity = json.loads(path.read_text(encoding="utf-8"))["shard"]
            assert (identity["index"], identity["count"], identity["run_id"]) == (k, 4, RUN_ID)
        # A shard only audits: no verdict, no upload, no commit.
        assert shard.step("action: run").outcome == "skipped"
        assert shard.step("action: commit").outcome == "skipped"


def test_the_first_night_fails_on_its_findings_and_says_why_last(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    _, _, night = first_night
    merge = night.merge
    assert merge.result == "failure"
    assert merge.outputs["exit-code"] == "2"
    final = merge.steps[-1]
    assert final.name == "action: The run's exit code"
    assert final.code == 2
    (reason,) = last_lines(final.log)
    assert re.fullmatch(
        r"kuva-audit: exit 2: \d+ open WCAG 2\.1 A/AA issues at or above --fail-on serious "
        r"\(\d+ critical, \d+ serious\)",
        reason,
    ), reason
    # The command's own last line is the verdict, also an annotation; and on GitHub one
    # annotation per issue at its services.yaml line (nine at most: GitHub shows ten a step).
    run_log = step_log(merge, "action: run")
    assert last_lines(run_log) == [reason]
    lines = run_log.splitlines()
    summary = f"::error title=kuva-audit exit 2::{reason.removeprefix('kuva-audit: exit 2: ')}"
    assert any(line.startswith(summary) for line in lines)
    annotations = [line for line in lines if line.startswith("::error file=")]
    assert 1 <= len(annotations) <= 9
    assert all(a.startswith("::error file=services.yaml,line=") for a in annotations)


def test_the_first_night_keeps_and_commits_everything_despite_the_red_run(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    nightly, _, night = first_night
    merge = night.merge
    for step in (
        "action: commit",
        "action: github/codeql-action/upload-sarif",
        "action: actions/upload-pages-artifact",
        "action: actions/upload-artifact",
    ):
        matches = [s for s in merge.steps if s.name.split("@")[0] == step]
        assert matches and all(s.outcome == "success" for s in matches), (step, merge.log)
    files = nightly.origin_files()
    date = dt.date.today().isoformat()
    assert f"audits/history/{date[:4]}/{date}.jsonl" in files  # the compact history
    assert not any(f.startswith(f"audits/{date}/") for f in files)  # full results: the artifact
    for name in (
        "reports/index.html",
        "reports/progress.html",
        "reports/run.html",
        "reports/run.md",
    ):
        assert name in files, name
    assert "statements/drafts/kukkuu/fi.html" in files
    assert nightly.commits()[0] == f"kuva-audit run {date}"
    reports = nightly.artifacts / "kuva-audit-reports"
    assert {"kuva-audit.sarif", "kuva-audit.junit.xml", "run.log"} <= {
        p.name for p in reports.iterdir()
    }


def test_code_scanning_accepts_the_nightly_sarif(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    _, _, night = first_night
    (upload,) = [s for s in night.merge.steps if "upload-sarif" in s.name]
    assert upload.outcome == "success" and "code scanning accepted" in upload.log
    (sarif,) = night.machine.uploaded_sarif
    results = sarif["runs"][0]["results"]
    assert results
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"services.yaml"}


def test_the_published_site_and_the_job_summary(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    nightly, _, night = first_night
    site = nightly.artifacts / "github-pages"
    for page in ("index.html", "reports/index.html", "reports/progress.html", "reports/run.html"):
        assert (site / page).is_file(), page
    assert len(list(site.glob("statements/drafts/*/*.html"))) == 21
    root_index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/progress.html"' in root_index
    assert 'href="statements/drafts/kukkuu/fi.html"' in root_index
    assert 'href="../statements/drafts/kukkuu/fi.html"' in (
        site / "reports" / "index.html"
    ).read_text(encoding="utf-8")
    assert night.pages.result == "success"
    assert night.pages.step("deployment").outcome == "success"
    summary = night.merge.summary
    assert "| Service | Pages | Not audited |" in summary  # the run table
    assert re.search(r"Accessibility audits: \*\*\d/7\*\* services", summary)
    assert re.search(r"Customer satisfaction measured: \*\*\d/7\*\* services", summary)
    assert "No baseline" in summary
    # The site address: from the GitHub API when it answers, else the github.io default.
    assert "[reports index](https://city.github.io/kuva-audit/reports/index.html)" in summary
    assert "**kuva-audit: exit 2: " in summary


def _night(work: Path, day: str) -> Path:
    return work / "audits" / "history" / day[:4] / f"{day}.jsonl"


def _earlier_night(work: Path, *, drop_one: bool) -> str:
    """Make today's committed night (its compact history) yesterday's, dropping one serious
    issue of kukkuu's listed pages when asked (so tonight it is new); return that issue's
    page URL."""
    today = dt.date.today().isoformat()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert not (work / "audits" / today).exists()  # full results are not committed
    lines = _night(work, today).read_text(encoding="utf-8").splitlines()
    _night(work, today).unlink()
    records = []
    for line in lines:
        summary, detail = (json.loads(part) for part in line.split("\t"))
        records.append(f"{json.dumps({**summary, 'date': yesterday})}\t{json.dumps(detail)}\n")
    _night(work, yesterday).parent.mkdir(parents=True, exist_ok=True)
    _night(work, yesterday).write_text("".join(records), encoding="utf-8")
    return _drop_one_issue(work, yesterday, drop=drop_one)


def _drop_one_issue(work: Path, day: str, *, drop: bool = True) -> str:
    """Drop kukkuu's last serious (or critical) issue from the compact history of ``day``;
    return the page it was seen on."""
    path = _night(work, day)
    records = [
        [json.loads(part) for part in line.split("\t")]
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    ((_, kukkuu),) = [r for r in records if r[0]["service"] == "kukkuu"]
    serious = [
        key
        for key in kukkuu["issues"]
        if key.split(" ")[1] in ("serious", "critical") and key.split(" ")[2] == "legal"
    ]
    ids = kukkuu["issues"][serious[-1]].split()
    page = kukkuu["pages"][int(ids[-1].split("@")[1])]
    if drop:
        kukkuu["issues"][serious[-1]] = " ".join(ids[:-1])
    lines = [f"{json.dumps(summary)}\t{json.dumps(detail)}\n" for summary, detail in records]
    path.write_text("".join(lines), encoding="utf-8")
    return str(page)


def test_a_night_with_one_new_issue_fails_on_it_alone_and_points_at_its_line(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    nightly, _, _ = first_night
    url = ""

    def change(work: Path) -> None:
        nonlocal url
        url = _earlier_night(work, drop_one=True)

    nightly.edit_origin(change, "yesterday's run, without one of tonight's issues")
    with serve_demo():
        night = nightly.night()
    merge = night.merge
    assert merge.outputs["exit-code"] == "2", merge.log
    (reason,) = last_lines(merge.steps[-1].log)
    assert re.fullmatch(
        r"kuva-audit: exit 2: 1 open WCAG 2\.1 A/AA issue new since the baseline at or "
        r"above --fail-on serious \(1 (critical|serious)\)",
        reason,
    ), reason
    run_log = step_log(merge, "action: run")
    (annotation,) = [line for line in run_log.splitlines() if line.startswith("::error file=")]
    line = int(re.search(r",line=(\d+),", annotation).group(1))  # type: ignore[union-attr]
    config = (merge.workspace / "services.yaml").read_text(encoding="utf-8").splitlines()
    page = url.rsplit("/", 1)[1] or "./"
    assert page in config[line - 1], (annotation, config[line - 1])
    assert re.search(r"Since the baseline \(\d{4}-\d\d-\d\d\): \*\*1\*\* new", merge.summary)


def test_a_night_without_new_issues_passes_and_commits_to_an_unprotected_branch(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    """The checked-out branch may be protected: with KUVA_AUDIT_RESULTS_BRANCH the results go
    to that branch, and the next night reads its baseline from there."""
    nightly, _, _ = first_night
    nightly.edit_origin(lambda work: _earlier_night(work, drop_one=False), "yesterday, same issues")
    main_before = nightly.commits()
    with serve_demo():
        night = nightly.night(KUVA_AUDIT_RESULTS_BRANCH="audit-results")
    merge = night.merge
    assert merge.result == "success", merge.log
    assert merge.outputs["exit-code"] == "0"
    (reason,) = last_lines(merge.steps[-1].log)
    assert re.fullmatch(
        r"kuva-audit: exit 0: all \d+ pages audited; no open WCAG 2\.1 A/AA issue new since "
        r"the baseline at or above --fail-on serious \(\d+ open issues in all\)",
        reason,
    ), reason
    assert nightly.commits() == main_before
    assert nightly.commits("audit-results")[0].startswith("kuva-audit run ")
    files = nightly.origin_files("audit-results")
    today = dt.date.today().isoformat()
    assert f"audits/history/{today[:4]}/{today}.jsonl" in files
    assert not [f for f in files if f.startswith(f"audits/{today}/")]  # in the artifact only
    assert "services.yaml" in files


def test_the_next_night_reads_its_baseline_from_the_results_branch(
    first_night: tuple[Nightly, list[JobResult], Night],
) -> None:
    """Yesterday's run on the results branch (one issue fewer than the copy on main) is the
    baseline, not the one on main: the issue is new."""
    nightly, _, _ = first_night
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert f"audits/history/{yesterday[:4]}/{yesterday}.jsonl" in nightly.origin_files(
        "audit-results"
    )
    nightly.edit_origin(
        lambda work: _drop_one_issue(work, yesterday),
        "yesterday on the results branch, without one issue",
        branch="audit-results",
    )
    main_before = nightly.commits()
    with serve_demo():
        night = nightly.night(KUVA_AUDIT_RESULTS_BRANCH="audit-results")
    merge = night.merge
    assert merge.outputs["exit-code"] == "2", merge.log
    (reason,) = last_lines(merge.steps[-1].log)
    assert "1 open WCAG 2.1 A/AA issue new since the baseline" in reason, reason
    assert "No branch" not in step_log(merge, "action: restore")
    assert nightly.commits() == main_before
    commits = nightly.commits("audit-results")
    assert commits[0].startswith("kuva-audit run ") and commits[2].startswith("kuva-audit run ")
