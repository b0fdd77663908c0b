"""The end-of-run summary table: service, pages, open issues by impact, worst criteria."""

from __future__ import annotations

from rich.table import Table

from kuva_audit.audit.results import IMPACT_ORDER
from kuva_audit.triage.report import RunReport

WORST_CRITERIA = 3


def summary_table(report: RunReport) -> Table:
    engines = sorted({(r.engine.axe_core, r.engine.browser_version) for r in report.services})
    table = Table(
        title=f"kuva-audit {report.date} (axe-core {', '.join(a for a, _ in engines)}, "
        f"Chromium {', '.join(b for _, b in engines)})",
        caption="Issues: distinct WCAG 2.1 A/AA problems (rule + element), each counted once "
        "however many pages it is on; accepted ones apart.",
    )
    with_baseline = report.changes is not None
    table.add_column("service")
    table.add_column("pages ok/all", justify="right")
    table.add_column("errors", justify="right")
    if with_baseline:
        table.add_column("new", justify="right")
    for impact in IMPACT_ORDER:
        table.add_column(impact, justify="right")
    table.add_column("accepted", justify="right")
    table.add_column("review", justify="right")
    table.add_column("worst criteria")
    for run in report.services:
        t = run.totals
        counts = report.issue_counts(run)
        worst = sorted(t.failed_criteria.items(), key=lambda kv: -kv[1])[:WORST_CRITERIA]
        table.add_row(
            run.service.id,
            f"{t.ok}/{t.pages}",
            str(t.errors) if t.errors else "-",
            *([str(counts.new)] if with_baseline else []),
            *[str(counts.by_impact[i]) for i in IMPACT_ORDER],
            str(counts.accepted),
            str(t.needs_review),
            ", ".join(f"{c} ({n})" for c, n in worst) or "-",
        )
    return table
