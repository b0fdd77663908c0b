"""When a loaded page has settled: no request in flight, no DOM change lately, no busy indicator.

An init script (:data:`INIT_SCRIPT`, installed in every document before the page's own scripts)
counts the page's fetch and XMLHttpRequest calls in flight and notes the time of the last DOM
change made after ``DOMContentLoaded`` (nodes added or removed, text changed) and of the last
request that started or ended. After the navigation event, :func:`settle` watches the page
until, at one check:

- no fetch/XHR is in flight,
- no visible busy indicator matches ``wait.busy`` (``aria-busy="true"``, an indeterminate
  progress bar, the loading spinners of common design systems, Helsinki's HDS among them),
- nothing changed for ``wait.quiet_ms`` (only asked of a page that did something after
  ``DOMContentLoaded``: a page that is complete when parsed is settled at once), and
- a page with nothing visible has no timer (``setTimeout``) due before the limit: an app that
  has not rendered yet is given the time it asked for, a static blank page none,

up to ``wait.settle_limit_ms`` after the navigation event (or ``wait.selector``).

A page that is still busy at the limit is audited all the same and says why in a warning; so is
a page with nothing visible (``blank``).

Static pages do not pay for this. A page is *inert* when, since ``DOMContentLoaded``, it has
changed nothing in its DOM, started no fetch, XHR, WebSocket or EventSource, has no timeout or
interval pending, and the browser has no request of it in flight (see :func:`settle`): nothing
it started can take a busy indicator away. An inert page that shows one (markup such as
``aria-busy="true"`` written into static HTML) is audited after ``wait.quiet_ms`` (time for an
animation-frame or idle callback to act), with the still-loading warning, instead of at the
limit. DOM changes are watched from ``DOMContentLoaded`` on, so what the HTML parser builds
never counts as the page changing (and costs nothing to observe).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

from kuva_audit.config.models import WaitSettings

_KEY = "Symbol.for('kuva-audit.settle')"

INIT_SCRIPT = (
    "(() => {"
    f" const key = {_KEY}; if (window[key]) return;"
    " const now = () => performance.now();"
    " const state = { inflight: new Map(), timers: new Map(), intervals: new Set(), next: 0,"
    "   last: 0,"
    "   setTimeout: window.setTimeout.bind(window) };"
    " Object.defineProperty(window, key, { value: state });"
    " const setTimeout0 = window.setTimeout, clearTimeout0 = window.clearTimeout;"
    " window.setTimeout = function (callback, ms) {"
    "   if (typeof callback !== 'function') return setTimeout0.apply(window, arguments);"
    "   const args = [...arguments];"
    "   let id;"
    "   args[0] = function () { state.timers.delete(id); return callback.apply(this, arguments); };"
    "   id = setTimeout0.apply(window, args);"
    "   state.timers.set(id, now() + (Number(ms) || 0));"
    "   return id; };"
    " window.clearTimeout = function (id) {"
    "   state.timers.delete(id); state.intervals.delete(id);"
    "   return clearTimeout0.apply(window, arguments); };"
    " const setInterval0 = window.setInterval, clearInterval0 = window.clearInterval;"
    " window.setInterval = function (callback, ms) {"
    "   if (typeof callback !== 'function') return setInterval0.apply(window, arguments);"
    "   const id = setInterval0.apply(window, arguments); state.intervals.add(id); return id; };"
    " window.clearInterval = function (id) {"
    "   state.timers.delete(id); state.intervals.delete(id);"
    "   return clearInterval0.apply(window, arguments); };"
    " const begin = (url) => { const id = ++state.next;"
    "   state.inflight.set(id, String(url)); state.last = now(); return id; };"
    " const end = (id) => { if (state.inflight.delete(id)) state.last = now(); };"
    " const fetch0 = window.fetch;"
    " if (typeof fetch0 === 'function') {"
    "   window.fetch = function (input, init) {"
    "     const url = input && typeof input === 'object' && 'url' in input ? input.url : input;"
    "     const id = begin(url);"
    "     let promise;"
    "     try { promise = fetch0.apply(this, arguments); } catch (e) { end(id); throw e; }"
    "     Promise.resolve(promise).then(() => end(id), () => end(id));"
    "     return promise; }; }"
    " const XHR = window.XMLHttpRequest;"
    " if (XHR) {"
    "   const open0 = XHR.prototype.open, send0 = XHR.prototype.send, urls = new WeakMap();"
    "   XHR.prototype.open = function (method, url) {"
    "     urls.set(this, url); return open0.apply(this, arguments); };"
    "   XHR.prototype.send = function () {"
    "     const id = begin(urls.get(this));"
    "     const done = () => { this.removeEventListener('loadend', done); end(id); };"
    "     this.addEventListener('loadend', done);"
    "     try { return send0.apply(this, arguments); } catch (e) { end(id); throw e; } }; }"
    " for (const name of ['WebSocket', 'EventSource']) { const Channel = window[name];"
    "   if (typeof Channel !== 'function') continue;"
    "   window[name] = new Proxy(Channel, { construct(target, args, newTarget) {"
    "     state.last = now(); const channel = Reflect.construct(target, args, newTarget);"
    "     channel.addEventListener('message', () => { state.last = now(); });"
    "     return channel; } }); }"
    # Watched from DOMContentLoaded on: what the parser builds is not the page changing, and
    # observing it would cost a record per parsed node.
    " const watch = () => new MutationObserver(() => { state.last = now(); })"
    "   .observe(document, { childList: true, subtree: true, characterData: true });"
    " if (document.readyState === 'loading')"
    "   document.addEventListener('DOMContentLoaded', watch, { capture: true, once: true });"
    " else watch();"
    "})()"
)
"""Installed as a browser context init script: runs in every document before its scripts."""

# One watch of the page, in the page: returns as soon as it has settled, or at the limit.
_WATCH = (
    "async ([quietMs, limitMs, busySelectors, checkBlank, inertOk]) => {"
    " const SEP = '\\u0000', busySelector = busySelectors.split(SEP).join(', ');"
    f" const state = window[{_KEY}];"
    " const start = performance.now();"
    " const shown = (el) => {"
    "   if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true,"
    "       visibilityProperty: true })) return false;"
    "   const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0; };"
    " const describe = (el) => el.localName + (el.id ? '#' + el.id : '')"
    "   + (typeof el.className === 'string' && el.className.trim()"
    "      ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');"
    " const busy = () => { if (!busySelector) return null;"
    "   for (const el of document.querySelectorAll(busySelector))"
    "     if (shown(el)) return describe(el);"
    "   return null; };"
    " const media = new Set(['img', 'svg', 'video', 'canvas', 'iframe', 'frame', 'object',"
    "   'embed', 'input', 'select', 'textarea', 'button', 'picture', 'audio']);"
    " const blank = () => { const body = document.body; if (!body) return true;"
    "   if ((body.innerText || '').trim()) return false;"
    "   for (const el of body.querySelectorAll('*')) {"
    "     const drawn = media.has(el.localName) || el.shadowRoot || el.localName.includes('-');"
    "     if (!drawn && getComputedStyle(el).backgroundImage === 'none') continue;"
    "     if (shown(el)) return false; }"
    "   return true; };"
    " const later = state ? state.setTimeout : setTimeout;"
    " const sleep = (ms) => new Promise((resolve) => later(resolve, ms));"
    " const due = () => !!state && [...state.timers.values()].some((at) => at <= start + limitMs);"
    " if (busySelector) for (const one of busySelectors.split(SEP)) {"
    "   try { document.createDocumentFragment().querySelector(one); }"
    "   catch (e) { return { invalid: one }; } }"
    # Let timers already due run first (one may start the page's data request).
    " if (state && [...state.timers.values()].some((at) => at <= start)) await sleep(0);"
    " for (;;) {"
    "   const t = performance.now();"
    "   const requests = state ? [...state.inflight.values()] : [];"
    "   const quiet = !state || !state.last || t - state.last >= quietMs;"
    "   const indicator = busy();"
    "   const calm = !requests.length && !indicator && quiet;"
    "   const isBlank = checkBlank && calm ? blank() : null;"
    "   const done = calm && !(isBlank && due());"
    "   const inert = inertOk && !!indicator && !!state && !state.last && !state.timers.size"
    "     && !state.intervals.size"
    "     && t - start >= quietMs;"
    "   if (done || inert || t - start >= limitMs)"
    "     return { settled: done, inert, requests, indicator, quiet,"
    "       blank: isBlank === null ? (checkBlank ? blank() : false) : isBlank,"
    "       waited_ms: t - start };"
    "   await sleep(Math.min(50, Math.max(1, limitMs - (t - start)))); } }"
)

DEFAULT_BUSY: tuple[str, ...] = (
    '[aria-busy="true"]',
    '[role="progressbar"]:not([aria-valuenow])',
    "progress:indeterminate",
    ".hds-loading-spinner",
    '[class*="LoadingSpinner-module_loadingSpinner"]',
    ".spinner-border",
    ".spinner-grow",
    ".MuiCircularProgress-root",
    ".MuiLinearProgress-indeterminate",
    ".MuiSkeleton-root",
    ".ant-spin-spinning",
    ".ant-skeleton-active",
    ".chakra-spinner",
    ".cds--loading:not(.cds--loading--stop)",
    ".bx--loading:not(.bx--loading--stop)",
    ".cds--skeleton",
)
"""Visible elements that mean "still loading", unless ``wait.busy`` says otherwise.

``aria-busy="true"``; a progress bar without a value (a determinate one that moves changes the
DOM, and one that stands still is a step indicator, not loading); and the loading spinners and
skeletons of Helsinki's design system HDS (core CSS ``hds-loading-spinner``, hds-react's
``LoadingSpinner`` CSS module), Bootstrap, MUI, Ant Design, Chakra UI and Carbon."""

STILL_LOADING = "audited while still loading"
BLANK = "blank page"


@dataclass(frozen=True)
class Settled:
    """How the watch ended."""

    settled: bool
    blank: bool
    waited_s: float
    requests: tuple[str, ...] = ()
    indicator: str | None = None
    changing: bool = False
    inert: bool = False
    """A busy indicator shows on a page that has done nothing since it was parsed (see the
    module's docstring): waiting could not clear it."""

    def still_loading(self, limit_ms: int) -> str:
        """The warning of a page audited while busy, naming what was still going on."""
        if self.inert:
            return (
                f"{STILL_LOADING}: a busy indicator shown ({self.indicator}) on a page that "
                "changed nothing, started no request and set no timer after it was parsed, "
                "so waiting could not clear it"
            )
        reasons = []
        if self.requests:
            shown = ", ".join(self.requests[:3]) + (", ..." if len(self.requests) > 3 else "")
            n = len(self.requests)
            reasons.append(f"{n} request{'s' if n > 1 else ''} in flight ({shown})")
        if self.indicator:
            reasons.append(f"a busy indicator shown ({self.indicator})")
        if self.changing:
            reasons.append("the page kept changing")
        if not reasons:
            reasons.append("nothing visible yet")
        return f"{STILL_LOADING}: after wait.settle_limit_ms ({limit_ms / 1000:g} s) " + "; ".join(
            reasons
        )


class InvalidSelector(ValueError):
    """A ``wait.busy`` entry the browser does not take as a CSS selector."""


def busy_selectors(wait: WaitSettings) -> str:
    """The busy indicators, NUL-separated for the page ("" for none)."""
    return "\0".join(DEFAULT_BUSY if wait.busy is None else wait.busy)


async def settle(
    page: Page,
    wait: WaitSettings,
    timeout_s: float,
    *,
    check_blank: bool,
    network_idle: Callable[[], bool] = lambda: True,
) -> Settled:
    """Watch ``page`` until it has settled or ``wait.settle_limit_ms`` has passed.

    ``network_idle`` says whether the browser has no request of the page in flight (of any
    kind: the page's scripts see only fetch and XHR, not a module or image still loading). A
    page that looks inert to its own scripts while the network is busy is watched on to the
    limit.

    Raises :class:`TimeoutError` when the page does not answer at all (a hung tab): not within
    twice ``timeout_s`` after the limit.
    """
    busy = busy_selectors(wait)

    async def watch(limit_ms: float, inert_ok: bool) -> dict[str, Any]:
        raw: dict[str, Any] = await asyncio.wait_for(
            page.evaluate(_WATCH, [wait.quiet_ms, limit_ms, busy, check_blank, inert_ok]),
            limit_ms / 1000 + 2 * timeout_s,
        )
        return raw

    raw = await watch(wait.settle_limit_ms, True)
    waited_ms = float(raw.get("waited_ms", 0))
    if raw.get("inert") and not network_idle():
        raw = await watch(max(wait.settle_limit_ms - waited_ms, 0), False)
        waited_ms += float(raw.get("waited_ms", 0))
    if "invalid" in raw:
        raise InvalidSelector(f"wait.busy: {raw['invalid']!r} is not a valid CSS selector")
    return Settled(
        settled=bool(raw["settled"]),
        blank=bool(raw["blank"]),
        waited_s=round(waited_ms / 1000, 3),
        requests=tuple(str(r) for r in raw["requests"]),
        indicator=raw["indicator"],
        changing=not raw["quiet"],
        inert=bool(raw.get("inert")),
    )
