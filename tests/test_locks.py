"""A lock per output folder: a second run writing the same folder stops with one line
(issue 15, item 6)."""

from __future__ import annotations

import shutil
from pathlib import Path

from filelock import FileLock

from kuva_audit.locks import lock_path
from tests.conftest import FIXTURES, run_cli


def test_a_second_run_on_a_busy_folder_stops_with_one_line(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "run", project)
    reports = project / "reports"
    with FileLock(lock_path(reports), timeout=0):  # another run is writing reports/
        result = run_cli("surveys", "--config", project / "services.yaml")
        assert result.exit_code == 1
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == [
            f"kuva-audit: error: {reports}: another kuva-audit run is writing this folder "
            f"(lock {lock_path(reports)}); wait for it to finish, or write elsewhere"
        ]
        assert not reports.exists()
        result = run_cli(
            "export",
            project / "2026-11-27",
            "--config",
            project / "services.yaml",
            "--html",
            reports / "run.html",
        )
        assert result.exit_code == 1 and "another kuva-audit run" in result.stderr
        assert not (reports / "run.html").exists()
    result = run_cli("surveys", "--config", project / "services.yaml")
    assert result.exit_code == 0, result.stderr
    assert (reports / "satisfaction.json").is_file()
    assert not any(p.name.endswith(".lock") for p in reports.iterdir())
