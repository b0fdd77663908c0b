"""A short Markdown summary for a person reading a CI job page ($GITHUB_STEP_SUMMARY).

CI outputs are English by default; every fixed string is in the catalogue (``ci.markdown.*`` in
``texts/data/ci.yaml``) in fi, sv and en, and ``lang`` picks one.
"""

from __future__ import annotations

from kuva_audit.audit.results import IMPACT_ORDER, ServiceRun
from kuva_audit.mdtext import md_text
from kuva_audit.templating import impact_label
from kuva_audit.texts import text
from kuva_audit.triage.report import RunReport


def _cell(text: object) -> str:
    """Text of a page, a server or a config: inert (no HTML, link or emphasis of its own)."""
    return md_text(text)


def _others(services: tuple[ServiceRun, ...], lang: str) -> str:
    """The engines besides axe-core, for the summary's first line ("" when axe ran alone)."""
    htmlcs = sorted({run.engine.htmlcs for run in services if run.engine.htmlcs})
    found = f"HTML_CodeSniffer {', '.join(htmlcs)}, " if htmlcs else ""
    if any(run.engine.checks for run in services):
        found += _t("checks", lang) + ", "
    return found


def _t(key: str, lang: str, **values: object) -> str:
    """The text ``ci.markdown.<key>`` of the catalogue in ``lang``."""
    return text(f"ci.markdown.{key}", lang, **values)


def render(report: RunReport, lang: str = "en") -> str:
    services = report.services
    pages = sum(len(run.pages) for run in services)
    failed = [(run.service.id, p) for run in services for p in run.pages if p.status == "error"]
    engines = sorted({(run.engine.axe_core, run.engine.browser_version) for run in services})
    used = (
        f"axe-core {', '.join(a for a, _ in engines)}, "
        f"{_others(services, lang)}Chromium {', '.join(b for _, b in engines)}"
    )
    lines = [
        f"## {_t('heading', lang, date=report.date)}",
        "",
        _t(
            "audited",
            lang,
            audited=pages - len(failed),
            pages=pages,
            services=len(services),
            engines=used,
        ),
        "",
    ]
    with_baseline = report.changes is not None
    col = [_t(f"col.{key}", lang) for key in ("service", "pages", "not_audited", "new")]
    head = [*col[:3], *(col[3:] if with_baseline else [])]
    head += [impact_label(i, lang) for i in IMPACT_ORDER]
    head += [_t("col.accepted", lang), _t("col.to_review", lang)]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in services:
        counts = report.issue_counts(run)
        errors = sum(p.status == "error" for p in run.pages)
        row = [run.service.id, len(run.pages), errors, *([counts.new] if with_baseline else [])]
        row += [counts.by_impact[i] for i in IMPACT_ORDER]
        row += [counts.accepted, run.totals.needs_review]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    if failed:
        lines += ["", f"**{_t('failed', lang)}** {_t('failed_note', lang)}", ""]
        lines += [
            f"- {_cell(sid)}: {_cell(p.url)} ({_cell(p.viewport)}): {_cell(p.error)}"
            for sid, p in failed
        ]
    warned = [(run.service.id, p) for run in services for p in run.pages if p.warnings]
    if warned:
        lines += ["", f"**{_t('warned', lang)}** {_t('warned_note', lang)}", ""]
        lines += [
            f"- {_cell(sid)}: {_cell(p.url)} ({_cell(p.viewport)}): {_cell(w)}"
            for sid, p in warned
            for w in p.warnings
        ]
    if with_baseline:
        lines += ["", _t("fixed", lang, count=len(report.fixed))]
    if report.notes:
        lines += ["", f"**{_t('notes', lang)}**", ""] + [
            f"- {_cell(note)}" for note in report.notes
        ]
    return "\n".join(lines) + "\n"
