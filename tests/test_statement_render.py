"""The rendered accessibility statements: sections, status, items, data, Markdown, axe, golden.

Two services from a services.yaml written here: `kultus` with a manual audit of all criteria
(two findings, a burden claim, an out-of-scope item) and no automated results: publishable,
partially compliant; and `kukkuu` with a statement block only and the fixed automated run of
tests/fixtures (image-alt 1.1.1 and color-contrast 1.4.3 failing): a draft, not yet assessed.
Each is rendered as a draft and as a published edition.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from bs4 import BeautifulSoup, Tag

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.config.statement import OutOfScope
from kuva_audit.demo.server import serve_directory
from kuva_audit.statements.build import Built, build_statements
from kuva_audit.statements.compliance import Basis, CriterionStatus, Status, assess
from kuva_audit.statements.data import criteria, criteria_by_id
from kuva_audit.statements.render import render_html, render_markdown, write_edition
from kuva_audit.statements.view import Edition, StatementView, statement_view
from kuva_audit.texts import LANGS, lookup

from .conftest import FIXTURES, audit, service

MANUAL = "kultus"
AUTOMATED = "kukkuu"
KIND = {MANUAL: "manual", AUTOMATED: "automated"}
RUN_DATE = "2026-11-27"
PAGES = ("http://127.0.0.1:8000/kukkuu/", "http://127.0.0.1:8000/kukkuu/events.html")
DAY = dt.date(2026, 12, 1)
DRAFT = Edition("draft", DAY)
PUBLISHED = Edition("published", DAY, "Maija Meikäläinen")
EDITIONS = (DRAFT, PUBLISHED)
COMPLAINT = {
    "fi": "https://www.saavutettavuusvaatimukset.fi/fi/kayttajan-oikeudet/"
    "tee-saavutettavuuskantelu-tai-pyyda-selvitysta",
    "sv": "https://www.saavutettavuusvaatimukset.fi/sv/dina-rattigheter/"
    "lamna-en-tillganglighetsklagan-eller-be-om-en-utredning",
    "en": "https://www.saavutettavuusvaatimukset.fi/en/user-rights/"
    "submit-complaint-web-accessibility-or-request-clarification",
}
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
    statements = build_statements(loaded, loaded.config.services, LANGS, audits, DAY)
    return {b.service.id: b for b in statements}


def pages_of(built: dict[str, Built]) -> Iterator[tuple[str, str, StatementView, Edition]]:
    for service_id, b in built.items():
        for lang, view in b.views.items():
            for edition in EDITIONS:
                yield service_id, lang, view, edition


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


def texts() -> dict[str, Any]:
    """The statements' texts of the one catalogue, by language."""
    return {lang: lookup("statements", lang) for lang in LANGS}


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
        month_name = dt.date(year, month, day).strftime("%B")
        return f"{day} {month_name} {year}"
    return f"{day}.{month}.{year}"


def titled(criterion: str, lang: str) -> str:
    """A criterion's heading as the statement shows it: number, name and the name's mark."""
    entry = criteria_by_id()[criterion]
    mark = entry.mark(lang)
    suffix = f" ({texts()[lang]['criteria'][mark + '_mark']})" if mark else ""
    return f"{criterion} {entry.name[lang]}{suffix}"


def item_cards(soup: BeautifulSoup) -> list[Tag]:
    part = soup.find("h3", id="non-compliance")
    assert isinstance(part, Tag)
    items = part.find_next_sibling("ul", class_="items")
    if not isinstance(items, Tag):
        return []
    return [li for li in items.find_all("li", class_="item", recursive=False)]


def facts(card: Tag) -> dict[str, Tag]:
    found = {}
    for pair in card.select("dl.facts > div"):
        dt_tag, dd = pair.find("dt"), pair.find("dd")
        assert isinstance(dt_tag, Tag) and isinstance(dd, Tag)
        found[dt_tag.get_text()] = dd
    return found


# --- texts/data/statements.yaml ----------------------------------------------------------------


def test_texts_have_the_same_keys_in_every_language() -> None:
    data = texts()
    assert set(data) == set(LANGS)
    fi = key_paths(data["fi"])
    for lang in LANGS:
        assert key_paths(data[lang]) == fi, lang


def test_texts_cover_every_status_basis_method_and_category() -> None:
    categories = set(get_args(OutOfScope.model_fields["category"].annotation))
    for lang in LANGS:
        t = texts()[lang]
        assert set(t["status"]) == set(get_args(Status))
        assert set(t["status_word"]) == set(get_args(Status))
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
            else:
                assert names == by_key[key], (lang, key)


def test_texts_name_traficom_its_unit_and_complaint_page() -> None:
    units = {
        "fi": "Digitaalisen esteettömyyden ja saavutettavuuden valvontayksikkö",
        "sv": "Enheten för tillsyn över digital tillgänglighet",
        "en": "Digital Accessibility Supervision Unit",
    }
    for lang in LANGS:
        t = texts()[lang]
        assert "Traficom" in t["enforcement"]["text"]
        assert "Traficom" in t["enforcement"]["authority"]
        assert t["enforcement"]["unit"] == units[lang]
        assert t["enforcement"]["web_url"] == TRAFICOM_WEB[lang]
        assert t["enforcement"]["complaint_url"] == COMPLAINT[lang]
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


def test_finnish_cites_the_law_grammatically() -> None:
    fi = " ".join(value for _, value in leaves(texts()["fi"]))
    assert "lain digitaalisten palvelujen tarjoamisesta" not in fi
    assert "tarjoamisesta soveltamisalan" not in fi
    assert fi.count("digitaalisten palvelujen tarjoamisesta annetun lain (306/2019)") >= 5
    notes = " ".join(str(c.scope_note["fi"]) for c in criteria() if c.scope_note)
    assert "Laki digitaalisten palvelujen tarjoamisesta" not in notes


def test_swedish_uses_the_supervisors_terms() -> None:
    sv = " ".join(value for _, value in leaves(texts()["sv"])).lower()
    assert "oskäligt betungande" not in sv and "fullgörandestatus" not in sv
    assert "oproportionell börda" in sv
    assert texts()["sv"]["headings"]["status"] == "Tillgänglighetsstatus"
    assert criteria_by_id()["1.1.1"].name["sv"] == "Innehåll som inte är text"


# --- structure ----------------------------------------------------------------------------------


def test_every_required_section_in_order_in_every_language(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        soup = soup_of(render_html(view, edition))
        assert [text_of(h) for h in soup.find_all("h2")] == model_headings(lang), (service_id, lang)
        h3s = [text_of(h) for h in section(soup, "non-accessible").find_all("h3")]
        assert h3s == sub_headings(lang), (service_id, lang)
        markdown = render_markdown(view, edition)
        h2s = re.findall(r"^## (.+)$", markdown, re.MULTILINE)
        assert h2s == model_headings(lang), (service_id, lang)
        h3_md = re.findall(r"^### (.+)$", markdown, re.MULTILINE)
        assert h3_md[:3] == sub_headings(lang), (service_id, lang)


def test_document_structure(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        soup = soup_of(render_html(view, edition))
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
    for _, _, view, edition in pages_of(built):
        assert render_html(view, edition) == render_html(view, edition)
        assert render_markdown(view, edition) == render_markdown(view, edition)


# --- drafts and published editions --------------------------------------------------------------


def test_a_draft_says_so_and_what_is_missing(built: dict[str, Built]) -> None:
    for service_id, b in built.items():
        for lang, view in b.views.items():
            t = texts()[lang]
            soup = soup_of(render_html(view, DRAFT))
            notice = soup.find(class_="draft-notice")
            assert isinstance(notice, Tag), (service_id, lang)
            assert notice.get("role") == "note"
            assert t["draft"]["label"] in text_of(notice)
            assert soup.title is not None and t["draft"]["label"] in soup.title.get_text()
            markdown = render_markdown(view, DRAFT)
            assert f"> **{t['draft']['label']}**" in markdown
            missing = [text_of(li) for li in notice.select("ul.missing li")]
            assert missing == list(view.missing)
            if b.publishable:
                assert t["draft"]["ready"].format(date=date_in(lang, 1, 12, 2026)) in text_of(
                    notice
                )
            else:
                assert missing, service_id
                for item in missing:
                    assert f"> - {item}" in markdown
            assert embedded(soup)["mode"] == "draft"
            assert embedded(soup)["published_by"] is None


def test_a_published_edition_has_no_draft_notice_and_records_who_and_when(
    built: dict[str, Built],
) -> None:
    view = built[MANUAL].views["fi"]
    soup = soup_of(render_html(view, PUBLISHED))
    assert soup.find(class_="draft-notice") is None
    data = embedded(soup)
    assert (data["mode"], data["updated"], data["published_by"]) == (
        "published",
        "2026-12-01",
        "Maija Meikäläinen",
    )
    assert "Maija" not in text_of(soup)  # recorded in the data, not shown to the public
    assert "> **" not in render_markdown(view, PUBLISHED)


# --- status -------------------------------------------------------------------------------------


def test_status_sentence_matches_the_assessment(built: dict[str, Built]) -> None:
    assert built[MANUAL].assessments["fi"].status == "partially"
    assert built[MANUAL].assessments["fi"].basis == "open-issues"
    assert built[AUTOMATED].assessments["fi"].status == "not-assessed"
    for service_id, lang, view, edition in pages_of(built):
        t = texts()[lang]
        status = built[service_id].assessments[lang].status
        soup = soup_of(render_html(view, edition))
        shown = soup.find("p", class_="status")
        assert isinstance(shown, Tag)
        assert text_of(shown) == t["status"][status]
        page = text_of(soup)
        markdown = render_markdown(view, edition)
        assert f"**{t['status'][status]}**" in markdown
        for other in set(t["status"]) - {status}:
            assert t["status"][other] not in page
            assert t["status"][other] not in markdown
        basis = t["basis"][built[service_id].assessments[lang].basis].format(count=view.unassessed)
        assert basis in page and basis in markdown


@pytest.mark.parametrize(
    ("status", "basis"),
    [
        ("fully", "manual-all-clear"),
        ("partially", "open-issues"),
        ("not", "most-fail"),
        ("not", "override"),
        ("not-assessed", "not-assessed"),
    ],
)
def test_every_status_and_basis_renders(
    built: dict[str, Built], status: Status, basis: Basis
) -> None:
    reason = "Palvelu poistuu käytöstä <i>pian</i>." if basis == "override" else None
    for lang in LANGS:
        t = texts()[lang]
        view = dataclasses.replace(
            built[MANUAL].views[lang], status=status, status_basis=basis, override_reason=reason
        )
        html, markdown = render_html(view, PUBLISHED), render_markdown(view, PUBLISHED)
        soup = soup_of(html)
        shown = soup.find("p", class_="status")
        assert isinstance(shown, Tag) and text_of(shown) == t["status"][status]
        assert t["basis"][basis].format(count=view.unassessed) in text_of(soup)
        assert embedded(soup)["status"] == status
        if reason:
            assert reason in text_of(soup)
            assert soup.find("i") is None
            assert "&lt;i&gt;pian&lt;/i&gt;" in markdown


def test_automated_testing_alone_gives_a_draft_never_a_status(
    loaded: LoadedConfig, built: dict[str, Built]
) -> None:
    kukkuu = built[AUTOMATED]
    assert kukkuu.run is not None
    assert kukkuu.service.statement is not None and not kukkuu.service.statement.audits
    assert not kukkuu.publishable
    # Even with every automated check passing, automated testing alone is not an assessment.
    clean = kukkuu.run.model_copy(
        update={"pages": [p.model_copy(update={"violations": []}) for p in kukkuu.run.pages]}
    )
    assessment = assess(kukkuu.service.statement, clean, "fi")
    assert (assessment.status, assessment.basis) == ("not-assessed", "not-assessed")
    assert assessment.count("passed-automated") > 0
    assert loaded.config.organisation is not None
    for lang in LANGS:
        t = texts()[lang]
        clean_view = statement_view(
            kukkuu.service, loaded.config.organisation, assessment, lang, DAY
        )
        assert not clean_view.entries
        for view in (kukkuu.views[lang], clean_view):
            page = text_of(soup_of(render_html(view, DRAFT)))
            markdown = render_markdown(view, DRAFT)
            for status in ("fully", "partially", "not"):
                assert t["status"][status] not in page and t["status"][status] not in markdown
            assert t["status"]["not-assessed"] in page
        page = text_of(soup_of(render_html(clean_view, DRAFT)))
        # Nothing was assessed, so nothing may be said to have been found or not found.
        assert t["non_accessible"]["no_items"] not in page
        assert t["non_accessible"]["no_items_incomplete"] in page
        failing = text_of(soup_of(render_html(kukkuu.views[lang], DRAFT)))
        assert t["non_accessible"]["intro_incomplete"] in failing
        assert t["non_accessible"]["intro"] not in failing


def test_criterion_counts(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        t = texts()[lang]
        counts = soup_of(render_html(view, edition)).find("ul", class_="counts")
        assert isinstance(counts, Tag)
        shown = [text_of(li) for li in counts.find_all("li")]
        statuses = ("failed", "passed-manual", "passed-automated", "not-tested")
        assert shown == [f"{t['criterion_status'][s]}: {view.counts[s]}" for s in statuses]
        assert sum(view.counts[s] for s in statuses) == 49, service_id


# --- non-accessible content ---------------------------------------------------------------------


def test_manual_findings_listed_with_criterion_where_fix_by_and_alternative(
    built: dict[str, Built],
) -> None:
    by_id = criteria_by_id()
    for lang in LANGS:
        t = texts()[lang]
        labels = t["labels"]
        view = built[MANUAL].views[lang]
        soup = soup_of(render_html(view, PUBLISHED))
        cards = item_cards(soup)
        assert len(cards) == 2
        expected = [("1.4.3", (30, 6, 2026)), ("2.1.4", (1, 9, 2026))]
        statement = built[MANUAL].service.statement
        assert statement is not None
        findings = statement.audits[0].findings
        markdown = render_markdown(view, PUBLISHED)
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
    for lang in LANGS:
        t = texts()[lang]
        view = built[AUTOMATED].views[lang]
        soup = soup_of(render_html(view, DRAFT))
        cards = item_cards(soup)
        markdown = render_markdown(view, DRAFT)
        assert [text_of(c.h4) if c.h4 else "" for c in cards] == [
            titled("1.1.1", lang),
            titled("1.4.3", lang),
        ]
        for card, page in zip(cards, PAGES, strict=True):
            found = facts(card)
            links = [a["href"] for a in found[t["labels"]["where"]].find_all("a")]
            assert links == [page]
            assert text_of(found[t["labels"]["found_by"]]) == t["source"]["automated"]
            assert t["labels"]["fix_by"] not in found
            assert f"[{page}]({page})" in markdown
        # No burden or out-of-scope claims: the statement block says so.
        assert t["non_accessible"]["no_burden"] in text_of(soup)
        assert t["non_accessible"]["no_out_of_scope"] in text_of(soup)


def test_one_entry_per_criterion_with_every_problem_found_for_it(
    loaded: LoadedConfig, built: dict[str, Built]
) -> None:
    """A manual finding and an automated failure of the same criterion make one entry."""
    kultus = built[MANUAL]
    kukkuu_run = built[AUTOMATED].run
    assert kultus.service.statement is not None and kukkuu_run is not None
    assessment = assess(kultus.service.statement, kukkuu_run, "en")  # both fail 1.4.3
    assert loaded.config.organisation is not None
    view = statement_view(kultus.service, loaded.config.organisation, assessment, "en", DAY)
    assert view.criteria_listed == ["1.1.1", "1.4.3", "2.1.4"]
    soup = soup_of(render_html(view, PUBLISHED))
    headings = [text_of(c.h4) for c in item_cards(soup) if c.h4]
    assert [h.split()[0] for h in headings] == ["1.1.1", "1.4.3", "2.1.4"]
    contrast = item_cards(soup)[1]
    sources = [text_of(facts(p)["Found by"]) for p in contrast.select(".problem")]
    assert sources == ["Manual evaluation", "Automated testing"]
    assert embedded(soup)["criteria_listed"] == ["1.1.1", "1.4.3", "2.1.4"]
    assert render_markdown(view, PUBLISHED).count("#### 1.4.3 ") == 1


def test_values_from_the_config_are_escaped(built: dict[str, Built]) -> None:
    view = built[MANUAL].views["en"]
    html = render_html(view, PUBLISHED)
    soup = soup_of(html)
    assert soup.find("b") is None
    assert "contrast &lt;b&gt;&amp;&lt;/b&gt;." in html
    assert "contrast <b>&</b>." in text_of(soup)
    markdown = render_markdown(view, PUBLISHED)
    assert "contrast &lt;b&gt;&amp;&lt;/b&gt;." in markdown
    assert "calendar&#39;s" in markdown  # the environment escapes quotes: valid Markdown too


# --- criteria table and the marks of names that are not the authorized ones --------------------


def test_criteria_table_lists_all_fifty_with_status_in_words(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        t = texts()[lang]
        assessment = built[service_id].assessments[lang]
        table = section(soup_of(render_html(view, edition)), "criteria").find("table")
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
        markdown = render_markdown(view, edition)
        table_rows = re.findall(r"^\| (\d\.\d\.\d+) \|.*\|$", markdown, re.MULTILINE)
        assert table_rows == [c.id for c in criteria()]
        assert f"| 1.2.4 | {criteria_by_id()['1.2.4'].name[lang]}" in markdown
        assert t["criterion_status"]["out-of-scope"] in markdown


def test_names_that_are_not_authorized_are_marked_wherever_they_appear(
    built: dict[str, Built],
) -> None:
    unofficial = {c.id for c in criteria() if not c.sv_official}
    assert len(unofficial) == 12
    for service_id, lang, view, edition in pages_of(built):
        t = texts()[lang]
        expected: dict[str, str] = {c.id: str(c.mark(lang)) for c in criteria() if c.mark(lang)}
        soup = soup_of(render_html(view, edition))
        table = section(soup, "criteria").find("table")
        assert isinstance(table, Tag) and table.tbody is not None
        marked: dict[str, str] = {}
        for row in table.tbody.find_all("tr"):
            assert row.th is not None
            for mark in ("unofficial", "unverified"):
                if f"({t['criteria'][mark + '_mark']})" in text_of(row.th):
                    marked[text_of(row.th).split()[0]] = mark
        assert marked == expected, (service_id, lang)
        markdown = render_markdown(view, edition)
        for mark in set(expected.values()):
            assert t["criteria"][f"{mark}_note"] in text_of(soup)
            assert t["criteria"][f"{mark}_note"] in markdown
            assert markdown.count(f"_({t['criteria'][mark + '_mark']})_") >= list(
                expected.values()
            ).count(mark)
        for entry in view.entries:  # the non-accessible content names criteria too
            card = soup.find("li", id=f"sc-{entry.criterion.replace('.', '-')}")
            assert isinstance(card, Tag) and card.h4 is not None
            wanted = expected.get(entry.criterion)
            shown = (
                text_of(card.h4).endswith(f"({t['criteria'][wanted + '_mark']})")
                if wanted
                else True
            )
            assert shown, (service_id, lang, entry.criterion)
    assert {c.id for c in criteria() if c.mark("sv") == "unofficial"} == unofficial
    assert not any(c.mark("en") for c in criteria())
    # 2.1.4 (new in WCAG 2.1) is a manual finding of kultus: its Swedish name is marked there too.
    cards = item_cards(soup_of(render_html(built[MANUAL].views["sv"], PUBLISHED)))
    headings = [text_of(c.h4) for c in cards if c.h4]
    assert headings[1].startswith("2.1.4") and headings[1].endswith("(inofficiellt namn)")


# --- preparation: dates and what was tested ------------------------------------------------------


def test_preparation_dates_method_and_engine(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        t = texts()[lang]
        soup = soup_of(render_html(view, edition))
        found = facts(section(soup, "preparation"))
        labels = t["labels"]
        assert view.prepared is not None and view.reviewed is not None
        prepared, reviewed = view.prepared, view.reviewed
        assert text_of(found[labels["prepared"]]) == date_in(
            lang, prepared.day, prepared.month, prepared.year
        )
        assert text_of(found[labels["reviewed"]]) == date_in(
            lang, reviewed.day, reviewed.month, reviewed.year
        )
        issued = labels["updated"] if edition.mode == "published" else labels["generated"]
        assert text_of(found[issued]) == date_in(lang, 1, 12, 2026)
        assert text_of(found[labels["method"]]) == t["method"][str(view.method)]
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
        footer_text = text_of(footer)
        if edition.mode == "published":
            assert date_in(lang, reviewed.day, reviewed.month, reviewed.year) in footer_text
            assert date_in(lang, prepared.day, prepared.month, prepared.year) in footer_text
        assert date_in(lang, 1, 12, 2026) in footer_text
        assert (
            t["footer"]["engine"].format(
                kuva_audit=view.kuva_audit_version, template=view.template_version
            )
            in footer_text
        )


def test_the_pages_and_viewports_tested_are_disclosed(built: dict[str, Built]) -> None:
    for lang in LANGS:
        t = texts()[lang]
        view = built[AUTOMATED].views[lang]
        soup = soup_of(render_html(view, DRAFT))
        found = facts(section(soup, "preparation"))
        coverage = t["preparation"]["coverage"].format(
            audited=2, total=2, viewports="desktop 1280 × 800"
        )
        assert text_of(found[t["labels"]["coverage"]]) == coverage
        tested = soup.find("h3", id="tested")
        assert isinstance(tested, Tag) and text_of(tested) == t["headings"]["tested"]
        pages = tested.find_next_sibling("ul")
        assert isinstance(pages, Tag)
        assert [text_of(li) for li in pages.find_all("li")] == [f"{p} (desktop)" for p in PAGES]
        assert soup.find("h3", id="untested") is None
        assert coverage in render_markdown(view, DRAFT)


# --- feedback, enforcement ----------------------------------------------------------------------


def test_feedback_section(built: dict[str, Built]) -> None:
    for _, lang, view, edition in pages_of(built):
        t = texts()[lang]
        part = section(soup_of(render_html(view, edition)), "feedback")
        assert t["feedback"]["rights"] in text_of(part)
        assert t["feedback"]["reply"] in text_of(part)
        hrefs = [a["href"] for a in part.find_all("a")]
        assert hrefs == [
            f"https://palautteet.hel.fi/{lang}",
            "mailto:palaute@example.hel.fi",
            f"mailto:{view.responsible_email}",
        ]
        assert view.responsible_unit is not None and view.responsible_unit in text_of(part)


def test_enforcement_section_links_traficoms_complaint_page(built: dict[str, Built]) -> None:
    for _, lang, view, edition in pages_of(built):
        t = texts()[lang]
        part = section(soup_of(render_html(view, edition)), "enforcement")
        assert t["enforcement"]["text"] in text_of(part)
        assert t["enforcement"]["authority"] in text_of(part)
        assert t["enforcement"]["unit"] in text_of(part)
        hrefs = [a["href"] for a in part.find_all("a")]
        assert hrefs == [
            COMPLAINT[lang],
            TRAFICOM_WEB[lang],
            "mailto:saavutettavuus@traficom.fi",
            "tel:+358295345000",
        ]
        markdown = render_markdown(view, edition)
        assert f"({COMPLAINT[lang]})" in markdown
        assert f"({TRAFICOM_WEB[lang]})" in markdown
        assert "[+358 29 534 5000](tel:+358295345000)" in markdown


# --- machine-readable data ----------------------------------------------------------------------


def test_embedded_json_lists_the_failing_criteria(built: dict[str, Built]) -> None:
    expected = {MANUAL: ["1.4.3", "2.1.4"], AUTOMATED: ["1.1.1", "1.4.3"]}
    for service_id, lang, view, edition in pages_of(built):
        data = embedded(soup_of(render_html(view, edition)))
        assessment = built[service_id].assessments[lang]
        assert data["criteria_listed"] == expected[service_id]
        assert data["status"] == assessment.status
        assert data["publishable"] is assessment.publishable
        assert data["unassessed"] == len(assessment.unassessed)
        assert data["burden"] == len(view.burden)
        assert data["updated"] == "2026-12-01" and data["mode"] == edition.mode
        assert data["feedback"] == {
            "form": f"https://palautteet.hel.fi/{lang}",
            "email": "palaute@example.hel.fi",
        }
        assert data["responsible_email"] == f"{service_id}@example.hel.fi"
        assert data["template_version"] == view.template_version == "2"
        failed = [c for c, s in assessment.criteria.items() if s == "failed"]
        assert sorted(data["criteria_listed"]) == sorted(failed)
        if service_id == AUTOMATED:
            assert data["automated"] == {
                "date": RUN_DATE,
                "axe_core": "4.12.1",
                "audited": 2,
                "total": 2,
                "not_audited": [],
            }
            assert [i["automated_pages"] for i in data["items"]] == [[PAGES[0]], [PAGES[1]]]
        else:
            assert data["automated"] is None
            assert all(i["manual"] and not i["automated_pages"] for i in data["items"])


def test_embedded_json_cannot_end_the_script(built: dict[str, Built]) -> None:
    view = dataclasses.replace(built[MANUAL].views["fi"], responsible_email="</script>@x.fi")
    html = render_html(view, PUBLISHED)
    assert html.count("</script>") == 1
    assert embedded(soup_of(html))["responsible_email"] == "</script>@x.fi"


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_no_html(built: dict[str, Built]) -> None:
    for service_id, lang, view, edition in pages_of(built):
        markdown = render_markdown(view, edition)
        assert not re.search(r"<[A-Za-z/!?]", markdown), (service_id, lang)
        assert markdown.startswith(f"# {texts()[lang]['title']}: {view.service_name}\n")
        assert markdown.endswith("\n") and not markdown.endswith("\n\n")
        assert "\n\n\n" not in markdown, (service_id, lang, edition.mode)
        assert not re.search(r"[ \t]$", markdown, re.MULTILINE)
        assert markdown.count("\n# ") == 0  # one top-level heading


# --- the statements in the browser --------------------------------------------------------------


def no_statement_block(root: Path) -> dict[str, StatementView]:
    """Drafts of a service with no statement block, whose latest audit could audit one page
    of two (the other answered 404): "not set" facts and the list of pages not tested."""
    root.mkdir(parents=True)
    head = SERVICES_YAML[: SERVICES_YAML.index("services:")]
    (root / "services.yaml").write_text(
        head + "services:\n  - id: kukkuu\n    name: {fi: K, sv: K, en: K}\n"
        "    url: https://kukkuu.example.hel.fi/\n    pages: [/]\n",
        encoding="utf-8",
    )
    run = ServiceRun.model_validate_json(
        (FIXTURES / "run" / RUN_DATE / "kukkuu.json").read_text(encoding="utf-8")
    )
    broken = run.pages[1].model_copy(
        update={"status": "error", "error_kind": "http", "http_status": 404, "violations": []}
    )
    run_dir = root / "audits" / RUN_DATE
    run_dir.mkdir(parents=True)
    (run_dir / "kukkuu.json").write_text(
        run.model_copy(update={"pages": [run.pages[0], broken]}).model_dump_json(), "utf-8"
    )
    loaded = load_config(root / "services.yaml")
    (b,) = build_statements(loaded, loaded.config.services, LANGS, root / "audits", DAY)
    assert not b.service.statement and b.views["fi"].testing is not None
    assert b.views["fi"].testing.untested
    return b.views


@pytest.mark.browser
def test_statements_pass_axe_at_desktop_and_mobile(tmp_path: Path, built: dict[str, Built]) -> None:
    """Every statement page, drafts and published editions, audited by kuva-audit: zero
    violations, best practices included."""
    root = tmp_path / "site"
    root.mkdir()
    names = []
    for service_id, lang, view, edition in pages_of(built):
        name = f"{service_id}.{edition.mode}.{lang}.html"
        (root / name).write_text(render_html(view, edition), encoding="utf-8")
        names.append(name)
    for lang, view in no_statement_block(tmp_path / "bare").items():
        name = f"bare.draft.{lang}.html"
        (root / name).write_text(render_html(view, DRAFT), encoding="utf-8")
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
@pytest.mark.parametrize(("service_id", "edition"), [(MANUAL, PUBLISHED), (AUTOMATED, DRAFT)])
def test_golden(
    built: dict[str, Built],
    golden: Callable[[str, str], None],
    service_id: str,
    edition: Edition,
    lang: str,
) -> None:
    view = built[service_id].views[lang]
    golden(f"statement-{KIND[service_id]}.{lang}.html", render_html(view, edition))
    golden(f"statement-{KIND[service_id]}.{lang}.md", render_markdown(view, edition))


def test_language_versions_link_to_each_other(built: dict[str, Built], tmp_path: Path) -> None:
    write_edition([built["kultus"]], tmp_path, Edition("draft", dt.date(2026, 12, 1)))
    names = {"fi": "suomi", "sv": "svenska", "en": "English"}
    folder = tmp_path / "drafts" / "kultus"
    for lang in ("fi", "sv", "en"):
        soup = soup_of((folder / f"{lang}.html").read_text(encoding="utf-8"))
        assert soup.html is not None and soup.html.get("lang") == lang
        nav = soup.find("nav", class_="languages")
        assert nav is not None and nav.get("aria-label") == texts()[lang]["languages"]
        links = [(a.get("href"), a.get("hreflang"), a.get("lang"), a.get_text()) for a in nav("a")]
        others = [other for other in ("fi", "sv", "en") if other != lang]
        assert links == [(f"{o}.html", o, o, names[o]) for o in others]
        alternates = {
            (link.get("hreflang"), link.get("href"))
            for link in soup.find_all("link", rel="alternate")
        }
        assert alternates == {(o, f"{o}.html") for o in others}
        assert all((folder / f"{o}.html").is_file() for o in others)
