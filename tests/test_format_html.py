"""The HTML run report: golden file, structure, triage, and an axe audit of the report itself."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from jinja2 import UndefinedError

from kuva_audit.audit.results import FingerprintEntry, ServiceRun
from kuva_audit.demo.server import serve_directory
from kuva_audit.formats import html
from kuva_audit.templating import criteria, environment, impact_label, plural, render_template
from kuva_audit.triage.report import Acceptance, Change, FixedIssue, RunReport

from .conftest import audit, service

ORIGIN = "http://127.0.0.1:8000"
IMAGE_ALT = "b79cd3ff382378a4"  # helsinkikuvia image-alt on .thumb, 3 pages
CONTRAST = "bfee0e44d4f7f032"  # kukkuu color-contrast on .fineprint
LABEL = "e58fe19d40290ead"  # kultus label on input
REGION = "ff0a2f75d2453d28"  # tapahtumat best-practice region
NOTE = "Acceptance accepted.yaml:3 expired on 2026-11-01 <b>check it</b>"


def soup_of(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def section(soup: BeautifulSoup, service_id: str) -> Tag:
    found = soup.find("section", id=f"service-{service_id}")
    assert isinstance(found, Tag), f"no section for {service_id}"
    return found


def issue(soup: BeautifulSoup, anchor: str) -> Tag:
    found = soup.find("article", id=anchor)
    assert isinstance(found, Tag), f"no issue {anchor}"
    return found


def heading_before(tag: Tag) -> str:
    """The text of the h3 (subsection) that ``tag`` is in."""
    h3 = tag.find_previous("h3")
    assert isinstance(h3, Tag)
    return h3.get_text()


def page_urls(card: Tag, label: str = "Affected pages") -> list[str]:
    dt_tag = next(d for d in card.find_all("dt") if d.get_text() == label)
    dd = dt_tag.find_next_sibling("dd")
    assert isinstance(dd, Tag)
    return [li.a.get_text() for li in dd.find_all("li") if li.a]


WARNING = "audited while still loading: after wait.settle_limit_ms (10 s) <b>1 request</b>"


def warned(run: ServiceRun) -> ServiceRun:
    """Ahti's first page audited with a warning."""
    if run.service.id != "ahti":
        return run
    first = run.pages[0].model_copy(update={"warnings": [WARNING]})
    return run.model_copy(update={"pages": [first, *run.pages[1:]]})


@pytest.fixture(scope="module")
def triaged_report(fixed_report: RunReport) -> RunReport:
    """The fixed run with acceptances, a baseline comparison, fixed issues and notes."""
    acceptance = Acceptance(
        reason="Third-party widget <iframe>, vendor fixes it in Q1",
        owner="kukkuu-team@example.org",
        expires=dt.date(2027, 3, 31),
        source="accepted.yaml:12",
    )
    partial = Acceptance(
        reason="Legacy search page is being replaced",
        owner="helsinkikuvia",
        expires=None,
        source="accepted.yaml:20",
    )
    gone = FingerprintEntry(
        id="0123456789abcdef",
        rule="document-title",
        selector="html",
        impact="serious",
        wcag=["2.4.2"],
        legal=True,
        pages=[f"{ORIGIN}/ahti/islands.html"],
        viewports=["desktop", "mobile"],
        nodes=2,
    )
    changes: dict[tuple[str, str], Change] = {
        (run.service.id, fp.id): "persisting"
        for run in fixed_report.services
        for fp in run.fingerprints
    }
    changes[("kultus", LABEL)] = "new"
    changes[("tapahtumat", REGION)] = "new"
    return dataclasses.replace(
        fixed_report,
        services=tuple(warned(run) for run in fixed_report.services),
        accepted={
            ("kukkuu", CONTRAST, f"{ORIGIN}/kukkuu/events.html"): acceptance,
            ("helsinkikuvia", IMAGE_ALT, f"{ORIGIN}/helsinkikuvia/search.html"): partial,
        },
        changes=changes,
        fixed=(FixedIssue("ahti", gone), FixedIssue("retired-service", gone)),
        notes=(NOTE, "axe-core was upgraded since the baseline (4.11.0 -> 4.12.1)"),
    )


def test_golden(fixed_report: RunReport, golden: Callable[[str, str], None]) -> None:
    text = html.render(fixed_report)
    assert text == html.render(fixed_report)  # deterministic
    golden("run.html", text)


def test_document_structure(fixed_report: RunReport) -> None:
    soup = soup_of(html.render(fixed_report))
    assert soup.html is not None and soup.html["lang"] == "en"
    assert len(soup.find_all("h1")) == 1
    assert soup.find("header") and soup.find("main", id="main") and soup.find("footer")
    skip = soup.find("a")
    assert skip is not None and skip["href"] == "#main"
    # No script, no external resources: nothing but links points outside the page.
    assert soup.find("script") is None
    assert not soup.find_all(["link", "img", "iframe", "object", "embed"])
    for run in fixed_report.services:
        sid = run.service.id
        assert section(soup, sid).h2 is not None
        assert soup.find("a", href=f"#service-{sid}") is not None
    for table in soup.find_all("table"):
        assert table.caption is not None and table.caption.get_text().strip()
        assert all(th.has_attr("scope") for th in table.find_all("th"))
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_engine_and_totals(fixed_report: RunReport) -> None:
    soup = soup_of(html.render(fixed_report))
    header = soup.find("header")
    assert header is not None
    assert "axe-core 4.12.1" in header.get_text()
    assert "Chromium 156.0.8078.108" in header.get_text()
    totals = {
        d.dt.get_text(): d.dd.get_text() for d in soup.select("#totals dl > div") if d.dt and d.dd
    }
    assert totals["Pages audited"] == "22"
    assert totals["Pages not audited"] == "1"
    assert totals["WCAG 2.1 A/AA issues"] == "9"
    assert totals["Needs review (not failures)"] == "1"
    assert totals["Beyond the legal requirement"] == "1"
    assert "New since baseline" not in totals  # no baseline, no change marks
    assert "Read first" not in soup.get_text()


def test_issue_grouped_by_fingerprint_lists_its_pages(fixed_report: RunReport) -> None:
    soup = soup_of(html.render(fixed_report))
    card = issue(soup, f"issue-helsinkikuvia-{IMAGE_ALT}")
    assert "Fix once, clears 3 pages." in card.get_text()
    assert page_urls(card) == [
        f"{ORIGIN}/helsinkikuvia/",
        f"{ORIGIN}/helsinkikuvia/search.html",
        f"{ORIGIN}/helsinkikuvia/photo.html",
    ]
    assert "1.1.1 Non-text Content" in card.get_text()
    assert card.find("a", href=lambda h: bool(h and "dequeuniversity.com" in h)) is not None
    row = section(soup, "helsinkikuvia").find("th", string="1.1.1 Non-text Content")
    assert row is not None


def test_issues_ordered_by_impact_then_pages(fixed_report: RunReport) -> None:
    soup = soup_of(html.render(fixed_report))
    venepaikat = section(soup, "venepaikat")
    kukkuu = section(soup, "kukkuu")
    rules = [a.h4.code.get_text() for a in kukkuu.find_all("article") if a.h4 and a.h4.code]
    assert rules == ["image-alt", "color-contrast"]  # critical before serious
    assert len(venepaikat.find_all("article")) == 2


def test_unauditable_page_is_listed_first_with_its_error(fixed_report: RunReport) -> None:
    kultus = section(soup_of(html.render(fixed_report)), "kultus")
    h3s = [h.get_text() for h in kultus.find_all("h3")]
    assert h3s[0] == "Pages that could not be audited"
    cells = [td.get_text() for td in kultus.table.find_all("td")] if kultus.table else []
    assert cells == [
        f"{ORIGIN}/kultus/old.html",
        "desktop",
        "http",
        "HTTP 500 Internal Server Error",
    ]


def test_needs_review_and_best_practice_are_kept_apart(fixed_report: RunReport) -> None:
    soup = soup_of(html.render(fixed_report))
    kultus = section(soup, "kultus")
    review = kultus.find("article", class_="review")
    assert isinstance(review, Tag)
    assert "Needs review, not a failure" in review.get_text()
    assert heading_before(review) == "Needs review (not failures)"
    beyond = issue(soup, f"issue-tapahtumat-{REGION}")
    assert heading_before(beyond) == "Beyond the legal requirement"
    # The best-practice issue is not among the legal ones of the summary table.
    row = soup.select_one('#summary tr:has(a[href="#service-tapahtumat"])')
    assert row is not None
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells[2:7] == ["1", "0", "0", "0", "0"]  # critical..minor, accepted


def test_html_snippets_are_escaped(fixed_report: RunReport) -> None:
    text = html.render(fixed_report)
    soup = soup_of(text)
    assert soup.find("img") is None and soup.find("input") is None
    codes = [c.get_text() for c in soup.select("pre code")]
    assert '<img class="thumb" src="img/potd.svg" width="240" height="150">' in codes
    assert "&lt;img class=&#34;thumb&#34;" in text


def test_triage_accepted_changes_fixed_notes(triaged_report: RunReport) -> None:
    text = html.render(triaged_report)
    soup = soup_of(text)
    notes = soup.find("header")
    assert notes is not None and NOTE in notes.get_text()
    assert soup.find("b") is None  # notes are escaped too

    # Fully accepted: no longer open, listed with reason, owner, expiry and source.
    kukkuu = section(soup, "kukkuu")
    assert kukkuu.find("article", id=f"issue-kukkuu-{CONTRAST}") is None
    accepted = issue(soup, f"accepted-kukkuu-{CONTRAST}")
    accepted_text = accepted.get_text()
    for expected in (
        "Third-party widget <iframe>, vendor fixes it in Q1",
        "kukkuu-team@example.org",
        "2027-03-31",
        "accepted.yaml:12",
    ):
        assert expected in accepted_text
    assert soup.find("iframe") is None
    assert page_urls(accepted, "Accepted on") == [f"{ORIGIN}/kukkuu/events.html"]

    # Partly accepted: open on two pages, accepted on the third, cross-linked.
    open_card = issue(soup, f"issue-helsinkikuvia-{IMAGE_ALT}")
    assert "Fix once, clears 2 pages." in open_card.get_text()
    assert f"{ORIGIN}/helsinkikuvia/search.html" not in page_urls(open_card)
    assert open_card.find("a", href=f"#accepted-helsinkikuvia-{IMAGE_ALT}") is not None
    partial = issue(soup, f"accepted-helsinkikuvia-{IMAGE_ALT}")
    assert "never" in partial.get_text()
    assert partial.find("a", href=f"#issue-helsinkikuvia-{IMAGE_ALT}") is not None

    # Changes: each open issue is marked; fixed issues are listed per service.
    assert "New since baseline" in issue(soup, f"issue-kultus-{LABEL}").get_text()
    assert "Persisting" in open_card.get_text()
    ahti = section(soup, "ahti")
    assert "document-title" in ahti.get_text()
    other = soup.find("section", id="other-fixed")
    assert isinstance(other, Tag) and "retired-service" in other.get_text()

    totals = {
        d.dt.get_text(): d.dd.get_text() for d in soup.select("#totals dl > div") if d.dt and d.dd
    }
    assert totals["WCAG 2.1 A/AA issues"] == "8"  # the kukkuu contrast issue is accepted
    assert totals["Accepted issues"] == "1"  # fully accepted only; the partial one is open
    assert totals["New since baseline"] == "1"  # legal issues only: the region one is beyond
    assert totals["Persisting"] == "7"
    assert totals["Fixed since baseline"] == "2"
    head = [th.get_text() for th in soup.select("#summary thead th")]
    row = soup.select_one('#summary tr:has(a[href="#service-kultus"])')
    assert row is not None
    cells = dict(zip(head[1:], [td.get_text() for td in row.find_all("td")], strict=True))
    assert (cells["New"], cells["Critical"], cells["Accepted"]) == ("1", "2", "0")


def test_pages_audited_with_warnings_are_listed(triaged_report: RunReport) -> None:
    ahti = section(soup_of(html.render(triaged_report)), "ahti")
    table = next(
        t for t in ahti.find_all("table") if "audited with warnings" in t.caption.get_text()
    )
    (row,) = table.tbody.find_all("tr")
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells == [triaged_report.services[0].pages[0].url, "desktop", WARNING]
    assert heading_before(table) == "Pages audited with warnings"


def test_filters() -> None:
    assert criteria(["1.4.10", "1.4.3", "1.1.1", "1.4.3"]) == "1.1.1, 1.4.3, 1.4.10"
    assert criteria([], empty="-") == "-"
    assert criteria(["1.4.3"], names=True) == "1.4.3 Contrast (Minimum)"
    assert impact_label("serious") == "Serious"
    assert impact_label(None) == "No impact given"
    assert (plural(1, "page"), plural(3, "page"), plural(2, "entry", "entries")) == (
        "1 page",
        "3 pages",
        "2 entries",
    )


def test_environment_escapes_every_template_and_rejects_undefined() -> None:
    env = environment()
    assert env is environment()  # created once
    assert env.from_string("{{ x }}").render(x="<b>&") == "&lt;b&gt;&amp;"
    assert render_template("report.css").startswith(":root")  # any extension, same setup
    with pytest.raises(UndefinedError):
        render_template("run_report.html.j2")


@pytest.mark.browser
def test_report_passes_axe_at_desktop_and_mobile(
    tmp_path: Path, fixed_report: RunReport, triaged_report: RunReport
) -> None:
    """The report audited by kuva-audit itself: zero violations, best practices included."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "run.html").write_text(html.render(fixed_report), encoding="utf-8")
    (root / "triaged.html").write_text(html.render(triaged_report), encoding="utf-8")
    viewports = (
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: mobile, width: 390, height: 844, mobile: true}\n"
        "  - {name: narrow, width: 320, height: 640, mobile: true}"
    )
    with serve_directory(root) as origin:
        result, runs = audit(
            tmp_path / "audit",
            service("report", origin + "/", ["run.html", "triaged.html"], viewports),
        )
    pages = runs["report"].pages
    assert [(p.url.rsplit("/", 1)[1], p.viewport) for p in pages] == [
        (name, viewport)
        for name in ("run.html", "triaged.html")
        for viewport in ("desktop", "mobile", "narrow")
    ]
    for page in pages:
        assert page.status == "ok", page.error
        found = {f.rule: [n.selector for n in f.nodes] for f in page.violations}
        assert found == {}, f"{page.url} at {page.viewport}: {found}"
        assert page.passes > 20
    assert result.exit_code == 0, result.stdout + result.stderr


def test_run_report_in_finnish_and_swedish(triaged_report: RunReport) -> None:
    """English by default (the golden file); every fixed text also in fi and sv."""
    fi = BeautifulSoup(html.render(triaged_report, "fi"), "html.parser")
    sv = BeautifulSoup(html.render(triaged_report, "sv"), "html.parser")
    assert fi.html is not None and fi.html["lang"] == "fi"
    assert sv.html is not None and sv.html["lang"] == "sv"
    assert fi.h1 is not None and fi.h1.get_text() == "Saavutettavuustarkastus 2026-11-27"
    assert sv.h1 is not None and sv.h1.get_text() == "Tillgänglighetsgranskning 2026-11-27"
    fi_text = fi.get_text(" ")
    assert "Tarkastetut sivut" in fi_text and "Korjattu vertailuajon jälkeen" in fi_text
    assert "6/6 sivua tarkastettu; 0 avointa WCAG 2.1 A/AA -ongelmaa." in fi_text
    assert "Hyväksytyt ongelmat" in fi_text and "Kriittinen" in fi_text
    assert "Godtagna problem" in sv.get_text(" ")
    for english in ("Skip to main content", "Pages audited", "Fingerprint", "Needs review"):
        assert english not in fi_text


@pytest.mark.parametrize(
    ("lang", "axe_only", "engines"),
    [
        ("en", "the makers of axe-core", "HTML_CodeSniffer&#39;s WCAG 2 standard"),
        ("fi", "kehittävän Dequen", "HTML_CodeSnifferin WCAG 2 -standardiin"),
        ("sv", "som utvecklar axe-core", "HTML_CodeSniffers WCAG 2-standard"),
    ],
)
def test_footer_says_where_rule_links_lead(
    fixed_report: RunReport, lang: str, axe_only: str, engines: str
) -> None:
    """The footer's sentence on rule documentation is in the report's language, with the rule
    prefixes as code when several engines ran."""
    assert axe_only in html.render(fixed_report, lang)
    several = dataclasses.replace(
        fixed_report,
        services=tuple(
            run.model_copy(update={"engine": run.engine.model_copy(update={"htmlcs": "2.6.0"})})
            for run in fixed_report.services
        ),
    )
    footer = html.render(several, lang)
    assert engines in footer
    assert "<code>htmlcs:</code>" in footer and "<code>check:</code>" in footer
