"""bench/compare_cases.py: unique catches per rule and their false alarms (no browser)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _module() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "bench" / "compare_cases.py"
    spec = importlib.util.spec_from_file_location("compare_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


A = {
    "cases/aaa111/failed-1.html": {"outcome": "failed", "rules": ["r_clean", "r_noisy"]},
    "cases/aaa111/failed-2.html": {"outcome": "failed", "rules": ["r_clean"]},
    "cases/bbb222/failed-1.html": {"outcome": "failed", "rules": ["r_noisy"]},
    "cases/bbb222/passed-1.html": {"outcome": "passed", "rules": ["r_noisy"]},
    "cases/ccc333/failed-1.html": {"outcome": "failed", "rules": ["r_same"]},
    "cases/ccc333/inapplicable-1.html": {"outcome": "inapplicable", "rules": ["r_same"]},
}
B = {
    "cases/aaa111/failed-2.html": {"outcome": "failed", "sources": ["axe-core"]},
    "cases/ccc333/failed-1.html": {"outcome": "failed", "sources": ["htmlcs"]},
    "cases/ddd444/failed-1.html": {"outcome": "failed", "sources": ["check:x"]},
}


def test_unique_catches_false_alarms_and_candidates() -> None:
    m = _module()
    rows = m.compare(A, B)
    assert rows["r_clean"].unique == ["cases/aaa111/failed-1.html"]
    assert rows["r_clean"].caught == 2 and rows["r_clean"].candidate
    assert rows["r_noisy"].unique == ["cases/aaa111/failed-1.html", "cases/bbb222/failed-1.html"]
    assert rows["r_noisy"].false_alarms == ["cases/bbb222/passed-1.html"]
    assert not rows["r_noisy"].candidate
    assert rows["r_same"].unique == [] and not rows["r_same"].candidate
    assert rows["r_same"].inapplicable == ["cases/ccc333/inapplicable-1.html"]
    assert m.adopted_gain(rows) == {"cases/aaa111/failed-1.html"}
    assert m.act_rule("cases/bbb222/passed-1.html") == "bbb222"


def test_a_false_alarm_on_another_corpus_disqualifies_a_rule() -> None:
    m = _module()
    other = {"cases/eee555/passed-1.html": {"outcome": "passed", "rules": ["r_clean"]}}
    rows = m.merge({"one": m.compare(A, B), "two": m.compare(other, {})})
    assert rows["r_clean"].unique == ["one/cases/aaa111/failed-1.html"]
    assert rows["r_clean"].false_alarms == ["two/cases/eee555/passed-1.html"]
    assert m.adopted_gain(rows) == set()


def test_a_file_that_is_not_cases_out_is_one_line(tmp_path: Path) -> None:
    m = _module()
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(SystemExit, match="not a --cases-out file"):
        m.load(bad)
