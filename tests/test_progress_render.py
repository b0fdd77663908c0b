"""The progress report in HTML and Markdown: figures, service tables, goal card, trends, links,
and an axe audit of the HTML itself in both languages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import markupsafe
import pytest
from bs4 import BeautifulSoup, Tag
from markupsafe import Markup

from kuva_audit.config.loader import load_config
from kuva_audit.demo.server import serve_directory
from kuva_audit.mdtext import md_punctuation
from kuva_audit.reports import render
from kuva_audit.reports.charts import Chart, charts
from kuva_audit.reports.data import ReportData, gather
from kuva_audit.reports.render import render_progress_html, render_progress_md

from .conftest import audit, service

REPO = Path(__file__).parent.parent
AS_OF = dt.date(2020, 6, 30)
GOALS = """
goals:
  subgoals:
    - name: {fi: Tilat Varaamossa, sv: Lokaler i Varaamo, en: Spaces in Varaamo}
      target: 20 tilaa
      measured: 20 tilaa
      progress: 100
      status: done
  forecast:
    fi: Saavutettavuusarvioinnit valmistuvat vuoden 2021 aikana.
    sv: Tillgänglighetsutvärderingarna blir klara under 2021.
    en: The accessibility audits will be done during 2021.
  risks:
    - fi: Kyselyjen vastausmäärät jäävät pieniksi & <b>arvio</b> | viivästyy.
      sv: Enkäterna får för få svar.
      en: The surveys get too few responses & <b>the estimate</b> | slips.
"""
SERVICES = {
    "kukkuu": ({"fi": "Kulttuurin kummilapset", "en": "Culture Kids"}, True),
    "kultus": ({"fi": "Kultus", "en": "Kultus"}, False),
    "tapahtumat": ({"fi": "Tapahtumat", "en": "Events"}, False),
    "venepaikat": ({"fi": "Venepaikat", "en": "Boat berths"}, True),
    "jassari": ({"fi": "Jässäri", "en": "Jässäri"}, False),
    "ahti": ({"fi": "Ahti", "en": "Ahti"}, False),
    "helsinkikuvia": ({"fi": "Helsinkikuvia.fi", "en": "Helsinki Photos"}, False),
}
STATUS_WORDS = {
    "fi": ("TEKEILLÄ", "TEKEMÄTTÄ", "TEHTY"),
    "en": ("in progress", "not started", "done"),
}
STATEMENT_STATES = {
    "fi": {
        "missing": "Puuttuu",
        "draft": "Luonnos",
        "current": "Ajan tasalla",
        "stale": "Vanhentunut",
    },
    "en": {"missing": "Missing", "draft": "Draft", "current": "Current", "stale": "Stale"},
}
FIGURES = {
    "fi": ("Saavutettavuusarvioinnit 2/7", "Asiakastyytyväisyys mitattu 0/7"),
    "en": ("Accessibility audits 2/7", "Customer satisfaction measured 0/7"),
}
Gather = Callable[[str], ReportData]


def fake_chart(suffix: str = "") -> Chart:
    return Chart(
        id=f"chart-test{suffix}",
        title=f"Audits done by month{suffix}",
        description="Two of seven services were audited by June 2020.",
        svg=Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20" role="img" '
            'aria-label="Audits done by month: 2 of 7">'
            '<rect x="0" y="0" width="28" height="20" fill="#0050a0"></rect></svg>'
        ),
        narrow=None,
        columns=["Month", "Audits done"],
        rows=[["2020-05", "2"], ["2020-06", "2 | <i>7</i>"]],
    )


@pytest.fixture
def data_for(tmp_path: Path) -> Gather:
    """The repository's seven services with a goals: block, one statement and a run report."""
    root = tmp_path / "config"
    root.mkdir()
    config = root / "services.yaml"
    shutil.copy(REPO / "services.yaml", config)
    with config.open("a", encoding="utf-8") as f:
        f.write(GOALS)
    # A published statement that carries no facts (stale), and a draft of kultus.
    (root / "statements" / "published" / "kukkuu").mkdir(parents=True)
    (root / "statements" / "published" / "kukkuu" / "fi.html").write_text(
        "<!doctype html>", encoding="utf-8"
    )
    (root / "statements" / "drafts" / "kultus").mkdir(parents=True)
    (root / "statements" / "drafts" / "kultus" / "fi.html").write_text(
        "<!doctype html>", encoding="utf-8"
    )
    reports = root / "reports"
    reports.mkdir()
    (reports / "run.html").write_text("<!doctype html>", encoding="utf-8")
    loaded = load_config(config)
    return lambda lang: gather(loaded, AS_OF, lang, reports)


def soup_of(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def service_rows(soup: BeautifulSoup, key: str) -> dict[str, list[str]]:
    caption = soup.find("caption", id=f"{key}-caption")
    assert isinstance(caption, Tag)
    table = caption.parent
    assert isinstance(table, Tag) and table.tbody is not None
    rows = {}
    for tr in table.tbody.find_all("tr"):
        assert tr.th is not None
        rows[tr.th.get_text()] = [td.get_text() for td in tr.find_all("td")]
    return rows


def card_statuses(soup: BeautifulSoup) -> list[str]:
    return [s.get_text() for s in soup.select("#card table .status")]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_html_shows_figures_services_card_and_links(data_for: Gather, lang: str) -> None:
    data = data_for(lang)
    soup = soup_of(render_progress_html(data))
    html_tag = soup.find("html")
    assert isinstance(html_tag, Tag) and html_tag["lang"] == lang
    h1s = soup.find_all("h1")
    assert len(h1s) == 1
    assert data.title in h1s[0].get_text()
    assert ("30.6.2020" if lang == "fi" else "30 June 2020") in h1s[0].get_text()
    figures = [p.get_text() for p in soup.select(".figures .figure")]
    assert figures == list(FIGURES[lang])

    yes, no = ("Kyllä", "Ei") if lang == "fi" else ("Yes", "No")
    access = service_rows(soup, "accessibility")
    satisfaction = service_rows(soup, "satisfaction")
    assert list(access) == [names[lang] for names, _ in SERVICES.values()]
    assert list(satisfaction) == list(access)
    for status in data.progress.accessibility.services:
        done, reason, automated = access[status.name[lang]]
        assert done == (yes if SERVICES[status.id][1] else no)
        assert reason == status.reason.text(lang)
        assert automated  # "no automated audit" in words when there is none
    for status in data.progress.satisfaction.services:
        assert satisfaction[status.name[lang]] == [no, status.reason.text(lang)]

    assert card_statuses(soup) == list(STATUS_WORDS[lang])
    card = soup.find("section", id="card")
    assert isinstance(card, Tag)
    text = card.get_text()
    assert "29 %" in text and "0 %" in text and "100 %" in text
    assert data.forecast is not None and data.forecast in text
    assert "<b>" in text and soup.find("b") is None  # entered text is escaped
    assert all(bar.get("aria-hidden") == "true" for bar in card.select(".bar"))

    hrefs = [a["href"] for a in soup.select("#links a")]
    assert hrefs == [
        "../statements/published/kukkuu/fi.html",
        "../statements/drafts/kultus/fi.html",
        "run.html",
    ]
    states = {
        row.th.get_text(): next(td.get_text() for td in row.find_all("td"))
        for row in soup.select("#statements-caption ~ tbody tr")
        if row.th is not None
    }
    words = STATEMENT_STATES[lang]
    assert states == {
        names[lang]: words[
            "stale" if sid == "kukkuu" else "draft" if sid == "kultus" else "missing"
        ]
        for sid, (names, _) in SERVICES.items()
    }
    assert soup.select_one("#trends p") is not None  # no charts yet: said in words


def md(text: str) -> str:
    """``text`` as the Markdown template writes it: punctuation and HTML escaped."""
    return str(markupsafe.escape(md_punctuation(text)))


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_markdown_has_the_same_content_and_no_html(data_for: Gather, lang: str) -> None:
    data = data_for(lang)
    text = render_progress_md(data)
    assert re.search(r"<[A-Za-z/!]", text) is None
    assert text.startswith(f"# {md(data.title)}\n")
    for figure in FIGURES[lang]:
        assert f"\n## {figure}\n" in text
    for status in data.progress.accessibility.services + data.progress.satisfaction.services:
        rows = [
            line for line in text.splitlines() if line.startswith(f"| {md(status.name[lang])} |")
        ]
        assert len(rows) == 3  # one in each figure's table, one in the statements table
        assert any(md(status.reason.text(lang)) in row for row in rows)
    statuses = [m.group(1) for m in re.finditer(r"\| \*\*([^*]+)\*\* \|", text)]
    assert statuses == list(STATUS_WORDS[lang])
    assert "&lt;b&gt;" in text  # entered text: escaped, which Markdown shows as the characters
    assert "(../statements/published/kukkuu/fi.html)" in text and "(run.html)" in text
    assert "(../statements/drafts/kultus/fi.html)" in text
    for word in STATEMENT_STATES[lang].values() if lang == "en" else ("Luonnos", "Puuttuu"):
        if word != "Current":
            assert f"| {word} |" in text
    order = [
        FIGURES[lang][0],
        "| " + ("Palvelu" if lang == "fi" else "Service") + " |",
        "**" + ("Sitova tavoite" if lang == "fi" else "Binding goal") + ":**",
        "## " + ("Kehitys" if lang == "fi" else "Trends"),
        "## " + ("Linkit" if lang == "fi" else "Links"),
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_charts_render_as_figures_with_their_data_tables(
    data_for: Gather, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "charts", lambda data: [fake_chart()])
    data = data_for("en")
    soup = soup_of(render_progress_html(data))
    figure = soup.find("figure", id="chart-test")
    assert isinstance(figure, Tag) and figure.svg is not None and figure.figcaption is not None
    assert figure.figcaption.get_text() == "Audits done by month"
    assert "Two of seven services" in figure.get_text()
    details = figure.find_next_sibling("details")
    assert isinstance(details, Tag) and details.table is not None
    assert [th.get("scope") for th in details.table.find_all("th")] == ["col", "col", "row", "row"]
    assert details.table.find("i") is None  # table cells are escaped
    md = render_progress_md(data)
    assert "| 2020\\-06 | 2 \\| &lt;i&gt;7&lt;/i&gt; |" in md
    assert "<svg" not in md


def test_unknown_language_is_refused(data_for: Gather) -> None:
    data = data_for("en")
    with pytest.raises(ValueError, match="fi, sv, en"):
        render_progress_html(ReportData(**{**data.__dict__, "lang": "de"}))


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_report_in_finnish_and_swedish_has_no_english_or_iso_dates(
    data_for: Gather, lang: str
) -> None:
    """Every fixed text in the report's language: no English fragments of the automated
    line, dates as 30.6.2020 (no ISO dates in the text)."""
    data = data_for(lang)
    for text in (
        soup_of(render_progress_html(data)).get_text(" "),
        render_progress_md(data),
    ):
        assert "30.6.2020" in text
        assert not ISO_DAY.search(text), ISO_DAY.findall(text)
        for english in (" pages", " issues", "responses", "Accessibility audits"):
            assert english not in text
    html = soup_of(render_progress_html(data))
    root = html.find("html")
    assert isinstance(root, Tag) and root["lang"] == lang
    heading = "Tjänster" if lang == "sv" else "Palvelut"
    assert heading in [h.get_text() for h in html.find_all("h2")]


@pytest.mark.browser
def test_report_passes_axe_in_both_languages(
    tmp_path: Path, data_for: Gather, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report (with whatever charts charts.py makes, plus a test chart) has zero
    violations, best practices included, at desktop and mobile widths."""
    real = charts
    monkeypatch.setattr(render, "charts", lambda data: [*real(data), fake_chart("-extra")])
    root = tmp_path / "site"
    root.mkdir()
    for lang in ("fi", "sv", "en"):
        (root / f"progress-{lang}.html").write_text(
            render_progress_html(data_for(lang)), encoding="utf-8"
        )
    viewports = (
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: mobile, width: 390, height: 844, mobile: true}"
    )
    names = ["progress-fi.html", "progress-sv.html", "progress-en.html"]
    with serve_directory(root) as origin:
        result, runs = audit(tmp_path / "audit", service("report", origin + "/", names, viewports))
    pages = runs["report"].pages
    assert sorted((p.url.rsplit("/", 1)[1], p.viewport) for p in pages) == sorted(
        (name, viewport) for name in names for viewport in ("desktop", "mobile")
    )
    for page in pages:
        assert page.status == "ok", page.error
        found = {f.rule: [n.selector for n in f.nodes] for f in page.violations}
        assert found == {}, f"{page.url} at {page.viewport}: {found}"
        assert page.passes > 20
    assert result.exit_code == 0, result.stdout + result.stderr
