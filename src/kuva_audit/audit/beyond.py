"""Beyond axe: the second engine and the interaction checks, run on a page axe has audited.

:func:`run_beyond` takes axe's outcome of one page and returns it extended: HTML_CodeSniffer's
errors and warnings (an element axe already reports for the same criterion stays one issue; an
error on a criterion axe tested and passed on the page is for review, see :func:`_disputed`),
then each enabled interaction check's failures, items for review, passes and inapplicable
rules, and the seconds each engine and check took. Checks change the page (focus, zoom, text
spacing, viewport), so they run after both engines and the viewport is restored.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from playwright.async_api import Page

from kuva_audit.audit.axe import rule_criteria
from kuva_audit.audit.checks import CHECKS, run_checks
from kuva_audit.audit.checks.monitor import INIT_SCRIPT as MONITOR
from kuva_audit.audit.htmlcs import ENGINE, bundle, run_htmlcs
from kuva_audit.audit.results import Finding, Node


@dataclass
class Beyond:
    violations: list[Finding]
    needs_review: list[Finding]
    passed_rules: list[str]
    inapplicable_rules: list[str]
    frames: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def beyond_init_scripts(enabled: Sequence[str]) -> list[str]:
    """Scripts each document of the browser context compiles while loading (as axe's)."""
    scripts = [bundle().source] if ENGINE in enabled else []
    if any(name in enabled for name in CHECKS):
        scripts.append(MONITOR)
    return scripts


async def run_beyond(
    page: Page,
    enabled: Sequence[str],
    exclude: Sequence[str],
    disabled_rules: Sequence[str],
    violations: list[Finding],
    needs_review: list[Finding],
    *,
    axe_passed: Sequence[str] = (),
    first_viewport: bool = True,
) -> Beyond:
    """Run the enabled engines and checks after axe (whose findings are given);
    ``first_viewport``: whether this is the page's first viewport (see
    :func:`kuva_audit.audit.checks.applies`)."""
    out = Beyond(list(violations), list(needs_review), [], [])
    if ENGINE in enabled:
        started = time.perf_counter()
        run = await run_htmlcs(page, exclude, violations, needs_review, disabled_rules)
        out.seconds[ENGINE] = round(time.perf_counter() - started, 3)
        certain, disputed = _disputed(
            run.violations, violations, needs_review, axe_passed, await _axe_criteria(page)
        )
        out.violations = _confirm(violations, "violations", run.confirmed) + certain
        out.needs_review = _confirm(needs_review, "needs_review", run.confirmed)
        out.needs_review += disputed + run.needs_review
        out.frames = run.frames
        out.warnings += run.warnings
    checks = [name for name in CHECKS if name in enabled]
    if checks:
        done = await run_checks(page, checks, disabled_rules, first_viewport=first_viewport)
        out.violations += done.violations
        out.needs_review += done.needs_review
        out.passed_rules += done.passed_rules
        out.inapplicable_rules += done.inapplicable_rules
        out.seconds.update(done.seconds)
        out.warnings += done.warnings
    return out


_AXE_CRITERIA: dict[str, list[str]] = {}


async def _axe_criteria(page: Page) -> dict[str, list[str]]:
    """Criteria of each rule of the bundled axe-core, read once per process."""
    if not _AXE_CRITERIA:
        _AXE_CRITERIA.update(await rule_criteria(page.context))
    return _AXE_CRITERIA


def _disputed(
    htmlcs: list[Finding],
    axe_violations: list[Finding],
    axe_review: list[Finding],
    axe_passed: Sequence[str],
    criteria_of: dict[str, list[str]],
) -> tuple[list[Finding], list[Finding]]:
    """HTML_CodeSniffer's errors split into (certain, disputed). An error is disputed when its
    criterion is one axe-core tested on this page without failing it (a rule for it passed,
    or axe could not decide, and none failed): the engines disagree, so it is for review."""
    passed = {c for rule in axe_passed for c in criteria_of.get(rule, ())}
    passed |= {c for f in axe_review if f.legal for c in f.wcag}
    failed = {c for f in axe_violations if f.legal for c in f.wcag}
    settled = passed - failed
    certain = [f for f in htmlcs if not settled & set(f.wcag)]
    disputed = [f for f in htmlcs if settled & set(f.wcag)]
    return certain, disputed


def _confirm(
    findings: list[Finding], kind: str, confirmed: dict[tuple[str, int, int], list[str]]
) -> list[Finding]:
    """``findings`` with each node HTML_CodeSniffer also reported marked as found by both."""
    out = []
    for f_index, finding in enumerate(findings):
        nodes: list[Node] = []
        for n_index, node in enumerate(finding.nodes):
            if (kind, f_index, n_index) in confirmed and ENGINE not in node.also_found_by:
                node = node.model_copy(update={"also_found_by": [*node.also_found_by, ENGINE]})
            nodes.append(node)
        out.append(finding.model_copy(update={"nodes": nodes}))
    return out
