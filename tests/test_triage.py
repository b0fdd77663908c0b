"""Accepted issues, baseline comparison, exit codes, and the Markdown summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.writer import rewrite_service_run
from kuva_audit.config.loader import ConfigProblems
from kuva_audit.formats import Format, renderer
from kuva_audit.formats.markdown import render as markdown
from kuva_audit.triage.accepted import Accepted
from kuva_audit.triage.build import build_report, exit_code
from kuva_audit.triage.report import RunReport

from .conftest import FIXTURES, run_cli

RUN = FIXTURES / "run" / "2026-11-27"


def without_errors(report: RunReport) -> tuple[ServiceRun, ...]:
    """The fixed run minus kultus, whose one unauditable page would make every exit code 1."""
    return tuple(run for run in report.services if run.service.id != "kultus")


def accepted_file(tmp_path: Path, text: str) -> Accepted:
    path = tmp_path / "accepted.yaml"
    path.write_text(text, encoding="utf-8")
    return Accepted.load(path)


def write_run(folder: Path, runs: tuple[ServiceRun, ...]) -> Path:
    """Write service runs as a run folder, recomputing totals and fingerprints."""
    for run in runs:
        rewrite_service_run(run, run.pages, folder / f"{run.service.id}.json")
    return folder


def test_every_format_has_a_renderer(fixed_report: RunReport) -> None:
    for fmt in Format:
        assert renderer(fmt)(fixed_report).strip(), fmt


def test_markdown_summary_golden(fixed_report: RunReport, golden) -> None:  # type: ignore[no-untyped-def]
    golden("run.md", markdown(fixed_report))


def test_unauditable_page_makes_exit_code_1_whatever_the_threshold(
    fixed_report: RunReport,
) -> None:
    assert exit_code(fixed_report, "serious") == 1
    assert exit_code(fixed_report, "none") == 1


def test_thresholds(fixed_report: RunReport) -> None:
    report = RunReport(fixed_report.date, without_errors(fixed_report))
    assert exit_code(report, "critical") == 2
    assert exit_code(report, "none") == 0
    only_venepaikat = RunReport(
        report.date, tuple(r for r in report.services if r.service.id in ("venepaikat", "ahti"))
    )
    assert exit_code(only_venepaikat, "critical") == 0  # its two issues are serious
    assert exit_code(only_venepaikat, "serious") == 2


def test_accepted_issues_are_not_failures(tmp_path: Path, fixed_report: RunReport) -> None:
    runs = tuple(r for r in fixed_report.services if r.service.id in ("venepaikat", "ahti"))
    accepted = accepted_file(
        tmp_path,
        """\
accepted:
  - rule: html-has-lang
    service: venepaikat
    reason: The CMS template is fixed in the next release
    owner: Sports services
    expires: 2027-01-31
  - rule: link-name
    target: .map-link
    url: "http://127.0.0.1:8000/venepaikat/*"
    reason: Map link is replaced by a list view
    owner: Sports services
    expires: 2027-01-31
""",
    )
    report = build_report(runs, date="2026-11-27", accepted=accepted)
    assert exit_code(report, "minor") == 0
    venepaikat = runs[0] if runs[0].service.id == "venepaikat" else runs[1]
    counts = report.issue_counts(venepaikat)
    assert (sum(counts.by_impact.values()), counts.accepted) == (0, 2)
    (acceptance,) = {
        report.acceptance("venepaikat", fp.id, url)
        for fp in venepaikat.fingerprints
        if fp.rule == "link-name"
        for url in fp.pages
    }
    assert acceptance is not None
    assert (acceptance.owner, acceptance.source) == ("Sports services", "accepted.yaml:7")


def test_expired_acceptance_stops_matching_and_is_reported(
    tmp_path: Path, fixed_report: RunReport
) -> None:
    runs = tuple(r for r in fixed_report.services if r.service.id == "venepaikat")
    fingerprint = next(fp.id for fp in runs[0].fingerprints if fp.rule == "html-has-lang")
    accepted = accepted_file(
        tmp_path,
        f"""\
accepted:
  - fingerprint: {fingerprint}
    reason: Was to be fixed in October
    owner: Sports services
    expires: 2026-10-31
""",
    )
    report = build_report(runs, date="2026-11-27", accepted=accepted)
    assert report.accepted == {}
    assert report.notes == (
        f"accepted.yaml:2: the acceptance of issue {fingerprint} expired on 2026-10-31; "
        "it no longer applies",
    )
    assert exit_code(report, "serious") == 2


def test_malformed_acceptance_is_a_one_line_error_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigProblems) as info:
        accepted_file(
            tmp_path,
            """\
accepted:
  - rule: image-alt
    reason: ok for now
    owner: me
  - rule: label
    fingerprint: 0123456789abcdef
    reason: both given
    owner: me
    expires: 2027-01-01
""",
        )
    assert info.value.lines() == [
        f"{tmp_path / 'accepted.yaml'}:2: accepted[0].expires: required key is missing",
        f"{tmp_path / 'accepted.yaml'}:5: accepted[1]: give either `fingerprint` or `rule` "
        "(with an optional `target`)",
    ]
    result = run_cli("export", RUN, "--accepted", tmp_path / "accepted.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith("accepted[0].expires: required key is missing")


def test_baseline_new_persisting_fixed_and_engine_change(
    tmp_path: Path, fixed_report: RunReport
) -> None:
    current = without_errors(fixed_report)
    # The baseline: kukkuu did not yet have its contrast problem, venepaikat had a gallery
    # without alt texts (now fixed), and it was made with an older axe-core.
    gallery = next(
        f for r in current if r.service.id == "helsinkikuvia" for p in r.pages for f in p.violations
    )
    baseline_runs = []
    for run in current:
        pages = list(run.pages)
        if run.service.id == "kukkuu":
            pages = [
                p.model_copy(
                    update={"violations": [f for f in p.violations if f.rule != "color-contrast"]}
                )
                for p in pages
            ]
        if run.service.id == "venepaikat":
            pages[2] = pages[2].model_copy(update={"violations": [gallery]})
        engine = run.engine.model_copy(update={"axe_core": "4.11.0"})
        baseline_runs.append(run.model_copy(update={"pages": pages, "engine": engine}))
    baseline = write_run(tmp_path / "2026-10-27", tuple(baseline_runs))

    report = build_report(current, date="2026-11-27", baseline=baseline)
    assert report.changes is not None
    new = sorted(key for key, change in report.changes.items() if change == "new")
    kukkuu = next(r for r in current if r.service.id == "kukkuu")
    contrast = next(fp.id for fp in kukkuu.fingerprints if fp.rule == "color-contrast")
    assert new == [("kukkuu", contrast)]
    assert [(f.service, f.issue.rule) for f in report.fixed] == [("venepaikat", "image-alt")]
    (note,) = report.notes
    assert note.startswith("axe-core changed from 4.11.0 to 4.12.1 since the baseline")
    assert "kukkuu: color-contrast on .fineprint" in note

    assert exit_code(report, "serious", only_new=True) == 2
    assert exit_code(report, "critical", only_new=True) == 0  # the new issue is serious
    assert "| Service | Pages | Not audited | New |" in markdown(report)

    export = run_cli("export", RUN.parent / "2026-11-27", "--baseline", baseline, "--fail-on-new")
    assert export.exit_code == 1  # kultus's unauditable page still fails the run


def test_fail_on_new_needs_a_baseline() -> None:
    result = run_cli("export", RUN, "--fail-on-new")
    assert result.exit_code == 1
    assert result.stderr.strip() == "kuva-audit: error: --fail-on-new needs --baseline RUN_DIR"


def test_export_writes_the_formats_atomically_and_the_step_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = tmp_path / "out"
    result = run_cli(
        "export",
        RUN,
        "--markdown",
        out / "run.md",
        "--sarif",
        out / "run.sarif",
        "--junit",
        out / "junit.xml",
        "--html",
        out / "run.html",
    )
    assert result.exit_code == 1  # the fixed run has an unauditable page
    assert sorted(p.name for p in out.iterdir()) == ["junit.xml", "run.html", "run.md", "run.sarif"]
    markdown_text = (out / "run.md").read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == "earlier step\n" + markdown_text


def test_export_of_a_missing_or_foreign_folder_is_a_one_line_error(tmp_path: Path) -> None:
    missing = run_cli("export", tmp_path / "nope")
    assert missing.exit_code == 1 and "no such run folder" in missing.stderr
    (tmp_path / "x.json").write_text('{"not": "a result"}', encoding="utf-8")
    foreign = run_cli("export", tmp_path)
    assert foreign.exit_code == 1
    assert foreign.stderr.startswith(f"kuva-audit: error: {tmp_path / 'x.json'}: not a kuva-audit")


def test_acceptances_take_the_run_date_not_today(tmp_path: Path, fixed_report: RunReport) -> None:
    accepted = accepted_file(
        tmp_path,
        """\
accepted:
  - {rule: image-alt, reason: legacy gallery, owner: City Museum, expires: 2026-11-27}
""",
    )
    runs = tuple(r for r in fixed_report.services if r.service.id == "helsinkikuvia")
    assert build_report(runs, date="2026-11-27", accepted=accepted).accepted
    assert not build_report(runs, date="2026-11-28", accepted=accepted).accepted
    assert dt.date.fromisoformat("2026-11-27")  # the fixture's run date
    assert dataclasses.is_dataclass(RunReport)
