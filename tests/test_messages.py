"""Messages in the user's words: dates, criteria and e-mails with the expected format and an
example; a duplicate id at the line of the second; export finds accepted.yaml beside the run's
services.yaml or says where it looked (issue 15, item 7)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kuva_audit.errors import first_line
from tests.conftest import FIXTURES, run_cli

SERVICE = """\
services:
  - id: kukkuu
    name: {fi: Kulttuurin kummilapset, sv: Kulturens fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/]
    statement:
      prepared: PREPARED
      reviewed: 2020-09-09
      method: third-party
      responsible:
        unit: {fi: Kulttuuripalvelut, sv: Kulturtjänster, en: Culture services}
        email: EMAIL
      audits:
        - {date: 2020-03-23, by: Helsingin kaupungin palvelukeskus, criteria: CRITERIA}
"""


def validate(tmp_path: Path, **values: str) -> list[str]:
    text = SERVICE
    for key, default in (("PREPARED", "2020-03-23"), ("EMAIL", "a@hel.fi"), ("CRITERIA", "all")):
        text = text.replace(key, values.get(key.lower(), default))
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--config", path)
    assert result.exit_code == 1, result.stdout
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


def test_a_finnish_date_names_the_format_with_the_date_meant(tmp_path: Path) -> None:
    assert validate(tmp_path, prepared="23.3.2020") == [
        f"{tmp_path / 'services.yaml'}:7: services[0].statement.prepared: '23.3.2020' is not a "
        "date; write dates as YYYY-MM-DD, e.g. 2020-03-23"
    ]


def test_a_bad_date_gets_a_generic_example(tmp_path: Path) -> None:
    (line,) = validate(tmp_path, prepared="March 2020")
    assert line.endswith("'March 2020' is not a date; write dates as YYYY-MM-DD, e.g. 2020-03-23")


def test_a_criteria_list_names_the_bad_items_without_pydantic_words(tmp_path: Path) -> None:
    assert validate(tmp_path, criteria="[1.1.1, 2.1]") == [
        f"{tmp_path / 'services.yaml'}:14: services[0].statement.audits[0].criteria: 2.1: not a "
        "success criterion; give `all` or WCAG success criteria numbers like [1.1.1, 1.4.3]"
    ]


def test_criteria_that_are_neither_all_nor_a_list(tmp_path: Path) -> None:
    (line,) = validate(tmp_path, criteria="some")
    assert line.endswith(
        "criteria: give `all` or a list of WCAG success criteria numbers like [1.1.1, 1.4.3]"
    )


def test_a_bad_email_shows_an_example_not_a_regex(tmp_path: Path) -> None:
    (line,) = validate(tmp_path, email="saavutettavuus at hel.fi")
    assert line.endswith(
        ":12: services[0].statement.responsible.email: 'saavutettavuus at hel.fi' is not an "
        "e-mail address; write it like saavutettavuus@hel.fi"
    )
    assert "^" not in line


def test_a_duplicate_id_names_the_line_of_the_second(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    first = SERVICE.split("    statement:")[0]
    path.write_text(first + first.split("\n", 1)[1], encoding="utf-8")
    result = run_cli("validate", "--config", path)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"{path}:6: services[1].id: service id 'kukkuu' is used twice (first at line 2); ids "
        "must be unique"
    ]


ACCEPTED = """\
accepted:
  - rule: html-has-lang
    service: venepaikat
    reason: The 2027 redesign sets the language
    owner: Venepaikat web team
    expires: 2099-12-31
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder (services.yaml, audits/<date>/) and a current folder elsewhere."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "run" / "2026-11-27", root / "audits" / "2026-11-27")
    shutil.copy(FIXTURES / "run" / "services.yaml", root / "services.yaml")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.delenv("KUVA_AUDIT_CONFIG", raising=False)
    return root


def test_export_finds_accepted_yaml_beside_the_runs_services_yaml(project: Path) -> None:
    (project / "accepted.yaml").write_text(ACCEPTED, encoding="utf-8")
    result = run_cli("export", project / "audits" / "2026-11-27")
    assert "8 open WCAG 2.1 A/AA issues" in result.stdout.splitlines()[-1]
    assert "no accepted.yaml" not in result.stdout


def test_export_says_where_it_looked_for_accepted_yaml(project: Path) -> None:
    result = run_cli("export", project / "audits" / "2026-11-27")
    assert "9 open WCAG 2.1 A/AA issues" in result.stdout.splitlines()[-1]
    assert f"no accepted.yaml at {project / 'accepted.yaml'}" in result.stdout


def test_an_error_is_said_by_its_first_line_or_its_type() -> None:
    """One rule for the engines, the page loader and the browser launcher."""
    assert (
        first_line(RuntimeError("Protocol error\n    at frame 3\n    at ...")) == "Protocol error"
    )
    assert first_line(TimeoutError("  ")) == "TimeoutError"
