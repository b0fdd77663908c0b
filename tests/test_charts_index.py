"""Trend charts (inline SVG with text alternative and table) and the reports index page."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kuva_audit.demo.server import serve_directory
from kuva_audit.reports.charts import Chart, charts
from kuva_audit.reports.data import AuditPoint, HistoryPoint, Link, ReportData, StatementRow
from kuva_audit.reports.index import render_index
from kuva_audit.reports.progress import Figure, Progress, Reason, ServiceStatus
from kuva_audit.reports.render import render_progress_html
from kuva_audit.surveys.score import ScoreRow
from kuva_audit.templating import environment

from .conftest import audit, service

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = "<b>Ahti</b> & \"Sea\" 'Harbours'"
AS_OF = dt.date(2026, 3, 15)


def _status(service_id: str, name: str) -> ServiceStatus:
    return ServiceStatus(
        service_id, {"fi": name, "en": name, "sv": name}, done=False, reason=Reason.of("no_survey")
    )


def _score(
    service_id: str, period: str, value: float | None, n: int, *, metric: str = "csat"
) -> ScoreRow:
    shown = value is not None
    return ScoreRow(
        service=service_id,
        period=period,
        question="q1",
        metric=metric,
        n=n,
        value=value,
        ci_low=value - 8 if value is not None else None,
        ci_high=value + 6.5 if value is not None else None,
        suppressed=not shown,
        low_confidence=n < 30,
        rejected={},
        scale=(1.0, 5.0),
    )


def make_data(lang: str = "en") -> ReportData:
    statuses = [_status("ahti", TRICKY), _status("kukkuu", "Kukkuu"), _status("kultus", "Kultus")]
    figure = Figure(1, 7, statuses)
    history = [
        HistoryPoint(dt.date(2025, 12, 15), 0, 0, 7),
        HistoryPoint(dt.date(2026, 1, 15), 1, 0, 7),
        HistoryPoint(dt.date(2026, 2, 15), 1, 0, 7),
        HistoryPoint(dt.date(2026, 3, 15), 2, 0, 7),
    ]
    audits = [
        AuditPoint("2026-01-10", "ahti", 5, {"1.4.3": 3, "1.1.1": 2}, "4.9.1"),
        AuditPoint("2026-01-10", "kukkuu", 2, {"4.1.2": 2}, "4.9.1"),
        AuditPoint("2026-02-10", "ahti", 4, {"1.4.3": 2, "1.1.1": 1, "2.4.4": 1}, "4.10.2"),
        AuditPoint("2026-02-10", "kukkuu", 3, {"4.1.2": 1, "1.3.1": 2}, "4.10.2"),
    ]
    satisfaction = [
        _score("ahti", "2025Q4", 72.5, 40),
        _score("ahti", "2026Q1", None, 3),  # suppressed: a gap
        _score("ahti", "2026Q2", 81.0, 52),
        _score("kukkuu", "2025Q4", 60.0, 12),
        _score("kukkuu", "2026Q1", 66.0, 31),
        _score("kukkuu", "2026Q1", 20.0, 35, metric="nps"),
    ]
    return ReportData(
        lang=lang,
        as_of=AS_OF,
        title="Kulttuurin ja vapaa-ajan <tavoite>",
        progress=Progress(AS_OF, figure, Figure(0, 7, statuses)),
        card=[],
        forecast=None,
        risks=[],
        history=history,
        audits=audits,
        audit_period="night",
        audit_nights=2,
        satisfaction=satisfaction,
        statements=[
            StatementRow(
                "ahti",
                TRICKY,
                "current",
                "published 2026-03-01",
                [Link(f"{TRICKY} in Finnish", "../statements/published/ahti/fi.html")],
            ),
            StatementRow("kukkuu", "Culture Kids", "missing", "no statement or draft yet", []),
        ],
        run_report=Link("run.html", "run.html"),
    )


def by_id(found: list[Chart]) -> dict[str, Chart]:
    return {c.id: c for c in found}


def _svgs(chart: Chart) -> list[tuple[str, ET.Element]]:
    assert chart.svg is not None and chart.narrow is not None
    return [
        (chart.id, ET.fromstring(str(chart.svg))),
        (f"{chart.id}-narrow", ET.fromstring(str(chart.narrow))),
    ]


def _texts(root: ET.Element) -> list[str]:
    return [" ".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_each_chart_is_a_named_svg_image() -> None:
    found = charts(make_data())
    assert [c.id for c in found] == [
        "chart-history",
        "chart-audits",
        "chart-criteria",
        "chart-satisfaction-1",
        "chart-satisfaction-2",
    ]
    for chart in found:
        for (svg_id, root), width in zip(_svgs(chart), (720, 320), strict=True):
            assert root.tag == f"{SVG}svg"
            assert root.get("role") == "img"
            assert root.get("aria-labelledby") == f"{svg_id}-title {svg_id}-desc"
            assert root.get("viewBox", "").startswith(f"0 0 {width} ")
            assert root.get("width") == "100%"
            title = root.find(f"{SVG}title")
            desc = root.find(f"{SVG}desc")
            assert title is not None and title.get("id") == f"{svg_id}-title"
            assert desc is not None and desc.get("id") == f"{svg_id}-desc"
            assert title.text == chart.title
            assert desc.text == chart.description
        texts = _texts(_svgs(chart)[0][1])
        for label in chart.columns[1:]:
            if chart.id != "chart-audits" or label != "axe-core":
                # every series is named beside its last point, with its value
                assert any(text.startswith(f"{label}: ") for text in texts), label
        assert all(len(row) == len(chart.columns) for row in chart.rows)


def test_chart_text_is_at_least_12_px_where_each_layout_is_shown() -> None:
    """The narrow layout is shown below 48rem, from 288 px wide (a 320 px phone less the
    page's 1rem margins); the wide one from 736 px wide (768 px less the margins)."""
    for chart in charts(make_data()):
        for (_, root), shown in zip(_svgs(chart), (736, 288), strict=True):
            width = float(root.get("viewBox", "").split()[2])
            sizes = [float(root.get("font-size", "0"))] + [
                float(t.get("font-size", "")) for t in root.iter(f"{SVG}text") if t.get("font-size")
            ]
            assert min(sizes) * shown / width >= 12, chart.id


def test_history_chart() -> None:
    chart = by_id(charts(make_data()))["chart-history"]
    assert chart.description.startswith(
        "Accessibility audited rose from 0 to 2 of 7; satisfaction measured stayed at 0 of 7"
    )
    assert chart.columns == [
        "Month",
        "Accessibility audited",
        "Satisfaction measured",
        "Services in the goal",
    ]
    assert chart.rows[0] == ["December 2025", "0", "0", "7"]
    assert chart.rows[-1] == ["March 2026", "2", "0", "7"]
    assert "H" in str(chart.svg)  # a step line


def test_audit_chart_marks_the_engine_change() -> None:
    chart = by_id(charts(make_data()))["chart-audits"]
    assert chart.columns == ["Audit day", "axe-core", TRICKY, "Kukkuu"]
    assert chart.rows == [
        ["10 January 2026", "4.9.1", "5", "2"],
        ["10 February 2026", "4.10.2 (axe-core version changed)", "4", "3"],
    ]
    assert "7 on 10 January 2026 and 7 on 10 February 2026" in chart.description
    assert "10 February 2026 (4.9.1 → 4.10.2)" in chart.description
    assert "pinned to the engine version" in chart.description
    root = ET.fromstring(str(chart.svg))
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "9"]
    assert len(rings) == 3  # two services changed engine, plus the legend entry


def test_criteria_chart() -> None:
    chart = by_id(charts(make_data()))["chart-criteria"]
    assert chart.columns == [
        "Audit day",
        "1.4.3 Contrast (Minimum)",
        "1.1.1 Non-text Content",  # ties in numeric order
        "4.1.2 Name, Role, Value",
        "1.3.1 Info and Relationships",
        "2.4.4 Link Purpose (In Context)",
    ]
    assert chart.rows == [
        ["10 January 2026", "3", "2", "2", "0", "0"],
        ["10 February 2026", "2", "1", "1", "2", "1"],
    ]
    assert "On 10 February 2026, the most: 1.3.1 Info and Relationships (2)" in chart.description


def test_satisfaction_chart_shows_intervals_and_suppressed_gaps() -> None:
    found = by_id(charts(make_data()))
    csat = found["chart-satisfaction-1"]
    assert csat.title == "Satisfaction by period: CSAT (% answering 4–5)"
    assert csat.columns == ["Period", TRICKY, "Kukkuu"]
    assert csat.rows == [
        ["2025Q4", "72.5 (64.5–79), n = 40", "60 (52–66.5), n = 12, low confidence"],
        ["2026Q1", "suppressed (n = 3)", "66 (58–72.5), n = 31"],
        ["2026Q2", "81 (73–87.5), n = 52", "–"],
    ]
    assert "1 periods are suppressed" in csat.description
    assert f"{TRICKY}: 72.5 in 2025Q4, 81 in 2026Q2" in csat.description
    nps = found["chart-satisfaction-2"]
    assert nps.title == "Satisfaction by period: NPS" and nps.rows == [
        ["2026Q1", "20 (12–26.5), n = 35"]
    ]


def test_labels_are_escaped_and_output_is_deterministic() -> None:
    first = charts(make_data())
    assert first == charts(make_data())
    for chart in first:
        svg = str(chart.svg)
        assert "<b>" not in svg
    audits = str(by_id(first)["chart-audits"].svg)
    for piece in ("&lt;b&gt;Ahti&lt;/b&gt; &amp;", "&#34;Sea&#34;", "&#39;Harbours&#39;"):
        assert piece in audits  # the direct label, wrapped over lines
    index = render_index(make_data())
    assert "<b>" not in index and "<tavoite>" not in index
    assert index == render_index(make_data())


def test_finnish_labels() -> None:
    found = by_id(charts(make_data("fi")))
    assert found["chart-history"].title == "Kaksi mittaria ajan mittaan"
    assert found["chart-satisfaction-1"].rows[0][1] == "72,5 (64,5–79), n = 40"
    assert "piilotettu (n = 3)" in found["chart-satisfaction-1"].rows[1][1]
    soup = BeautifulSoup(render_index(make_data("fi")), "lxml")
    assert soup.html is not None and soup.html.get("lang") == "fi"
    assert "15.3.2026" in soup.get_text()


def test_empty_charts_are_left_out() -> None:
    data = make_data()
    empty = ReportData(**{**data.__dict__, "history": [], "audits": [], "satisfaction": []})
    assert charts(empty) == []
    only_history = ReportData(**{**data.__dict__, "audits": [], "satisfaction": []})
    assert [c.id for c in charts(only_history)] == ["chart-history"]


def test_index_links_everything() -> None:
    data = make_data()
    soup = BeautifulSoup(render_index(data), "lxml")
    assert soup.html is not None and soup.html.get("lang") == "en"
    assert len(soup.find_all("h1")) == 1
    assert soup.find("main", id="main") is not None
    skip = soup.find("a", class_="skip-link")
    assert skip is not None and skip.get("href") == "#main"
    hrefs = {a.get_text(): a.get("href") for a in soup.select("main a")}
    assert hrefs == {
        "Progress report": "progress.html",
        "Progress summary (Markdown)": "progress.md",
        f"{TRICKY} in Finnish": "../statements/published/ahti/fi.html",
        "Latest run report": "run.html",
        "Satisfaction scores (CSV)": "satisfaction.csv",
        "Satisfaction scores (JSON)": "satisfaction.json",
    }
    assert "15 March 2026" in soup.get_text()
    states = {
        card.h3.get_text(): [" ".join(dd.get_text().split()) for dd in card.find_all("dd")]
        for card in soup.select("#services article")
        if card.h3 is not None
    }
    unaudited = ["Not done: no survey configured", "not audited yet", "not audited yet"]
    assert states == {
        TRICKY: [*unaudited, "Current: published 2026-03-01", "Not measured: no survey configured"],
        "Kukkuu": [
            *unaudited,
            "Missing: no statement or draft yet",
            "Not measured: no survey configured",
        ],
        "Kultus": [*unaudited, "state not known", "Not measured: no survey configured"],
    }
    nobody = Progress(AS_OF, Figure(0, 0, []), Figure(0, 0, []))
    bare = ReportData(**{**data.__dict__, "statements": [], "run_report": None, "progress": nobody})
    text = BeautifulSoup(render_index(bare), "lxml").get_text()
    assert "No services." in text and "No run report yet." in text


CHART_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Charts</title>
<style>
body { font-family: sans-serif; color: #1b1b1b; background: #fff; margin: 0 1rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; }
th, td { border: 1px solid #767676; padding: 0.25rem; }
</style>
</head>
<body>
<main>
<h1>Charts</h1>
{% for chart in charts %}
<section aria-labelledby="{{ chart.id }}-heading">
<h2 id="{{ chart.id }}-heading">{{ chart.title }}</h2>
<p>{{ chart.description }}</p>
{{ chart.svg }}{{ chart.narrow }}
<div class="table-wrap" role="region" aria-labelledby="{{ chart.id }}-caption" tabindex="0">
<table>
<caption id="{{ chart.id }}-caption">{{ chart.title }}: data</caption>
<thead><tr>{% for c in chart.columns %}<th scope="col">{{ c }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in chart.rows %}
<tr><th scope="row">{{ row[0] }}</th>{% for cell in row[1:] %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
</div>
</section>
{% endfor %}
</main>
</body>
</html>
"""


@pytest.mark.browser
def test_charts_and_index_pass_axe(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    page = environment().from_string(CHART_PAGE).render(charts=charts(make_data()))
    (root / "charts.html").write_text(page, encoding="utf-8")
    (root / "index.html").write_text(render_index(make_data()), encoding="utf-8")
    (root / "index-fi.html").write_text(render_index(make_data("fi")), encoding="utf-8")
    # The published site's front page: the same index, its links pointing into reports/.
    (root / "site-index.html").write_text(render_index(make_data(), base="reports/"), "utf-8")
    viewports = (
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: narrow, width: 320, height: 640, mobile: true}"
    )
    with serve_directory(root) as origin:
        result, runs = audit(
            tmp_path / "audit",
            service(
                "charts",
                origin + "/",
                ["charts.html", "index.html", "index-fi.html", "site-index.html"],
                viewports,
            ),
        )
    pages = runs["charts"].pages
    assert len(pages) == 8
    for audited in pages:
        assert audited.status == "ok", audited.error
        found = {f.rule: [n.selector for n in f.nodes] for f in audited.violations}
        assert found == {}, f"{audited.url} at {audited.viewport}: {found}"
    assert result.exit_code == 0, result.stdout + result.stderr


def _ticks(svg: object) -> list[str]:
    root = ET.fromstring(str(svg))
    grid = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "grid")
    return [t.text or "" for t in grid.iter(f"{SVG}text")]


def _scored(rows: list[ScoreRow]) -> ReportData:
    data = make_data()
    return ReportData(**{**data.__dict__, "history": [], "audits": [], "satisfaction": rows})


def test_axes_follow_each_metric_scale() -> None:
    ces = [
        replace(_score("ahti", "2026Q1", 5.5, 40, metric="ces"), scale=(1.0, 7.0)),
        replace(_score("ahti", "2026Q2", 6.5, 40, metric="ces"), scale=(1.0, 7.0)),
    ]
    nps = [_score("ahti", "2026Q1", 20.0, 40, metric="nps")]
    csat = [_score("ahti", "2026Q1", 72.5, 40)]
    found = {c.title: c for c in charts(_scored(ces + nps + csat))}
    # CES is a 1-7 scale: its axis is 1-7 (the interval's top, 6.5 + 6.5, is drawn to 7)
    ces_chart = found["Satisfaction by period: CES (mean, 1–7)"]
    assert _ticks(ces_chart.svg) == ["1", "2", "3", "4", "5", "6", "7"]
    assert _ticks(ces_chart.narrow) == ["1", "2", "3", "4", "5", "6", "7"]
    nps_chart = found["Satisfaction by period: NPS"]
    assert _ticks(nps_chart.svg) == ["-100", "-50", "0", "50", "100"]
    csat_chart = found["Satisfaction by period: CSAT (% answering 4–5)"]
    assert _ticks(csat_chart.svg) == ["0", "20", "40", "60", "80", "100"]
    # the two figures: 0 to the number of services in the goal, not beyond
    history = charts(make_data())[0]
    assert _ticks(history.svg) == ["0", "1", "2", "3", "4", "5", "6", "7"]


def test_one_point_in_time_is_said_plainly() -> None:
    one = charts(_scored([_score("ahti", "2026Q1", 72.5, 40)]))[0]
    assert (
        one.note
        == "Only one point in time so far (2026Q1): a trend shows once there are two or more."
    )
    notes = {c.id: c.note for c in charts(make_data())}
    assert notes == {
        "chart-history": None,
        "chart-audits": None,
        "chart-criteria": None,
        "chart-satisfaction-1": None,
        "chart-satisfaction-2": (
            "Only one point in time so far (2026Q1): a trend shows once there are two or more."
        ),
    }


def test_all_suppressed_is_a_sentence_not_an_empty_frame() -> None:
    chart = charts(
        _scored([_score("ahti", "2026Q1", None, 3), _score("kukkuu", "2026Q1", None, 5)])
    )[0]
    assert chart.svg is None and chart.narrow is None
    assert chart.empty is not None and chart.empty.startswith("Not enough responses")
    assert chart.rows == [["2026Q1", "suppressed (n = 3)", "suppressed (n = 5)"]]
    page = render_progress_html(_scored([_score("ahti", "2026Q1", None, 3)]))
    figure = BeautifulSoup(page, "lxml").find("figure", id="chart-satisfaction-1")
    assert figure is not None and figure.find("svg") is None
    empty = figure.find("p", class_="chart-empty")
    assert empty is not None and empty.get_text().startswith("Not enough responses")


def test_markers_at_the_same_value_are_moved_apart() -> None:
    data = make_data()
    same = [
        AuditPoint("2026-01-10", "ahti", 2, {}, "4.9.1"),
        AuditPoint("2026-01-10", "kukkuu", 2, {}, "4.9.1"),
        AuditPoint("2026-01-10", "kultus", 2, {}, "4.9.1"),
    ]
    chart = charts(
        ReportData(**{**data.__dict__, "history": [], "audits": same, "satisfaction": []})
    )[0]
    root = ET.fromstring(str(chart.svg))
    series = [g for g in root.iter(f"{SVG}g") if g.get("class") == "series"]
    shapes = [next(iter(g)) for g in series]
    assert [s.tag for s in shapes] == [f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon"]
    xs = {float(s.get("cx") or s.get("x") or s.get("points", "0,").split(",")[0]) for s in shapes}
    assert len(xs) == 3  # side by side, none hidden
    labels = _texts(root)
    assert {"<b>Ahti</b> & \"Sea\" 'Harbours': 2", "Kukkuu: 2", "Kultus: 2"} <= {
        " ".join(t.split()) for t in labels
    }
