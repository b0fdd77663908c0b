"""`validate` (and `statements`) on statement blocks: criteria outside the 49 in scope are
errors that name their line and say why; burden claims for content outside the law's scope
are warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.statements.scope import out_of_scope_reason
from kuva_audit.statements.validate import statement_warnings

from .conftest import run_cli

CONFIG = """\
organisation:
  name: {fi: Helsingin kaupunki, sv: Helsingfors stad, en: City of Helsinki}
  unit: {fi: Kulttuuri, sv: Kultur, en: Culture}
  feedback: {form: "https://palautteet.hel.fi/{lang}"}
services:
  - id: kukkuu
    name: {fi: Kummilapset, sv: Fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/]
    statement:
      prepared: 2026-03-23
      reviewed: 2026-09-20
      method: third-party
      responsible:
        unit: {fi: Kulttuuripalvelut, sv: Kulturtjänster, en: Culture services}
        email: kulttuuri@hel.fi
      audits:
        - date: 2026-09-01
          by: Palvelukeskus
          criteria: CRITERIA
FINDINGS"""


def finding(criterion: str) -> str:
    return (
        f"            - criterion: '{criterion}'\n"
        "              description: {fi: Puute., sv: Brist., en: A problem.}\n"
        "              part: {fi: Etusivu, sv: Startsidan, en: Front page}\n"
    )


def write(tmp_path: Path, criteria: str, *found: str, extra: str = "") -> Path:
    config = tmp_path / "services.yaml"
    findings = "          findings:\n" + "".join(map(finding, found)) if found else ""
    text = CONFIG.replace("CRITERIA", criteria).replace("FINDINGS", findings)
    config.write_text(text + extra, encoding="utf-8")
    return config


def line_of(config: Path, text: str, nth: int = 0) -> int:
    lines = config.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) if text in line][nth]


@pytest.mark.parametrize(
    ("criterion", "why"),
    [
        ("1.9.9", "1.9.9 is not a WCAG 2.1 success criterion; use one of the 49 criteria"),
        ("2.5.8", "2.5.8 Target Size (Minimum) is new in WCAG 2.2, not in WCAG 2.1 A/AA"),
        ("1.2.4", "1.2.4 Captions (Live) is excluded in Finland: the Act on the Provision"),
        ("1.4.6", "1.4.6 Contrast (Enhanced) is level AAA, not in WCAG 2.1 A/AA"),
        ("3.3.8", "3.3.8 Accessible Authentication (Minimum) is new in WCAG 2.2"),
    ],
)
def test_a_finding_outside_the_49_is_an_error_with_its_line(
    tmp_path: Path, criterion: str, why: str
) -> None:
    config = write(tmp_path, "all", "1.4.3", criterion)
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    line = line_of(config, f"criterion: '{criterion}'")
    (message,) = result.stderr.strip().splitlines()
    assert message.startswith(
        f"{config}:{line}: services[0].statement.audits[0].findings[1].criterion: {why}"
    ), message
    # The statements refuse it too, and write nothing: it would vanish from the statement.
    statements = run_cli("statements", "--config", config)
    assert statements.exit_code == 1
    assert statements.stderr.strip() == message
    assert not (tmp_path / "statements").exists()


def test_every_reason_names_a_way_forward() -> None:
    assert out_of_scope_reason("1.4.3") is None
    assert out_of_scope_reason("4.1.1") is None  # in WCAG 2.1 and EN 301 549
    for criterion in ("1.2.4", "2.5.8", "2.4.11", "1.3.6", "1.9.9", "5.1.1"):
        reason = out_of_scope_reason(criterion)
        assert reason and criterion in reason
        assert "out_of_scope" in reason or "outside the statement" in reason or "use one" in reason


def test_an_audit_criteria_list_and_a_finding_it_does_not_cover(tmp_path: Path) -> None:
    config = write(tmp_path, "['1.1.1', '2.5.8']", "1.4.3")
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"{config}:{line_of(config, 'criteria:')}: services[0].statement.audits[0].criteria[1]: "
        "2.5.8 Target Size (Minimum) is new in WCAG 2.2, not in WCAG 2.1 A/AA that the law "
        "requires; report it outside the statement",
        f"{config}:{line_of(config, 'criterion:')}: services[0].statement.audits[0].findings[0]"
        ".criterion: a finding for 1.4.3, which this audit's `criteria` list does not include; "
        "add it to the list or correct the number",
    ]


BURDEN = """\
      burden:
        - item: {fi: ITEM, sv: ITEM, en: ITEM}
          justification: {fi: WHY, sv: WHY, en: WHY}
"""


@pytest.mark.parametrize(
    ("item", "why", "category"),
    [
        ("Captions of event videos from 2019", "Rarely watched.", "recorded-media-before-2020"),
        ("Tapahtumavideot 2018-2020", "Vähän katsottuja.", "recorded-media-before-2020"),
        ("The harbour map", "A map service we buy.", "maps"),
        ("Live streams of concerts", "Costly.", "live-media"),
        ("PDF brochures of 2017", "Old files.", "office-documents-before-2018"),
        ("Third-party ticket shop", "Not ours.", "third-party-content"),
        ("Archived news", "Not updated.", "archives"),
    ],
)
def test_a_burden_claim_for_content_outside_the_scope_is_a_warning(
    tmp_path: Path, item: str, why: str, category: str
) -> None:
    extra = BURDEN.replace("ITEM", item).replace("WHY", why)
    config = write(tmp_path, "all", extra=extra)
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 0, result.stderr
    line = line_of(config, "- item:")
    (warning,) = result.stderr.strip().splitlines()
    assert warning.startswith(f"warning: {config}:{line}: services[0].statement.burden[0]: ")
    assert warning.endswith(f"list it under `out_of_scope` with category {category}")
    assert "valid, 1 service:" in result.stdout


@pytest.mark.parametrize(
    ("item", "why"),
    [
        ("The old registration form", "Replaced in spring 2027."),
        ("Teaching videos of 2024", "Withdrawn at the end of 2026."),  # too recent: not exempt
    ],
)
def test_a_genuine_burden_claim_is_not_warned_about(tmp_path: Path, item: str, why: str) -> None:
    extra = BURDEN.replace("ITEM", item).replace("WHY", why)
    config = write(tmp_path, "all", extra=extra)
    assert statement_warnings(load_config(config)) == []
