"""Render a statement as HTML and as Markdown, and where each edition lives on disk.

``statements/drafts/<service>/<lang>.html|.md``: drafts, written by ``kuva-audit statements``
and the nightly job, never reviewed. ``statements/published/<service>/<lang>.html|.md``:
published versions, written only by ``kuva-audit statements --publish`` after a person has
reviewed the draft. The HTML carries its facts as JSON (``<script id="statement-data">``) for
``--check``, with a digest of its ``<body>`` so a hand edit after publishing shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kuva_audit.atomic import write_texts_atomic
from kuva_audit.statements.build import Built
from kuva_audit.statements.data import authority_digest
from kuva_audit.statements.view import Edition, StatementView, content_digest
from kuva_audit.templating import render_template
from kuva_audit.texts import lookup, text

DRAFTS = "drafts"
PUBLISHED = "published"
_BODY_PLACEHOLDER = "body-digest-to-be-filled-in"


def edition_dir(root: Path, mode: str, service_id: str) -> Path:
    """``root/drafts/<service>`` or ``root/published/<service>``."""
    return root / (DRAFTS if mode == "draft" else PUBLISHED) / service_id


def body_digest(html: str) -> str:
    """sha256 of the page from ``<body`` to ``</body>``: what a reader sees."""
    start, end = html.find("<body"), html.rfind("</body>")
    if start < 0 or end < start:
        return ""
    return hashlib.sha256(html[start:end].encode("utf-8")).hexdigest()


def statement_data(view: StatementView, edition: Edition) -> dict[str, Any]:
    """The facts ``--check`` reads back from a published statement."""
    testing = view.testing
    return {
        "service": view.service_id,
        "lang": view.lang,
        "mode": edition.mode,
        "publishable": view.publishable,
        "status": view.status,
        "prepared": view.prepared.isoformat() if view.prepared else None,
        "reviewed": view.reviewed.isoformat() if view.reviewed else None,
        "updated": edition.date.isoformat(),
        "published_by": edition.by,
        "method": view.method,
        "criteria_listed": view.criteria_listed,
        "items": [
            {
                "criterion": entry.criterion,
                "manual": any(p.source == "manual" for p in entry.problems),
                "automated_pages": sorted(
                    {url for p in entry.problems if p.source == "automated" for url in p.where}
                ),
            }
            for entry in view.entries
        ],
        "burden": len(view.burden),
        "unassessed": view.unassessed,
        "automated": None
        if testing is None
        else {
            "date": testing.date,
            "axe_core": testing.axe_version,
            "audited": testing.audited,
            "total": testing.total,
            "not_audited": [
                {"url": p.url, "viewport": p.viewport, "kind": p.kind} for p in testing.untested
            ],
        },
        "feedback": {"form": view.feedback_form, "email": view.feedback_email},
        "responsible_email": view.responsible_email,
        "template_version": view.template_version,
        "kuva_audit_version": view.kuva_audit_version,
        "authority": authority_digest(view.lang),
        "content": content_digest(view),
        "body_sha256": _BODY_PLACEHOLDER,
    }


def render_html(
    view: StatementView, edition: Edition | None = None, versions: Iterable[str] = ()
) -> str:
    """The statement as one self-contained HTML page (a draft of today by default), linking
    to its other language ``versions`` (``<lang>.html`` beside it)."""
    edition = edition or Edition("draft", dt.date.today())
    html = render_template(
        "statement.html.j2",
        v=view,
        e=edition,
        t=lookup("statements", view.lang),
        data=statement_data(view, edition),
        versions=[
            (lang, text(f"labels.autonym.{lang}", lang)) for lang in versions if lang != view.lang
        ],
    )
    return html.replace(_BODY_PLACEHOLDER, body_digest(html), 1)


def render_markdown(view: StatementView, edition: Edition | None = None) -> str:
    """The statement as Markdown (a draft of today by default)."""
    edition = edition or Edition("draft", dt.date.today())
    return render_template("statement.md.j2", v=view, e=edition, t=lookup("statements", view.lang))


def write_edition(built: Iterable[Built], root: Path, edition: Edition) -> list[Path]:
    """Write every view of ``built`` as ``edition`` under ``root`` (drafts/ or published/),
    ``<lang>.html`` and ``<lang>.md``, all as one (a failure half-way leaves every file as it
    was)."""
    files = []
    for b in built:
        folder = edition_dir(root, edition.mode, b.service.id)
        for lang, view in b.views.items():
            html, md = folder / f"{lang}.html", folder / f"{lang}.md"
            files += [
                (html, render_html(view, edition, versions=list(b.views)), "utf-8"),
                (md, render_markdown(view, edition), "utf-8"),
            ]
    write_texts_atomic(files)
    return [path for path, _, _ in files]
