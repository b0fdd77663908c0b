"""services.yaml validation: strict models, every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.config import ConfigProblems, load_config
from kuva_audit.config.models import page_urls

from .conftest import run_cli

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
services:
  - id: kukkuu
    name: {fi: Kulttuurin kummilapset, sv: Kulturens fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/, /fi/about]
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigProblems) as info:
        load_config(path)
    return info.value.lines()


def test_minimal_service_is_valid_and_pages_resolve_under_the_url(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_config(path)
    service = loaded.config.services[0]
    assert page_urls(service) == [
        "https://kummilapset.hel.fi/",
        "https://kummilapset.hel.fi/fi/about",
    ]
    settings = loaded.config.settings_for(service)
    assert [v.name for v in settings.viewports] == ["desktop"]
    assert (settings.retries, settings.concurrency, settings.timeout_s) == (2, 4, 30.0)


def test_service_settings_override_defaults(tmp_path: Path) -> None:
    text = "defaults:\n  retries: 5\n  timeout_s: 10\n" + GOOD + "    retries: 1\n"
    path = tmp_path / "services.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_config(path)
    settings = loaded.config.settings_for(loaded.config.services[0])
    assert (settings.retries, settings.timeout_s) == (1, 10.0)


def test_each_problem_names_its_line_and_path(tmp_path: Path) -> None:
    text = GOOD + (
        "  - id: Bad_Id\n"  # line 6
        "    name: {fi: a, sv: b}\n"  # line 7: en missing
        "    url: ftp://example.org\n"  # line 8
        "    pagez: [/]\n"  # line 9: unknown key
        "    retries: many\n"  # line 10
    )
    lines = problems_of(tmp_path, text)
    path = tmp_path / "services.yaml"
    assert lines == [
        f"{path}:6: services[1].id: must be a slug: lowercase letters a-z, digits and "
        "single hyphens",
        f"{path}:7: services[1].name.en: required key is missing",
        f"{path}:8: services[1].url: must be an absolute http(s) URL, like https://example.hel.fi/",
        f"{path}:9: services[1].pagez: unknown key; check its spelling and indentation",
        f"{path}:10: services[1].retries: Input should be a valid integer",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    lines = problems_of(tmp_path, GOOD + "  - id: [unclosed\n")
    assert len(lines) == 1
    assert ":7: YAML syntax:" in lines[0] or ":6: YAML syntax:" in lines[0]


def test_duplicate_ids_and_missing_pages(tmp_path: Path) -> None:
    lines = problems_of(
        tmp_path, GOOD + GOOD.split("\n", 1)[1].replace("pages: [/, /fi/about]", "")
    )
    assert any("used twice" in line for line in lines)
    lines = problems_of(tmp_path, GOOD.replace("    pages: [/, /fi/about]\n", ""))
    assert lines == [
        f"{tmp_path / 'services.yaml'}:2: services[0].pages: list some pages or a sitemap"
    ]


def test_action_needs_exactly_one_kind_and_secrets_come_from_env(tmp_path: Path) -> None:
    text = (
        GOOD
        + "    actions:\n      - {click: '#a', goto: /x}\n      - {fill: '#pw', value: hunter2}\n"
    )
    lines = problems_of(tmp_path, text)
    assert lines[0].endswith(
        "services[0].actions[0]: an action needs exactly one of: click, fill, press, wait_for, goto"
    )
    assert ":8: services[0].actions[1].value: unknown key" in lines[1]


def test_validate_command_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    result = run_cli("validate", "--config", good)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{good}: valid, 1 service: kukkuu"

    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("https://kummilapset.hel.fi/", "not a url"), encoding="utf-8")
    result = run_cli("validate", "--config", bad)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{bad}:4: services[0].url: must be an absolute http(s) URL, like https://example.hel.fi/"
    )
    assert "Traceback" not in result.stderr

    missing = run_cli("validate", "--config", tmp_path / "nope.yaml")
    assert missing.exit_code == 1
    assert "no such file" in missing.stderr


def test_repository_services_yaml_lists_the_seven_real_services() -> None:
    loaded = load_config(REPO / "services.yaml")
    assert [s.id for s in loaded.config.services] == [
        "kukkuu",
        "kultus",
        "tapahtumat",
        "venepaikat",
        "jassari",
        "ahti",
        "helsinkikuvia",
    ]
    assert all(s.url.startswith("https://") for s in loaded.config.services)
