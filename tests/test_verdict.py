"""Why a run exits as it does: the verdict's last lines, GitHub annotations at services.yaml
lines, the services.yaml line of every page, and the whole job's summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.config.sources import Sources, repository_root
from kuva_audit.reports.job_summary import render_job_summary
from kuva_audit.triage.annotations import command, workflow_commands
from kuva_audit.triage.report import FixedIssue, RunReport
from kuva_audit.triage.verdict import LISTED, judge

from .conftest import FIXED_CONFIG, FIXTURES, run_cli
from .test_triage import without_errors

RUN = FIXTURES / "run" / "2026-11-27"


def test_a_page_not_audited_fires_exit_1_and_is_named(fixed_report: RunReport) -> None:
    verdict = judge(fixed_report, "serious")
    assert verdict.code == 1
    lines = verdict.lines()
    assert lines[0] == (
        "  not audited: kultus: http://127.0.0.1:8000/kultus/old.html (desktop): "
        "HTTP 500 Internal Server Error"
    )
    assert lines[-1] == (
        "kuva-audit: exit 1: 1 of 23 pages could not be audited (a page that cannot be "
        "audited fails the run); 9 open WCAG 2.1 A/AA issues at or above --fail-on serious "
        "(6 critical, 3 serious)"
    )


def test_findings_fire_exit_2_with_counts_by_impact(fixed_report: RunReport) -> None:
    report = RunReport(
        fixed_report.date, without_errors(fixed_report), sources=fixed_report.sources
    )
    verdict = judge(report, "critical")
    assert verdict.code == 2
    assert verdict.lines()[-1] == (
        "kuva-audit: exit 2: 4 open WCAG 2.1 A/AA issues at or above --fail-on critical "
        "(4 critical)"
    )
    assert all(line.startswith("  issue: ") for line in verdict.lines()[:-1])
    helsinkikuvia = next(b for b in verdict.blocking if b.service == "helsinkikuvia")
    assert len(helsinkikuvia.pages) == 3
    assert helsinkikuvia.describe().endswith("(desktop) and 2 more pages")


def test_a_clean_verdict_says_what_was_checked(fixed_report: RunReport) -> None:
    report = RunReport(fixed_report.date, without_errors(fixed_report))
    assert judge(report, "none").lines() == [
        "kuva-audit: exit 0: all 19 pages audited; --fail-on none: issues never fail the run "
        "(7 open issues in all)"
    ]
    only_new = dataclasses.replace(report, changes={})
    (line,) = judge(only_new, "serious", only_new=True).lines()
    assert line == (
        "kuva-audit: exit 0: all 19 pages audited; no open WCAG 2.1 A/AA issue new since the "
        "baseline at or above --fail-on serious (7 open issues in all)"
    )


def test_new_issues_only_with_a_baseline(fixed_report: RunReport) -> None:
    runs = without_errors(fixed_report)
    kukkuu = next(r for r in runs if r.service.id == "kukkuu")
    contrast = next(fp for fp in kukkuu.fingerprints if fp.rule == "color-contrast")
    changes = {(r.service.id, fp.id): "persisting" for r in runs for fp in r.fingerprints}
    changes[("kukkuu", contrast.id)] = "new"
    report = RunReport(fixed_report.date, runs, changes=changes, sources=fixed_report.sources)
    verdict = judge(report, "serious", only_new=True)
    assert verdict.code == 2
    assert verdict.lines() == [
        "  new issue: kukkuu: color-contrast (serious) on .fineprint at "
        "http://127.0.0.1:8000/kukkuu/events.html (desktop)",
        "kuva-audit: exit 2: 1 open WCAG 2.1 A/AA issue new since the baseline at or above "
        "--fail-on serious (1 serious)",
    ]
    (annotation, final) = workflow_commands(report, verdict)
    line = FIXED_CONFIG.read_text(encoding="utf-8").splitlines()
    match = re.match(r"::error file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*)", annotation)
    assert match, annotation
    uri, number, column, title, message = match.groups()
    assert uri == "tests/fixtures/run/services.yaml"
    assert line[int(number) - 1][int(column) - 1 :].startswith("events.html]")
    assert title == "kuva-audit%3A kukkuu%3A serious new issue (color-contrast)"
    assert message.startswith("Elements must meet minimum color contrast ratio thresholds: ")
    assert final == (
        "::error title=kuva-audit exit 2::1 open WCAG 2.1 A/AA issue new since the baseline "
        "at or above --fail-on serious (1 serious)"
    )


def test_annotations_keep_to_what_github_shows(fixed_report: RunReport) -> None:
    """Ten errors a step: nine pages or issues, most important first, then the verdict."""
    verdict = judge(fixed_report, "minor")
    commands = workflow_commands(fixed_report, verdict)
    errors = [c for c in commands if c.startswith("::error")]
    assert len(errors) == 10
    assert errors[0].startswith("::error file=tests/fixtures/run/services.yaml,line=")
    assert "page not audited (http)" in errors[0]
    assert errors[-1].startswith("::error title=kuva-audit exit 1::1 of 23 pages could not")
    assert errors[-1].endswith("(1 more not annotated: see the log and the run report)")


def test_new_issues_below_the_threshold_are_warnings(fixed_report: RunReport) -> None:
    runs = without_errors(fixed_report)
    changes = {(r.service.id, fp.id): "new" for r in runs for fp in r.fingerprints}
    report = RunReport(fixed_report.date, runs, changes=changes, sources=fixed_report.sources)
    verdict = judge(report, "critical", only_new=True)
    assert len(verdict.blocking) == 4
    commands = workflow_commands(report, verdict)
    warnings = [c for c in commands if c.startswith("::warning")]
    assert len(warnings) == verdict.open_issues - len(verdict.blocking) == 3
    assert all("new issue below --fail-on critical" in w for w in warnings)
    assert "(serious) on .fineprint" in warnings[0]


def test_workflow_commands_are_escaped() -> None:
    where = Sources.of(load_config(FIXED_CONFIG)).top
    text = command("error", "100% sure,\nreally", title="a: b, c", where=where)
    assert text.endswith(",title=a%3A b%2C c::100%25 sure,%0Areally")


def test_sources_of_every_form_of_page_entry(tmp_path: Path) -> None:
    """A page entry as a plain string (block or flow list) or a mapping with `url:` (whatever
    else it says): its line is where the list item starts; sitemap pages: the service;
    unreadable sitemaps: the sitemap setting, the service's own or the defaults'."""
    config = tmp_path / "site" / "services.yaml"
    config.parent.mkdir()
    config.write_text(
        "defaults:\n"
        "  sitemap: {url: /sitemap.xml}\n"
        "services:\n"
        "  - id: one\n"
        "    name: {fi: a, sv: a, en: a}\n"
        "    url: https://one.example/app/\n"
        "    pages:\n"
        "      - /\n"
        "      - about\n"
        "  - id: two\n"
        "    name: {fi: b, sv: b, en: b}\n"
        "    url: https://two.example/\n"
        "    sitemap: {url: /map.xml}\n"
        "    pages: [/, contact.html, https://elsewhere.example/x]\n",
        encoding="utf-8",
    )
    (tmp_path / ".git").mkdir()
    assert repository_root(config) == tmp_path
    sources = Sources.of(load_config(config))
    assert sources.uri == "site/services.yaml"
    at = sources.page
    assert (
        at("one", "https://one.example/app/").line,
        at("one", "https://one.example/app/").kind,
    ) == (8, "page")
    assert at("one", "https://one.example/app/about").line == 9
    assert (
        at("two", "https://two.example/contact.html").line,
        at("two", "https://two.example/contact.html").column,
    ) == (14, 16)
    assert at("two", "https://elsewhere.example/x").line == 14
    assert (
        at("two", "https://two.example/found-in-sitemap").line,
        at("two", "https://two.example/found-in-sitemap").kind,
    ) == (10, "service")
    assert at("two", "https://two.example/map.xml", sitemap_error=True).line == 13
    assert at("one", "https://one.example/sitemap.xml", sitemap_error=True).line == 2
    assert at("gone", "https://gone.example/").kind == "services"
    assert at("gone", "https://gone.example/").line == 3


def test_mapping_page_entries_are_located_too(tmp_path: Path) -> None:
    """The form issue 9 allows (`- {path: ..., wait: ...}`), read from the YAML itself."""
    from ruamel.yaml import YAML

    from kuva_audit.config.sources import item_position

    tree = YAML(typ="rt").load(
        "services:\n  - id: a\n    pages:\n      - {path: /x, wait: {until: load}}\n"
        "      - path: /y\n        lang: sv\n"
    )
    assert item_position(tree, "services", 0, "pages", 0) == (4, 9)
    assert item_position(tree, "services", 0, "pages", 1) == (5, 9)
    assert item_position(tree, "services", 0) == (2, 5)
    assert item_position(tree, "services", 1) is None


def test_export_with_and_without_services_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    sarif = tmp_path / "run.sarif"
    missing = run_cli("export", RUN, "--sarif", sarif)
    assert missing.exit_code == 1
    beside = RUN.parent.parent / "services.yaml"  # where a run's audits/ folder would be
    assert missing.stderr.strip() == (
        "kuva-audit: error: --sarif points each result at its line in services.yaml, and there "
        f"is none at services.yaml or {beside}: pass --config PATH (or set KUVA_AUDIT_CONFIG)"
    )
    assert not sarif.exists()
    plain = run_cli("export", RUN, "--junit", tmp_path / "junit.xml")
    assert plain.exit_code == 1
    assert plain.stdout.splitlines()[-1].startswith("kuva-audit: exit 1: 1 of 23 pages")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    located = run_cli("export", RUN, "--config", FIXED_CONFIG, "--sarif", sarif)
    assert located.exit_code == 1
    data = json.loads(sarif.read_text(encoding="utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in data["runs"][0]["results"]
    }
    assert uris == {"tests/fixtures/run/services.yaml"}
    out = located.stdout.splitlines()
    assert (
        sum(line.startswith("::error file=tests/fixtures/run/services.yaml,") for line in out) == 9
    )
    assert out[-1].startswith("kuva-audit: exit 1: ")


def test_the_job_summary_has_the_goal_figures_changes_links_and_verdict(
    fixed_report: RunReport, tmp_path: Path
) -> None:
    from kuva_audit.reports.data import gather

    config = tmp_path / "services.yaml"
    config.write_text(FIXED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(FIXED_CONFIG.parent / "surveys", tmp_path / "surveys")
    data = gather(load_config(config), dt.date(2026, 12, 31), "en", tmp_path / "reports")
    gone = next(fp for run in fixed_report.services for fp in run.fingerprints)
    fixed = (FixedIssue("ahti", gone),)
    report = dataclasses.replace(fixed_report, changes={}, fixed=fixed)
    verdict = judge(report, "serious", only_new=True)
    text = render_job_summary(
        data=data,
        report=report,
        baseline=Path("audits/2026-11-26"),
        verdict=verdict,
        site_url="https://city.example/kuva-audit",
    )
    a, s = data.progress.accessibility, data.progress.satisfaction
    assert (a.done, a.total, s.total) == (2, 7, 7)
    assert "- Accessibility audits: **2/7** services (as of 2026-12-31)" in text
    assert f"- Customer satisfaction measured: **{s.done}/7** services" in text
    assert "- Since the baseline (2026-11-26): **0** new open issues, **1** fixed" in text
    assert "[reports index](https://city.example/kuva-audit/reports/index.html)" in text
    assert "[run report](https://city.example/kuva-audit/reports/run.html)" in text
    assert text.rstrip().endswith(f"**{verdict.summary()}**")
    without = render_job_summary(
        data=None, report=None, baseline=None, verdict=verdict, site_url=None
    )
    assert "not computed (the report stage failed)" in without
    assert "`reports/index.html` (not published" in without
    finnish = render_job_summary(
        data=data,
        report=report,
        baseline=Path("audits/2026-11-26"),
        verdict=verdict,
        site_url="https://city.example/kuva-audit",
        lang="fi",
    )
    assert finnish.startswith("### kuva-audit: tavoite ja raportit\n")
    assert "- Saavutettavuusarvioinnit: **2/7** palvelua (tilanne 2026-12-31)" in finnish
    assert "Vertailuajosta (2026-11-26) lähtien: **0** uutta avointa ongelmaa" in finnish
    assert "[tarkastusraportti](https://city.example/kuva-audit/reports/run.html)" in finnish


def test_listed_caps_long_lists(fixed_report: RunReport) -> None:
    page = (
        fixed_report.services[0]
        .pages[0]
        .model_copy(update={"status": "error", "error": "x", "violations": []})
    )
    many = fixed_report.services[0].model_copy(update={"pages": [page] * (LISTED + 3)})
    lines = judge(RunReport("2026-11-27", (many,)), "serious").lines()
    assert lines[LISTED] == "  ... and 3 more pages not audited"
    assert lines[-1].startswith(f"kuva-audit: exit 1: {LISTED + 3} of {LISTED + 3} pages")
