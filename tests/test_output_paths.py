"""Output paths are checked before work starts; write failures are one line, exit 1; `run`
reports a failed stage and goes on with the others (issue 15, item 1)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXED_CONFIG, FIXTURES, CliResult, run_cli

RUN = FIXTURES / "run" / "2026-11-27"


def one_error(result: CliResult) -> str:
    """The run failed with exactly one line on stderr and no traceback; return that line."""
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kuva-audit: error: ")
    return lines[0]


def export(*args: str | Path) -> CliResult:
    return run_cli("export", RUN, "--config", FIXED_CONFIG, "--fail-on", "none", *args)


def test_html_naming_a_folder_is_refused_before_work(tmp_path: Path) -> None:
    line = one_error(export("--html", tmp_path))
    assert f"--html {tmp_path}: is a folder" in line


def test_output_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("keep", encoding="utf-8")
    line = one_error(export("--sarif", tmp_path / "f" / "r.sarif"))
    assert f"--sarif {tmp_path / 'f' / 'r.sarif'}: {tmp_path / 'f'} is a file" in line
    assert (tmp_path / "f").read_text(encoding="utf-8") == "keep"


def test_empty_output_path_is_refused(tmp_path: Path) -> None:
    line = one_error(export("--markdown", ""))
    assert "--markdown" in line and "give a file name" in line


def test_nothing_is_written_when_one_output_path_is_bad(tmp_path: Path) -> None:
    one_error(export("--junit", tmp_path / "j.xml", "--html", tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_out_dir_naming_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("", encoding="utf-8")
    config = tmp_path / "services.yaml"
    shutil.copy(FIXED_CONFIG, config)
    line = one_error(run_cli("audit", "--config", config, "--out-dir", tmp_path / "out"))
    assert f"--out-dir {tmp_path / 'out'}: is a file" in line
    line = one_error(run_cli("merge", RUN, "--out-dir", tmp_path / "out"))
    assert f"--out-dir {tmp_path / 'out'}: is a file" in line
    line = one_error(run_cli("surveys", "--config", config, "--out-dir", tmp_path / "out"))
    assert "--out-dir" in line


def _limit_file_size() -> None:
    """Let no file grow past 2,000 bytes (a full disk, as root too): writes then fail with
    EFBIG instead of the process being killed."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


def test_a_write_that_fails_is_one_line_with_the_os_reason(tmp_path: Path) -> None:
    target = tmp_path / "run.html"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "kuva_audit", "export", str(RUN)),
            *("--config", str(FIXED_CONFIG), "--fail-on", "none", "--html", str(target)),
        ],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"kuva-audit: error: {target}: cannot write (File too large)"
    ]
    assert list(tmp_path.iterdir()) == []  # no partial file, no temporary file left


def test_run_reports_a_failed_stage_and_runs_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "run", project)
    (project / "reports" / "satisfaction.json").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run_cli(
        "run",
        "--config",
        project / "services.yaml",
        "--audited",
        project / "2026-11-27",
        "--sarif",
        "r.sarif",
        "--fail-on",
        "none",
        "--as-of",
        "2026-12-31",
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [
        f"kuva-audit: error: surveys: {project / 'reports' / 'satisfaction.json'}: "
        "cannot write (Is a directory)"
    ]
    assert (elsewhere / "r.sarif").is_file()
    outputs = [line.split() for line in result.stdout.splitlines() if "CI outputs:" in line]
    assert outputs == [["CI", "outputs:", "2", "files", "in", str(tmp_path)]]
    assert (project / "reports" / "progress.json").is_file()
    assert (project / "statements" / "drafts").is_dir()
    assert "surveys" in result.stdout.splitlines()[-1]
