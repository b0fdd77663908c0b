"""2.1.2 No keyboard trap (failure when certain) and 2.1.1 Keyboard (review).

A trap: the Tab walk never ends and keeps cycling among a few elements. It is a failure when
the page offers no way out: no text that names a key, or the key it names (Escape or a
modifier combination such as Ctrl+M; other keys could activate something, so they are not
pressed) pressed in the trap does not let Tab move on. A trap with instructions that name no
key the check can press (a help link, say) is for review.

2.1.1: elements that act on click (an ``onclick`` attribute or a click or mouse-button listener
registered by script) but are neither focusable nor inside something focusable are listed for
review; a handler on ``body`` or a container with focusable content inside is left out (event
delegation). No pass is claimed for 2.1.1: the check sees only one way to miss it.
"""

from __future__ import annotations

import re

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS, CheckResult, Item, Rule, Shared, items
from kuva_audit.audit.checks.walk import (
    FOCUS_CAP_MS,
    FOCUS_SETTLE_JS,
    FOCUS_WAIT_MS,
    Step,
    Walk,
    walk_of,
)

TRAP = Rule(
    id="check:keyboard-trap",
    criteria=("2.1.2",),
    level="A",
    impact="critical",
    help="Keyboard focus must not be trapped",
    description="Pressing Tab moves focus through the page and out of every component, or the "
    "page tells how to move out and that way works.",
    understanding="no-keyboard-trap.html",
)
CLICK_ONLY = Rule(
    id="check:keyboard-click-only",
    criteria=("2.1.1",),
    level="A",
    impact="serious",
    help="What acts on click must be usable from the keyboard",
    description="Elements that act on click but cannot get keyboard focus: check that what "
    "they do can be done from the keyboard.",
    understanding="keyboard.html",
)
RULES = (TRAP, CLICK_ONLY)

_KEY = re.compile(
    r"\b(?:press|hit|use|paina|tryck)\s+(?:the\s+)?(?:(ctrl|control|alt|shift|meta)\s*\+\s*)?"
    r"(esc(?:ape)?|tab|enter|f\d{1,2}|[a-z0-9])\b",
    re.IGNORECASE,
)
_MENTIONS_KEY = re.compile(
    r"\b(press|ctrl|control|escape|esc|shortcut|key|paina|näppäin|tryck|tangent)\b", re.I
)
_HELP = re.compile(r"\b(help|how to|ohje|hjälp|instructions?)\b", re.I)

_CLICK_ONLY = (
    "() => {"
    + SELECTOR_JS
    + """
  const monitor = window.__kuvaMonitor;
  const focusable = (el) => el.tabIndex >= 0 && !el.disabled;
  const visible = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const found = [];
  const all = document.body ? document.body.querySelectorAll('*') : [];
  for (const el of all) {
    const clicks = el.hasAttribute('onclick') || (monitor && monitor.clickable.has(el));
    if (!clicks || !visible(el)) continue;
    if (focusable(el) || el.closest('a[href], button, summary, label, [tabindex]')) continue;
    if (el.querySelector('a[href], button, input, select, textarea, [tabindex]')) continue;
    found.push({ selector: kuvaSelector(el), html: kuvaHtml(el),
      summary: 'acts on click but cannot get keyboard focus' });
    if (found.length >= 20) break;
  }
  return found;
}"""
)
_TEXT = "() => document.body ? document.body.innerText : ''"
_FOCUSED = (
    "async ([waitMs, capMs]) => {"
    + SELECTOR_JS
    + FOCUS_SETTLE_JS
    + " await kuvaFocusSettle(waitMs, capMs); const el = document.activeElement;"
    " return el && el !== document.body ? kuvaSelector(el) : null; }"
)


async def run(page: Page, shared: Shared) -> list[CheckResult]:
    walk = await walk_of(shared)
    results = [await _trap(page, walk)] if walk.tabbable else [CheckResult(TRAP, "inapplicable")]
    clicks = items(await page.evaluate(_CLICK_ONLY))
    if clicks:
        results.append(CheckResult(CLICK_ONLY, "review", clicks))
    return results


async def _trap(page: Page, walk: Walk) -> CheckResult:
    trapped = walk.trap()
    if not trapped:
        return CheckResult(TRAP, "passed") if walk.ended else CheckResult(TRAP, "review")
    text = str(await page.evaluate(_TEXT))
    where = tuple(
        Item(s.selector, s.html, "focus cannot leave this group with Tab") for s in trapped
    )
    key = _KEY.search(text)
    if key is not None and (key[1] or key[2].lower() in ("esc", "escape")):
        if await _escapes(page, trapped, key):
            return CheckResult(TRAP, "passed")
        return CheckResult(
            TRAP, "failed", _say(where, f"; the key the page names ({key[0]}) did not free it")
        )
    if _MENTIONS_KEY.search(text) or any(_HELP.search(s.html) for s in trapped):
        return CheckResult(TRAP, "review", _say(where, "; the page may explain a way out"))
    return CheckResult(TRAP, "failed", _say(where, " and the page names no other key"))


def _say(where: tuple[Item, ...], extra: str) -> tuple[Item, ...]:
    return tuple(Item(i.selector, i.html, i.summary + extra) for i in where)


async def _escapes(page: Page, trapped: list[Step], key: re.Match[str]) -> bool:
    """Press the key the page names while focus is trapped; then Tab must leave the group."""
    combo = _combo(key)
    group = {s.selector for s in trapped}
    await page.keyboard.press(combo)
    for _ in range(len(group) + 2):
        await page.keyboard.press("Tab")
        now = await page.evaluate(_FOCUSED, [FOCUS_WAIT_MS, FOCUS_CAP_MS])
        if now is None or now not in group:
            return True
    return False


def _combo(key: re.Match[str]) -> str:
    """The instruction's key as Playwright names it: ``Control+m``, ``Escape``."""
    modifier, name = key[1], key[2]
    name = {"esc": "Escape", "escape": "Escape", "enter": "Enter", "tab": "Tab"}.get(
        name.lower(), name.upper() if name.lower().startswith("f") and len(name) > 1 else name
    )
    if len(name) == 1:
        name = name.lower()
    if not modifier:
        return name
    mod = {"ctrl": "Control", "control": "Control"}.get(modifier.lower(), modifier.capitalize())
    return mod + "+" + name


__all__ = ["RULES", "run"]
