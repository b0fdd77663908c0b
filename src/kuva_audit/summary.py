"""The end-of-run summary table: service, pages, issues by impact, worst criteria."""

from __future__ import annotations

from rich.table import Table

from kuva_audit.audit.results import IMPACT_ORDER
from kuva_audit.audit.run import RunOutcome

WORST_CRITERIA = 3


def summary_table(outcome: RunOutcome) -> Table:
    table = Table(
        title=f"kuva-audit {outcome.date} (axe-core {outcome.engine.axe_core}, "
        f"Chromium {outcome.engine.browser_version})",
        caption="Issues: distinct WCAG 2.1 A/AA problems (rule + element), each counted once "
        "however many pages it is on.",
    )
    table.add_column("service")
    table.add_column("pages ok/all", justify="right")
    table.add_column("errors", justify="right")
    for impact in IMPACT_ORDER:
        table.add_column(impact, justify="right")
    table.add_column("review", justify="right")
    table.add_column("worst criteria")
    for s in outcome.services:
        t = s.totals
        worst = sorted(t.failed_criteria.items(), key=lambda kv: -kv[1])[:WORST_CRITERIA]
        table.add_row(
            s.service.id,
            f"{t.ok}/{t.pages}",
            str(t.errors) if t.errors else "-",
            *[str(t.issues_by_impact.get(i, 0)) for i in IMPACT_ORDER],
            str(t.needs_review),
            ", ".join(f"{c} ({n})" for c, n in worst) or "-",
        )
    return table
