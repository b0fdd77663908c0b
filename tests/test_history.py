"""The compact history: what it keeps, how nights are written and read, baselines from it,
migration and retention, and trends summarised by period (no browser needed)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.errors import KuvaError
from kuva_audit.history.compact import CompactRun
from kuva_audit.history.store import (
    load_history,
    migrate,
    night_file,
    prune,
    read_night,
    record,
)
from kuva_audit.reports.periods import MAX_POINTS, AuditPoint, summarise
from kuva_audit.triage.baseline import BaselineRun, compare, load_baseline

from .conftest import FIXTURES, run_cli

RUN = FIXTURES / "run" / "2026-11-27"


def runs() -> tuple[ServiceRun, ...]:
    return load_run_dir(RUN)


def moved(run: ServiceRun, date: str) -> ServiceRun:
    return run.model_copy(update={"date": date})


def test_a_compact_record_keeps_what_trends_and_baselines_need() -> None:
    for run in runs():
        compact = CompactRun.of(run)
        again = CompactRun.from_line(compact.to_line())
        summary_only = CompactRun.from_line(compact.to_line(), issues=False)
        assert summary_only.totals == run.totals and not summary_only.issues
        assert again.totals == run.totals
        assert again.open_issues == sum(run.totals.issues_by_impact.values())
        assert again.axe_core == run.engine.axe_core
        assert {i.id for i in again.issues} == {fp.id for fp in run.fingerprints}
        for issue, fp in zip(again.issues, sorted(run.fingerprints, key=_group_order), strict=True):
            assert (issue.rule, issue.impact, issue.legal, list(issue.wcag)) == (
                fp.rule,
                fp.impact,
                fp.legal,
                fp.wcag,
            )
            assert issue.page == fp.pages[0]
        assert [n.url for n in again.not_audited] == [p.url for p in run.pages if p.status != "ok"]
        assert again.rules >= {f.rule for p in run.pages for f in p.violations}


def _group_order(fp: object) -> tuple[str, ...]:
    from kuva_audit.audit.results import FingerprintEntry

    assert isinstance(fp, FingerprintEntry)
    return (fp.rule, fp.impact or "-", "legal" if fp.legal else "beyond", ",".join(fp.wcag) or "-")


def test_a_night_is_one_file_with_a_line_per_service_and_a_rerun_replaces_its_line(
    tmp_path: Path,
) -> None:
    all_runs = runs()
    (path,) = record(tmp_path, all_runs)
    assert path == tmp_path / "history" / "2026" / "2026-11-27.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line.split("\t")[0])["service"] for line in lines] == sorted(
        r.service.id for r in all_runs
    )
    assert all(line.count("\t") == 1 for line in lines)  # summary, tab, issues
    kukkuu = next(r for r in all_runs if r.service.id == "kukkuu")
    fewer = kukkuu.model_copy(update={"fingerprints": kukkuu.fingerprints[:1]})
    record(tmp_path, [fewer])
    again = read_night(path)
    assert len(again) == len(all_runs)
    assert len(next(r for r in again if r.service == "kukkuu").issues) == 1


def test_a_damaged_night_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = night_file(tmp_path, "2026-11-27")
    path.parent.mkdir(parents=True)
    path.write_text('{"v": 1, "date": "2026-11-27"}\t{}\n', encoding="utf-8")
    with pytest.raises(KuvaError, match=r"2026-11-27\.jsonl: line 1 is not a kuva-audit compact"):
        read_night(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(KuvaError, match=r"jsonl:1: not UTF-8 text \(byte 0xff\), so not a compact"):
        read_night(path)


def test_a_compact_baseline_gives_the_same_new_and_persisting_as_the_full_run(
    tmp_path: Path,
) -> None:
    before = tuple(moved(r, "2026-11-26") for r in runs())
    kukkuu = next(r for r in before if r.service.id == "kukkuu")
    dropped = kukkuu.fingerprints[0]
    before = tuple(
        r.model_copy(update={"fingerprints": r.fingerprints[1:]}) if r is kukkuu else r
        for r in before
    )
    full = compare(runs(), tuple(BaselineRun.of_run(r) for r in before))
    (path,) = record(tmp_path, before)
    compact = compare(runs(), load_baseline(path))
    assert compact.changes == full.changes
    assert compact.changes[("kukkuu", dropped.id)] == "new"
    assert compact.notes == full.notes
    # The run folder is gone: --baseline audits/<date> reads the compact history.
    assert compare(runs(), load_baseline(tmp_path / "2026-11-26")).changes == full.changes


def test_a_compact_baseline_calls_an_issue_fixed_only_where_its_page_was_audited_again(
    tmp_path: Path,
) -> None:
    now = runs()
    kukkuu = next(r for r in now if r.service.id == "kukkuu")
    gone = kukkuu.fingerprints[0]
    tonight = tuple(
        r.model_copy(update={"fingerprints": r.fingerprints[1:]}) if r is kukkuu else r for r in now
    )
    (path,) = record(tmp_path, tuple(moved(r, "2026-11-26") for r in now))
    fixed = compare(tonight, load_baseline(path)).fixed
    assert [(f.service, f.issue.id) for f in fixed] == [("kukkuu", gone.id)]
    # Its page could not be audited tonight: not known, so not fixed.
    unaudited = kukkuu.model_copy(
        update={
            "fingerprints": kukkuu.fingerprints[1:],
            "pages": [
                p.model_copy(update={"status": "error", "error_kind": "timeout"})
                if p.url == gone.pages[0]
                else p
                for p in kukkuu.pages
            ],
        }
    )
    assert not compare((unaudited,), load_baseline(path)).fixed


def test_a_baseline_that_is_nowhere_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(KuvaError, match="no such run folder, and no compact history"):
        load_baseline(tmp_path / "2026-11-26")


def test_migrate_writes_what_is_missing_and_prune_keeps_the_newest_full_nights(
    tmp_path: Path,
) -> None:
    audits = tmp_path / "audits"
    for day in ("2026-11-25", "2026-11-26", "2026-11-27"):
        shutil.copytree(RUN, audits / day)
        for path in (audits / day).glob("*.json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps({**data, "date": day}), encoding="utf-8")
    days = ("2026-11-25", "2026-11-26", "2026-11-27")
    written = migrate(audits)
    assert [p.name for p in written] == [f"{d}.jsonl" for d in days]
    assert migrate(audits) == []  # nothing left to do
    removed = prune(audits, keep_full=1)
    assert [p.name for p in removed] == ["2026-11-25", "2026-11-26"]
    assert (audits / "2026-11-27").is_dir()
    assert sorted({r.date for r in load_history(audits)}) == list(days)


def test_prune_never_deletes_a_night_the_compact_history_lacks(tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    shutil.copytree(RUN, audits / "2026-11-27")
    shutil.copytree(RUN, audits / "2026-11-28")
    assert prune(audits, keep_full=0) == []


def test_the_history_command(tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    shutil.copytree(RUN, audits / "2026-11-27")
    config = tmp_path / "services.yaml"
    shutil.copy(FIXTURES / "run" / "services.yaml", config)
    result = run_cli("history", "--config", config, "--keep-full", "1")
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stdout and "2026-11-27.jsonl" in result.stdout
    again = run_cli("history", "--config", config)
    assert "the compact history is complete" in again.stdout


def _nightly(days: int) -> list[AuditPoint]:
    start = dt.date(2024, 1, 1)
    points = []
    for n in range(days):
        day = (start + dt.timedelta(days=n)).isoformat()
        version = "4.10.0" if n < days // 2 else "4.11.0"
        points += [
            AuditPoint(day, "kukkuu", n % 7, {"1.4.3": n % 7}, version),
            AuditPoint(day, "ahti", 3, {"1.1.1": 3}, version),
        ]
    return points


@pytest.mark.parametrize(
    ("days", "period"),
    [(30, "night"), (200, "week"), (1096, "month"), (3000, "quarter"), (10000, "year")],
)
def test_long_histories_are_summarised_by_the_finest_period_that_fits(
    days: int, period: str
) -> None:
    trend = summarise(_nightly(days))
    assert trend.period == period and trend.nights == days
    dates = sorted({p.date for p in trend.points})
    assert len(dates) <= MAX_POINTS
    assert len(trend.points) == 2 * len(dates)  # every service on each period's day


def test_a_period_shows_each_services_last_audit_in_it() -> None:
    points = _nightly(1096)
    trend = summarise(points)
    january = [p for p in trend.points if p.date.startswith("2024-01")]
    assert {p.date for p in january} == {"2024-01-31"}
    last = next(p for p in points if p.date == "2024-01-31" and p.service == "kukkuu")
    assert next(p for p in january if p.service == "kukkuu").issues == last.issues
    versions = [p.axe_core for p in trend.points if p.service == "ahti"]
    assert versions[0] == "4.10.0" and versions[-1] == "4.11.0"  # the upgrade still shows
