"""What the terminal says: `run` and `demo` end with a short summary (the audit table, where the
outputs are, the goal's figures, the front page, the time taken, the verdict last); long
tables only with --verbose; `audit` says where it wrote; counts in singular or plural; the
progress shows the time left and the time taken; the demo config can be used again with
`demo --serve`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from rich.progress import TimeRemainingColumn

from kuva_audit.audit.store import load_run_dir
from kuva_audit.demo.server import demo_port, write_demo_config
from kuva_audit.progress_display import BarProgress, describe, eta
from kuva_audit.words import count, duration

from .conftest import FIXTURES, REPO, audit, interruptible, run_cli, service

RUN = "2026-11-27"
SATISFACTION_TITLE = "Customer satisfaction"


def _run(tmp_path: Path, config: Path, *args: str) -> tuple[list[str], str]:
    run_dir = tmp_path / "audits" / RUN
    shutil.copytree(FIXTURES / "run" / RUN, run_dir)
    result = run_cli(
        "run", "--config", config, "--audited", run_dir, "--as-of", "2026-12-31", *args
    )
    assert result.exit_code == 1, result.stderr  # the fixed run has a page not audited
    return result.stdout.splitlines(), result.stderr


def test_run_ends_with_the_short_summary_in_order(tmp_path: Path) -> None:
    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:8000")
    lines, _ = _run(tmp_path, config)
    text = "\n".join(lines)
    assert SATISFACTION_TITLE not in text  # the long table only with --verbose
    table = next(i for i, line in enumerate(lines) if line.strip().startswith("kuva-audit 20"))
    outputs = lines.index("outputs:")
    goal = lines.index(
        "goal progress 2026-12-31: accessibility audits 2/7, satisfaction measured 3/7"
    )
    front = lines.index(f"open the front page: {(tmp_path / 'reports' / 'index.html').resolve()}")
    elapsed = next(i for i, line in enumerate(lines) if line.startswith("whole job: "))
    assert table < outputs < goal < front < elapsed < len(lines) - 1
    assert re.fullmatch(r"whole job: (\d+\.\d s|\d+ min \d\d s)", lines[elapsed])
    assert lines[-1].startswith("kuva-audit: exit 1: 1 of 23 pages could not be audited")
    listed = {
        what.strip(): where.strip()
        for what, where in (line.split(":", 1) for line in lines[outputs + 1 : goal])
    }
    assert listed["satisfaction scores"] == (
        f"2 files in {(tmp_path / 'reports').resolve()} "
        "(satisfaction.csv; --verbose prints the table)"
    )
    assert listed["compact history"].startswith("1 file in ")
    assert "(s)" not in text
    assert len(lines) <= 45, text  # fits a 120x50 terminal with the prompt


def test_run_verbose_prints_the_satisfaction_table(tmp_path: Path) -> None:
    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:8000")
    lines, _ = _run(tmp_path, config, "--verbose")
    text = "\n".join(lines)
    assert SATISFACTION_TITLE in text
    assert text.index(SATISFACTION_TITLE) < text.index("outputs:")  # the summary stays last
    assert "--verbose prints the table" not in text


def test_run_without_surveys_prints_no_satisfaction_table(tmp_path: Path) -> None:
    shutil.copy(REPO / "services.yaml", tmp_path / "services.yaml")
    lines, _ = _run(tmp_path, tmp_path / "services.yaml", "--verbose")
    text = "\n".join(lines)
    assert SATISFACTION_TITLE not in text
    assert "goal progress 2026-12-31" in text
    surveys = run_cli("surveys", "--config", tmp_path / "services.yaml")
    assert surveys.exit_code == 0, surveys.stderr
    assert SATISFACTION_TITLE not in surveys.stdout
    assert "has surveys: the score files are empty" in surveys.stdout


def test_counts_in_singular_and_plural() -> None:
    assert [count(n, "page") for n in (0, 1, 2)] == ["0 pages", "1 page", "2 pages"]
    assert count(1, "more issue") == "1 more issue"
    assert count(3, "match", "matches") == "3 matches"
    assert duration(4.24) == "4.2 s"
    assert duration(65) == "1 min 05 s"
    assert duration(3720) == "1 h 02 min"
    pages = [page for run in load_run_dir(FIXTURES / "run" / RUN) for page in run.pages]
    described = {describe(page).split(", ")[1] for page in pages if page.status == "ok"}
    assert "1 failing element" in described
    assert "0 failing elements" in described
    assert not [d for d in described if "(s)" in d]


def test_time_left_from_the_pace_so_far() -> None:
    assert eta(0, 10, 0.0) == "eta ?"
    assert eta(2, 10, 4.0) == "eta 16.0 s"
    assert eta(10, 10, 20.0) == "eta 0.0 s"
    assert eta(1, 100, 3.0) == "eta 4 min 57 s"


def test_the_bar_shows_time_left_and_ends_with_the_time_taken() -> None:
    out = StringIO()
    reporter = BarProgress(Console(file=out, force_terminal=True, width=120))
    columns = reporter._progress.columns
    assert any(isinstance(c, TimeRemainingColumn) for c in columns)
    reporter.start(0)
    reporter.stop()
    assert re.search(r"kuva-audit: 0 pages audited in \d+\.\d s", out.getvalue())


@pytest.mark.browser
def test_audit_says_where_it_wrote_and_counts_in_words(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "one.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>One</title></head>'
        '<body><main><h1>One</h1><img src="a.png" width="10" height="10"></main></body></html>',
        encoding="utf-8",
    )
    from kuva_audit.demo.server import serve_directory

    with serve_directory(site) as origin:
        result, runs = audit(tmp_path / "job", service("one", origin + "/", ["one.html"]))
    assert result.exit_code == 2, result.stdout + result.stderr
    (run,) = runs.values()
    out = tmp_path / "job" / "audits"
    assert f"audit results: 1 file in {(out / run.date).resolve()}" in result.stdout
    assert f"compact history: 1 file in {(out / 'history' / run.date[:4]).resolve()}" in (
        result.stdout
    )
    assert "kuva-audit: auditing 1 page\n" in result.stderr
    assert re.search(r"\[1/1, eta [^\]]+\] one desktop \S+: ok, 1 failing element, ", result.stderr)
    assert re.search(r"kuva-audit: 1 page audited in \d", result.stderr)
    assert "(s)" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        "kuva-audit: exit 2: 1 open WCAG 2.1 A/AA issue at or above"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_demo_config_names_its_server_and_keeps_its_lines(tmp_path: Path) -> None:
    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:4321")
    head = config.read_text(encoding="utf-8").splitlines()[:3]
    assert head[2] == "# demo server: http://127.0.0.1:4321"
    assert "kuva-audit demo --serve" in head[1]
    assert demo_port(config) == 4321
    assert demo_port(tmp_path / "none.yaml") is None
    # The same lines as the bundled template below its comment: SARIF lines stay put.
    assert config.read_text(encoding="utf-8") == (FIXTURES / "run" / "services.yaml").read_text(
        encoding="utf-8"
    ).replace("http://127.0.0.1:8000", "http://127.0.0.1:4321")


def test_serve_on_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("demo", "--serve", "--port", str(port), "--workdir", tmp_path / "d")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"kuva-audit: error: --port {port}: cannot serve")


def _serve(workdir: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    """`kuva-audit demo --serve` in its own process; the origin it says it serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kuva_audit", "demo", "--serve", "--workdir", str(workdir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        preexec_fn=interruptible,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # blocks until the server says where it is
    match = re.match(r"serving the demo sites at (http://127\.0\.0\.1:\d+)/ until Ctrl-C", first)
    if match is None:
        process.kill()
        raise AssertionError(first + process.communicate()[1])
    return process, match[1]


def _stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out


def test_demo_serve_serves_until_ctrl_c_on_the_port_its_config_names(tmp_path: Path) -> None:
    workdir = tmp_path / "kuva-demo"
    port = _free_port()
    write_demo_config(workdir / "services.yaml", f"http://127.0.0.1:{port}")
    process, origin = _serve(workdir)  # no --port: the one the config names
    try:
        assert origin == f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{origin}/kukkuu/") as response:
            assert response.status == 200
    finally:
        out = _stop(process)
    assert "demo server stopped" in out
    assert demo_port(workdir / "services.yaml") == port


@pytest.mark.browser
def test_the_written_demo_config_audits_again_with_demo_serve(tmp_path: Path) -> None:
    workdir = tmp_path / "kuva-demo"
    process, origin = _serve(workdir, "--port", "0")
    try:
        config = workdir / "services.yaml"
        assert demo_port(config) == int(origin.rsplit(":", 1)[1])
        result = run_cli("audit", "--config", config, "--service", "kukkuu", "--fail-on", "none")
    finally:
        _stop(process)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "all 2 pages audited" in result.stdout.splitlines()[-1]
