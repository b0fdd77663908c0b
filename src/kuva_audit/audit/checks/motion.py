"""2.2.2 Pause, stop, hide: content that moves or updates by itself (review only).

Found: text that changed after the page loaded (watched from the load event by the monitor
init script; when the page keeps intervals running and nothing changed yet, it is watched
:data:`WATCH_MS` more), ``marquee`` and ``blink`` elements, and endless or longer than 5 s CSS
animations of visible elements. When the page has such content and no control named like a
pause, stop or hide button (fi, sv, en), the changing elements are listed for review. Whether
an update is essential, or lasts more than 5 seconds, needs a person: nothing here is a failure
or a pass.
"""

from __future__ import annotations

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS, CheckResult, Rule, Shared, items

MOTION = Rule(
    id="check:motion",
    criteria=("2.2.2",),
    level="A",
    impact="serious",
    help="Moving or updating content should have a pause, stop or hide control",
    description="Content that moves, blinks, scrolls or updates by itself for more than 5 "
    "seconds needs a way to pause, stop or hide it; no such control was found.",
    understanding="pause-stop-hide.html",
)
RULES = (MOTION,)
WATCH_MS = 1100

_STATE = (
    "() => { const m = window.__kuvaMonitor; return m ? [m.textChanges, m.intervals.size] : null; }"
)
_FIND = (
    "() => {"
    + SELECTOR_JS
    + """
  const m = window.__kuvaMonitor;
  const found = new Map();
  const visible = (el) => el && el.isConnected && el.getClientRects().length > 0;
  if (m) for (const el of m.changed) if (visible(el)) found.set(el, 'its text changed by itself');
  for (const el of document.querySelectorAll('marquee, blink'))
    if (visible(el)) found.set(el, 'a ' + el.localName + ' element moves by itself');
  for (const anim of document.getAnimations ? document.getAnimations() : []) {
    const el = anim.effect && anim.effect.target;
    if (!el || !visible(el) || anim.playState !== 'running') continue;
    const timing = anim.effect.getComputedTiming();
    if (timing.endTime === Infinity || timing.endTime > 5000)
      found.set(el, 'it is animated for more than 5 seconds');
  }
  const control = /(pause|stop|hide|pysäytä|keskeytä|piilota|pausa|stoppa|dölj)/i;
  const hasControl = Array.from(document.querySelectorAll(
    'button, input[type=button], input[type=submit], [role=button], a[href]')).some((el) =>
      control.test((el.innerText || el.value || '') + ' ' + (el.getAttribute('aria-label') || '')));
  return { hasControl, items: Array.from(found).slice(0, 10).map(([el, summary]) =>
    ({ selector: kuvaSelector(el), html: kuvaHtml(el), summary })) };
}"""
)


async def run(page: Page, shared: Shared) -> list[CheckResult]:
    state = await page.evaluate(_STATE)
    if state is not None and state[0] == 0 and state[1] > 0:
        await page.wait_for_timeout(WATCH_MS)
    found = await page.evaluate(_FIND)
    if not found["items"]:
        return [CheckResult(MOTION, "inapplicable")]
    if found["hasControl"]:
        return []
    return [CheckResult(MOTION, "review", items(found["items"]))]
