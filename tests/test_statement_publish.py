"""Drafts and published statements apart: the nightly commands write drafts only; a person
publishes a reviewed draft with `statements --publish`, which records who and when."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from kuva_audit.statements.check import published_data

from .conftest import FIXTURES, CliResult, run_cli

REPO = Path(__file__).resolve().parents[1]
RUN = FIXTURES / "run" / "2026-11-27"
LANGS = ("fi", "sv", "en")
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
        - {date: 2026-09-01, by: Palvelukeskus, criteria: all}
  - id: ahti
    name: {fi: Ahti, sv: Ahti, en: Ahti}
    url: https://ahti.hel.fi/
    pages: [/]
"""


def setup(tmp_path: Path) -> Path:
    config = tmp_path / "services.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    run_dir = tmp_path / "audits" / "2026-11-27"
    run_dir.mkdir(parents=True)
    shutil.copy(RUN / "kukkuu.json", run_dir / "kukkuu.json")
    return config


def publish(config: Path, *args: str) -> CliResult:
    return run_cli("statements", "--config", config, "--as-of", "2026-11-28", *args)


def test_drafts_then_a_reviewed_draft_is_published_with_who_and_when(tmp_path: Path) -> None:
    config = setup(tmp_path)
    drafts = publish(config)
    assert drafts.exit_code == 0, drafts.stderr
    assert drafts.stdout.splitlines() == [
        f"wrote {tmp_path}/statements/drafts/kukkuu/ (fi, sv, en): draft, ready for review "
        "(partially compliant)",
        f"wrote {tmp_path}/statements/drafts/ahti/ (fi, sv, en): draft, not publishable: no "
        "statement block",
    ]
    assert not (tmp_path / "statements" / "published").exists()
    result = publish(config, "--publish", "kukkuu", "--by", "Maija Meikäläinen")
    assert result.exit_code == 0, result.stderr
    assert f"published {tmp_path}/statements/published/kukkuu/ (fi, sv, en) on 2026-11-28 by " in (
        result.stdout
    )
    for lang in LANGS:
        path = tmp_path / "statements" / "published" / "kukkuu" / f"{lang}.html"
        html = path.read_text(encoding="utf-8")
        data = published_data(html)
        assert data is not None
        assert (data["mode"], data["updated"], data["published_by"]) == (
            "published",
            "2026-11-28",
            "Maija Meikäläinen",
        )
        assert BeautifulSoup(html, "lxml").find(class_="draft-notice") is None
        draft = tmp_path / "statements" / "drafts" / "kukkuu" / f"{lang}.html"
        draft_data = published_data(draft.read_text(encoding="utf-8"))
        assert draft_data is not None and draft_data["content"] == data["content"]
        assert (path.with_suffix(".md")).is_file()
    check = run_cli("statements", "--config", config, "--check", "--as-of", "2026-12-01")
    assert check.exit_code == 2  # ahti is not published
    assert [line for line in check.stdout.splitlines() if "/kukkuu/" in line] == []
    assert len([line for line in check.stdout.splitlines() if "/ahti/" in line]) == 3


def test_the_nightly_commands_never_touch_a_published_statement(tmp_path: Path) -> None:
    config = setup(tmp_path)
    publish(config)
    publish(config, "--publish", "kukkuu", "--by", "Maija")
    published = tmp_path / "statements" / "published" / "kukkuu" / "fi.html"
    before = published.read_text(encoding="utf-8")
    assert publish(config).exit_code == 0  # drafts again, as the nightly job does
    assert published.read_text(encoding="utf-8") == before


def test_publishing_refuses_what_cannot_be_published(tmp_path: Path) -> None:
    config = setup(tmp_path)
    no_draft = publish(config, "--publish", "kukkuu", "--by", "Maija")
    assert no_draft.exit_code == 1
    assert no_draft.stderr.splitlines()[0] == (
        f"kuva-audit: error: cannot publish kukkuu (fi): no draft at "
        f"{tmp_path}/statements/drafts/kukkuu/fi.html; run kuva-audit statements"
    )
    publish(config)
    not_publishable = publish(config, "--publish", "ahti", "--by", "Maija")
    assert not_publishable.exit_code == 1
    assert "cannot publish ahti (fi): No statement block in services.yaml" in (
        not_publishable.stderr
    )
    assert "cannot publish ahti (fi): 49 of the 49 criteria" in not_publishable.stderr
    assert not (tmp_path / "statements" / "published").exists()


def test_a_draft_that_changed_since_it_was_reviewed_is_not_published(tmp_path: Path) -> None:
    config = setup(tmp_path)
    publish(config)
    config.write_text(CONFIG.replace("Kulttuuripalvelut", "Kulttuuripalvelut ja -tapahtumat"))
    result = publish(config, "--publish", "kukkuu", "--by", "Maija")
    assert result.exit_code == 1
    assert (
        f"cannot publish kukkuu (fi): the draft at {tmp_path}/statements/drafts/kukkuu/fi.html "
        "is not what services.yaml and the latest audit give now; run kuva-audit statements "
        "and review the new draft"
    ) in result.stderr
    assert not (tmp_path / "statements" / "published").exists()


def test_an_old_or_future_review_blocks_publishing(tmp_path: Path) -> None:
    config = setup(tmp_path)
    old_review = CONFIG.replace("reviewed: 2026-09-20", "reviewed: 2025-09-20")
    config.write_text(old_review.replace("prepared: 2026-03-23", "prepared: 2025-03-23"))
    publish(config)
    old = publish(config, "--publish", "kukkuu", "--by", "Maija")
    assert old.exit_code == 1
    assert (
        "cannot publish kukkuu: last reviewed 2025-09-20, over 12 months before 2026-11-28; "
        "review the statement and update `reviewed` in services.yaml"
    ) in old.stderr
    draft = (tmp_path / "statements" / "drafts" / "kukkuu" / "en.html").read_text("utf-8")
    assert "The statement was last reviewed on 20 September 2025, more than 12 months ago." in (
        " ".join(BeautifulSoup(draft, "lxml").get_text().split())
    )
    future = dt.date.today() + dt.timedelta(days=2)
    later = run_cli(
        "statements", "--config", config, "--publish", "kukkuu", "--by", "M",
        "--as-of", future.isoformat(),
    )  # fmt: skip
    assert later.exit_code == 1 and "cannot be published in the future" in later.stderr


def test_publish_options_are_checked(tmp_path: Path) -> None:
    config = setup(tmp_path)
    no_by = publish(config, "--publish", "kukkuu")
    assert no_by.exit_code == 1 and "--publish needs --by NAME" in no_by.stderr
    blank = publish(config, "--publish", "kukkuu", "--by", " ")
    assert blank.exit_code == 1 and "--by: give the name" in blank.stderr
    both = publish(config, "--publish", "kukkuu", "--by", "M", "--check")
    assert both.exit_code == 1 and "do not go together" in both.stderr
    unknown = publish(config, "--publish", "nosuch", "--by", "M")
    assert unknown.exit_code == 1 and "no service 'nosuch'" in unknown.stderr


def test_the_repository_services_publishable_where_2020_records_support_it(
    tmp_path: Path,
) -> None:
    """kukkuu had a third-party audit of all criteria in 2020 whose findings its statement
    says were fixed: its draft can be published after a review. venepaikat's audit of all
    criteria is known but its findings are not recorded (findings_recorded: false): a draft
    saying so. The other five have nothing assessed: drafts saying what is
    missing. The committed statements/ folder holds exactly these drafts and no published
    statement (publishing is a person's act)."""
    shutil.copy(REPO / "services.yaml", tmp_path / "services.yaml")
    result = run_cli("statements", "--config", tmp_path / "services.yaml", "--as-of", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    ready = {"kukkuu"}
    for line in result.stdout.splitlines():
        service_id = line.split("/drafts/")[1].split("/")[0]
        assert ("ready for review (fully compliant)" in line) == (service_id in ready), line
        if service_id == "venepaikat":
            assert "not publishable: audit findings not recorded" in line
    committed = REPO / "statements"
    assert not (committed / "published").exists()
    drafts = sorted(p.name for p in (committed / "drafts").iterdir())
    assert drafts == sorted(
        ["kukkuu", "kultus", "tapahtumat", "venepaikat", "jassari", "ahti", "helsinkikuvia"]
    )
    for service_id in drafts:
        for lang in LANGS:
            html = (committed / "drafts" / service_id / f"{lang}.html").read_text("utf-8")
            data = published_data(html)
            assert data is not None and data["mode"] == "draft"
            assert data["publishable"] is (service_id in ready), service_id
            assert data["template_version"] == "2"
            assert (committed / "drafts" / service_id / f"{lang}.md").is_file()


def test_the_nightly_workflow_commits_drafts_and_never_publishes() -> None:
    """The nightly commits through the repository's action (action.yml): the folders it adds
    and restores hold statement drafts only, and nothing in either file publishes."""
    texts = [
        (REPO / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8"),
        (REPO / "action.yml").read_text(encoding="utf-8"),
    ]
    lines = [line.strip() for text in texts for line in text.splitlines()]
    folders = [line for line in lines if line.startswith("for folder in")]
    assert folders and all("statements/drafts" in line for line in folders), folders
    assert not [
        line
        for line in lines
        if ("git add" in line and "statements" in line and "statements/drafts" not in line)
    ]
    commands = [line for line in lines if not line.startswith("#")]
    assert not [line for line in commands if "--publish" in line or "statements/published" in line]
