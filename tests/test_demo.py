"""The bundled demo: every intended defect found where it is, and nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from kuva_audit.audit.results import ServiceRun

from .conftest import CliResult, run_cli

pytestmark = pytest.mark.browser

EXPECTED = YAML(typ="safe").load((files("kuva_audit.demo") / "expected.yaml").read_text())
SEVEN = ["kukkuu", "kultus", "tapahtumat", "venepaikat", "jassari", "ahti", "helsinkikuvia"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CliResult, Path]]:
    workdir = tmp_path_factory.mktemp("demo")
    yield run_cli("demo", "--workdir", workdir), workdir


@pytest.fixture(scope="module")
def runs(demo: tuple[CliResult, Path]) -> dict[str, ServiceRun]:
    _, workdir = demo
    return {
        p.stem: ServiceRun.model_validate_json(p.read_text(encoding="utf-8"))
        for p in (workdir / "audits").glob("*/*.json")
    }


def page_name(url: str, service_url: str) -> str:
    name = url.removeprefix(service_url)
    return name if name not in ("", "./") else "index.html"


def test_demo_audits_all_seven_services_and_exits_zero(
    demo: tuple[CliResult, Path], runs: dict[str, ServiceRun]
) -> None:
    result, workdir = demo
    assert result.exit_code == 0, result.stderr
    assert sorted(runs) == sorted(SEVEN)
    assert all(run.totals.errors == 0 for run in runs.values())
    for service_id in SEVEN:  # the summary table names every service
        assert service_id in result.stdout
    assert str(workdir / "audits") in result.stdout


def test_each_intended_defect_is_found_on_its_page_with_its_criterion(
    runs: dict[str, ServiceRun],
) -> None:
    for defect in EXPECTED["defects"]:
        run = runs[defect["service"]]
        pages = [p for p in run.pages if page_name(p.url, run.service.url) == defect["page"]]
        assert pages, defect
        findings = [f for p in pages for f in p.violations if f.rule == defect["rule"]]
        assert findings, f"not found: {defect}"
        assert all(defect["wcag"] in f.wcag and f.legal for f in findings), defect
        selectors = [n.selector for f in findings for n in f.nodes]
        if defect["where"] == "iframe":
            assert all(" >> " in s and " >>> " not in s for s in selectors), selectors
        if defect["where"] == "shadow":
            assert all(" >>> " in s for s in selectors), selectors


def test_nothing_else_is_reported(runs: dict[str, ServiceRun]) -> None:
    """No false positives: the cookie banner was dismissed, the SPA was awaited."""
    expected = {(d["service"], d["page"], d["rule"]) for d in EXPECTED["defects"]}
    found = {
        (service_id, page_name(p.url, run.service.url), f.rule)
        for service_id, run in runs.items()
        for p in run.pages
        for f in p.violations
    }
    assert found == expected
    for service_id in EXPECTED["clean"]:
        assert runs[service_id].totals.violations == 0
        assert runs[service_id].totals.beyond_legal == 0


def test_clean_service_is_audited_at_both_viewports(runs: dict[str, ServiceRun]) -> None:
    viewports = {p.viewport for p in runs["ahti"].pages}
    assert viewports == {"desktop", "mobile"}


def test_same_component_on_many_pages_is_one_fingerprint(runs: dict[str, ServiceRun]) -> None:
    run = runs["helsinkikuvia"]  # pages came from a sitemap index
    assert len(run.pages) == 4
    (gallery,) = [fp for fp in run.fingerprints if fp.rule == "image-alt"]
    assert len(gallery.pages) == 3 and gallery.wcag == ["1.1.1"]
    assert run.totals.issues_by_impact["critical"] == 1


def test_result_files_match_the_shipped_json_schema(demo: tuple[CliResult, Path]) -> None:
    schema = json.loads((files("kuva_audit.schemas") / "audit-result.schema.json").read_text())
    _, workdir = demo
    files_checked = 0
    for path in (workdir / "audits").glob("*/*.json"):
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data["schema_version"] == 1
        files_checked += 1
    assert files_checked == 7


def test_shipped_schema_is_generated_from_the_models() -> None:
    shipped = json.loads((files("kuva_audit.schemas") / "audit-result.schema.json").read_text())
    assert shipped == ServiceRun.model_json_schema()


def test_demo_scores_the_bundled_survey_exports(demo: tuple[CliResult, Path]) -> None:
    _, workdir = demo
    rows = json.loads((workdir / "reports" / "satisfaction.json").read_text(encoding="utf-8"))
    by_key = {(r["service"], r["period"], r["metric"]): r for r in rows}
    kukkuu = by_key[("kukkuu", "2026Q4", "csat")]
    assert kukkuu["n"] == 45 and kukkuu["change"]["previous_period"] == "2026Q3"
    assert by_key[("kukkuu", "2026Q3", "csat")]["rejected"] == {"blank": 1, "out of range": 1}
    assert by_key[("venepaikat", "2026Q4", "nps")]["suppressed"] is True  # 3 responses
    assert by_key[("kultus", "2026Q4", "nps")]["low_confidence"] is True  # 25 responses
    assert by_key[("ahti", "not scored", "nps")]["rejected"] == {"duplicate id": 1, "unfinished": 3}
    assert by_key[("tapahtumat", "2026Q4", "csat")]["n"] == 35
    formats = {
        "kukkuu": ".csv",
        "kultus": ".csv",
        "tapahtumat": ".csv",
        "venepaikat": ".xlsx",
        "ahti": ".csv",
    }
    for service, suffix in formats.items():
        assert list((workdir / "surveys" / service).glob(f"*{suffix}")), service


def test_demo_writes_a_draft_for_every_service_and_publishes_what_can_be(
    demo: tuple[CliResult, Path],
) -> None:
    """The whole job writes drafts; the demo stands in for a reviewer and publishes the one
    statement whose evidence is complete (kukkuu: a third-party audit of all criteria)."""
    _, workdir = demo
    for service_id in SEVEN:
        for lang in ("fi", "sv", "en"):
            for suffix in (".html", ".md"):
                assert (
                    workdir / "statements" / "drafts" / service_id / f"{lang}{suffix}"
                ).is_file()
    published = sorted(p.name for p in (workdir / "statements" / "published").iterdir())
    assert published == ["kukkuu"]
    check = run_cli(
        "statements", "--config", workdir / "services.yaml", "--check", "--as-of", "2026-12-31"
    )
    assert check.exit_code == 2, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert not [line for line in lines if "/kukkuu/" in line]  # published and current
    for service_id in SEVEN[1:]:
        for lang in ("fi", "sv", "en"):
            path = workdir / "statements" / "published" / service_id / f"{lang}.html"
            assert any(line.startswith(f"{path}: not published;") for line in lines), path
    data = json.loads((workdir / "reports" / "progress.json").read_text(encoding="utf-8"))
    states = {s["id"]: s["state"] for s in data["statements"]}
    assert states == {sid: "current" if sid == "kukkuu" else "draft" for sid in SEVEN}


def test_demo_reports_goal_progress_with_an_index(demo: tuple[CliResult, Path]) -> None:
    result, workdir = demo
    assert "goal progress" in result.stdout
    data = json.loads((workdir / "reports" / "progress.json").read_text(encoding="utf-8"))
    assert data["accessibility"]["total"] == 7
    measured = {s["id"] for s in data["satisfaction"]["services"] if s["done"]}
    assert measured == {"kukkuu", "tapahtumat", "ahti"}  # 30+ responses in 12 months
    index = (workdir / "reports" / "index.html").read_text(encoding="utf-8")
    assert "progress.html" in index and "run.html" in index


WIDTHS = (320, 390, 1280)
LAYOUT_JS = """() => {
  const root = document.documentElement;
  let smallest = null, chartTexts = 0;
  for (const text of document.querySelectorAll("svg text")) {
    const matrix = text.getScreenCTM();
    if (!matrix || text.getClientRects().length === 0) continue;  // in a hidden layout
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
    smallest = smallest === null ? size : Math.min(smallest, size);
    chartTexts += 1;
  }
  const scrollers = [];
  for (const el of document.body.querySelectorAll("*")) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      scrollers.push({
        role: el.getAttribute("role"),
        tabindex: el.getAttribute("tabindex"),
        named: Boolean(el.getAttribute("aria-labelledby") || el.getAttribute("aria-label")),
      });
    }
  }
  return {
    scrollWidth: root.scrollWidth,
    width: window.innerWidth,
    lang: root.lang,
    hyphens: getComputedStyle(document.body).hyphens,
    smallest, chartTexts, scrollers,
  };
}"""


@pytest.fixture(scope="module")
def generated(demo: tuple[CliResult, Path]) -> list[str]:
    """Every HTML page the demo writes, plus the progress report and index in Swedish and
    English (the demo's own are Finnish), as paths under the demo folder."""
    _, workdir = demo
    for lang in ("sv", "en"):
        result = run_cli(
            "report",
            "--config",
            workdir / "services.yaml",
            "--as-of",
            "2026-12-31",
            "--lang",
            lang,
            "--out-dir",
            workdir / f"reports-{lang}",
        )
        assert result.exit_code == 0, result.stdout + result.stderr
    pages = ["reports/run.html", "reports/progress.html", "reports/index.html"]
    for lang in ("sv", "en"):
        pages += [f"reports-{lang}/progress.html", f"reports-{lang}/index.html"]
    pages += [
        p.relative_to(workdir).as_posix() for p in sorted(workdir.glob("statements/*/*/*.html"))
    ]
    assert len(pages) == 31
    return pages


def test_every_generated_page_fits_320_390_and_1280_px(
    demo: tuple[CliResult, Path], generated: list[str]
) -> None:
    """No page scrolls sideways (a wide table scrolls inside its own labelled, focusable
    region), words hyphenate by the page's language, and chart text is at least 12 px on a
    phone."""
    from playwright.sync_api import sync_playwright

    from kuva_audit.audit.browser import CHROMIUM_FLAGS, find_browser
    from kuva_audit.demo.server import serve_directory

    _, workdir = demo
    choice = find_browser()
    assert choice is not None
    problems = []
    with serve_directory(workdir) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=choice.path, args=list(CHROMIUM_FLAGS))
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 800})
                for path in generated:
                    page.goto(f"{origin}/{path}", wait_until="load")
                    found = page.evaluate(LAYOUT_JS)
                    where = f"{path} at {width} px"
                    assert found["width"] == width, where
                    if found["scrollWidth"] > width:
                        problems.append(f"{where}: scrolls sideways ({found['scrollWidth']} px)")
                    if found["lang"] not in ("fi", "sv", "en") or found["hyphens"] != "auto":
                        problems.append(f"{where}: lang {found['lang']!r}, {found['hyphens']}")
                    for scroller in found["scrollers"]:
                        if scroller != {"role": "region", "tabindex": "0", "named": True}:
                            problems.append(f"{where}: unlabelled scrolling box {scroller}")
                    if "progress.html" in path:
                        assert found["chartTexts"] > 0, where  # the charts are measured
                        if width < 1000 and found["smallest"] < 12:
                            problems.append(f"{where}: chart text {found['smallest']:.1f} px")
                page.close()
        finally:
            browser.close()
    assert problems == []


def test_every_generated_html_page_passes_axe_at_320_390_and_1280_px(
    demo: tuple[CliResult, Path], generated: list[str], tmp_path: Path
) -> None:
    """The demo's own outputs: run report, progress report and index (fi, sv, en), the 21
    statement drafts and the 3 published statements, at the three widths."""
    from kuva_audit.demo.server import serve_directory

    from .conftest import audit, service

    _, workdir = demo
    viewports = (
        "viewports:\n"
        "  - {name: narrow, width: 320, height: 640, mobile: true}\n"
        "  - {name: phone, width: 390, height: 844, mobile: true}\n"
        "  - {name: desktop, width: 1280, height: 800}"
    )
    with serve_directory(workdir) as origin:
        result, runs = audit(tmp_path, service("outputs", origin + "/", generated, viewports))
    run = runs["outputs"]
    assert len(run.pages) == len(generated) * len(WIDTHS)
    assert [p.status for p in run.pages] == ["ok"] * len(run.pages)
    assert [(p.url, p.viewport, f.rule) for p in run.pages for f in p.violations] == []
    assert result.exit_code == 0
