"""A statement's state (missing, draft, current, stale) and `--check`, from the compact history.

The report judges each statement from the latest run as the compact history keeps it, not from
the full results. These tests compute the state and the `--check` lines both ways: from the
full run, the way drafts are built (``build_statements``), and from the compact history alone,
with the full result folders deleted. No browser: the runs are the fixture's, changed the way
the `--check` tests change them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.config.loader import load_config
from kuva_audit.history.compact import CompactRun
from kuva_audit.history.store import night_file, record
from kuva_audit.statements.build import build_statements, judge_statements
from kuva_audit.statements.check import _page, _soup_page, check
from kuva_audit.statements.compliance import assess, assess_evidence
from kuva_audit.statements.evidence import RunEvidence
from kuva_audit.statements.state import StatementState, service_states, states_of
from kuva_audit.texts import LANGS

from .conftest import FIXTURES, run_cli
from .test_statement_check import CONFIG, broken_page, kukkuu_run, without

RUN = FIXTURES / "run" / "2026-11-27"
AS_OF = dt.date(2026, 12, 1)


def fixture_runs() -> tuple[ServiceRun, ...]:
    return load_run_dir(RUN)


def test_a_compact_line_keeps_what_statements_need() -> None:
    """Per language (and for pages without one), the evidence read back from a compact line
    is the full run's, and so is everything the assessment decides from it."""
    loaded = load_config(FIXTURES / "run" / "services.yaml")
    statements = {s.id: s.statement for s in loaded.config.services}
    runs = list(fixture_runs())
    kukkuu = runs[[r.service.id for r in runs].index("kukkuu")]
    broken = kukkuu.pages[1].model_copy(
        update={"status": "error", "error_kind": "http", "error": "HTTP 404", "lang": "sv"}
    )
    runs.append(kukkuu.model_copy(update={"pages": [kukkuu.pages[0], broken]}))
    for run in runs:
        full = RunEvidence.of_run(run)
        compact = RunEvidence.of_compact(CompactRun.from_line(CompactRun.of(run).to_line()))
        assert compact == full
        for lang in (*LANGS, None):
            seen = full.of_lang(lang)
            if lang is None:
                assert seen.audited == {p.url for p in run.pages if p.status == "ok"}
            from_run = assess(statements[run.service.id], run, lang)
            judged = assess_evidence(statements[run.service.id], seen)
            assert judged.criteria == from_run.criteria
            assert judged.missing == from_run.missing
            assert (judged.status, judged.basis, judged.burden) == (
                from_run.status,
                from_run.basis,
                from_run.burden,
            )


def test_a_line_of_an_older_kuva_audit_has_no_statement_evidence() -> None:
    run = fixture_runs()[0]
    summary, detail = CompactRun.of(run).to_line().split("\t")
    older = json.loads(detail)
    del older["statement"]
    record_ = CompactRun.from_line(f"{summary}\t{json.dumps(older)}")
    assert record_.statement is None and RunEvidence.of_compact(record_) is None


def _setup_kukkuu(root: Path, published: ServiceRun, latest: ServiceRun | None) -> Path:
    """kukkuu published on 2026-11-28 from ``published`` (audited 2026-11-27), then audited
    again on 2026-11-30 (``latest``); each run with its compact history."""
    config = root / "services.yaml"
    config.write_text(CONFIG.replace("REVIEWED", "2026-09-20"), encoding="utf-8")
    _audit(root, published.model_copy(update={"date": "2026-11-27"}))
    _draft_and_publish_kukkuu(config)
    if latest is not None:
        _audit(root, latest.model_copy(update={"date": "2026-11-30"}))
    return config


def _draft_and_publish_kukkuu(config: Path) -> None:
    """Drafts for every service on 2026-11-28, and kukkuu's published."""
    assert run_cli("statements", "--config", config, "--as-of", "2026-11-28").exit_code == 0
    done = run_cli(
        "statements",
        "--config",
        config,
        "--publish",
        "kukkuu",
        "--by",
        "M",
        "--as-of",
        "2026-11-28",
    )
    assert done.exit_code == 0, done.stdout + done.stderr


def _audit(root: Path, run: ServiceRun) -> None:
    """What an audit leaves: the full result and the night's compact history line."""
    path = root / "audits" / run.date / f"{run.service.id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(run.model_dump_json(), encoding="utf-8")
    record(root / "audits", [run])


def _swedish_failure(run: ServiceRun) -> ServiceRun:
    clean = without(run, "color-contrast")
    page = run.pages[1].model_copy(update={"lang": "sv"})
    return run.model_copy(update={"pages": [clean.pages[0], page]})


Scenario = tuple[ServiceRun, ServiceRun | None]
SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "current": lambda: (kukkuu_run(), None),
    "new failure": lambda: (without(kukkuu_run(), "color-contrast"), kukkuu_run()),
    "failure fixed": lambda: (kukkuu_run(), without(kukkuu_run(), "color-contrast")),
    "page not audited": lambda: (kukkuu_run(), broken_page(kukkuu_run())),
    "failure on a Swedish page": lambda: (
        without(kukkuu_run(), "color-contrast"),
        _swedish_failure(kukkuu_run()),
    ),
    "fully, then failures": lambda: (
        without(without(kukkuu_run(), "color-contrast"), "image-alt"),
        kukkuu_run(),
    ),
}


def _from_full_runs(config: Path) -> tuple[list[StatementState], list[str]]:
    """The state and the --check lines as drafts see the run: built from the full results."""
    loaded = load_config(config)
    root, audits = config.parent / "statements", config.parent / "audits"
    built = build_statements(loaded, loaded.config.services, LANGS, audits, AS_OF)
    states = states_of(loaded, root, AS_OF, {b.service.id: b for b in built})
    published = [b for b in built if (root / "published" / b.service.id).is_dir()]
    return states, check(published, LANGS, root, AS_OF)[1]


def _from_compact(config: Path) -> tuple[list[StatementState], list[str]]:
    loaded = load_config(config)
    root, audits = config.parent / "statements", config.parent / "audits"
    judged = judge_statements(loaded, loaded.config.services, LANGS, audits)
    published = [j for j in judged if (root / "published" / j.service.id).is_dir()]
    return service_states(loaded, root, audits, AS_OF), check(published, LANGS, root, AS_OF)[1]


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_state_from_the_compact_history_is_the_state_from_the_full_run(
    tmp_path: Path, scenario: str
) -> None:
    config = _setup_kukkuu(tmp_path, *SCENARIOS[scenario]())
    expected_states, expected_lines = _from_full_runs(config)
    assert expected_states[0].state == ("current" if scenario == "current" else "stale")
    assert bool(expected_lines) == (scenario != "current")
    assert _from_compact(config) == (expected_states, expected_lines)
    for folder in (tmp_path / "audits").glob("2026-*"):
        shutil.rmtree(folder)
    assert _from_compact(config) == (expected_states, expected_lines)
    checked = run_cli("statements", "--config", config, "--check", "--as-of", AS_OF.isoformat())
    assert checked.exit_code == (0 if scenario == "current" else 2)
    assert [line for line in checked.stdout.splitlines() if ".html: " in line] == expected_lines


def test_drafts_of_every_service_from_the_compact_history(tmp_path: Path) -> None:
    """The fixture's seven services: drafts that can and cannot be published (no statement
    block, criteria not assessed...), and one published statement."""
    shutil.copy(FIXTURES / "run" / "services.yaml", tmp_path / "services.yaml")
    config = tmp_path / "services.yaml"
    for run in fixture_runs():
        _audit(tmp_path, run)
    _draft_and_publish_kukkuu(config)
    expected_states, expected_lines = _from_full_runs(config)
    assert {s.state for s in expected_states} == {"current", "draft"}
    assert len({s.detail["en"] for s in expected_states}) >= 3
    shutil.rmtree(tmp_path / "audits" / RUN.name)
    assert _from_compact(config) == (expected_states, expected_lines)


def test_full_results_newer_than_the_compact_history_are_read(tmp_path: Path) -> None:
    """Results of an older kuva-audit (no compact line of their night, or a line without the
    statement evidence) are read in full, as before."""
    config = _setup_kukkuu(tmp_path, kukkuu_run(), without(kukkuu_run(), "color-contrast"))
    expected = _from_full_runs(config)
    night_file(tmp_path / "audits", "2026-11-30").unlink()
    assert _from_compact(config) == expected
    old = night_file(tmp_path / "audits", "2026-11-27")
    summary, detail = old.read_text(encoding="utf-8").rstrip("\n").split("\t")
    stripped = {k: v for k, v in json.loads(detail).items() if k != "statement"}
    old.write_text(f"{summary}\t{json.dumps(stripped)}\n", encoding="utf-8")
    assert _from_compact(config) == expected


@pytest.mark.parametrize("name", ["statement-manual", "statement-automated"])
def test_a_statement_page_reads_the_same_with_lxml_as_with_beautiful_soup(name: str) -> None:
    """--check reads pages with lxml (fast) where it can; what it reads is what Beautiful
    Soup read (text up to whitespace between elements)."""
    for lang in LANGS:
        html = (FIXTURES.parent / "golden" / f"{name}.{lang}.html").read_text(encoding="utf-8")
        fast, soup = _page.__wrapped__(html), _soup_page(html)
        assert fast.data == soup.data and fast.data is not None
        assert fast.hrefs == soup.hrefs and fast.hrefs
        assert fast.enforcement is not None and soup.enforcement is not None
        assert fast.enforcement.split() == soup.enforcement.split()
        assert fast.text.split() == soup.text.split()
