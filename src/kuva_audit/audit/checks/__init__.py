"""Interaction checks: what axe cannot see, found by using the page.

Each check is a small module with one job and the WCAG criteria it tests. It returns one
:class:`Result` per rule: ``failed`` only where the check is certain, ``review`` where a person
must decide, ``passed`` or ``inapplicable`` otherwise. A failure becomes a violation (engine
``check``), a review item a needs-review finding (never a failure or a pass), a pass a passed
rule, which the statements count as the criterion checked automatically.

Checks run in the order of :data:`kuva_audit.config.engines.CHECK_NAMES`; the ones that
change the page (focus, text spacing, zoom, viewport) last. Each leaves the page as it found
its viewport.

Checks run only where they apply: those whose outcome does not depend on the viewport
(language, motion, and reflow, which sets its own 320 px viewport) run once per page, at its
first viewport; text resize runs only at viewports at least :data:`RESIZE_MIN_WIDTH` wide
(200 % zoom of a narrower one is beyond what reflow asks at 320 px). Where a check does not
run it reports nothing: no pass, no inapplicable.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from kuva_audit.audit.checks import focus, keyboard, language, motion, reflow, text
from kuva_audit.audit.checks.base import CheckResult, Rule, Shared
from kuva_audit.audit.fingerprint import fingerprint, selector_identity
from kuva_audit.audit.results import Finding, Node, clip_html
from kuva_audit.config.engines import CHECK_NAMES
from kuva_audit.errors import first_line

CheckFn = Callable[[Page, Shared], Awaitable[list[CheckResult]]]
ONCE_PER_PAGE = frozenset({"language", "motion", "reflow"})
"""Checks whose outcome is the same at every viewport: run at the page's first one only."""
RESIZE_MIN_WIDTH = 640


def _registry() -> dict[str, tuple[CheckFn, tuple[Rule, ...]]]:
    return {
        "language": (language.run, language.RULES),
        "motion": (motion.run, motion.RULES),
        "keyboard": (keyboard.run, keyboard.RULES),
        "focus-visible": (focus.run_visible, focus.VISIBLE_RULES),
        "focus-order": (focus.run_order, focus.ORDER_RULES),
        "text-spacing": (text.run_spacing, text.SPACING_RULES),
        "text-resize": (text.run_resize, text.RESIZE_RULES),
        "reflow": (reflow.run, reflow.RULES),
    }


CHECKS: tuple[str, ...] = CHECK_NAMES


def rule_checks() -> dict[str, str]:
    """Check rule id -> the name of the check that decides it."""
    return {rule.id: name for name, (_, rules) in _registry().items() for rule in rules}


def all_rules() -> dict[str, Rule]:
    """Every rule of every check, by id."""
    return {rule.id: rule for _, rules in _registry().values() for rule in rules}


def rule_criteria() -> dict[str, list[str]]:
    """Criteria of each check rule: what its pass is evidence for."""
    return {rule.id: list(rule.criteria) for rule in all_rules().values()}


@dataclass
class ChecksRun:
    violations: list[Finding] = field(default_factory=list)
    needs_review: list[Finding] = field(default_factory=list)
    passed_rules: list[str] = field(default_factory=list)
    inapplicable_rules: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def applies(name: str, width: int | None, first_viewport: bool) -> bool:
    """Whether check ``name`` runs at a viewport ``width`` px wide (None: unknown)."""
    if name in ONCE_PER_PAGE and not first_viewport:
        return False
    return not (name == "text-resize" and width is not None and width < RESIZE_MIN_WIDTH)


async def run_checks(
    page: Page, names: Sequence[str], disabled: Sequence[str], *, first_viewport: bool = True
) -> ChecksRun:
    """Run the checks ``names`` that apply on ``page`` (already audited by the engines);
    ``first_viewport``: whether this is the page's first viewport."""
    registry = _registry()
    shared = Shared(page)
    out = ChecksRun()
    size = page.viewport_size
    width = size["width"] if size else None
    try:
        for name in CHECK_NAMES:
            if name not in names or not applies(name, width, first_viewport):
                continue
            run, _ = registry[name]
            started = time.perf_counter()
            try:
                results = await run(page, shared)
            except PlaywrightError as exc:
                out.warnings.append(f"check {name} could not run: {first_line(exc)}")
                continue
            finally:
                out.seconds[f"check:{name}"] = round(time.perf_counter() - started, 3)
            for result in results:
                if result.rule.id in disabled:
                    continue
                _record(out, result)
    finally:
        await shared.restore()
    return out


def _record(out: ChecksRun, result: CheckResult) -> None:
    rule = result.rule
    if result.outcome == "passed":
        out.passed_rules.append(rule.id)
    elif result.outcome == "inapplicable":
        out.inapplicable_rules.append(rule.id)
    else:
        finding = check_finding(result)
        (out.violations if result.outcome == "failed" else out.needs_review).append(finding)


def check_finding(result: CheckResult) -> Finding:
    rule = result.rule
    nodes = []
    for item in result.items:
        html = clip_html(item.html)
        nodes.append(
            Node(
                selector=item.selector,
                target=[item.selector],
                html=html,
                failure_summary=item.summary,
                fingerprint=fingerprint(rule.id, item.identity or selector_identity(item.selector)),
            )
        )
    return Finding(
        rule=rule.id,
        engine="check",
        impact=rule.impact if result.outcome == "failed" else None,
        wcag=list(rule.criteria),
        level=rule.level,
        legal=True,
        tags=[f"wcag{c.replace('.', '')}" for c in rule.criteria],
        description=rule.description,
        help=rule.help,
        help_url=rule.help_url,
        nodes=nodes,
    )
