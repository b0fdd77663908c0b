"""merge checks each part before it writes anything: tampered, renamed, mixed or foreign parts
are one line naming the file and what to do, exit 1, nothing written.

The parts are the fixed run's files split the way ``audit --shard K/2`` splits them (the same
hash), with the identity a shard run records: no browser needed. ``test_scale_out`` merges
parts from real shard runs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kuva_audit.audit.results import Shard
from kuva_audit.audit.run import in_shard
from kuva_audit.audit.scope import origin, service_origins
from kuva_audit.audit.store import load_run_dir
from kuva_audit.config.loader import load_config
from kuva_audit.pipeline.audit import parse_shard

from .conftest import FIXED_CONFIG, FIXTURES, run_cli

RUN = FIXTURES / "run" / "2026-11-27"
COUNT = 2
Edit = Callable[[dict[str, Any]], None]


def make_parts(root: Path, run_id: str = "1234") -> list[Path]:
    """shard-K-of-2 folders holding the fixed run's pages as a shard run would."""
    loaded = load_config(FIXED_CONFIG)
    services = {s.id: s for s in loaded.config.services}
    folders = []
    for k in range(1, COUNT + 1):
        folder = root / "2026-11-27" / f"shard-{k}-of-{COUNT}"
        folder.mkdir(parents=True)
        shard = Shard(index=k, count=COUNT)
        for path in sorted(RUN.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            service = services[data["service"]["id"]]
            origins = service_origins(service, loaded.config.settings_for(service).sitemap)
            data["pages"] = [p for p in data["pages"] if in_shard(service.id, p["url"], shard)]
            data["shard"] = {"index": k, "count": COUNT, "run_id": run_id, "origins": origins}
            (folder / path.name).write_text(json.dumps(data), encoding="utf-8")
        folders.append(folder)
    return folders


def edit(path: Path, change: Edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def refused(tmp_path: Path, *parts: Path) -> str:
    """merge's one-line error; nothing written."""
    out = tmp_path / "merged"
    result = run_cli("merge", *parts, "--out-dir", out)
    assert result.exit_code == 1, result.stdout
    message = result.stderr.strip()
    assert message.startswith("kuva-audit: error: ") and "\n" not in message, message
    assert not out.exists() or not any(out.rglob("*.json")), "merge wrote files"
    return message


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    return make_parts(tmp_path / "parts")


def test_untampered_parts_merge_into_the_fixed_run(parts: list[Path], tmp_path: Path) -> None:
    result = run_cli("merge", *parts, "--out-dir", tmp_path / "merged")
    assert result.exit_code == 0, result.stderr
    merged = {r.service.id: r for r in load_run_dir(tmp_path / "merged" / "2026-11-27")}
    fixed = {r.service.id: r for r in load_run_dir(RUN)}
    assert sorted(merged) == sorted(fixed)
    for service_id, run in fixed.items():
        assert sorted(p.url + p.viewport for p in merged[service_id].pages) == sorted(
            p.url + p.viewport for p in run.pages
        )
        assert merged[service_id].fingerprints == run.fingerprints


def _page(part: Path, service: str) -> dict[str, Any]:
    data = json.loads((part / f"{service}.json").read_text(encoding="utf-8"))
    page: dict[str, Any] = data["pages"][0]
    return page


def test_a_page_repeated_from_another_shard_is_refused(parts: list[Path], tmp_path: Path) -> None:
    page = _page(parts[0], "ahti")
    moved = {**page, "position": 99}  # a new position: only the URL repeats
    edit(parts[1] / "ahti.json", lambda d: d["pages"].append(moved))
    message = refused(tmp_path, *parts)
    assert message == (
        f"kuva-audit: error: {parts[1] / 'ahti.json'}: {page['url']} ({page['viewport']}) is "
        f"also in {parts[0] / 'ahti.json'}; a page is in one part only: give the shard-K-of-N "
        "folders as the shard runs wrote them"
    )


def test_a_page_moved_to_another_shard_is_refused(parts: list[Path], tmp_path: Path) -> None:
    page = _page(parts[0], "ahti")
    edit(parts[0] / "ahti.json", lambda d: d["pages"].pop(0))
    edit(parts[1] / "ahti.json", lambda d: d["pages"].append(page))
    message = refused(tmp_path, *parts)
    assert message == (
        f"kuva-audit: error: {parts[1] / 'ahti.json'}: {page['url']} ({page['viewport']}) "
        "belongs in shard 1/2, not 2/2 (the part was edited or mixed); audit shard 2/2 again"
    )


def test_a_page_that_is_not_the_services_is_refused(parts: list[Path], tmp_path: Path) -> None:
    # A URL on another site that the hash puts in this very shard: only the origin is wrong.
    url = next(
        f"https://elsewhere.example/{n}"
        for n in range(100)
        if in_shard("ahti", f"https://elsewhere.example/{n}", Shard(index=1, count=COUNT))
    )
    page = {**_page(parts[0], "ahti"), "url": url, "position": 99}
    edit(parts[0] / "ahti.json", lambda d: d["pages"].append(page))
    message = refused(tmp_path, *parts)
    assert message == (
        f"kuva-audit: error: {parts[0] / 'ahti.json'}: {url} ({page['viewport']}) is not a page "
        "of ahti (not on http://127.0.0.1:8000); the part was edited: audit shard 1/2 again"
    )


def test_a_file_copied_under_another_name_is_refused(parts: list[Path], tmp_path: Path) -> None:
    shutil.copy(parts[0] / "ahti.json", parts[0] / "copy.json")
    message = refused(tmp_path, *parts)
    assert message == (
        f"kuva-audit: error: {parts[0] / 'copy.json'}: holds the part of service 'ahti', not "
        "'copy' (a renamed or copied file); give the shard-K-of-N folders as the shard runs "
        "wrote them"
    )


def test_a_file_copied_from_another_shard_is_refused(parts: list[Path], tmp_path: Path) -> None:
    shutil.copy(parts[0] / "ahti.json", parts[1] / "ahti.json")
    message = refused(tmp_path, *parts)
    assert message.startswith(
        f"kuva-audit: error: {parts[1] / 'ahti.json'}: a part of shard 1/2, in a folder named "
        "shard-2-of-2 (a renamed or copied folder)"
    ), message
    # Under another shard's folder name as a whole:
    other = tmp_path / "other" / "shard-2-of-2"
    shutil.copytree(parts[0], other)
    assert "in a folder named shard-2-of-2" in refused(tmp_path, parts[0], other)


def test_a_part_of_another_run_is_refused(tmp_path: Path) -> None:
    ours = make_parts(tmp_path / "ours", run_id="1234")
    theirs = make_parts(tmp_path / "theirs", run_id="5678")
    message = refused(tmp_path, ours[0], theirs[1])
    assert message == (
        f"kuva-audit: error: {theirs[1] / 'ahti.json'}: a part of run 5678, but "
        f"{ours[0] / 'ahti.json'} is of run 1234; merge the parts of one run (the same "
        "--run-id on every shard)"
    )


def test_a_duplicated_shard_is_refused(parts: list[Path], tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-1"
    shutil.copytree(parts[0], copy)
    message = refused(tmp_path, parts[0], copy, parts[1])
    assert message == (
        f"kuva-audit: error: shard 1/2 is given twice: {parts[0]} and {copy}; give each "
        "shard's folder once"
    )


def test_parts_that_differ_in_the_services_sites_are_refused(
    parts: list[Path], tmp_path: Path
) -> None:
    def add_site(data: dict[str, Any]) -> None:
        data["shard"]["origins"].append("https://elsewhere.example")

    for path in parts[1].glob("*.json"):
        edit(path, add_site)
    message = refused(tmp_path, *parts)
    assert "the parts differ in shard.origins (" in message
    assert message.endswith("audit every shard with the same services.yaml")


def test_a_part_without_a_run_id_is_refused(parts: list[Path], tmp_path: Path) -> None:
    edit(parts[1] / "ahti.json", lambda d: d["shard"].pop("run_id"))
    message = refused(tmp_path, *parts)
    assert message == (
        f"kuva-audit: error: {parts[1] / 'ahti.json'}: a part without a run id (an older "
        "kuva-audit wrote it); audit every shard again with this kuva-audit"
    )


def test_the_run_id_comes_from_the_option_else_github(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    assert parse_shard("1/2").run_id is None  # the run writes its day
    monkeypatch.setenv("GITHUB_RUN_ID", "987654")
    assert parse_shard("1/2").run_id == "987654"
    assert parse_shard("1/2", "night-7").run_id == "night-7"


def test_origins_are_scheme_host_and_port() -> None:
    assert origin("HTTPS://Example.hel.fi:443/a?b") == "https://example.hel.fi"
    assert origin("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000"
    assert origin("http://[::1]:8080/") == "http://[::1]:8080"
    assert origin("javascript:alert(1)") is None
    assert origin("http://host:99999/") is None
