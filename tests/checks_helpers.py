"""Outcomes of interaction checks in an audit result, for the check tests."""

from __future__ import annotations

from kuva_audit.audit.results import PageResult, ServiceRun


def by_page(run: ServiceRun) -> dict[str, PageResult]:
    pages = {}
    for page in run.pages:
        assert page.status == "ok", (page.url, page.error)
        pages[page.url.rsplit("/", 1)[1]] = page
    return pages


def outcome(page: PageResult, rule: str) -> str | None:
    """failed, review, passed, inapplicable, or None when the check said nothing."""
    if any(f.rule == rule for f in page.violations):
        return "failed"
    if any(f.rule == rule for f in page.needs_review):
        return "review"
    if rule in page.passed_rules:
        return "passed"
    if rule in page.inapplicable_rules:
        return "inapplicable"
    return None


def selectors(page: PageResult, rule: str) -> list[str]:
    found = [f for f in page.violations + page.needs_review if f.rule == rule]
    return [n.selector for f in found for n in f.nodes]
