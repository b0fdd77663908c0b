"""Status from evidence only, validated overrides, and what a statement discloses.

The cases of issue 10: nothing assessed, automated checks only, an override `partially` with
nothing listed, an override `fully` with failures and a burden claim, 0 of 4 pages audited,
pages that could not be audited, and language versions with their own pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bs4 import BeautifulSoup

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.loader import load_config
from kuva_audit.statements.build import build_statements
from kuva_audit.statements.compliance import assess, computed_status
from kuva_audit.statements.data import in_scope_ids
from kuva_audit.statements.render import render_html, render_markdown
from kuva_audit.statements.view import Edition
from kuva_audit.texts import lookup

from .conftest import FIXTURES, run_cli

RUN = FIXTURES / "run" / "2026-11-27"
DAY = dt.date(2026, 12, 1)
DRAFT = Edition("draft", DAY)
HEAD = """\
organisation:
  name: {fi: Helsingin kaupunki, sv: Helsingfors stad, en: City of Helsinki}
  unit: {fi: Kulttuuri, sv: Kultur, en: Culture}
  feedback: {form: "https://palautteet.hel.fi/{lang}"}
services:
  - id: kukkuu
    name: {fi: Kummilapset, sv: Fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/]
"""
STATEMENT = """\
    statement:
      prepared: 2026-03-23
      reviewed: 2026-09-20
      method: third-party
      responsible:
        unit: {fi: Kulttuuripalvelut, sv: Kulturtjänster, en: Culture services}
        email: kulttuuri@hel.fi
"""
AUDIT_ALL = """\
      audits:
        - {date: 2026-09-01, by: Palvelukeskus, criteria: all}
"""
REASON = """\
        reason:
          fi: Arvioitu 2020.
          sv: Bedömd 2020.
          en: Assessed in 2020.
"""
BURDEN = """\
      burden:
        - item: {fi: Vanha lomake, sv: Gammalt formulär, en: Old form}
          justification: {fi: Korvataan 2027., sv: Ersätts 2027., en: Replaced in 2027.}
"""


def kukkuu_run() -> ServiceRun:
    return ServiceRun.model_validate_json((RUN / "kukkuu.json").read_text(encoding="utf-8"))


def write(tmp_path: Path, text: str, run: ServiceRun | None = None) -> Path:
    config = tmp_path / "services.yaml"
    config.write_text(text, encoding="utf-8")
    if run is not None:
        path = tmp_path / "audits" / run.date / "kukkuu.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(run.model_dump_json(), encoding="utf-8")
    return config


def page_text(config: Path, lang: str = "en") -> str:
    loaded = load_config(config)
    (b,) = build_statements(loaded, loaded.config.services, [lang], config.parent / "audits", DAY)
    html = render_html(b.views[lang], DRAFT)
    return " ".join(BeautifulSoup(html, "lxml").get_text(" ").split())


# --- status rules -------------------------------------------------------------------------------


def test_the_status_rules_of_a_complete_assessment() -> None:
    assert computed_status(0, 0) == ("fully", "manual-all-clear")
    assert computed_status(0, 1) == ("partially", "open-issues")
    assert computed_status(1, 0) == ("partially", "open-issues")
    assert computed_status(24, 0) == ("partially", "open-issues")  # 25 of 49 met: most met
    assert computed_status(25, 0) == ("not", "most-fail")  # most not met
    assert len(in_scope_ids()) == 49


def test_nothing_assessed_is_a_draft_never_partially(tmp_path: Path) -> None:
    config = write(tmp_path, HEAD + STATEMENT)
    statement = load_config(config).config.services[0].statement
    result = assess(statement, None, "en")
    assert (result.status, result.basis) == ("not-assessed", "not-assessed")
    assert len(result.unassessed) == 49 and not result.publishable
    assert [m.key for m in result.missing] == ["unassessed"]
    t = lookup("statements", "en")
    page = page_text(config)
    assert t["status"]["not-assessed"] in page
    for status in ("fully", "partially", "not"):
        assert t["status"][status] not in page
    assert "49 of the 49 criteria the law requires have not been assessed" in page
    assert t["non_accessible"]["no_items"] not in page
    assert t["non_accessible"]["no_items_incomplete"] in page


def test_automated_checks_of_nine_criteria_with_forty_untested_are_a_draft(tmp_path: Path) -> None:
    run = kukkuu_run()
    clean = run.model_copy(
        update={"pages": [p.model_copy(update={"violations": []}) for p in run.pages]}
    )
    config = write(tmp_path, HEAD + STATEMENT, clean)
    statement = load_config(config).config.services[0].statement
    result = assess(statement, clean, "en")
    checked = result.count("passed-automated")
    assert checked > 0 and checked + result.count("not-tested") == 49
    assert result.status == "not-assessed" and len(result.unassessed) == 49
    page = page_text(config)
    assert lookup("statements", "en")["status"]["partially"] not in page
    assert "found no cases of non-compliance" not in page


def test_a_manual_audit_of_everything_gives_a_status(tmp_path: Path) -> None:
    config = write(tmp_path, HEAD + STATEMENT + AUDIT_ALL, kukkuu_run())
    statement = load_config(config).config.services[0].statement
    clean = assess(statement, None, "en")
    assert (clean.status, clean.publishable) == ("fully", True)
    failing = assess(statement, kukkuu_run(), "en")
    assert (failing.status, failing.failed) == ("partially", ("1.1.1", "1.4.3"))
    assert failing.criteria["2.4.2"] == "passed-manual"


def test_an_audit_whose_findings_are_not_recorded_assesses_nothing(tmp_path: Path) -> None:
    """An audit of all criteria known only by its report (findings_recorded: false) is no
    evidence that anything passed: a draft that says so, never "fully", never "nothing found"."""
    unrecorded = """\
      audits:
        - {date: 2020-03-23, by: Palvelukeskus, criteria: all, findings_recorded: false}
"""
    config = write(tmp_path, HEAD + STATEMENT + unrecorded)
    statement = load_config(config).config.services[0].statement
    result = assess(statement, None, "en")
    assert (result.status, result.publishable) == ("not-assessed", False)
    assert len(result.unassessed) == 49 and result.count("passed-manual") == 0
    assert [m.key for m in result.missing] == ["findings-not-recorded", "unassessed"]
    page = page_text(config)
    assert "The findings of the audit of 23 March 2020 (Palvelukeskus) are not recorded" in page
    assert lookup("statements", "en")["status"]["fully"] not in page
    assert lookup("statements", "en")["non_accessible"]["no_items"] not in page
    assert "23.3.2020" in page_text(config, "fi")


def test_an_override_partially_with_nothing_listed_is_refused(tmp_path: Path) -> None:
    override = "      status_override:\n        status: partially\n" + REASON
    config = write(tmp_path, HEAD + STATEMENT + AUDIT_ALL + override)
    statement = load_config(config).config.services[0].statement
    result = assess(statement, None, "en")
    assert result.override is None and not result.publishable
    assert [m.key for m in result.missing] == ["override-no-content"]
    assert (
        result.status == "fully"
    )  # what the evidence gives; the draft says the override is refused
    page = page_text(config)
    assert "The status set by hand, “partially compliant”, needs the non-accessible" in page
    validate = run_cli("validate", "--config", config)
    assert validate.exit_code == 1
    line = CONFIG_LINE(config, "status: partially")
    assert validate.stderr.strip() == (
        f"{config}:{line}: services[0].statement.status_override.status: refused: The status "
        "set by hand, “partially compliant”, needs the non-accessible content described, but "
        "no failure and no disproportionate burden is recorded."
    )


def CONFIG_LINE(config: Path, text: str) -> int:
    lines = config.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_an_override_fully_with_failures_and_a_burden_is_refused(tmp_path: Path) -> None:
    findings = (
        "      audits:\n"
        "        - date: 2026-09-01\n"
        "          by: Palvelukeskus\n"
        "          criteria: all\n"
        "          findings:\n"
        + "".join(
            f"            - criterion: '{c}'\n"
            "              description: {fi: Puute., sv: Brist., en: A problem.}\n"
            "              part: {fi: Etusivu, sv: Startsidan, en: Front page}\n"
            for c in ("2.4.7", "3.3.1")
        )
    )
    override = "      status_override:\n        status: fully\n" + REASON
    config = write(tmp_path, HEAD + STATEMENT + findings + BURDEN + override, kukkuu_run())
    statement = load_config(config).config.services[0].statement
    result = assess(statement, kukkuu_run(), "en")
    assert result.failed == ("1.1.1", "1.4.3", "2.4.7", "3.3.1")
    assert [m.key for m in result.missing] == ["override-fully-fails", "override-fully-burden"]
    assert result.status == "partially" and result.override is None
    validate = run_cli("validate", "--config", config)
    assert validate.exit_code == 1
    assert "refused: The status set by hand, “fully compliant”, cannot be used, because 4 " in (
        validate.stderr
    )
    assert "(1.1.1, 1.4.3, 2.4.7, 3.3.1)" in validate.stderr
    assert "while the statement claims a disproportionate burden (1)" in validate.stderr
    drafts = run_cli("statements", "--config", config)
    assert drafts.exit_code == 0
    assert "status_override.status: refused" in drafts.stderr
    assert "not publishable: status override refused" in drafts.stdout
    page = page_text(config)
    assert lookup("statements", "en")["status"]["fully"] not in page
    publish = run_cli("statements", "--config", config, "--publish", "kukkuu", "--by", "Maija")
    assert publish.exit_code == 1
    assert "cannot publish kukkuu (fi): The status set by hand, “fully compliant”" in (
        publish.stderr
    )


def test_overrides_the_evidence_supports_are_used(tmp_path: Path) -> None:
    override = "      status_override:\n        status: not\n" + REASON
    config = write(tmp_path, HEAD + STATEMENT + AUDIT_ALL + override, kukkuu_run())
    statement = load_config(config).config.services[0].statement
    result = assess(statement, kukkuu_run(), "en")
    assert (result.status, result.basis, result.publishable) == ("not", "override", True)
    assert run_cli("validate", "--config", config).exit_code == 0
    assert "Assessed in 2020." in page_text(config)


def test_an_override_cannot_make_an_incomplete_assessment_publishable(tmp_path: Path) -> None:
    override = "      status_override:\n        status: not\n" + REASON
    config = write(tmp_path, HEAD + STATEMENT + override, kukkuu_run())
    statement = load_config(config).config.services[0].statement
    result = assess(statement, kukkuu_run(), "en")
    assert (result.status, result.publishable) == ("not-assessed", False)
    assert [m.key for m in result.missing] == ["unassessed"]


# --- a draft for every service ------------------------------------------------------------------


def test_a_service_without_a_statement_block_gets_a_draft(tmp_path: Path) -> None:
    config = write(tmp_path, HEAD, kukkuu_run())
    result = run_cli("statements", "--config", config)
    assert result.exit_code == 0, result.stderr
    assert "draft, not publishable: no statement block" in result.stdout
    drafts = tmp_path / "statements" / "drafts" / "kukkuu"
    assert sorted(p.name for p in drafts.iterdir()) == [
        "en.html", "en.md", "fi.html", "fi.md", "sv.html", "sv.md"
    ]  # fmt: skip
    soup = BeautifulSoup((drafts / "en.html").read_text(encoding="utf-8"), "lxml")
    notice = " ".join(soup.select_one(".draft-notice").get_text().split())  # type: ignore[union-attr]
    assert "Draft – not for publishing" in notice
    assert "No statement block in services.yaml: add the dates" in notice
    assert "47 of the 49 criteria" in notice  # 1.1.1 and 1.4.3 fail: assessed
    text = " ".join(soup.get_text().split())
    # What is known: the automated results and the organisation's feedback channel.
    assert "1.1.1 Non-text Content" in text and "1.4.3 Contrast (Minimum)" in text
    assert "https://palautteet.hel.fi/en" in text
    assert "not yet recorded" in text  # prepared, reviewed, method, responsible
    assert "The person responsible for the service has not recorded this yet." in text
    assert "We do not claim a disproportionate burden" not in text


# --- disclosure of the automated testing --------------------------------------------------------


def _broken(run: ServiceRun) -> ServiceRun:
    pages = [
        p.model_copy(
            update={
                "status": "error",
                "error_kind": kind,
                "error": "net::ERR",
                "http_status": status,
                "violations": [],
                "passed_rules": [],
            }
        )
        for p, (kind, status) in zip(run.pages, [("http", 404), ("navigation", None)], strict=True)
    ]
    pdf = pages[1].model_copy(update={"url": "http://127.0.0.1:8000/kukkuu/rules.pdf"})
    extra = [p.model_copy(update={"viewport": "mobile"}) for p in pages[:1]]
    return run.model_copy(update={"pages": [*pages, pdf, *extra]})


def test_no_page_audited_is_said_and_gives_no_results(tmp_path: Path) -> None:
    run = _broken(kukkuu_run())
    config = write(tmp_path, HEAD + STATEMENT, run)
    text = page_text(config)
    assert (
        "Automated testing was attempted on 27 November 2026, but none of the 4 page views "
        "could be tested, so it gives no results."
    ) in text
    assert "27 November 2026, axe-core" not in text
    assert "Pages that could not be tested" in text
    assert (
        "http://127.0.0.1:8000/kukkuu/ (desktop): the server answered with an error (HTTP 404)"
    ) in text
    assert "http://127.0.0.1:8000/kukkuu/rules.pdf (desktop): the page could not be opened" in text
    assert "http://127.0.0.1:8000/kukkuu/ (mobile)" in text
    statement = load_config(config).config.services[0].statement
    assert assess(statement, run, "en").count("passed-automated") == 0


def test_pages_and_viewports_tested_and_not_tested(tmp_path: Path) -> None:
    run = kukkuu_run()
    broken = _broken(run).pages[1]
    viewports = [
        {"name": "desktop", "width": 1280, "height": 800, "mobile": False},
        {"name": "mobile", "width": 390, "height": 844, "mobile": True},
    ]
    mobile = run.pages[0].model_copy(update={"viewport": "mobile"})
    both = run.model_copy(
        update={
            "pages": [run.pages[0], mobile, broken],
            "settings": {**run.settings, "viewports": viewports},
        }
    )
    config = write(tmp_path, HEAD + STATEMENT, both)
    for lang, expected in {
        "en": "2 of 3 page views could be tested (viewports: desktop 1280 × 800, mobile "
        "390 × 844).",
        "fi": "3 sivunäkymästä 2 voitiin testata (näkymät: desktop 1280 × 800, mobile 390 × 844).",
        "sv": "2 av 3 sidvyer kunde testas (visningslägen: desktop 1280 × 800, mobile 390 × 844).",
    }.items():
        text = page_text(config, lang)
        assert expected in text
        assert "http://127.0.0.1:8000/kukkuu/ (desktop, mobile)" in text
    loaded = load_config(config)
    (b,) = build_statements(loaded, loaded.config.services, ["en"], tmp_path / "audits", DAY)
    markdown = render_markdown(b.views["en"], DRAFT)
    assert "### Pages that could not be tested" in markdown
    assert "(desktop): the page could not be opened for testing" in markdown


def test_prepared_reviewed_and_updated_dates_are_shown(tmp_path: Path) -> None:
    config = write(tmp_path, HEAD + STATEMENT + AUDIT_ALL)
    loaded = load_config(config)
    (b,) = build_statements(loaded, loaded.config.services, ["fi"], tmp_path / "audits", DAY)
    html = render_html(b.views["fi"], Edition("published", dt.date(2026, 12, 2), "Maija"))
    text = " ".join(BeautifulSoup(html, "lxml").get_text(" ").split())
    assert "Seloste laadittu 23.3.2026" in text
    assert "Seloste päivitetty 2.12.2026" in text
    assert "Seloste tarkistettu viimeksi 20.9.2026" in text
    assert (
        "Seloste laadittu 23.3.2026 ja päivitetty 2.12.2026. Tarkistettu viimeksi 20.9.2026."
        in (text)
    )


# --- language versions --------------------------------------------------------------------------


def test_each_language_lists_the_findings_of_its_own_pages(tmp_path: Path) -> None:
    run = kukkuu_run()
    fi_page = run.pages[0].model_copy(update={"lang": "fi"})  # image-alt 1.1.1
    sv_page = run.pages[1].model_copy(update={"lang": "sv"})  # color-contrast 1.4.3
    shared = run.pages[1].model_copy(update={"url": "http://127.0.0.1:8000/kukkuu/x.html"})
    tagged = run.model_copy(update={"pages": [fi_page, sv_page, shared]})
    config = write(tmp_path, HEAD + STATEMENT, tagged)
    loaded = load_config(config)
    (b,) = build_statements(
        loaded, loaded.config.services, ["fi", "sv", "en"], tmp_path / "audits", DAY
    )
    assert b.views["fi"].criteria_listed == ["1.1.1", "1.4.3"]  # its page and the shared one
    assert b.views["sv"].criteria_listed == ["1.4.3"]
    assert b.views["en"].criteria_listed == ["1.4.3"]  # only the page with no lang
    fi_pages = [url for e in b.views["fi"].entries for p in e.problems for url in p.where]
    assert "http://127.0.0.1:8000/kukkuu/events.html" not in fi_pages
    sv = b.views["sv"].testing
    assert sv is not None and [p.url for p in sv.tested] == [
        "http://127.0.0.1:8000/kukkuu/events.html",
        "http://127.0.0.1:8000/kukkuu/x.html",
    ]
