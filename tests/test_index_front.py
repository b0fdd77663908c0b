"""The index as the front page of the whole job: the goal's two figures (the progress report's
own), each service's state and its links, in fi, sv and en; axe-clean in the browser."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from kuva_audit.demo.server import serve_directory, write_demo_config
from kuva_audit.texts import LANGS, lookup

from .conftest import FIXTURES, audit, run_cli, service

RUN = "2026-11-27"


def _job(root: Path, lang: str) -> Path:
    """The whole job on the fixed run (no browser): its reports folder."""
    config = write_demo_config(root / "services.yaml", "http://127.0.0.1:8000")
    run_dir = root / "audits" / RUN
    shutil.copytree(FIXTURES / "run" / RUN, run_dir)
    result = run_cli(
        "run", "--config", config, "--audited", run_dir, "--as-of", "2026-12-31", "--lang", lang
    )
    assert result.exit_code == 1, result.stderr  # the fixed run has a page not audited
    return root / "reports"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    yield {lang: _job(tmp_path_factory.mktemp(f"job-{lang}"), lang) for lang in LANGS}


def _soup(folder: Path) -> BeautifulSoup:
    return BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")


def _card(soup: BeautifulSoup, service_id: str) -> dict[str, str]:
    card = soup.find("article", id=f"service-{service_id}")
    assert isinstance(card, Tag), service_id
    return {
        dt.get_text(strip=True): " ".join(dd.get_text().split())
        for dt, dd in zip(card.find_all("dt"), card.find_all("dd"), strict=True)
    }


@pytest.mark.parametrize("lang", LANGS)
def test_front_page_figures_are_the_progress_reports(reports: dict[str, Path], lang: str) -> None:
    folder = reports[lang]
    soup = _soup(folder)
    assert soup.html is not None and soup.html.get("lang") == lang
    progress = json.loads((folder / "progress.json").read_text(encoding="utf-8"))
    words = lookup("reports.figures", lang)
    for key in ("accessibility", "satisfaction"):
        figure = soup.find(id=f"figure-{key}")
        assert isinstance(figure, Tag)
        value = f"{progress[key]['done']}/{progress[key]['total']}"
        assert figure.get_text(" ", strip=True) == f"{words[key]} {value}"
    assert (progress["accessibility"]["done"], progress["satisfaction"]["done"]) == (2, 3)


def test_each_service_has_its_state_and_links(reports: dict[str, Path]) -> None:
    soup = _soup(reports["en"])
    cards = soup.select("#services article")
    assert [c.get("id") for c in cards] == [
        f"service-{s}"
        for s in (
            "kukkuu",
            "kultus",
            "tapahtumat",
            "venepaikat",
            "jassari",
            "ahti",
            "helsinkikuvia",
        )
    ]
    kukkuu = _card(soup, "kukkuu")
    assert kukkuu["Accessibility audit"].startswith("Done: audited 15 September 2026")
    assert kukkuu["Latest automated audit"] == "27 November 2026"
    assert kukkuu["Open WCAG 2.1 A/AA issues"].isdigit()
    assert kukkuu["Accessibility statement"].startswith("Draft")
    assert kukkuu["Customer satisfaction"] == "Measured: responses: 85"
    venepaikat = _card(soup, "venepaikat")
    assert venepaikat["Customer satisfaction"] == "Not measured: 3 responses, needs 30"
    links = {a.get_text(): a.get("href") for a in soup.select("#service-kukkuu a")}
    assert links["Culture Kids, draft in Finnish"] == "../statements/drafts/kukkuu/fi.html"
    assert links["Culture Kids in the run report"] == "run.html#service-kukkuu"
    assert (reports["en"] / "run.html").read_text(encoding="utf-8").count(
        'id="service-kukkuu"'
    ) == 1
    # Every link of the page leads to a file the job wrote.
    for a in soup.select("main a"):
        href = str(a.get("href")).split("#")[0]
        assert (reports["en"] / href).is_file(), href


def test_open_issues_match_the_compact_history(reports: dict[str, Path]) -> None:
    from kuva_audit.history.store import load_history

    history = {r.service: r for r in load_history(reports["en"].parent / "audits", issues=False)}
    soup = _soup(reports["en"])
    for service_id, record in history.items():
        assert _card(soup, service_id)["Open WCAG 2.1 A/AA issues"] == str(record.open_issues)


def test_finnish_and_swedish_states(reports: dict[str, Path]) -> None:
    fi = _card(_soup(reports["fi"]), "venepaikat")
    assert fi["Asiakastyytyväisyys"].startswith("Ei mitattu")
    assert fi["Viimeisin automaattinen tarkistus"] == "27.11.2026"
    sv = _card(_soup(reports["sv"]), "kukkuu")
    assert sv["Tillgänglighetsutvärdering"].startswith("Gjord: utvärderad 15.9.2026")
    assert sv["Kundnöjdhet"].startswith("Mätt")
    assert "Utkast" in sv["Tillgänglighetsutlåtande"]
    assert "utkast: utkast" not in sv["Tillgänglighetsutlåtande"].lower()


@pytest.mark.browser
def test_front_page_passes_axe_at_three_widths(reports: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    for lang in LANGS:
        shutil.copy(reports[lang] / "index.html", root / f"index-{lang}.html")
    viewports = (
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: phone, width: 390, height: 844, mobile: true}\n"
        "  - {name: narrow, width: 320, height: 640, mobile: true}"
    )
    pages = [f"index-{lang}.html" for lang in LANGS]
    with serve_directory(root) as origin:
        result, runs = audit(tmp_path / "audit", service("front", origin + "/", pages, viewports))
    audited = runs["front"].pages
    assert len(audited) == 9
    for page in audited:
        assert page.status == "ok", page.error
        found = {f.rule: [n.selector for n in f.nodes] for f in page.violations}
        assert found == {}, f"{page.url} at {page.viewport}: {found}"
    assert result.exit_code == 0, result.stdout + result.stderr
