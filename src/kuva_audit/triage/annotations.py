"""GitHub Actions workflow annotations for a verdict: each page that could not be audited and
each issue that fails the run, at its line of services.yaml.

GitHub shows at most 10 error and 10 warning annotations per step, so the most important come
first (unauditable pages, then issues by impact), nine at most, and the tenth error is the
verdict itself, saying how many more there are. With a baseline, new issues below the threshold
are warnings.
"""

from __future__ import annotations

from kuva_audit.audit.results import IMPACT_ORDER, SITEMAP_ERRORS
from kuva_audit.config.sources import SourceLine
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict

PER_KIND = 10
"""Annotations of one kind GitHub shows per step."""
ACTIONS_ENV = "GITHUB_ACTIONS"
"""Set to ``true`` on GitHub Actions runners."""


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, *, title: str, where: SourceLine | None = None) -> str:
    """One workflow command (``::error file=F,line=L,col=C,title=T::message``), escaped."""
    props = []
    if where is not None:
        props += [f"file={_property(where.uri)}", f"line={where.line}", f"col={where.column}"]
    props.append(f"title={_property(title)}")
    return f"::{kind} {','.join(props)}::{_data(message)}"


def workflow_commands(report: RunReport, verdict: Verdict) -> list[str]:
    """The workflow commands for ``verdict`` (none when the run passes and nothing is new)."""
    sources = report.sources
    errors: list[str] = []
    for sid, page in verdict.unaudited:
        sitemap = page.error_kind in SITEMAP_ERRORS
        where = sources.page(sid, page.url, sitemap_error=sitemap) if sources else None
        errors.append(
            command(
                "error",
                f"{page.url} ({page.viewport}) could not be audited: {page.error or '?'}",
                title=f"kuva-audit: {sid}: page not audited ({page.error_kind or 'error'})",
                where=where,
            )
        )
    label = "new issue" if verdict.only_new else "issue"
    for issue in verdict.blocking:
        where = sources.page(issue.service, issue.pages[0][0]) if sources else None
        errors.append(
            command(
                "error",
                f"{issue.help}: {issue.describe()}",
                title=f"kuva-audit: {issue.service}: {issue.impact} {label} ({issue.rule})",
                where=where,
            )
        )
    warnings = _new_below_threshold(report, verdict)
    shown = errors[: PER_KIND - 1]
    out = [*shown, *warnings[:PER_KIND]]
    if verdict.code:
        hidden = len(errors) - len(shown)
        more = f" ({hidden} more not annotated: see the log and the run report)" if hidden else ""
        out.append(
            command(
                "error",
                "; ".join(verdict.reasons()) + more,
                title=f"kuva-audit exit {verdict.code}",
            )
        )
    return out


def _new_below_threshold(report: RunReport, verdict: Verdict) -> list[str]:
    """Warnings for new open issues that do not fail the run (with a baseline only)."""
    if report.changes is None:
        return []
    blocking = {(issue.service, issue.fingerprint) for issue in verdict.blocking}
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    for run in report.services:
        sid = run.service.id
        for page in run.pages:
            for finding, node in report.failing_nodes(run, page):
                key = (sid, node.fingerprint)
                if key in blocking or key in found or report.change(*key) != "new":
                    continue
                impact = finding.impact or "minor"
                found[key] = (
                    impact,
                    page.url,
                    f"{finding.help}: {sid}: {finding.rule} ({impact}) on {node.selector} at "
                    f"{page.url} ({page.viewport})",
                )
    ordered = sorted(found.items(), key=lambda item: IMPACT_ORDER.index(item[1][0]))
    sources = report.sources
    return [
        command(
            "warning",
            message,
            title=f"kuva-audit: {sid}: new issue below --fail-on {verdict.fail_on}",
            where=sources.page(sid, url) if sources else None,
        )
        for (sid, _), (_, url, message) in ordered
    ]
