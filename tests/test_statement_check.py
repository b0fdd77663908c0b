"""Compliance status rules, `statements --check` drift cases, statement config errors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.loader import load_config
from kuva_audit.statements.build import build_statements, statement_services
from kuva_audit.statements.check import check, months_between
from kuva_audit.statements.compliance import assess

from .conftest import FIXTURES, run_cli

RUN = FIXTURES / "run" / "2026-11-27"

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
      reviewed: REVIEWED
      method: third-party
      responsible:
        unit: {fi: Kulttuuripalvelut, sv: Kulturtjänster, en: Culture services}
        email: kulttuuri@hel.fi
AUDITS"""

ALL_CLEAR = """\
      audits:
        - {date: 2026-09-01, by: Palvelukeskus, criteria: all}
"""


def load(tmp_path: Path, reviewed: str = "2026-09-20", audits: str = "") -> Path:
    path = tmp_path / "services.yaml"
    path.write_text(CONFIG.replace("REVIEWED", reviewed).replace("AUDITS", audits), "utf-8")
    return path


def kukkuu_run() -> ServiceRun:
    return ServiceRun.model_validate_json((RUN / "kukkuu.json").read_text(encoding="utf-8"))


def test_automated_testing_alone_is_never_full_compliance(tmp_path: Path) -> None:
    loaded = load_config(load(tmp_path))
    statement = loaded.config.services[0].statement
    clean = kukkuu_run().model_copy(
        update={"pages": [p.model_copy(update={"violations": []}) for p in kukkuu_run().pages]}
    )
    result = assess(statement, clean)
    assert (result.status, result.basis) == ("partially", "not-fully-audited")
    assert result.count("passed-automated") > 0 and result.count("failed") == 0
    assert result.count("out-of-scope") == 1  # 1.2.4
    assert (
        sum(
            result.count(s)
            for s in ("failed", "passed-manual", "passed-automated", "not-tested", "out-of-scope")
        )
        == 50
    )


def test_full_compliance_needs_a_clean_manual_audit_of_all_criteria(tmp_path: Path) -> None:
    loaded = load_config(load(tmp_path, audits=ALL_CLEAR))
    statement = loaded.config.services[0].statement
    assert assess(statement, None).status == "fully"
    failing = assess(statement, kukkuu_run())  # 1.1.1 and 1.4.3 fail automatically
    assert failing.status == "partially"
    assert {a.criterion for a in failing.automated} == {"1.1.1", "1.4.3"}
    assert failing.criteria["1.1.1"] == "failed" and failing.criteria["2.4.2"] == "passed-manual"


def test_override_with_reason_wins(tmp_path: Path) -> None:
    audits = ALL_CLEAR + (
        "      status_override:\n        status: not\n"
        "        reason: {fi: Lomakkeet eivät toimi., sv: Formulären fungerar inte., "
        "en: Most forms fail in use.}\n"
    )
    loaded = load_config(load(tmp_path, audits=audits))
    result = assess(loaded.config.services[0].statement, None)
    assert result.override is not None
    assert (result.status, result.basis, result.override.reason.en) == (
        "not",
        "override",
        "Most forms fail in use.",
    )


def published(tmp_path: Path, lang: str, **data: object) -> None:
    base = {
        "service": "kukkuu",
        "lang": lang,
        "prepared": "2026-03-23",
        "reviewed": "2026-09-20",
        "method": "third-party",
        "status": "partially",
        "criteria_listed": ["1.1.1", "1.4.3"],
        "feedback": {"form": "https://x.fi/"},
        "responsible_email": "kulttuuri@hel.fi",
    }
    base.update(data)
    path = tmp_path / "statements" / "kukkuu" / f"{lang}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '<!doctype html><html lang="fi"><title>x</title><script type="application/json" '
        f'id="statement-data">{json.dumps(base)}</script></html>',
        encoding="utf-8",
    )


def run_check(tmp_path: Path, as_of: str = "2026-11-27") -> tuple[int, list[str]]:
    loaded = load_config(tmp_path / "services.yaml")
    built = build_statements(loaded, statement_services(loaded, []), ("fi",), RUN.parent)
    return check(built, ("fi",), tmp_path / "statements", dt.date.fromisoformat(as_of))


def test_check_passes_a_current_statement(tmp_path: Path) -> None:
    load(tmp_path)
    published(tmp_path, "fi")
    assert run_check(tmp_path) == (1, [])


def test_check_finds_each_kind_of_drift(tmp_path: Path) -> None:
    load(tmp_path)
    where = tmp_path / "statements" / "kukkuu" / "fi.html"
    published(tmp_path, "fi", criteria_listed=["1.1.1"])
    assert run_check(tmp_path)[1] == [
        f"{where}: the audit of 2026-11-27 fails 1.4.3 Contrast (Minimum), which the "
        "statement does not list; regenerate and publish it"
    ]
    published(tmp_path, "fi")
    assert run_check(tmp_path, as_of="2027-10-01")[1] == [
        f"{where}: last reviewed 2026-09-20, over 12 months before 2027-10-01; review it "
        "and update `reviewed` in services.yaml"
    ]
    published(tmp_path, "fi", method="", feedback={})
    assert run_check(tmp_path)[1] == [
        f"{where}: required field method is missing",
        f"{where}: required field feedback is missing",
    ]
    where.unlink()
    assert run_check(tmp_path)[1] == [f"{where}: not published; run kuva-audit statements"]


def test_twelve_months_rule_counts_calendar_months() -> None:
    assert months_between(dt.date(2025, 11, 27), dt.date(2026, 11, 27)) == 12
    assert months_between(dt.date(2025, 11, 27), dt.date(2026, 11, 28)) > 12


def test_a_missing_required_field_names_its_line(tmp_path: Path) -> None:
    path = load(tmp_path)
    path.write_text(path.read_text("utf-8").replace("      method: third-party\n", ""), "utf-8")
    result = run_cli("statements", "--config", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{path}:10: services[0].statement.method: required key is missing"
    )


def test_check_reports_an_unreadable_review_date(tmp_path: Path) -> None:
    load(tmp_path)
    published(tmp_path, "fi", reviewed="syyskuu 2026")
    where = tmp_path / "statements" / "kukkuu" / "fi.html"
    assert run_check(tmp_path)[1] == [
        f"{where}: reviewed 'syyskuu 2026' is not a date; regenerate it"
    ]
