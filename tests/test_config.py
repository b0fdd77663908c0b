"""services.yaml validation: strict models, every problem reported with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kuva_audit.config import ConfigProblems, load_config
from kuva_audit.config.goals import Goals
from kuva_audit.config.models import page_urls
from kuva_audit.config.statement import LEGAL_REVIEW_MONTHS, review_overdue
from kuva_audit.reports.progress import accessibility_status

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


def test_a_goal_looser_than_the_law_is_refused(tmp_path: Path) -> None:
    """The goal's statement age is the coordinator's own target: the law's yearly review or
    stricter, never looser."""
    config = tmp_path / "services.yaml"
    config.write_text(GOOD + "goals:\n  statement_max_age_months: 18\n", encoding="utf-8")
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{config}:7: goals.statement_max_age_months: 18 months is looser than the law: a "
        "statement must be reviewed at least every 12 months; give 12 or fewer"
    )
    config.write_text(GOOD + "goals:\n  statement_max_age_months: 6\n", encoding="utf-8")
    assert load_config(config).config.goals.statement_max_age_months == 6
    config.write_text(GOOD, encoding="utf-8")
    assert load_config(config).config.goals.statement_max_age_months == LEGAL_REVIEW_MONTHS


def test_the_goal_and_the_law_judge_a_statement_age_by_one_rule() -> None:
    """The progress report's "statement too old" is the statements check's rule, with the
    goal's limit (the legal maximum by default)."""
    loaded = load_config(REPO / "services.yaml")
    service = next(s for s in loaded.config.services if s.statement and s.statement.audits)
    assert service.statement is not None
    reviewed = dt.date(2025, 11, 27)
    audit = service.statement.audits[0].model_copy(update={"date": reviewed})
    statement = service.statement.model_copy(
        update={"prepared": reviewed, "reviewed": reviewed, "audits": [audit]}
    )
    service = service.model_copy(update={"statement": statement})
    for limit in (LEGAL_REVIEW_MONTHS, 6):
        goals = Goals(audit_max_age_months=36, statement_max_age_months=limit)
        for day in (
            dt.date(2026, 5, 27),
            dt.date(2026, 5, 28),
            dt.date(2026, 11, 27),
            dt.date(2026, 11, 28),
        ):
            done, reason = accessibility_status(service, goals, day)
            assert done is not review_overdue(reviewed, day, limit)
            assert (reason.key == "statement_old") is review_overdue(reviewed, day, limit)
    assert not review_overdue(reviewed, dt.date(2026, 11, 27))
    assert review_overdue(reviewed, dt.date(2026, 11, 28))
