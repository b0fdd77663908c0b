"""The pipeline's stages in sequence, with no browser: the whole job on the fixed run read
from disk (`run --audited`), export, report and surveys, each called as a library with a
reporter that collects what it is told."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.errors import KuvaError
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline import Collected
from kuva_audit.pipeline.export import export_run
from kuva_audit.pipeline.job import Job, JobResult, demo_job, front_pages, whole_job
from kuva_audit.pipeline.judging import NO_TRIAGE, FailOn
from kuva_audit.pipeline.options import parse_day, report_lang
from kuva_audit.pipeline.report import report_command
from kuva_audit.pipeline.surveys import surveys_command
from kuva_audit.triage.verdict import EXIT_ERROR

from .conftest import FIXTURES

RUN = FIXTURES / "run" / "2026-11-27"
AS_OF = dt.date(2026, 12, 31)


def fixed_root(tmp_path: Path) -> tuple[LoadedConfig, Path]:
    """The fixed run's services.yaml and surveys in ``tmp_path``, its results in audits/."""
    from kuva_audit.demo.server import write_demo_config

    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:8000")
    run_dir = tmp_path / "audits" / "2026-11-27"
    shutil.copytree(RUN, run_dir)
    return load_config(config), run_dir


def audited_job(root: Path, run_dir: Path, site: Path | None = None) -> Job:
    return Job(
        audits=root / "audits",
        reports=root / "reports",
        statements=root / "statements",
        triage=NO_TRIAGE,
        outputs=OutputPaths(None, None, root / "reports" / "run.html", None),
        as_of=AS_OF,
        lang="en",
        audited=run_dir,
        site=site,
    )


def test_the_whole_job_runs_every_stage_in_order(tmp_path: Path) -> None:
    loaded, run_dir = fixed_root(tmp_path)
    said = Collected()
    result = whole_job(loaded, audited_job(tmp_path, run_dir), said)
    assert list(result.written) == [
        "compact history",
        "CI outputs",
        "satisfaction scores",
        "statement drafts",
        "progress report",
    ]
    assert result.failed == []
    assert result.code == EXIT_ERROR  # the fixed run has a page that could not be audited
    assert result.report is not None and result.data is not None
    assert said.tables == []  # the job's caller shows the audit table; --verbose the scores
    assert result.hints == {"satisfaction scores": "satisfaction.csv; --verbose prints the table"}
    assert (tmp_path / "reports" / "run.html").is_file()
    assert (tmp_path / "reports" / "index.html").is_file()
    assert len(list((tmp_path / "statements").glob("drafts/*/*.html"))) == 21
    assert front_pages(audited_job(tmp_path, run_dir), result) == [
        tmp_path / "reports" / "index.html"
    ]


def test_the_whole_job_reads_the_survey_exports_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The surveys stage hands what it read to the report stage: each export of the fixed
    run's surveys is read once in a whole job (counted by the real reader, which still does
    the reading), and the report's satisfaction figures are the ones it would read itself."""
    from kuva_audit.reports.data import gather
    from kuva_audit.surveys import score as score_module

    loaded, run_dir = fixed_root(tmp_path)
    real = score_module.read_source
    read: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        read.append(str(args[1].file))
        return found

    monkeypatch.setattr(score_module, "read_source", counted)
    result = whole_job(loaded, audited_job(tmp_path, run_dir), Collected())
    sources = [str(q.file) for s in loaded.config.services for q in s.surveys]
    assert sources and sorted(read) == sorted(sources)
    assert result.data is not None and result.data.satisfaction
    alone = gather(loaded, AS_OF, "en", tmp_path / "reports")
    assert result.data.satisfaction == alone.satisfaction
    assert result.data.progress == alone.progress


def test_a_failed_stage_is_reported_and_the_later_ones_still_run(tmp_path: Path) -> None:
    loaded, _ = fixed_root(tmp_path)
    said = Collected()
    missing = tmp_path / "audits" / "2026-01-01"
    result: JobResult = whole_job(loaded, audited_job(tmp_path, missing), said)
    assert result.failed == ["audit"]
    assert said.errors[0].startswith("kuva-audit: error: audit: ")
    assert result.report is None
    assert "CI outputs" not in result.written  # nothing judged, nothing to write
    assert {"satisfaction scores", "statement drafts", "progress report"} <= set(result.written)
    assert result.code == EXIT_ERROR
    assert "the audit stage failed" in result.verdict.summary()


def test_the_site_stage_needs_the_report(tmp_path: Path) -> None:
    loaded, run_dir = fixed_root(tmp_path)
    said = Collected()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    job = dataclasses.replace(
        audited_job(tmp_path, run_dir, site=tmp_path / "site"), reports=blocked
    )
    result = whole_job(loaded, job, said)
    assert result.failed == ["surveys", "report", "site"]
    assert said.errors[-1] == "kuva-audit: error: site: no site: the report stage failed"
    assert "the report stage failed" in result.verdict.summary()
    assert not (tmp_path / "site").exists()


def test_the_demo_job_publishes_what_can_be_published(tmp_path: Path) -> None:
    loaded, run_dir = fixed_root(tmp_path)
    job = demo_job(tmp_path, None)
    assert job.triage == NO_TRIAGE and job.demo_reviewer
    job = dataclasses.replace(job, audited=run_dir)
    result = whole_job(loaded, job, Collected())
    assert "published statements" in result.written
    assert result.written["CI outputs"] == [
        tmp_path / "reports" / f"run.{ext}" for ext in ("sarif.json", "junit.xml", "html", "md")
    ]


def test_export_judges_results_on_disk_and_says_what_it_wrote(tmp_path: Path) -> None:
    loaded, run_dir = fixed_root(tmp_path)
    said = Collected()
    outputs = OutputPaths(tmp_path / "out.sarif", None, None, None)
    report, verdict = export_run(
        run_dir, loaded.path, outputs, None, None, FailOn.serious, False, said
    )
    assert verdict.code == EXIT_ERROR
    assert said.lines[0].startswith("no accepted.yaml at ")
    assert said.lines[-1] == f"wrote {tmp_path / 'out.sarif'}"
    assert len(said.tables) == 1
    assert report.sources is not None


def test_export_needs_services_yaml_for_sarif(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir = tmp_path / "elsewhere" / "2026-11-27"
    shutil.copytree(RUN, run_dir)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KUVA_AUDIT_CONFIG", raising=False)
    outputs = OutputPaths(tmp_path / "out.sarif", None, None, None)
    with pytest.raises(KuvaError, match="--sarif points each result at its line"):
        export_run(run_dir, None, outputs, None, None, FailOn.serious, False, Collected())


def test_report_and_surveys_as_commands(tmp_path: Path) -> None:
    loaded, _ = fixed_root(tmp_path)
    said = Collected()
    data, paths = report_command(loaded, "2026-12-31", "en", tmp_path / "reports")
    assert tmp_path / "reports" / "index.html" in paths
    assert data.as_of == AS_OF
    scores = surveys_command(loaded, tmp_path / "scores", said)
    assert sorted(p.name for p in scores) == ["satisfaction.csv", "satisfaction.json"]
    assert len(said.tables) == 1


def test_option_values_are_one_line_errors() -> None:
    with pytest.raises(KuvaError, match="--lang de: the progress report is in fi, sv or en"):
        report_lang("de")
    with pytest.raises(KuvaError, match=r"--as-of 31\.12\.2026: give a date as YYYY-MM-DD"):
        parse_day("31.12.2026", "--as-of")
    assert parse_day("2026-12-31", "--as-of") == AS_OF
