"""Goal progress: the 2020 figures from the repository's own services.yaml, and reasons."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import run_cli

REPO = Path(__file__).resolve().parents[1]


def test_the_2020_report_gives_2_of_7_and_0_of_7(tmp_path: Path) -> None:
    shutil.copy(REPO / "services.yaml", tmp_path / "services.yaml")
    result = run_cli("report", "--config", tmp_path / "services.yaml", "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "goal progress 2020-06-30: accessibility audits 2/7, satisfaction measured 0/7"
    )
    data = json.loads((tmp_path / "reports" / "progress.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2020-06-30"
    assert (data["accessibility"]["done"], data["accessibility"]["total"]) == (2, 7)
    assert (data["satisfaction"]["done"], data["satisfaction"]["total"]) == (0, 7)
    reasons = {s["id"]: (s["done"], s["reason"]) for s in data["accessibility"]["services"]}
    assert reasons == {
        "kukkuu": (True, "audited 23 March 2020, statement reviewed 23 March 2020"),
        "kultus": (False, "no statement by 30 June 2020"),
        "tapahtumat": (False, "no accessibility statement"),
        "venepaikat": (True, "audited 23 March 2020, statement reviewed 23 March 2020"),
        "jassari": (False, "no audit record"),
        "ahti": (False, "no accessibility statement"),
        "helsinkikuvia": (False, "no accessibility statement"),
    }
    assert all(s["reason"] == "no survey configured" for s in data["satisfaction"]["services"])
    for name in ("progress.md", "progress.html", "index.html"):
        assert (tmp_path / "reports" / name).is_file()
    index = (tmp_path / "reports" / "index.html").resolve()
    assert result.stdout.splitlines()[-1] == f"open the front page: {index}"


def test_audits_expire_after_twelve_months(tmp_path: Path) -> None:
    shutil.copy(REPO / "services.yaml", tmp_path / "services.yaml")
    result = run_cli(
        "report", "--config", tmp_path / "services.yaml", "--as-of", "2021-06-30", "--lang", "en"
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "reports" / "progress.json").read_text(encoding="utf-8"))
    reasons = {s["id"]: s["reason"] for s in data["accessibility"]["services"]}
    assert data["accessibility"]["done"] == 0
    assert reasons["kukkuu"] == "no audit record since March 2020"


def test_bad_report_options_are_one_line_errors(tmp_path: Path) -> None:
    shutil.copy(REPO / "services.yaml", tmp_path / "services.yaml")
    bad_date = run_cli("report", "--config", tmp_path / "services.yaml", "--as-of", "30.6.2020")
    assert bad_date.exit_code == 1
    assert (
        bad_date.stderr.strip() == "kuva-audit: error: --as-of 30.6.2020: give a date as YYYY-MM-DD"
    )
    bad_lang = run_cli("report", "--config", tmp_path / "services.yaml", "--lang", "de")
    assert bad_lang.exit_code == 1 and "fi, sv or en" in bad_lang.stderr


def test_run_on_results_already_audited_does_every_other_stage(tmp_path: Path) -> None:
    from kuva_audit.demo.server import write_demo_config

    from .conftest import FIXTURES

    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:8000")
    run_dir = tmp_path / "audits" / "2026-11-27"
    shutil.copytree(FIXTURES / "run" / "2026-11-27", run_dir)
    result = run_cli(
        "run",
        "--config",
        config,
        "--audited",
        run_dir,
        "--as-of",
        "2026-12-31",
        "--sarif",
        tmp_path / "run.sarif",
        "--lang",
        "en",
    )
    assert result.exit_code == 1  # the fixed run has a page that could not be audited
    assert "goal progress 2026-12-31: accessibility audits 2/7, satisfaction measured 3/7" in (
        result.stdout
    )
    assert (tmp_path / "run.sarif").is_file()
    for name in ("run.html", "satisfaction.json", "progress.html", "index.html"):
        assert (tmp_path / "reports" / name).is_file(), name
    # The whole job writes a draft for every service; it never publishes.
    assert len(list((tmp_path / "statements" / "drafts").glob("*/*.html"))) == 21
    assert not (tmp_path / "statements" / "published").exists()
