"""The reports folder's front page: links to every report, statement and score file."""

from __future__ import annotations

import posixpath
from dataclasses import replace

from kuva_audit.reports.catalogue import LANGS, format_date, texts
from kuva_audit.reports.data import Link, ReportData
from kuva_audit.templating import render_template


def _at(base: str, href: str) -> str:
    return posixpath.normpath(base + href)


def render_index(data: ReportData, base: str = "") -> str:
    """The index page (``reports/index.html``): one self-contained, accessible HTML page.

    Its links are relative to the reports folder; ``base`` (``reports/``) makes the same page
    work from the folder above it, the root of the published site."""
    lang = data.lang if data.lang in LANGS else "en"
    t: dict[str, str] = texts()[lang]["index"]
    date = format_date(data.as_of, lang)
    progress = [
        Link(t["progress_html"], _at(base, "progress.html")),
        Link(t["progress_md"], _at(base, "progress.md")),
    ]
    satisfaction = [
        Link(t["satisfaction_csv"], _at(base, "satisfaction.csv")),
        Link(t["satisfaction_json"], _at(base, "satisfaction.json")),
    ]
    run_report = Link(t["run_report"], _at(base, data.run_report.href)) if data.run_report else None
    statements = [
        replace(row, links=[Link(link.label, _at(base, link.href)) for link in row.links])
        for row in data.statements
    ]
    return render_template(
        "index.html.j2",
        lang=lang,
        t=t,
        states=texts()[lang]["links"]["statement_states"],
        heading=t["heading"].format(title=data.title),
        date=date,
        date_iso=data.as_of.isoformat(),
        footer=t["footer"].format(date=date),
        progress=progress,
        statements=statements,
        run_report=run_report,
        satisfaction=satisfaction,
    )
