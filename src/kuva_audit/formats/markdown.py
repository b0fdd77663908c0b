"""A short Markdown summary for a person reading a CI job page ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

from kuva_audit.audit.results import IMPACT_ORDER, ServiceRun
from kuva_audit.mdtext import md_text
from kuva_audit.triage.report import RunReport


def _cell(text: object) -> str:
    """Text of a page, a server or a config: inert (no HTML, link or emphasis of its own)."""
    return md_text(text)


def _others(services: tuple[ServiceRun, ...]) -> str:
    """The engines besides axe-core, for the summary's first line ("" when axe ran alone)."""
    htmlcs = sorted({run.engine.htmlcs for run in services if run.engine.htmlcs})
    text = f"HTML_CodeSniffer {', '.join(htmlcs)}, " if htmlcs else ""
    if any(run.engine.checks for run in services):
        text += "interaction checks, "
    return text


def render(report: RunReport) -> str:
    services = report.services
    pages = sum(len(run.pages) for run in services)
    failed = [(run.service.id, p) for run in services for p in run.pages if p.status == "error"]
    engines = sorted({(run.engine.axe_core, run.engine.browser_version) for run in services})
    lines = [
        f"## kuva-audit {report.date}",
        "",
        f"{pages - len(failed)} of {pages} pages audited in {len(services)} service(s) "
        f"(axe-core {', '.join(a for a, _ in engines)}, "
        f"{_others(services)}Chromium {', '.join(b for _, b in engines)}). Issues are distinct "
        "WCAG 2.1 A/AA "
        "problems (rule + element), counted once however many pages they are on.",
        "",
    ]
    with_baseline = report.changes is not None
    head = ["Service", "Pages", "Not audited", *(["New"] if with_baseline else [])]
    head += [i.capitalize() for i in IMPACT_ORDER] + ["Accepted", "To review"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for run in services:
        counts = report.issue_counts(run)
        errors = sum(p.status == "error" for p in run.pages)
        row = [run.service.id, len(run.pages), errors, *([counts.new] if with_baseline else [])]
        row += [counts.by_impact[i] for i in IMPACT_ORDER]
        row += [counts.accepted, run.totals.needs_review]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    if failed:
        lines += ["", "**Pages that could not be audited** (they count as failures):", ""]
        lines += [
            f"- {_cell(sid)}: {_cell(p.url)} ({_cell(p.viewport)}): {_cell(p.error)}"
            for sid, p in failed
        ]
    warned = [(run.service.id, p) for run in services for p in run.pages if p.warnings]
    if warned:
        lines += ["", "**Pages audited with warnings** (their results may be incomplete):", ""]
        lines += [
            f"- {_cell(sid)}: {_cell(p.url)} ({_cell(p.viewport)}): {_cell(w)}"
            for sid, p in warned
            for w in p.warnings
        ]
    if with_baseline:
        lines += ["", f"Fixed since the baseline: {len(report.fixed)} issue(s)."]
    if report.notes:
        lines += ["", "**Notes**", ""] + [f"- {_cell(note)}" for note in report.notes]
    return "\n".join(lines) + "\n"
