"""The whole job's part of the CI job summary: the goal's two figures, what changed since the
baseline, where the published reports are, and the verdict.

The run table (:mod:`kuva_audit.formats.markdown`) comes before it in the same summary. CI
outputs are English by default; every string is in the catalogue (``ci.job_summary.*`` in
``texts/data/ci.yaml``) in fi, sv and en, and ``lang`` picks one. The verdict's line is the
terminal's, always English.
"""

from __future__ import annotations

from pathlib import Path

from kuva_audit.reports.data import ReportData
from kuva_audit.texts import text
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict

PAGES = (
    ("index", "reports/index.html"),
    ("progress", "reports/progress.html"),
    ("run", "reports/run.html"),
)
"""The published pages the summary links: the key of each label under
``ci.job_summary.pages``, and the page's path in the published site."""


def render_job_summary(
    *,
    data: ReportData | None,
    report: RunReport | None,
    baseline: Path | None,
    verdict: Verdict,
    site_url: str | None,
    lang: str = "en",
) -> str:
    def t(key: str, **values: object) -> str:
        return text(f"ci.job_summary.{key}", lang, **values)

    lines = [f"### {t('heading')}", ""]
    if data is not None:
        a, s = data.progress.accessibility, data.progress.satisfaction
        lines += [
            f"- {t('accessibility', count=f'**{a.done}/{a.total}**', date=data.as_of)}",
            f"- {t('satisfaction', count=f'**{s.done}/{s.total}**')}",
        ]
    else:
        lines.append(f"- {t('no_figures')}")
    if report is not None and report.changes is not None:
        new = sum(report.issue_counts(run).new for run in report.services)
        where = f" ({baseline.name})" if baseline is not None else ""
        since = "since_one" if new == 1 else "since_many"
        lines.append(
            f"- {t(since, where=where, new=f'**{new}**', fixed=f'**{len(report.fixed)}**')}"
        )
    elif report is not None:
        lines.append(f"- {t('no_baseline')}")
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        links = " · ".join(f"[{t('pages.' + key)}]({base}{href})" for key, href in PAGES)
        lines.append(f"- {t('published', links=links)}")
    else:
        lines.append(f"- {t('not_published', path='`reports/index.html`')}")
    lines += ["", f"**{verdict.summary()}**", ""]
    return "\n".join(lines)
