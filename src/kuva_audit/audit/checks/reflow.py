"""1.4.10 Reflow: at 320 CSS pixels wide, the page must not need horizontal scrolling.

The viewport is set to 320 x 256 CSS px (WCAG's 1280 px at 400 % zoom) and restored afterwards.
When the document then scrolls sideways, the elements that stick out past the right edge are
found: those inside content that may need two dimensions (tables, ``pre``, code, images, video,
canvas, SVG, maps, frames) or inside a box that scrolls or clips them are left out. Any other
element sticking out is a failure; sideways scrolling caused only by allowed content is for
review.
"""

from __future__ import annotations

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS, CheckResult, Item, Rule, Shared

REFLOW = Rule(
    id="check:reflow",
    criteria=("1.4.10",),
    level="AA",
    impact="serious",
    help="Content must reflow at 320 CSS pixels",
    description="At a width of 320 CSS pixels the page must be usable without scrolling in two "
    "directions, apart from content that needs two dimensions (tables, maps, images...).",
    understanding="reflow.html",
)
RULES = (REFLOW,)
WIDTH, HEIGHT = 320, 256

_MEASURE = (
    "() => {"
    + SELECTOR_JS
    + """
  const root = document.scrollingElement || document.documentElement;
  const width = window.innerWidth;
  if (!document.body || root.scrollWidth <= width + 1)
    return { scrolls: false, culprits: [], allowed: 0 };
  const twoD = 'table, pre, code, img, video, canvas, svg, map, iframe, object, embed, math,' +
    ' [role=img], [role=grid], [role=table], [role=application]';
  const culprits = [];
  let allowed = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.right <= width + 1 || rect.width === 0 || rect.height === 0) continue;
    if (el.closest(twoD)) { allowed++; continue; }
    let clipped = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const cs = getComputedStyle(up);
      if (cs.overflowX !== 'visible') { clipped = true; break; }
    }
    if (clipped) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.position === 'fixed') continue;
    // Report the outermost element that sticks out, not each of its descendants.
    if (culprits.some((c) => c.el.contains(el))) continue;
    culprits.push({ el, selector: kuvaSelector(el), html: kuvaHtml(el),
      summary: 'reaches ' + Math.round(rect.right) + ' px at a width of ' + width + ' px' });
    if (culprits.length >= 20) break;
  }
  return { scrolls: true, allowed,
           culprits: culprits.map(({ selector, html, summary }) => ({ selector, html, summary })) };
}"""
)
_HAS_CONTENT = (
    "() => !!(document.body && (document.body.innerText.trim()"
    " || document.body.querySelector('img, svg, video, canvas')))"
)


async def run(page: Page, shared: Shared) -> list[CheckResult]:
    if not await page.evaluate(_HAS_CONTENT):
        return [CheckResult(REFLOW, "inapplicable")]
    shared.remember_viewport()
    await page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    measured = await page.evaluate(_MEASURE)
    if not measured["scrolls"]:
        return [CheckResult(REFLOW, "passed")]
    culprits = tuple(
        Item(str(c["selector"]), str(c["html"]), str(c["summary"])) for c in measured["culprits"]
    )
    if culprits:
        return [CheckResult(REFLOW, "failed", culprits)]
    return [CheckResult(REFLOW, "review")]
