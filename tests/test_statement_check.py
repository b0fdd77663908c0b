"""`statements --check`: a published statement compared with the latest audit and services.yaml.

Each test publishes a real statement (drafts, then `--publish`), changes one thing (a newer
audit, a hand edit, a date) and checks that `--check` reports exactly that drift, exit 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import kuva_audit
from kuva_audit.audit.results import PageResult, ServiceRun
from kuva_audit.months import older_than
from kuva_audit.statements.check import impossible_status, published_data

from .conftest import FIXTURES, CliResult, run_cli

RUN = FIXTURES / "run" / "2026-11-27"
PAGES = ("http://127.0.0.1:8000/kukkuu/", "http://127.0.0.1:8000/kukkuu/events.html")

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
      audits:
        - {date: 2026-09-01, by: Palvelukeskus, criteria: all}
"""


def kukkuu_run() -> ServiceRun:
    return ServiceRun.model_validate_json((RUN / "kukkuu.json").read_text(encoding="utf-8"))


def broken_page(run: ServiceRun) -> ServiceRun:
    """``run`` with its second page not audited (HTTP 404)."""
    page = run.pages[1].model_copy(
        update={
            "status": "error",
            "error_kind": "http",
            "http_status": 404,
            "error": "HTTP 404",
            "violations": [],
            "passed_rules": [],
        }
    )
    return run.model_copy(update={"pages": [run.pages[0], page]})


def write_run(root: Path, date: str, run: ServiceRun) -> None:
    path = root / "audits" / date / "kukkuu.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(run.model_copy(update={"date": date}).model_dump_json(), encoding="utf-8")


def without(run: ServiceRun, rule: str) -> ServiceRun:
    """The run with the violations of ``rule`` fixed (the rule passes instead)."""
    pages = []
    for page in run.pages:
        fixed = [v for v in page.violations if v.rule == rule]
        pages.append(
            page.model_copy(
                update={
                    "violations": [v for v in page.violations if v.rule != rule],
                    "passed_rules": page.passed_rules + [v.rule for v in fixed],
                }
            )
        )
    return run.model_copy(update={"pages": pages})


def setup(tmp_path: Path, run: ServiceRun | None = None, reviewed: str = "2026-09-20") -> Path:
    """services.yaml, the run of 2026-11-27, drafts, and kukkuu published on 2026-11-28."""
    config = tmp_path / "services.yaml"
    config.write_text(CONFIG.replace("REVIEWED", reviewed), encoding="utf-8")
    write_run(tmp_path, "2026-11-27", run or kukkuu_run())
    drafts = run_cli("statements", "--config", config, "--as-of", "2026-11-28")
    assert drafts.exit_code == 0, drafts.stderr
    published = publish(config, "2026-11-28")
    assert published.exit_code == 0, published.stdout + published.stderr
    return config


def publish(config: Path, day: str) -> CliResult:
    return run_cli(
        "statements", "--config", config, "--publish", "kukkuu", "--by", "Maija", "--as-of", day
    )


def check(config: Path, as_of: str = "2026-12-01") -> CliResult:
    return run_cli("statements", "--config", config, "--check", "--as-of", as_of)


def published(config: Path, lang: str = "fi") -> Path:
    return config.parent / "statements" / "published" / "kukkuu" / f"{lang}.html"


def lines_about(result: CliResult, lang: str = "fi") -> list[str]:
    return [line for line in result.stdout.splitlines() if f"/kukkuu/{lang}.html:" in line]


def edit_data(path: Path, **changes: object) -> None:
    """Change facts in the statement's embedded JSON (the <head>), leaving its text alone."""
    html = path.read_text(encoding="utf-8")
    data = published_data(html)
    assert data is not None
    data.update(changes)
    html = re.sub(
        r'(<script type="application/json" id="statement-data">).*?(</script>)',
        lambda m: m.group(1) + json.dumps(data).replace("</", "<\\/") + m.group(2),
        html,
        flags=re.DOTALL,
    )
    path.write_text(html, encoding="utf-8")


def test_a_current_statement_passes(tmp_path: Path) -> None:
    config = setup(tmp_path)
    result = check(config)
    assert result.exit_code == 0, result.stdout
    assert "3 statements checked: all current as of 2026-12-01" in result.stdout


def test_a_new_failure_the_statement_does_not_list(tmp_path: Path) -> None:
    config = setup(tmp_path, without(kukkuu_run(), "color-contrast"))
    write_run(tmp_path, "2026-11-30", kukkuu_run())
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{published(config)}: the audit of 2026-11-30 fails 1.4.3 Contrast (Minimum), which "
        "the statement does not list; regenerate, review and publish it"
    ]


def test_a_listed_failure_since_fixed(tmp_path: Path) -> None:
    config = setup(tmp_path)
    write_run(tmp_path, "2026-11-30", without(kukkuu_run(), "color-contrast"))
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{published(config)}: it lists 1.4.3 Contrast (Minimum) as failing, but the audit of "
        "2026-11-30 no longer finds that failure on the pages it listed (fixed?); regenerate, "
        "review and publish it"
    ]


def test_pages_the_latest_audit_could_not_audit(tmp_path: Path) -> None:
    config = setup(tmp_path)
    write_run(tmp_path, "2026-11-30", broken_page(kukkuu_run()))
    result = check(config)
    assert result.exit_code == 2
    # Not audited is not fixed: the listed 1.4.3 is not reported as fixed.
    assert lines_about(result) == [
        f"{published(config)}: {PAGES[1]} (desktop) could not be audited on 2026-11-30 "
        "(http: HTTP 404); the statement cannot be confirmed for it"
    ]


def test_a_hand_edit_back_to_the_former_authority(tmp_path: Path) -> None:
    config = setup(tmp_path)
    path = published(config)
    html = path.read_text(encoding="utf-8")
    html = html.replace(
        "Liikenne- ja viestintävirasto Traficom", "Etelä-Suomen aluehallintovirasto"
    )
    html = html.replace("saavutettavuus@traficom.fi", "saavutettavuus@avi.fi")
    path.write_text(html, encoding="utf-8")
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{path}: its text was changed by hand after it was published; regenerate, review and "
        "publish it instead",
        f"{path}: it names the former supervisory authority (the Regional State Administrative "
        "Agency, AVI); Traficom supervises since 1.1.2025",
        f"{path}: its supervisory-authority text or contacts are not the current template's "
        "(authority, email differ)",
    ]
    assert lines_about(result, "sv") == [] and lines_about(result, "en") == []


def test_an_older_template_or_authority_text(tmp_path: Path) -> None:
    config = setup(tmp_path)
    edit_data(published(config), template_version="1", authority="0123456789abcdef")
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{published(config)}: template version 1 is older than the current 2; regenerate, "
        "review and publish it",
        f"{published(config)}: its supervisory-authority text or contacts are not the current "
        "template's",
    ]


def test_an_impossible_status(tmp_path: Path) -> None:
    config = setup(tmp_path)
    edit_data(published(config), status="fully")
    edit_data(published(config, "sv"), status="not-assessed")
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{published(config)}: impossible status: status fully while it lists 2 failing "
        "criteria and 0 disproportionate-burden claims"
    ]
    assert lines_about(result, "sv") == [
        f"{published(config, 'sv')}: impossible status: status 'not-assessed' is not one a "
        "published statement can have (fully, partially, not)"
    ]


def test_impossible_statuses_in_general() -> None:
    listed = {"criteria_listed": ["1.1.1"], "burden": 0, "unassessed": 0}
    assert impossible_status({**listed, "status": "partially"}) is None
    assert impossible_status({**listed, "status": "not"}) is None
    assert impossible_status({**listed, "status": "fully"}) is not None
    burden = {"criteria_listed": [], "burden": 1, "unassessed": 0}
    assert impossible_status({**burden, "status": "fully"}) is not None
    assert impossible_status({**burden, "status": "partially"}) is None
    nothing = {"criteria_listed": [], "burden": 0, "unassessed": 0}
    assert impossible_status({**nothing, "status": "fully"}) is None
    assert impossible_status({**nothing, "status": "partially"}) is not None
    assert impossible_status({**nothing, "status": "not"}) is not None
    assert impossible_status({**nothing, "status": "fully", "unassessed": 3}) is not None
    most = {"criteria_listed": [f"c{i}" for i in range(25)], "burden": 0, "unassessed": 0}
    assert impossible_status({**most, "status": "partially"}) is not None
    assert impossible_status({**most, "status": "not"}) is None


def test_dates_in_the_future_and_an_old_review(tmp_path: Path) -> None:
    config = setup(tmp_path)
    edit_data(published(config), reviewed="2027-01-15")
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{published(config)}: reviewed 2027-01-15 is in the future (as of 2026-12-01); "
        "correct it in services.yaml, then regenerate and publish"
    ]
    # Checked before the day it was published: its updated date is in the future.
    early = check(config, as_of="2026-11-27")
    assert (
        f"{published(config, 'en')}: updated 2026-11-28 is in the future (as of 2026-11-27); "
        "correct it in services.yaml, then regenerate and publish"
    ) in lines_about(early, "en")
    late = check(config, as_of="2027-10-01")
    assert (
        f"{published(config, 'en')}: last reviewed 2026-09-20, over 12 months before "
        "2027-10-01; review it and update `reviewed` in services.yaml"
    ) in lines_about(late, "en")


def test_twelve_months_rule_counts_calendar_months() -> None:
    """One rule for every age in months (statements, checks, the progress report)."""
    assert not older_than(dt.date(2025, 11, 27), dt.date(2026, 11, 27), 12)
    assert older_than(dt.date(2025, 11, 27), dt.date(2026, 11, 28), 12)
    assert not older_than(dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12)  # clamped
    assert older_than(dt.date(2025, 1, 31), dt.date(2026, 2, 1), 12)


def test_not_published_and_a_draft_copied_as_published(tmp_path: Path) -> None:
    config = setup(tmp_path)
    path = published(config)
    path.unlink()
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result) == [
        f"{path}: not published; its draft is ready for review; publish it with kuva-audit "
        "statements --publish kukkuu --by NAME"
    ]
    draft = tmp_path / "statements" / "drafts" / "kukkuu" / "fi.html"
    path.write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    copied = check(config)
    assert f"{path}: it is a draft, not a published statement; use --publish" in lines_about(copied)


def test_a_required_field_missing_and_unreadable_facts(tmp_path: Path) -> None:
    config = setup(tmp_path)
    edit_data(published(config), method="", feedback={})
    result = check(config)
    assert lines_about(result) == [
        f"{published(config)}: required field method is missing",
        f"{published(config)}: required field feedback is missing",
    ]
    edit_data(
        published(config), reviewed="syyskuu 2026", method="third-party", feedback={"form": "x"}
    )
    assert lines_about(check(config)) == [
        f"{published(config)}: reviewed 'syyskuu 2026' is not a date; regenerate it"
    ]
    published(config, "sv").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    assert lines_about(check(config), "sv") == [
        f"{published(config, 'sv')}: no statement data; publish it again with kuva-audit"
    ]


def test_a_published_fully_statement_is_caught_when_failures_appear(tmp_path: Path) -> None:
    """Fully compliant when published (a clean audit); the next audit fails two criteria."""
    clean = without(without(kukkuu_run(), "color-contrast"), "image-alt")
    config = setup(tmp_path, clean)
    data = published_data(published(config).read_text(encoding="utf-8"))
    assert data is not None and data["status"] == "fully"
    write_run(tmp_path, "2026-11-30", kukkuu_run())
    result = check(config)
    assert result.exit_code == 2
    assert [line.split(": ", 1)[1] for line in lines_about(result)] == [
        "the audit of 2026-11-30 fails 1.1.1 Non-text Content, which the statement does not "
        "list; regenerate, review and publish it",
        "the audit of 2026-11-30 fails 1.4.3 Contrast (Minimum), which the statement does not "
        "list; regenerate, review and publish it",
    ]


def test_each_language_version_is_checked_against_its_own_pages(tmp_path: Path) -> None:
    """Pages may carry a `lang`: a failure on the Swedish pages is drift of the sv statement
    only; pages with no `lang` belong to every language version."""
    run = without(kukkuu_run(), "color-contrast")
    config = setup(tmp_path, run)
    failing = kukkuu_run()
    sv_page: PageResult = failing.pages[1].model_copy(update={"lang": "sv"})
    write_run(tmp_path, "2026-11-30", failing.model_copy(update={"pages": [run.pages[0], sv_page]}))
    result = check(config)
    assert result.exit_code == 2
    assert lines_about(result, "fi") == [] and lines_about(result, "en") == []
    assert [line.split(": ", 1)[1] for line in lines_about(result, "sv")] == [
        "the audit of 2026-11-30 fails 1.4.3 Contrast (Minimum), which the statement does not "
        "list; regenerate, review and publish it"
    ]


def test_a_published_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    config = setup(tmp_path)
    path = published(config)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252", errors="replace"))  # saved again as Windows-1252
    result = check(config)
    assert result.exit_code == 1, result.stdout
    first = next(n for n, c in enumerate(text) if ord(c) > 127)  # its first non-ASCII letter
    line = text[:first].count("\n") + 1
    message = result.stderr.strip()
    assert message.startswith(f"kuva-audit: error: {path}:{line}: not UTF-8 text (byte 0x"), message
    assert message.endswith(
        "so not a published statement; restore it from the repository, or publish the "
        "reviewed draft again (kuva-audit statements --publish SERVICE --by NAME)"
    ), message
    assert "\n" not in message


def test_a_published_file_of_an_unknown_template_version_is_one_line(tmp_path: Path) -> None:
    config = setup(tmp_path)
    edit_data(published(config, "sv"), template_version="99")
    result = check(config)
    assert result.exit_code == 1, result.stdout
    assert result.stderr.strip() == (
        f"kuva-audit: error: {published(config, 'sv')}: template version 99, which this "
        "kuva-audit (template version 2) does not know; check it with the kuva-audit that "
        f"published it (kuva_audit_version {kuva_audit.__version__}) or a newer one"
    )
