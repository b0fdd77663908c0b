"""The keyboard walk: Tab through the page once and record where focus goes and how it looks.

Shared by the keyboard, focus-visible and focus-order checks. Before the walk every element in
the sequential focus order (visible, enabled, ``tabIndex >= 0``) gets a private number and a
snapshot of its computed style (and of its pseudo-elements, three ancestors and its siblings).
Then Tab is pressed up to :data:`MAX_STEPS` times; after each press focus is read once it has
settled (:data:`FOCUS_SETTLE_JS`): after a task turn, and after every timer and animation frame
the page asked for while handling the focus change or the key (recorded by the monitor, see
:mod:`kuva_audit.audit.checks.monitor`) with a delay up to :data:`FOCUS_WAIT_MS` has run, so
a trap that moves focus back on blur, on the next frame or 100 ms later is seen, and after the
CSS transitions then running that end within that time (a focus style that fades in is read
at its end, not at its start), while a page that does neither pays no fixed delay. The focused
element is recorded with its new snapshot and whether any attribute changed in the document
meanwhile (a script-drawn indicator elsewhere). The walk *ends* when focus leaves the document
or comes back to the first element it reached. Tab presses that move focus on inside a frame
(the top document sees the same ``iframe`` focused) count as one step: a frame with many
links is not a trap; one that never lets focus out leaves the walk unended (for review).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS

MAX_STEPS = 100
FOCUS_WAIT_MS = 1000
"""Timers the page set while handling a focus change or key (or in such a timer or frame) with
a delay up to this many ms are waited for, however late a busy machine runs them; longer ones
(a tooltip that hides after 5 s) are not. So are CSS transitions that end within it."""
FOCUS_CAP_MS = 10_000
"""A step waits no longer than this in all (a chain is at most FOCUS_DEPTH timers deep)."""

# Wait until focus has settled after a key press (see the module docstring).
FOCUS_SETTLE_JS = """
const kuvaFocusSettle = async (waitMs, capMs) => {
  const monitor = window.__kuvaMonitor;
  const own = window[Symbol.for('kuva-audit.settle')];
  const later = (own && own.setTimeout) || window.setTimeout;
  const sleep = (ms) => new Promise((resolve) => later(resolve, ms));
  const start = performance.now();
  await sleep(0);
  while (monitor && monitor.focusTimers && performance.now() - start < capMs) {
    const due = [...monitor.focusTimers.values()].filter((t) => t.delay <= waitMs);
    if (!due.length && !monitor.focusFrames.size) break;
    const next = due.length ? Math.min(...due.map((t) => t.due)) - performance.now() : 0;
    await sleep(Math.max(1, Math.min(next, 20)));
  }
  const Transition = window.CSSTransition;
  if (!Transition || !document.getAnimations) return;
  const left = (a) => a.effect.getComputedTiming().endTime - (a.currentTime || 0);
  const moving = document.getAnimations().filter((a) => a instanceof Transition &&
    a.playState === 'running' && left(a) <= waitMs);
  if (moving.length) await Promise.race([
    Promise.allSettled(moving.map((a) => a.finished)),
    sleep(Math.max(0, capMs - (performance.now() - start)))]);
};
"""
TRAP_STEPS = 24
"""A walk that has not ended after this many steps and keeps cycling among at most half of
its last TRAP_STEPS / 2 elements is trapped."""

_PREPARE = (
    "() => {"
    + SELECTOR_JS
    + """
  const state = window.__kuvaWalk = { ids: new WeakMap(), next: 0, mutated: false };
  const props = ['outline-style', 'outline-width', 'outline-color', 'outline-offset',
    'box-shadow', 'border-top-color', 'border-bottom-color', 'border-left-color',
    'border-right-color', 'border-top-width', 'border-bottom-width', 'border-top-style',
    'border-bottom-style', 'background-color', 'background-image', 'color',
    'text-decoration-line', 'text-decoration-color', 'font-weight', 'transform', 'opacity',
    'visibility', 'display', 'filter'];
  const one = (el, pseudo) => {
    const cs = getComputedStyle(el, pseudo);
    const noOutline = cs.getPropertyValue('outline-style') === 'none';
    return props.map((p) => (noOutline && p.startsWith('outline-') ? '' : cs.getPropertyValue(p)))
      .join('|') + (pseudo ? cs.content : '');
  };
  const look = (el) => {
    const parts = [one(el), one(el, '::before'), one(el, '::after')];
    let up = el.parentElement;
    for (let i = 0; i < 3 && up; i++, up = up.parentElement) parts.push(one(up));
    for (const sib of [el.previousElementSibling, el.nextElementSibling])
      parts.push(sib ? one(sib) + '|' + sib.className : '');
    return parts;
  };
  state.look = look;
  const visible = (el) => {
    if (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true })) return false;
    return el.getClientRects().length > 0;
  };
  const candidates = document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex],' +
    ' [contenteditable]:not([contenteditable="false"]), audio[controls], video[controls]');
  const tabbable = [];
  for (const el of candidates) {
    if (el.tabIndex < 0 || el.disabled || !visible(el)) continue;
    if (el.localName === 'input' && el.type === 'hidden') continue;
    state.ids.set(el, state.next++);
    tabbable.push({ id: state.ids.get(el), selector: kuvaSelector(el), html: kuvaHtml(el),
                    before: look(el), positive: el.tabIndex > 0 });
  }
  const observer = new MutationObserver(() => { state.mutated = true; });
  observer.observe(document.documentElement,
    { attributes: true, subtree: true, attributeFilter: ['class', 'style', 'hidden'] });
  state.observer = observer;
  if (document.activeElement && document.activeElement !== document.body)
    document.activeElement.blur();
  window.scrollTo(0, 0);
  return tabbable;
}"""
)

_STEP = (
    "async ([waitMs, capMs]) => {"
    + SELECTOR_JS
    + FOCUS_SETTLE_JS
    + """
  const state = window.__kuvaWalk;
  await kuvaFocusSettle(waitMs, capMs);
  let el = document.activeElement;
  const mutated = state.mutated;
  state.mutated = false;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!state.ids.has(el)) state.ids.set(el, state.next++);
  const rect = el.getBoundingClientRect();
  const frame = ['iframe', 'frame', 'object', 'embed'].includes(el.localName);
  return { id: state.ids.get(el), selector: kuvaSelector(el), html: kuvaHtml(el),
           after: state.look(el), mutated, frame, x: rect.left + scrollX, y: rect.top + scrollY };
}"""
)

_FINISH = "() => { const s = window.__kuvaWalk; if (s && s.observer) s.observer.disconnect(); }"


@dataclass(frozen=True)
class Step:
    id: int
    selector: str
    html: str
    after: list[str]
    mutated: bool
    frame: bool
    """Focus is inside a nested document (iframe, object): its look is the frame's business."""
    x: float
    y: float


@dataclass(frozen=True)
class Walk:
    tabbable: list[dict[str, Any]]
    """Elements in the sequential focus order before the walk: id, selector, html, before."""
    steps: list[Step]
    ended: bool
    """Focus left the document or came back to where it started: no trap on the way."""

    def before(self, element: int) -> list[str] | None:
        return next((t["before"] for t in self.tabbable if t["id"] == element), None)

    def trap(self) -> list[Step]:
        """The elements focus cycles among at the end of a walk that never ended."""
        if self.ended or len(self.steps) < TRAP_STEPS:
            return []
        tail = self.steps[-TRAP_STEPS // 2 :]
        seen: dict[int, Step] = {}
        for step in tail:
            seen.setdefault(step.id, step)
        if len(seen) * 2 > len(tail):
            return []  # still moving on through a long page, not a trap
        return list(seen.values())


async def take_walk(page: Page, max_steps: int = MAX_STEPS) -> Walk:
    tabbable = await page.evaluate(_PREPARE)
    steps: list[Step] = []
    ended = False
    if tabbable:
        limit = min(max_steps, max(len(tabbable) * 2 + 6, TRAP_STEPS))
        first: int | None = None
        for _ in range(limit):
            await page.keyboard.press("Tab")
            raw = await page.evaluate(_STEP, [FOCUS_WAIT_MS, FOCUS_CAP_MS])
            if raw is None:
                if steps:
                    ended = True
                    break
                continue
            step = Step(**raw)
            if step.frame and steps and steps[-1].id == step.id:
                continue  # Tab moving on inside a frame: one step, not a cycle
            if first is None:
                first = step.id
            elif step.id == first:
                ended = True
                break
            steps.append(step)
        await page.evaluate(_FINISH)
    await asyncio.sleep(0)
    return Walk(tabbable, steps, ended)


async def walk_of(shared: Any) -> Walk:
    """The page's walk, taken on first use."""
    if shared.walk is None:
        shared.walk = await take_walk(shared.page)
    walk: Walk = shared.walk
    return walk
