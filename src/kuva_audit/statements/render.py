"""Render a statement view as HTML and as Markdown, with the fixed texts of its language."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kuva_audit.atomic import write_text_atomic
from kuva_audit.statements.build import Built
from kuva_audit.statements.data import texts
from kuva_audit.statements.view import StatementView
from kuva_audit.templating import render_template


def render_html(view: StatementView) -> str:
    return render_template("statement.html.j2", v=view, t=texts()[view.lang])


def render_markdown(view: StatementView) -> str:
    return render_template("statement.md.j2", v=view, t=texts()[view.lang])


def write_statements(built: Iterable[Built], out_dir: Path) -> list[Path]:
    """``<out_dir>/<service-id>/<lang>.html`` and ``.md`` for every view, each atomically."""
    written = []
    for b in built:
        for lang, view in b.views.items():
            base = out_dir / b.service.id / lang
            write_text_atomic(base.with_suffix(".html"), render_html(view))
            write_text_atomic(base.with_suffix(".md"), render_markdown(view))
            written += [base.with_suffix(".html"), base.with_suffix(".md")]
    return written
