"""1.4.12 Text spacing and 1.4.4 Resize text: no text cut off by the change.

Both compare which elements clip their text before and after a change. An element *clips* when
its computed ``overflow`` is ``hidden`` or ``clip`` on an axis and its content is larger than
its box on that axis (elements of 2 px or less are the visually-hidden pattern and are left
out). Only elements that clip *after* the change but not before it count: what was already
cut off is not the change's doing.

- Text spacing: WCAG's values (line height 1.5, paragraph spacing 2 em, letter spacing
  0.12 em, word spacing 0.16 em) are applied as an ``!important`` user style, then removed.
- Resize text: the viewport is halved in CSS pixels, which is what 200 % zoom does to a page
  (media queries, ``vw`` and ``vh`` follow), then restored.

Reading the layout after the change forces it to be computed, so no frame is waited for. A
page where no box with text hides its overflow passes without the change (nothing there can
clip; for resize this assumes no media query makes a box start hiding its overflow).

A newly clipped element is a failure, except a single line cut with an ellipsis
(``text-overflow: ellipsis`` with ``nowrap``) or a box that holds or is followed by a link: a
deliberate truncation whose full text may be elsewhere, for review. Text that spills out and
overlaps other content is not measured.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS, CheckResult, Item, Rule, Shared

SPACING = Rule(
    id="check:text-spacing",
    criteria=("1.4.12",),
    level="AA",
    impact="serious",
    help="Text must not be cut off when text spacing is increased",
    description="With line height 1.5, paragraph spacing 2 em, letter spacing 0.12 em and word "
    "spacing 0.16 em, no text may be cut off.",
    understanding="text-spacing.html",
)
RESIZE = Rule(
    id="check:text-resize",
    criteria=("1.4.4",),
    level="AA",
    impact="serious",
    help="Text must not be cut off at 200 % zoom",
    description="Zoomed to 200 %, no text may be cut off by a box that hides its overflow.",
    understanding="resize-text.html",
)
SPACING_RULES = (SPACING,)
RESIZE_RULES = (RESIZE,)

SPACING_CSS = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)

_CLIPPED = (
    "() => {"
    + SELECTOR_JS
    + """
  const ids = window.__kuvaClip || (window.__kuvaClip = { map: new WeakMap(), next: 0 });
  const cut = (v) => v === 'hidden' || v === 'clip';
  const found = {};
  let texts = 0;
  const all = document.body ? document.body.querySelectorAll('*') : [];
  for (const el of all) {
    const cs = getComputedStyle(el);
    const x = cut(cs.overflowX), y = cut(cs.overflowY);
    if (!x && !y) continue;
    if (el.clientWidth <= 2 || el.clientHeight <= 2) continue;
    if (cs.visibility === 'hidden' || !el.getClientRects().length) continue;
    if (!(el.innerText || '').trim()) continue;
    texts++;
    const overX = x && el.scrollWidth > el.clientWidth + 1;
    const overY = y && el.scrollHeight > el.clientHeight + 1;
    if (!overX && !overY) continue;
    if (!ids.map.has(el)) ids.map.set(el, ids.next++);
    found[ids.map.get(el)] = { selector: kuvaSelector(el), html: kuvaHtml(el),
      ellipsis: cs.textOverflow === 'ellipsis' && cs.whiteSpace.startsWith('nowrap'),
      linked: !!(el.querySelector('a[href]') ||
        (el.nextElementSibling && el.nextElementSibling.matches('a[href]'))) };
  }
  const anyText = !!(document.body && document.body.innerText.trim());
  return { found, anyText, clipping: texts };
}"""
)
_ADD_STYLE = """(css) => {
  const style = document.createElement('style');
  style.id = '__kuva_text_spacing';
  style.textContent = css;
  (document.head || document.documentElement).appendChild(style);
}"""
_REMOVE_STYLE = (
    "() => { const s = document.getElementById('__kuva_text_spacing'); if (s) s.remove(); }"
)


async def run_spacing(page: Page, shared: Shared) -> list[CheckResult]:
    before = await page.evaluate(_CLIPPED)
    if not before["anyText"]:
        return [CheckResult(SPACING, "inapplicable")]
    if not before["clipping"]:
        return [CheckResult(SPACING, "passed")]  # no box hides overflowing text: none can clip
    await page.evaluate(_ADD_STYLE, SPACING_CSS)
    try:
        after = await page.evaluate(_CLIPPED)
    finally:
        await page.evaluate(_REMOVE_STYLE)
    return [_compare(SPACING, before, after, "cut off with WCAG's text spacing")]


async def run_resize(page: Page, shared: Shared) -> list[CheckResult]:
    size = page.viewport_size
    if size is None:
        return []
    before = await page.evaluate(_CLIPPED)
    if not before["anyText"]:
        return [CheckResult(RESIZE, "inapplicable")]
    if not before["clipping"]:
        return [CheckResult(RESIZE, "passed")]  # no box hides overflowing text: none can clip
    shared.remember_viewport()
    await page.set_viewport_size(
        {"width": max(size["width"] // 2, 160), "height": max(size["height"] // 2, 120)}
    )
    after = await page.evaluate(_CLIPPED)
    return [_compare(RESIZE, before, after, "cut off at 200 % zoom")]


def _compare(rule: Rule, before: dict[str, Any], after: dict[str, Any], what: str) -> CheckResult:
    failed: list[Item] = []
    review: list[Item] = []
    for key, element in after["found"].items():
        if key in before["found"]:
            continue
        item = Item(str(element["selector"]), str(element["html"]), "text " + what)
        (review if element["ellipsis"] or element["linked"] else failed).append(item)
    if failed:
        return CheckResult(rule, "failed", tuple(failed[:20]))
    if review:
        return CheckResult(rule, "review", tuple(review[:20]))
    return CheckResult(rule, "passed")
