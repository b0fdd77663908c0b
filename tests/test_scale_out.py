"""audit --shard K/N on several machines, then merge: exactly the single machine's run."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.demo.server import serve_demo, write_demo_config

from .conftest import run_cli

pytestmark = pytest.mark.browser

SERVICES = ["--service", "kultus", "--service", "ahti", "--service", "helsinkikuvia"]


def comparable(run: ServiceRun) -> dict[str, Any]:
    """Everything but timings: pages, results, fingerprints, totals."""
    data = run.model_dump(exclude={"started_at", "finished_at", "duration_s"})
    for page in data["pages"]:
        page.pop("timings")
    return data


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, list[Path]]]:
    root = tmp_path_factory.mktemp("scale")
    with serve_demo() as origin, pytest.MonkeyPatch.context() as env:
        env.delenv("GITHUB_RUN_ID", raising=False)
        config = write_demo_config(root / "services.yaml", origin)
        single = run_cli("audit", "-c", config, "--out-dir", root / "single", *SERVICES)
        assert single.exit_code == 2, single.stderr
        parts = []
        for k in (1, 2, 3):
            part = run_cli(
                "audit", "-c", config, "--out-dir", root / "parts", "--shard", f"{k}/3", *SERVICES
            )
            assert part.exit_code in (0, 2), part.stderr
        parts = sorted((root / "parts").glob("*/shard-*-of-3"))
    (single_dir,) = (root / "single").glob("20*")
    yield root, single_dir, parts


def test_shards_split_the_pages_without_overlap(runs: tuple[Path, Path, list[Path]]) -> None:
    _, single_dir, parts = runs
    assert [p.name for p in parts] == ["shard-1-of-3", "shard-2-of-3", "shard-3-of-3"]
    single = {r.service.id: r for r in load_run_dir(single_dir)}
    for service_id, run in single.items():
        seen = [
            (p.url, p.viewport)
            for part in parts
            for r in load_run_dir(part)
            if r.service.id == service_id
            for p in r.pages
        ]
        assert sorted(seen) == sorted((p.url, p.viewport) for p in run.pages)
    sizes = [sum(len(r.pages) for r in load_run_dir(part)) for part in parts]
    pages = {
        s: [(p.url.rsplit("/", 2)[-1], p.viewport, p.status, p.error) for p in r.pages]
        for s, r in single.items()
    }
    assert all(size > 0 for size in sizes), (sizes, pages)  # every shard has work
    for k, part in enumerate(parts, start=1):
        for run in load_run_dir(part):  # each part says what it is
            assert run.shard is not None
            assert (run.shard.index, run.shard.count) == (k, 3)
            assert run.shard.run_id == run.date  # no --run-id, no $GITHUB_RUN_ID: the day
            assert run.shard.origins == [single[run.service.id].service.url.rsplit("/", 2)[0]]


def test_merge_of_three_shards_equals_the_single_run(runs: tuple[Path, Path, list[Path]]) -> None:
    root, single_dir, parts = runs
    result = run_cli("merge", *parts, "--out-dir", root / "merged")
    assert result.exit_code == 0, result.stderr
    (merged_dir,) = (root / "merged").glob("20*")
    merged = {r.service.id: r for r in load_run_dir(merged_dir)}
    single = {r.service.id: r for r in load_run_dir(single_dir)}
    assert sorted(merged) == sorted(single) == ["ahti", "helsinkikuvia", "kultus"]
    for service_id in single:
        assert merged[service_id].shard is None
        assert comparable(merged[service_id]) == comparable(single[service_id]), service_id


def test_a_missing_or_repeated_shard_is_an_error(
    runs: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    _, _, parts = runs
    missing = run_cli("merge", parts[0], parts[2], "--out-dir", tmp_path)
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        "kuva-audit: error: shard(s) 2/3 missing; merge needs all 3 parts"
    )
    copy = tmp_path / "copy-of-1"
    shutil.copytree(parts[0], copy)
    twice = run_cli("merge", parts[0], copy, parts[1], parts[2], "--out-dir", tmp_path)
    assert twice.exit_code == 1
    assert "shard 1/3 is given twice" in twice.stderr
    assert not list(tmp_path.glob("20*"))  # nothing written


def test_shard_option_is_checked() -> None:
    result = run_cli("audit", "--shard", "4/3")
    assert result.exit_code == 1
    assert "give K/N with 1 <= K <= N" in result.stderr


def _edit_part(part: Path, copy: Path, edit: Any) -> Path:
    shutil.copytree(part, copy)
    for path in copy.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data), encoding="utf-8")
    return copy


def test_parts_from_another_browser_or_config_name_the_field_that_differs(
    runs: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    _, _, parts = runs
    first = load_run_dir(parts[0])[0]
    assert first.engine.browser_build  # the results record which Chromium build ran

    def other_chromium(data: dict[str, Any]) -> None:
        data["engine"]["browser_version"] = "130.0.6723.58"
        data["engine"]["browser_build"] = "playwright chromium-1140"

    odd = _edit_part(parts[1], tmp_path / "other-browser", other_chromium)
    result = run_cli("merge", parts[0], odd, parts[2], "--out-dir", tmp_path / "out")
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith(
        f"kuva-audit: error: {first.service.id}: the parts differ in engine.browser_build "
        f"({first.engine.browser_build} in {parts[0]}, playwright chromium-1140 in {odd}); "
        f"engine.browser_version ({first.engine.browser_version} in {parts[0]}, 130.0.6723.58 in "
        f"{odd}); audit every shard with the same Chromium build: Playwright's pinned one"
    ), message
    assert "services.yaml and kuva-audit version" not in message

    def other_viewports(data: dict[str, Any]) -> None:
        data["settings"]["viewports"] = [{"name": "phone", "width": 390, "height": 844}]

    odd = _edit_part(parts[1], tmp_path / "other-config", other_viewports)
    result = run_cli("merge", parts[0], odd, parts[2], "--out-dir", tmp_path / "out")
    assert result.exit_code == 1
    assert "the parts differ in settings.viewports (" in result.stderr
    assert result.stderr.strip().endswith("audit every shard with the same services.yaml")

    def other_axe(data: dict[str, Any]) -> None:
        data["engine"]["axe_core"] = "4.11.0"

    odd = _edit_part(parts[1], tmp_path / "other-axe", other_axe)
    result = run_cli("merge", parts[0], odd, parts[2], "--out-dir", tmp_path / "out")
    assert "engine.axe_core (" in result.stderr and "4.11.0 in" in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written
