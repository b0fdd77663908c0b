"""Survey files lie under the folder of services.yaml unless written as an absolute path;
errors never show content of files outside it; a glob matching nothing is an error unless the
entry is optional (issue 15, item 4)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import CliResult, run_cli

CONFIG = """\
services:
  - id: kukkuu
    name: {fi: Kummilapset, sv: Fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/]
    surveys:
      - file: FILE
        questions:
          - {column: Tyytyväisyys, metric: csat}
"""
SECRET = "TOPSECRET-header,another\nTOPSECRET-value,1\n"


def surveys(tmp_path: Path, file: str) -> tuple[CliResult, Path]:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    (tmp_path / "outside").mkdir(exist_ok=True)
    (tmp_path / "outside" / "secret.csv").write_text(SECRET, encoding="utf-8")
    config = project / "services.yaml"
    config.write_text(CONFIG.replace("FILE", file), encoding="utf-8")
    return run_cli("surveys", "--config", config), config


def one_line(result: CliResult) -> str:
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "TOPSECRET" not in result.stderr + result.stdout
    return line


def test_a_relative_glob_reaching_outside_is_refused(tmp_path: Path) -> None:
    result, config = surveys(tmp_path, "../outside/*.csv")
    assert one_line(result) == (
        f"{config}:7: services[0].surveys[0].file: '../outside/*.csv' reaches outside the folder "
        f"of services.yaml ({config.parent}); move the exports under it, or write an absolute "
        "path if that is on purpose"
    )


def test_a_link_leading_outside_is_refused(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "exports").symlink_to(tmp_path / "outside")
    result, _ = surveys(tmp_path, "exports/*.csv")
    assert "reaches outside the folder of services.yaml" in one_line(result)


def test_an_absolute_path_is_read_but_its_content_never_shown(tmp_path: Path) -> None:
    result, _ = surveys(tmp_path, str(tmp_path / "outside" / "*.csv"))
    line = one_line(result)
    assert line.startswith(f"kuva-audit: error: {tmp_path / 'outside' / 'secret.csv'}")
    assert "its content is not shown" in line


def test_a_glob_matching_nothing_is_an_error_unless_optional(tmp_path: Path) -> None:
    result, config = surveys(tmp_path, "missing/*.csv")
    assert one_line(result).startswith(
        f"{config}:7: services[0].surveys[0].file: no file matches 'missing/*.csv' (kukkuu); "
    )
    result, _ = surveys(tmp_path, "missing/*.csv\n        optional: true")
    assert result.exit_code == 0, result.stderr
    assert "no file matches 'missing/*.csv'" in result.stderr
