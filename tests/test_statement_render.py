"""The rendered accessibility statements: sections, status, items, data, Markdown, axe, golden.

Two services from a services.yaml written here: `kultus` with a manual audit of all criteria
(two findings, a burden claim, an out-of-scope item) and no automated results, and `kukkuu`
with a statement block only and the fixed automated run of tests/fixtures (image-alt 1.1.1 and
color-contrast 1.4.3 failing).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from bs4 import BeautifulSoup, Tag

from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.config.statement import OutOfScope
from kuva_audit.demo.server import serve_directory
from kuva_audit.statements.build import Built, build_statements
from kuva_audit.statements.compliance import Basis, Compliance, CriterionStatus, assess
from kuva_audit.statements.data import criteria, criteria_by_id, texts
from kuva_audit.statements.render import render_html, render_markdown
from kuva_audit.statements.view import StatementView, build_view

from .conftest import FIXTURES, audit, service

LANGS = ("fi", "sv", "en")
MANUAL = "kultus"
AUTOMATED = "kukkuu"
KIND = {MANUAL: "manual", AUTOMATED: "automated"}
RUN_DATE = "2026-11-27"
PAGES = ("http://127.0.0.1:8000/kukkuu/", "http://127.0.0.1:8000/kukkuu/events.html")
TRAFICOM_WEB = {
    "fi": "https://www.saavutettavuusvaatimukset.fi/",
    "sv": "https://www.tillganglighetskrav.fi/",
    "en": "https://www.webaccessibility.fi/",
}
SERVICES_YAML = """\
organisation:
  name: {fi: Helsingin kaupunki, sv: Helsingfors stad, en: City of Helsinki}
  unit:
    fi: Kulttuurin ja vapaa-ajan toimiala
    sv: Kultur- och fritidssektorn
    en: Culture and Leisure Division
  feedback:
    form: https://palautteet.hel.fi/{lang}
    email: palaute@example.hel.fi
services:
  - id: kultus
    name: {fi: Kultus, sv: Kultus, en: Kultus}
    url: https://kultus.example.hel.fi/
    pages: [/]
    statement:
      prepared: 2024-03-01
      reviewed: 2026-02-15
      method: third-party
      report_url: https://example.hel.fi/kultus-arviointi.pdf
      responsible:
        unit: {fi: Kultuksen kehitystiimi, sv: Kultus utvecklingsteam, en: Kultus development team}
        email: kultus@example.hel.fi
      audits:
        - date: 2026-01-20
          by: Esimerkki Oy
          criteria: all
          findings:
            - criterion: "1.4.3"
              description:
                fi: Tapahtumahaun suodatinpainikkeiden teksti erottuu taustasta liian heikosti.
                sv: Texten på filterknapparna i evenemangssökningen har för låg kontrast.
                en: "The text on the event search filter buttons has too little contrast <b>&</b>."
              part: {fi: Tapahtumahaku, sv: Evenemangssökningen, en: Event search}
              fix_by: 2026-06-30
              alternative:
                fi: Tapahtumat löytyvät myös tapahtumalistasta etusivulta.
                sv: Evenemangen finns också i evenemangslistan på startsidan.
                en: The events are also in the event list on the front page.
            - criterion: "2.1.4"
              description:
                fi: Kalenterin yhden merkin pikanäppäimiä ei voi poistaa käytöstä.
                sv: Kalenderns kortkommandon med ett tecken kan inte stängas av.
                en: The calendar's single-character shortcuts cannot be turned off.
              part: {fi: Varauskalenteri, sv: Bokningskalendern, en: Booking calendar}
              fix_by: 2026-09-01
              alternative:
                fi: Varauksen voi tehdä myös puhelimitse.
                sv: Du kan också boka per telefon.
                en: You can also book by phone.
      burden:
        - item: {fi: Vanhat opetusvideot, sv: Gamla undervisningsvideor, en: Old teaching videos}
          justification:
            fi: Videot poistuvat käytöstä vuoden 2026 lopussa.
            sv: Videorna tas ur bruk i slutet av 2026.
            en: The videos will be withdrawn at the end of 2026.
      out_of_scope:
        - item: {fi: Tapahtumakartta, sv: Evenemangskartan, en: Event map}
          category: maps
  - id: kukkuu
    name: {fi: Kulttuurin kummilapset, sv: Kulturens fadderbarn, en: Culture Kids}
    url: https://kukkuu.example.hel.fi/
    pages: [/]
    statement:
      prepared: 2025-05-02
      reviewed: 2026-11-30
      method: self-assessment
      responsible:
        unit: {fi: Kukkuu-tiimi, sv: Kukkuu-teamet, en: Kukkuu team}
        email: kukkuu@example.hel.fi
"""


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> LoadedConfig:
    """The services.yaml above, with the fixed kukkuu run in audits/ beside it."""
    root = tmp_path_factory.mktemp("statements")
    (root / "services.yaml").write_text(SERVICES_YAML, encoding="utf-8")
    run_dir = root / "audits" / RUN_DATE
    run_dir.mkdir(parents=True)
    shutil.copy(FIXTURES / "run" / RUN_DATE / "kukkuu.json", run_dir / f"{AUTOMATED}.json")
    return load_config(root / "services.yaml")


@pytest.fixture(scope="module")
def built(loaded: LoadedConfig) -> dict[str, Built]:
    audits = loaded.path.parent / "audits"
    statements = build_statements(loaded, loaded.config.services, LANGS, audits)
    return {b.service.id: b for b in statements}


def pages_of(built: dict[str, Built]) -> Iterator[tuple[str, str, StatementView]]:
    for service_id, b in built.items():
        for lang, view in b.views.items():
            yield service_id, lang, view


def soup_of(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def text_of(tag: Tag) -> str:
    return " ".join(tag.get_text().split())


def section(soup: BeautifulSoup, section_id: str) -> Tag:
    found = soup.find("section", id=section_id)
    assert isinstance(found, Tag), f"no section {section_id}"
    return found


def embedded(soup: BeautifulSoup) -> Any:
    script = soup.find("script", id="statement-data")
    assert isinstance(script, Tag)
    assert script["type"] == "application/json"
    return json.loads(script.get_text())


def key_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            paths |= key_paths(item, f"{prefix}.{key}" if prefix else str(key))
        return paths
    if isinstance(value, list):
        return {f"{prefix}[{len(value)}]"}
    return {prefix}


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{prefix}[{index}]")
    else:
        yield prefix, value


def model_headings(lang: str) -> list[str]:
    """The h2 headings of the model statement's sections in order, then the criteria annex."""
    h = texts()[lang]["headings"]
    keys = ("intro", "status", "non_accessible", "preparation", "feedback", "enforcement")
    return [h[k] for k in keys] + [h["criteria"]]


def sub_headings(lang: str) -> list[str]:
    h = texts()[lang]["headings"]
    return [h["non_compliance"], h["burden"], h["out_of_scope"]]


def date_in(lang: str, day: int, month: int, year: int) -> str:
    if lang == "en":
        return f"{day} {texts()['en']['date']['months'][month - 1]} {year}"
    return f"{day}.{month}.{year}"


# --- texts.yaml ---------------------------------------------------------------------------------


def test_texts_have_the_same_keys_in_every_language() -> None:
    data = texts()
    assert set(data) == set(LANGS)
    fi = key_paths(data["fi"])
    for lang in LANGS:
        assert key_paths(data[lang]) == fi, lang
    assert len(data["fi"]["date"]["months"]) == 12


def test_texts_cover_every_status_basis_method_and_category() -> None:
    categories = set(get_args(OutOfScope.model_fields["category"].annotation))
    for lang in LANGS:
        t = texts()[lang]
        assert set(t["status"]) == set(get_args(Compliance))
        assert set(t["basis"]) == set(get_args(Basis))
        assert set(t["criterion_status"]) == set(get_args(CriterionStatus))
        assert set(t["method"]) == {"self-assessment", "third-party"}
        assert set(t["source"]) == {"manual", "automated"}
        assert set(t["out_of_scope_category"]) == categories


def test_texts_are_plain_and_keep_their_placeholders() -> None:
    placeholder = re.compile(r"\{(\w+)\}")
    by_key: dict[str, set[str]] = {}
    for lang in LANGS:
        for key, value in leaves(texts()[lang]):
            assert isinstance(value, str) and value.strip(), (lang, key)
            # No markup, and no straight quotes (the environment escapes them as entities).
            assert not re.search(r"[<>'\"]", value), (lang, key, value)
            names = set(placeholder.findall(value))
            if lang == "fi":
                by_key[key] = names
            elif key != "date.pattern":  # en uses the month name, fi and sv the number
                assert names == by_key[key], (lang, key)


def test_texts_name_traficom_and_the_two_week_reply() -> None:
    for lang in LANGS:
        t = texts()[lang]
        assert "Traficom" in t["enforcement"]["text"]
        assert "Traficom" in t["enforcement"]["authority"]
        assert t["enforcement"]["web_url"] == TRAFICOM_WEB[lang]
        assert t["enforcement"]["email"] == "saavutettavuus@traficom.fi"
        assert t["enforcement"]["phone"] == "+358 29 534 5000"
        assert t["enforcement"]["phone_href"] == "tel:+358295345000"
        everything = " ".join(value for _, value in leaves(t)).lower()
        assert (
            "aluehallintovirasto" not in everything and "regionförvaltningsverk" not in everything
        )
    assert "kahden viikon" in texts()["fi"]["feedback"]["reply"]
    assert "två veckor" in texts()["sv"]["feedback"]["reply"]
    assert "two weeks" in texts()["en"]["feedback"]["reply"]


# --- structure ----------------------------------------------------------------------------------


def test_every_required_section_in_order_in_every_language(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        soup = soup_of(render_html(view))
        assert [text_of(h) for h in soup.find_all("h2")] == model_headings(lang), (service_id, lang)
        h3s = [text_of(h) for h in section(soup, "non-accessible").find_all("h3")]
        assert h3s == sub_headings(lang), (service_id, lang)
        markdown = render_markdown(view)
        h2s = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
        assert h2s == model_headings(lang), (service_id, lang)
        h3_md = re.findall(r"^### (.+)$", markdown, re.MULTILINE)
        assert h3_md[:3] == sub_headings(lang), (service_id, lang)


def test_document_structure(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        soup = soup_of(render_html(view))
        t = texts()[lang]
        assert soup.html is not None and soup.html["lang"] == lang
        h1s = soup.find_all("h1")
        assert [text_of(h) for h in h1s] == [f"{t['title']}: {view.service_name}"]
        assert soup.title is not None and view.service_name in soup.title.get_text()
        assert soup.find("header") and soup.find("main", id="main") and soup.find("footer")
        skip = soup.find("a")
        assert isinstance(skip, Tag) and skip["href"] == "#main"
        assert skip.get_text() == t["skip_link"]
        # Self-contained: no external resources; the only script is the JSON data block.
        assert not soup.find_all(["link", "img", "iframe", "object", "embed"])
        assert [s.get("type") for s in soup.find_all("script")] == ["application/json"]
        for table in soup.find_all("table"):
            assert table.caption is not None and table.caption.get_text().strip()
            assert all(th.has_attr("scope") for th in table.find_all("th"))
        levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (service_id, lang)
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids))
        for anchor in soup.select('a[href^="#"]'):
            assert soup.find(id=str(anchor["href"])[1:]) is not None, anchor


def test_rendering_is_deterministic(built: dict[str, Built]) -> None:
    for _, _, view in pages_of(built):
        assert render_html(view) == render_html(view)
        assert render_markdown(view) == render_markdown(view)


# --- status -------------------------------------------------------------------------------------


def test_status_sentence_matches_the_assessment(built: dict[str, Built]) -> None:
    assert built[MANUAL].assessment.status == "partially"
    assert built[MANUAL].assessment.basis == "open-issues"
    for service_id, lang, view in pages_of(built):
        t = texts()[lang]
        status = built[service_id].assessment.status
        soup = soup_of(render_html(view))
        shown = soup.find("p", class_="status")
        assert isinstance(shown, Tag)
        assert text_of(shown) == t["status"][status]
        page = text_of(soup)
        markdown = render_markdown(view)
        assert f"**{t['status'][status]}**" in markdown
        for other in set(t["status"]) - {status}:
            assert t["status"][other] not in page
            assert t["status"][other] not in markdown
        assert t["basis"][built[service_id].assessment.basis] in page
        assert t["basis"][built[service_id].assessment.basis] in markdown


@pytest.mark.parametrize(
    ("status", "basis"),
    [
        ("fully", "manual-all-clear"),
        ("partially", "not-fully-audited"),
        ("not", "most-fail"),
        ("not", "override"),
    ],
)
def test_every_status_and_basis_renders(
    built: dict[str, Built], status: Compliance, basis: Basis
) -> None:
    reason = "Palvelu poistuu käytöstä <i>pian</i>." if basis == "override" else None
    for lang in LANGS:
        t = texts()[lang]
        view = dataclasses.replace(
            built[MANUAL].views[lang], status=status, status_basis=basis, override_reason=reason
        )
        html, markdown = render_html(view), render_markdown(view)
        soup = soup_of(html)
        shown = soup.find("p", class_="status")
        assert isinstance(shown, Tag) and text_of(shown) == t["status"][status]
        assert t["basis"][basis] in text_of(soup)
        assert embedded(soup)["status"] == status
        if reason:
            assert reason in text_of(soup)
            assert soup.find("i") is None
            assert "&lt;i&gt;pian&lt;/i&gt;" in markdown


def test_automated_only_service_is_never_fully_compliant(
    loaded: LoadedConfig, built: dict[str, Built]
) -> None:
    kukkuu = built[AUTOMATED]
    assert kukkuu.run is not None
    assert kukkuu.service.statement is not None and not kukkuu.service.statement.audits
    assert (kukkuu.assessment.status, kukkuu.assessment.basis) == ("partially", "open-issues")
    # Even with every automated check passing, automated testing alone is not enough.
    clean = kukkuu.run.model_copy(
        update={"pages": [p.model_copy(update={"violations": []}) for p in kukkuu.run.pages]}
    )
    assessment = assess(kukkuu.service.statement, clean)
    assert (assessment.status, assessment.basis) == ("partially", "not-fully-audited")
    assert assessment.count("passed-automated") > 0
    assert loaded.config.organisation is not None
    for lang in LANGS:
        t = texts()[lang]
        clean_view = build_view(kukkuu.service, loaded.config.organisation, assessment, clean, lang)
        assert not clean_view.items
        for view in (kukkuu.views[lang], clean_view):
            page = text_of(soup_of(render_html(view)))
            markdown = render_markdown(view)
            assert t["status"]["fully"] not in page and t["status"]["fully"] not in markdown
            assert t["basis"]["not-fully-audited"] in page
            assert t["basis"]["not-fully-audited"] in markdown
        page = text_of(soup_of(render_html(clean_view)))
        assert t["non_accessible"]["no_items"] in page


def test_criterion_counts(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        t = texts()[lang]
        counts = soup_of(render_html(view)).find("ul", class_="counts")
        assert isinstance(counts, Tag)
        shown = [text_of(li) for li in counts.find_all("li")]
        statuses = ("failed", "passed-manual", "passed-automated", "not-tested")
        assert shown == [f"{t['criterion_status'][s]}: {view.counts[s]}" for s in statuses]
        assert sum(view.counts[s] for s in statuses) == 49, service_id


# --- non-accessible content ---------------------------------------------------------------------


def item_cards(soup: BeautifulSoup) -> list[Tag]:
    part = soup.find("h3", id="non-compliance")
    assert isinstance(part, Tag)
    items = part.find_next_sibling("ul", class_="items")
    assert isinstance(items, Tag)
    return [li for li in items.find_all("li", class_="item", recursive=False)]


def facts(card: Tag) -> dict[str, Tag]:
    found = {}
    for pair in card.select("dl.facts > div"):
        dt_tag, dd = pair.find("dt"), pair.find("dd")
        assert isinstance(dt_tag, Tag) and isinstance(dd, Tag)
        found[dt_tag.get_text()] = dd
    return found


def test_manual_findings_listed_with_criterion_where_fix_by_and_alternative(
    built: dict[str, Built],
) -> None:
    by_id = criteria_by_id()
    for lang in LANGS:
        t = texts()[lang]
        labels = t["labels"]
        view = built[MANUAL].views[lang]
        soup = soup_of(render_html(view))
        cards = item_cards(soup)
        assert len(cards) == 2
        expected = [("1.4.3", (30, 6, 2026)), ("2.1.4", (1, 9, 2026))]
        statement = built[MANUAL].service.statement
        assert statement is not None
        findings = statement.audits[0].findings
        markdown = render_markdown(view)
        for card, (criterion, fix_by), finding in zip(cards, expected, findings, strict=True):
            heading = card.find("h4")
            assert isinstance(heading, Tag)
            assert text_of(heading).startswith(f"{criterion} {by_id[criterion].name[lang]}")
            assert finding.description.get(lang) in text_of(card)
            found = facts(card)
            assert text_of(found[labels["where"]]) == finding.part.get(lang)
            assert text_of(found[labels["found_by"]]) == t["source"]["manual"]
            assert text_of(found[labels["fix_by"]]) == date_in(lang, *fix_by)
            assert finding.alternative is not None
            assert text_of(found[labels["alternative"]]) == finding.alternative.get(lang)
            assert f"#### {criterion} {by_id[criterion].name[lang]}" in markdown
            assert f"- **{labels['fix_by']}:** {date_in(lang, *fix_by)}" in markdown
            assert f"- **{labels['where']}:** {finding.part.get(lang)}" in markdown
        burden = section(soup, "non-accessible")
        assert statement.burden[0].item.get(lang) in text_of(burden)
        assert statement.burden[0].justification.get(lang) in text_of(burden)
        assert statement.out_of_scope[0].item.get(lang) in text_of(burden)
        assert t["out_of_scope_category"]["maps"] in text_of(burden)
        assert t["out_of_scope_category"]["maps"] in markdown
        assert t["non_accessible"]["no_burden"] not in text_of(burden)


def test_automated_failures_listed_with_criterion_and_page_links(built: dict[str, Built]) -> None:
    by_id = criteria_by_id()
    for lang in LANGS:
        t = texts()[lang]
        view = built[AUTOMATED].views[lang]
        soup = soup_of(render_html(view))
        cards = item_cards(soup)
        markdown = render_markdown(view)
        assert [c.h4.get_text() if c.h4 else "" for c in cards] == [
            f"1.1.1 {by_id['1.1.1'].name[lang]}",
            f"1.4.3 {by_id['1.4.3'].name[lang]}",
        ]
        for card, page in zip(cards, PAGES, strict=True):
            found = facts(card)
            links = [a["href"] for a in found[t["labels"]["where"]].find_all("a")]
            assert links == [page]
            assert text_of(found[t["labels"]["found_by"]]) == t["source"]["automated"]
            assert t["labels"]["fix_by"] not in found
            assert f"[{page}]({page})" in markdown
        # No burden or out-of-scope claims: the sections say so.
        assert t["non_accessible"]["no_burden"] in text_of(soup)
        assert t["non_accessible"]["no_out_of_scope"] in text_of(soup)


def test_values_from_the_config_are_escaped(built: dict[str, Built]) -> None:
    view = built[MANUAL].views["en"]
    html = render_html(view)
    soup = soup_of(html)
    assert soup.find("b") is None
    assert "contrast &lt;b&gt;&amp;&lt;/b&gt;." in html
    assert "contrast <b>&</b>." in text_of(soup)
    markdown = render_markdown(view)
    assert "contrast &lt;b&gt;&amp;&lt;/b&gt;." in markdown
    assert "calendar&#39;s" in markdown  # the environment escapes quotes: valid Markdown too


# --- criteria table and Swedish names -----------------------------------------------------------


def test_criteria_table_lists_all_fifty_with_status_in_words(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        t = texts()[lang]
        assessment = built[service_id].assessment
        table = section(soup_of(render_html(view)), "criteria").find("table")
        assert isinstance(table, Tag) and table.tbody is not None
        rows = table.tbody.find_all("tr")
        assert len(rows) == 50
        for row, criterion in zip(rows, criteria(), strict=True):
            cells = [text_of(cell) for cell in row.find_all(["th", "td"])]
            assert cells[0].startswith(f"{criterion.id} {criterion.name[lang]}")
            assert cells[1:] == [
                criterion.level,
                t["criterion_status"][assessment.criteria[criterion.id]],
            ]
            assert row.th is not None and row.th["scope"] == "row"
        assert assessment.criteria["1.2.4"] == "out-of-scope"
        markdown = render_markdown(view)
        table_rows = re.findall(r"^\| (\d\.\d\.\d+) \|.*\|$", markdown, re.MULTILINE)
        assert table_rows == [c.id for c in criteria()]
        assert f"| 1.2.4 | {criteria_by_id()['1.2.4'].name[lang]} | AA | " in markdown
        assert t["criterion_status"]["out-of-scope"] in markdown


def test_swedish_marks_unofficial_criterion_names(built: dict[str, Built]) -> None:
    unofficial = {c.id for c in criteria() if not c.sv_official}
    assert len(unofficial) == 12
    for service_id, lang, view in pages_of(built):
        t = texts()[lang]
        mark = f"({t['criteria']['unofficial_mark']})"
        soup = soup_of(render_html(view))
        table = section(soup, "criteria").find("table")
        assert isinstance(table, Tag) and table.tbody is not None
        marked = {
            text_of(row.th).split()[0]
            for row in table.tbody.find_all("tr")
            if row.th and mark in text_of(row)
        }
        markdown = render_markdown(view)
        if lang == "sv":
            assert marked == unofficial, service_id
            assert t["criteria"]["unofficial_note"] in text_of(soup)
            assert t["criteria"]["unofficial_note"] in markdown
            assert markdown.count(f"_{mark}_") >= 12
        else:
            assert not marked
            assert t["criteria"]["unofficial_note"] not in text_of(soup)
            assert mark not in markdown
    # 2.1.4 (new in WCAG 2.1) is a manual finding of kultus: its Swedish name is marked there too.
    cards = item_cards(soup_of(render_html(built[MANUAL].views["sv"])))
    headings = [text_of(c.h4) for c in cards if c.h4]
    assert headings[1].startswith("2.1.4") and headings[1].endswith("(inofficiellt namn)")
    assert not headings[0].endswith("(inofficiellt namn)")


# --- preparation, feedback, enforcement ---------------------------------------------------------


def test_preparation_dates_method_and_engine(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        t = texts()[lang]
        soup = soup_of(render_html(view))
        found = facts(section(soup, "preparation"))
        labels = t["labels"]
        prepared, reviewed = view.prepared, view.reviewed
        assert text_of(found[labels["prepared"]]) == date_in(
            lang, prepared.day, prepared.month, prepared.year
        )
        assert text_of(found[labels["reviewed"]]) == date_in(
            lang, reviewed.day, reviewed.month, reviewed.year
        )
        assert text_of(found[labels["method"]]) == t["method"][view.method]
        automated = text_of(found[labels["automated"]])
        footer = soup.find("footer")
        assert isinstance(footer, Tag)
        if service_id == AUTOMATED:
            assert automated == f"{date_in(lang, 27, 11, 2026)}, axe-core 4.12.1"
            assert labels["report"] not in found
            assert "axe-core 4.12.1" in text_of(footer)
        else:
            assert automated == t["preparation"]["no_automated"]
            links = [a["href"] for a in found[labels["report"]].find_all("a")]
            assert links == ["https://example.hel.fi/kultus-arviointi.pdf"]
            assert "axe-core" not in text_of(footer)
        assert date_in(lang, reviewed.day, reviewed.month, reviewed.year) in text_of(footer)
        assert view.kuva_audit_version in text_of(footer)
        assert t["footer"]["engine"].format(
            kuva_audit=view.kuva_audit_version, template=view.template_version
        ) in text_of(footer)


def test_feedback_section(built: dict[str, Built]) -> None:
    for _, lang, view in pages_of(built):
        t = texts()[lang]
        part = section(soup_of(render_html(view)), "feedback")
        assert t["feedback"]["rights"] in text_of(part)
        assert t["feedback"]["reply"] in text_of(part)
        hrefs = [a["href"] for a in part.find_all("a")]
        assert hrefs == [
            f"https://palautteet.hel.fi/{lang}",
            "mailto:palaute@example.hel.fi",
            f"mailto:{view.responsible_email}",
        ]
        assert view.responsible_unit in text_of(part)


def test_enforcement_section_names_traficom(built: dict[str, Built]) -> None:
    for _, lang, view in pages_of(built):
        t = texts()[lang]
        part = section(soup_of(render_html(view)), "enforcement")
        assert t["enforcement"]["text"] in text_of(part)
        assert t["enforcement"]["authority"] in text_of(part)
        hrefs = [a["href"] for a in part.find_all("a")]
        assert hrefs == [
            TRAFICOM_WEB[lang],
            "mailto:saavutettavuus@traficom.fi",
            "tel:+358295345000",
        ]
        markdown = render_markdown(view)
        assert f"({TRAFICOM_WEB[lang]})" in markdown
        assert "[+358 29 534 5000](tel:+358295345000)" in markdown


# --- machine-readable data ----------------------------------------------------------------------


def test_embedded_json_lists_the_failing_criteria(built: dict[str, Built]) -> None:
    expected = {MANUAL: ["1.4.3", "2.1.4"], AUTOMATED: ["1.1.1", "1.4.3"]}
    for service_id, lang, view in pages_of(built):
        data = embedded(soup_of(render_html(view)))
        assert data == {
            "service": service_id,
            "lang": lang,
            "prepared": view.prepared.isoformat(),
            "reviewed": view.reviewed.isoformat(),
            "method": view.method,
            "status": built[service_id].assessment.status,
            "criteria_listed": expected[service_id],
            "feedback": {
                "form": f"https://palautteet.hel.fi/{lang}",
                "email": "palaute@example.hel.fi",
            },
            "responsible_email": f"{service_id}@example.hel.fi",
            "template_version": view.template_version,
            "kuva_audit_version": view.kuva_audit_version,
            "axe_core": "4.12.1" if service_id == AUTOMATED else None,
        }
        failed = [c for c, s in built[service_id].assessment.criteria.items() if s == "failed"]
        assert sorted(data["criteria_listed"]) == sorted(failed)


def test_embedded_json_cannot_end_the_script(built: dict[str, Built]) -> None:
    view = dataclasses.replace(built[MANUAL].views["fi"], responsible_email="</script>@x.fi")
    html = render_html(view)
    assert html.count("</script>") == 1
    assert embedded(soup_of(html))["responsible_email"] == "</script>@x.fi"


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_no_html(built: dict[str, Built]) -> None:
    for service_id, lang, view in pages_of(built):
        markdown = render_markdown(view)
        assert not re.search(r"<[A-Za-z/!?]", markdown), (service_id, lang)
        assert markdown.startswith(f"# {texts()[lang]['title']}: {view.service_name}\n")
        assert markdown.endswith("\n") and not markdown.endswith("\n\n")
        assert "\n\n\n" not in markdown
        assert not re.search(r"[ \t]$", markdown, re.MULTILINE)
        assert markdown.count("\n# ") == 0  # one top-level heading


# --- the statements in the browser --------------------------------------------------------------


@pytest.mark.browser
def test_statements_pass_axe_at_desktop_and_mobile(tmp_path: Path, built: dict[str, Built]) -> None:
    """Every statement page audited by kuva-audit: zero violations, best practices included."""
    root = tmp_path / "site"
    root.mkdir()
    names = []
    for service_id, lang, view in pages_of(built):
        name = f"{service_id}.{lang}.html"
        (root / name).write_text(render_html(view), encoding="utf-8")
        names.append(name)
    viewports = (
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: mobile, width: 390, height: 844, mobile: true}\n"
        "  - {name: narrow, width: 320, height: 640, mobile: true}"
    )
    with serve_directory(root) as origin:
        result, runs = audit(
            tmp_path / "audit", service("statements", origin + "/", names, viewports)
        )
    pages = runs["statements"].pages
    assert sorted((p.url.rsplit("/", 1)[1], p.viewport) for p in pages) == sorted(
        (name, viewport) for name in names for viewport in ("desktop", "mobile", "narrow")
    )
    for page in pages:
        assert page.status == "ok", page.error
        found = {f.rule: [n.selector for n in f.nodes] for f in page.violations}
        assert page.violations == [], f"{page.url} at {page.viewport}: {found}"
        review = {f.rule: [n.selector for n in f.nodes] for f in page.needs_review}
        assert review == {}, f"{page.url} at {page.viewport} needs review: {review}"
        assert page.passes > 20
    assert result.exit_code == 0, result.stdout + result.stderr


# --- golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("service_id", [MANUAL, AUTOMATED])
def test_golden(
    built: dict[str, Built], golden: Callable[[str, str], None], service_id: str, lang: str
) -> None:
    view = built[service_id].views[lang]
    golden(f"statement-{KIND[service_id]}.{lang}.html", render_html(view))
    golden(f"statement-{KIND[service_id]}.{lang}.md", render_markdown(view))
