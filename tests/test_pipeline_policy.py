"""The pipeline's exit-code policy on the fixed run, with no browser: which verdict a command
and the whole job end with, and that the pipeline speaks only through its reporter."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.errors import KuvaError
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline import Collected
from kuva_audit.pipeline.judging import (
    NO_TRIAGE,
    FailOn,
    Triage,
    announce,
    closing_lines,
    job_verdict,
    judge_and_write,
    judge_run,
    no_verdict,
)
from kuva_audit.triage.verdict import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

from .conftest import FIXTURES

RUN = FIXTURES / "run" / "2026-11-27"


def fixed_runs(*, audited_only: bool = False) -> tuple[ServiceRun, ...]:
    """The fixed run; ``audited_only``: without kultus, the service with a page that could
    not be audited."""
    runs = load_run_dir(RUN)
    return tuple(r for r in runs if not audited_only or r.service.id != "kultus")


def code_of(runs: tuple[ServiceRun, ...], triage: Triage) -> int:
    return judge_run(runs, "2026-11-27", triage, None, Collected())[1].code


def test_a_page_not_audited_is_exit_1_whatever_the_threshold() -> None:
    runs = fixed_runs()
    for fail_on in FailOn:
        assert code_of(runs, Triage(None, None, fail_on, False)) == EXIT_ERROR


def test_open_issues_at_the_threshold_are_exit_2_and_none_never_fails() -> None:
    runs = fixed_runs(audited_only=True)
    assert code_of(runs, Triage(None, None, FailOn.serious, False)) == EXIT_FINDINGS
    assert code_of(runs, NO_TRIAGE) == EXIT_OK


def test_fail_on_new_needs_a_baseline_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(KuvaError, match="--fail-on-new needs --baseline"):
        Triage.of(None, tmp_path, None, FailOn.serious, True)


def test_accepted_yaml_beside_services_yaml_is_read(tmp_path: Path) -> None:
    assert Triage.of(None, tmp_path, None, FailOn.serious, False).accepted is None
    (tmp_path / "accepted.yaml").write_text("accepted: []\n", encoding="utf-8")
    assert Triage.of(None, tmp_path, None, FailOn.serious, False).accepted is not None


def test_the_whole_job_fails_with_a_failed_stage_or_a_failed_audit() -> None:
    runs = fixed_runs(audited_only=True)
    _, verdict = judge_run(runs, "2026-11-27", NO_TRIAGE, None, Collected())
    assert job_verdict(verdict, NO_TRIAGE, []).code == EXIT_OK
    failed = job_verdict(verdict, NO_TRIAGE, ["surveys"])
    assert failed.code == EXIT_ERROR
    assert "the surveys stage failed" in failed.summary()
    assert job_verdict(None, NO_TRIAGE, []) == no_verdict(NO_TRIAGE)
    assert no_verdict(NO_TRIAGE).code == EXIT_ERROR


def test_the_verdict_is_said_last_and_annotated_on_github(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = fixed_runs(audited_only=True)
    triage = Triage(None, None, FailOn.serious, False)
    report, verdict = judge_run(runs, "2026-11-27", triage, None, Collected())
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    said = Collected()
    assert announce(report, verdict, said) == EXIT_FINDINGS
    assert said.lines == verdict.lines()
    assert said.lines[-1].startswith("kuva-audit: exit 2: ")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    annotated = closing_lines(report, verdict)
    assert annotated[-len(verdict.lines()) :] == verdict.lines()
    assert len(annotated) > len(verdict.lines())


def test_publish_run_writes_the_outputs_and_says_so(tmp_path: Path) -> None:
    said = Collected()
    outputs = OutputPaths(None, tmp_path / "run.xml", None, tmp_path / "run.md")
    report, verdict = judge_and_write(fixed_runs(), "2026-11-27", NO_TRIAGE, outputs, None, said)
    assert verdict.code == EXIT_ERROR
    assert len(said.tables) == 1
    assert said.lines == [f"wrote {tmp_path / 'run.xml'}", f"wrote {tmp_path / 'run.md'}"]
    assert (tmp_path / "run.xml").is_file() and (tmp_path / "run.md").is_file()
    assert report.date == "2026-11-27"
