"""2.4.7 Focus visible (failure when certain) and 2.4.3 Focus order (review).

Focus visible: each element the Tab walk reached is compared with itself before the walk:
computed outline, shadow, border, colours, decoration, transform... of the element, its
pseudo-elements, three ancestors and its two siblings. No difference at all and no class or
style change anywhere in the document while it was focused: a failure (nothing can look
different). A difference only elsewhere (an attribute changed somewhere): for review. A
difference on the element or next to it: passed. Focus inside a frame is not judged: its
indicator is drawn in the frame's own document.

Focus order: positive ``tabindex`` values, and Tab moves that go back up the page by more than
a screen while the document order goes forward, are listed for review. No pass is claimed:
whether an order preserves meaning needs a person.
"""

from __future__ import annotations

from playwright.async_api import Page

from kuva_audit.audit.checks.base import CheckResult, Item, Rule, Shared
from kuva_audit.audit.checks.walk import walk_of

VISIBLE = Rule(
    id="check:focus-visible",
    criteria=("2.4.7",),
    level="AA",
    impact="serious",
    help="Keyboard focus must be visible",
    description="An element that receives keyboard focus must look different from when it "
    "does not have focus.",
    understanding="focus-visible.html",
)
ORDER = Rule(
    id="check:focus-order",
    criteria=("2.4.3",),
    level="A",
    impact="moderate",
    help="Focus order should follow the reading order",
    description="Check that the order in which Tab moves focus preserves meaning: these "
    "elements change the natural order (positive tabindex) or jump back up the page.",
    understanding="focus-order.html",
)
VISIBLE_RULES = (VISIBLE,)
ORDER_RULES = (ORDER,)
JUMP_PX = 600
"""A Tab move that goes this far back up the page while the DOM order goes forward."""


async def run_visible(page: Page, shared: Shared) -> list[CheckResult]:
    walk = await walk_of(shared)
    if not walk.steps:
        return [CheckResult(VISIBLE, "inapplicable")]
    failed: list[Item] = []
    review: list[Item] = []
    seen: set[int] = set()
    for step in walk.steps:
        if step.id in seen or step.frame:
            continue  # a frame's focus indicator is drawn inside the frame
        seen.add(step.id)
        before = walk.before(step.id)
        if before is None:
            continue  # focused by script, not in the focus order we recorded
        own = before[:3] != step.after[:3]
        near = before[3:] != step.after[3:]
        if own or near:
            continue
        if step.mutated:
            review.append(
                Item(
                    step.selector,
                    step.html,
                    "only a change elsewhere in the page may show focus here",
                )
            )
        else:
            failed.append(Item(step.selector, step.html, "looks the same focused and not focused"))
    if failed:
        return [CheckResult(VISIBLE, "failed", tuple(failed))]
    if review:
        return [CheckResult(VISIBLE, "review", tuple(review))]
    return [CheckResult(VISIBLE, "passed")]


async def run_order(page: Page, shared: Shared) -> list[CheckResult]:
    walk = await walk_of(shared)
    if len(walk.tabbable) < 2:
        return [CheckResult(ORDER, "inapplicable")]
    found: list[Item] = [
        Item(t["selector"], t["html"], "positive tabindex changes the focus order")
        for t in walk.tabbable
        if t["positive"]
    ]
    for prev, step in zip(walk.steps, walk.steps[1:], strict=False):
        if step.id > prev.id and prev.y - step.y > JUMP_PX:
            found.append(
                Item(step.selector, step.html, f"Tab jumps {round(prev.y - step.y)} px back up")
            )
    return [CheckResult(ORDER, "review", tuple(found[:20]))] if found else []
