"""The whole job's part of the CI job summary: the goal's two figures, what changed since the
baseline, where the published reports are, and the verdict.

The run table (:mod:`kuva_audit.formats.markdown`) comes before it in the same summary.
"""

from __future__ import annotations

from pathlib import Path

from kuva_audit.reports.data import ReportData
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict

PAGES = (
    ("reports index", "reports/index.html"),
    ("goal progress", "reports/progress.html"),
    ("run report", "reports/run.html"),
)


def render_job_summary(
    *,
    data: ReportData | None,
    report: RunReport | None,
    baseline: Path | None,
    verdict: Verdict,
    site_url: str | None,
) -> str:
    lines = ["### kuva-audit: the goal and the reports", ""]
    if data is not None:
        a, s = data.progress.accessibility, data.progress.satisfaction
        lines += [
            f"- Accessibility audits: **{a.done}/{a.total}** services (as of {data.as_of})",
            f"- Customer satisfaction measured: **{s.done}/{s.total}** services",
        ]
    else:
        lines.append("- Goal figures: not computed (the report stage failed)")
    if report is not None and report.changes is not None:
        new = sum(report.issue_counts(run).new for run in report.services)
        where = f" ({baseline.name})" if baseline is not None else ""
        lines.append(
            f"- Since the baseline{where}: **{new}** new open {'issue' if new == 1 else 'issues'}, "
            f"**{len(report.fixed)}** fixed"
        )
    elif report is not None:
        lines.append("- No baseline: this run was not compared with an earlier one")
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        links = " · ".join(f"[{label}]({base}{href})" for label, href in PAGES)
        lines.append(f"- Published reports: {links}")
    else:
        lines.append("- Reports: `reports/index.html` (not published: no site address given)")
    lines += ["", f"**{verdict.summary()}**", ""]
    return "\n".join(lines)
