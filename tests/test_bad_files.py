"""Files kuva-audit reads back (results, baselines, the compact history, parts, accepted.yaml)
of a schema version it does not know, or not UTF-8: one line naming the file and what to do,
exit 1, no traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kuva_audit.errors import KuvaError
from kuva_audit.history.store import night_file, read_night

from .conftest import FIXTURES, run_cli
from .test_merge_checks import make_parts

RUN = FIXTURES / "run" / "2026-11-27"
RESULT_REMEDY = (
    "so not a kuva-audit result file; restore it from where the run was kept (its artifact "
    "or repository), or audit again"
)


def copy_run(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "audits" / name
    shutil.copytree(RUN, folder)
    return folder


def set_version(path: Path, version: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = version
    path.write_text(json.dumps(data), encoding="utf-8")


def error_of(*args: str | Path) -> str:
    result = run_cli(*args)
    assert result.exit_code == 1, result.stdout
    message = result.stderr.strip()
    assert message.startswith("kuva-audit: error: ") and "\n" not in message, message
    return message.removeprefix("kuva-audit: error: ")


def version_error(path: Path, version: str) -> str:
    return (
        f"{path}: result schema_version {version}, but this kuva-audit reads version 1; read it "
        "with the kuva-audit that wrote it (engine.kuva_audit in the file), or audit again"
    )


def test_a_baseline_of_an_unknown_schema_version_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    baseline = copy_run(tmp_path, "2026-11-26")
    set_version(baseline / "kukkuu.json", 99)
    out = tmp_path / "m.md"
    message = error_of("export", run, "--baseline", baseline, "--markdown", out)
    assert message == version_error(baseline / "kukkuu.json", "99")
    assert not out.exists()


def test_a_run_of_an_unknown_schema_version_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    set_version(run / "ahti.json", "two")
    message = error_of("export", run, "--markdown", tmp_path / "m.md")
    assert message == version_error(run / "ahti.json", "'two'")


def test_a_part_of_an_unknown_schema_version_is_one_line(tmp_path: Path) -> None:
    parts = make_parts(tmp_path / "parts")
    set_version(parts[1] / "kultus.json", 99)
    message = error_of("merge", *parts, "--out-dir", tmp_path / "merged")
    assert message == version_error(parts[1] / "kultus.json", "99")
    assert not (tmp_path / "merged").exists()


def test_a_baseline_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    baseline = copy_run(tmp_path, "2026-11-26")
    text = (baseline / "kukkuu.json").read_text(encoding="utf-8")
    at = text.index('"date"')
    (baseline / "kukkuu.json").write_bytes((text[:at] + "é" + text[at:]).encode("cp1252"))
    line = text[:at].count("\n") + 1
    message = error_of("export", run, "--baseline", baseline, "--markdown", tmp_path / "m.md")
    assert (
        message == f"{baseline / 'kukkuu.json'}:{line}: not UTF-8 text (byte 0xe9), {RESULT_REMEDY}"
    )


def test_a_compact_baseline_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    night = night_file(tmp_path / "audits", "2026-11-26")
    night.parent.mkdir(parents=True)
    night.write_bytes(b'{"v": 1}\n\xff\xfe\n')
    message = error_of("export", run, "--baseline", night, "--markdown", tmp_path / "m.md")
    assert message == (
        f"{night}:2: not UTF-8 text (byte 0xff), so not a compact history file; restore the "
        "file from the repository or run `kuva-audit history` again"
    )
    with pytest.raises(KuvaError, match="not UTF-8 text"):
        read_night(night)


def test_the_compact_history_not_utf8_is_one_line_for_the_report(tmp_path: Path) -> None:
    config = tmp_path / "services.yaml"
    shutil.copy(FIXTURES / "run" / "services.yaml", config)
    shutil.copytree(FIXTURES / "run" / "surveys", tmp_path / "surveys")
    copy_run(tmp_path, "2026-11-27")
    night = night_file(tmp_path / "audits", "2026-11-26")
    night.parent.mkdir(parents=True)
    night.write_bytes("Palvelu ä\n".encode("latin-1"))
    message = error_of("report", "--config", config, "--as-of", "2026-11-30")
    assert message.startswith(f"{night}:1: not UTF-8 text (byte 0xe4), so not a compact"), message


def test_an_accepted_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    accepted = tmp_path / "accepted.yaml"
    accepted.write_bytes("accepted:\n  - rule: region\n    reason: Päätetty\n".encode("latin-1"))
    message = error_of("export", run, "--accepted", accepted, "--markdown", tmp_path / "m.md")
    assert message.startswith(f"{accepted}:3: not UTF-8 text; save it as UTF-8"), message


def test_a_compact_baseline_of_an_unknown_version_is_one_line(tmp_path: Path) -> None:
    run = copy_run(tmp_path, "2026-11-27")
    night = night_file(tmp_path / "audits", "2026-11-26")
    night.parent.mkdir(parents=True)
    night.write_text('{"v": 99, "date": "2026-11-26"}\t{}\n', encoding="utf-8")
    message = error_of("export", run, "--baseline", night, "--markdown", tmp_path / "m.md")
    assert message == (
        f"{night}: line 1: compact history version 99; this kuva-audit reads 1; read it with "
        "the kuva-audit that wrote it (engine.kuva_audit on the line), or restore the file from "
        "the repository"
    )
