"""Files that belong together are written as one: a write that fails half-way (a full disk,
here a file-size limit; a folder where a file should be) leaves every one of them as it was,
never a new CSV beside an old JSON (issue 15)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from .conftest import FIXTURES, run_cli
from .test_merge_checks import make_parts

LIMIT = 10_000
"""Bytes a file may grow to in the limited runs: more than the first file of each group
(satisfaction.csv ~3 kB, progress.json ~7 kB, the JUnit ~7 kB), less than a later one
(satisfaction.json ~11 kB, progress.html ~60 kB, the run report ~40 kB)."""


def _limit_file_size() -> None:
    """No file may grow past LIMIT bytes (a full disk, as root too): writes fail with EFBIG
    instead of the process being killed."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def limited(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """kuva-audit in a process whose files cannot grow past LIMIT bytes."""
    return subprocess.run(
        [sys.executable, "-m", "kuva_audit", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "run", root)
    return root / "services.yaml"


def earlier(folder: Path, *names: str) -> dict[str, str]:
    """Files of an earlier run (small, so the limit does not touch them)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: f"earlier {name}\n" for name in names}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return files


def contents(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` (temporary files included, were any left)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def one_line_too_large(done: subprocess.CompletedProcess[str], path: Path) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.strip().splitlines() == [
        f"kuva-audit: error: {path}: cannot write (File too large)"
    ]


def test_surveys_never_leave_a_new_csv_beside_an_old_json(tmp_path: Path) -> None:
    config = project(tmp_path)
    reports = config.parent / "reports"
    before = earlier(reports, "satisfaction.csv", "satisfaction.json")
    done = limited("surveys", "--config", config)
    one_line_too_large(done, reports / "satisfaction.json")
    assert contents(reports) == before  # the CSV fitted, but it is not replaced alone
    # Without the limit both are written.
    assert run_cli("surveys", "--config", config).exit_code == 0
    assert (reports / "satisfaction.csv").read_text(encoding="utf-8-sig").startswith("service;")
    assert (reports / "satisfaction.json").read_text(encoding="utf-8").startswith("[")


def test_the_progress_report_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    config = project(tmp_path)
    reports = config.parent / "reports"
    names = ("progress.json", "progress.md", "progress.html", "index.html")
    before = earlier(reports, *names)
    done = limited("report", "--config", config, "--as-of", "2026-12-31")
    one_line_too_large(done, reports / "progress.html")
    assert contents(reports) == before


def test_ci_outputs_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    config = project(tmp_path)
    out = tmp_path / "out"
    before = earlier(out, "junit.xml", "run.html")
    done = limited(
        *("export", config.parent / "2026-11-27", "--config", config, "--fail-on", "none"),
        *("--junit", out / "junit.xml", "--html", out / "run.html"),
    )
    one_line_too_large(done, out / "run.html")
    assert contents(out) == before


def test_statement_drafts_are_written_whole_or_not_at_all(tmp_path: Path) -> None:
    config = project(tmp_path)
    drafts = config.parent / "statements" / "drafts"
    first = run_cli("statements", "--config", config, "--as-of", "2026-11-28")
    assert first.exit_code == 0, first.stderr
    before = {p: p.read_bytes() for p in sorted(drafts.rglob("*.*"))}
    last = max(before)  # written after the others
    last.unlink()
    last.mkdir()  # a folder where the last file should be: its rename would fail
    result = run_cli("statements", "--config", config, "--as-of", "2026-12-01")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"kuva-audit: error: {last}: cannot write (Is a directory)"
    after = {p: p.read_bytes() for p in sorted(drafts.rglob("*.*")) if p.is_file()}
    assert after == {p: data for p, data in before.items() if p != last}


def test_a_merge_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts")
    run = tmp_path / "merged" / "2026-11-27"
    before = earlier(run, "ahti.json", "helsinkikuvia.json", "kukkuu.json")
    (run / "kultus.json").mkdir()  # a folder where a later file goes: its move would fail
    result = run_cli("merge", *parts, "--out-dir", tmp_path / "merged")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"kuva-audit: error: {run / 'kultus.json'}: cannot write (Is a directory)"
    )
    assert {n: t for n, t in contents(run).items() if n != "kultus.json"} == before
    assert [p.name for p in (tmp_path / "merged").iterdir()] == ["2026-11-27"]  # no staging
