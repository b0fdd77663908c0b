"""What the page does by itself, recorded from its first script on.

An init script (compiled into every document of the browser context, like axe) notes, without
changing what the page does: elements that get click or mouse-button listeners (for the
keyboard check: something that acts on click may be out of the keyboard's reach), the
intervals the page keeps running, changes to its visible text after it has loaded (for the
motion check), and the timers and animation frames the page asks for while it handles a focus
or key event, or inside such a timer or frame up to :data:`FOCUS_DEPTH` deep (for the keyboard
walk: a component that moves focus back a moment after it left does so in one of them).
"""

from __future__ import annotations

FOCUS_DEPTH = 4

INIT_SCRIPT = """(() => {
  if (window.__kuvaMonitor) return;
  const monitor = window.__kuvaMonitor = { clickable: new WeakSet(), clickCount: 0,
    intervals: new Set(), textChanges: 0, changed: new Set(), loadedAt: 0,
    focusTimers: new Map(), focusFrames: new Set() };
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if ((type === 'click' || type === 'mousedown' || type === 'mouseup') &&
        this instanceof Element) { monitor.clickable.add(this); monitor.clickCount++; }
    return add.call(this, type, listener, options);
  };
  const setI = window.setInterval, clearI = window.clearInterval;
  window.setInterval = function (...args) {
    const id = setI.apply(this, args); monitor.intervals.add(id); return id;
  };
  window.clearInterval = function (id) {
    monitor.intervals.delete(id); return clearI.call(this, id);
  };
  const focusEvents = new Set(['blur', 'focusout', 'focus', 'focusin', 'keydown', 'keyup',
    'keypress']);
  let depth = 0;
  const followed = () => (depth > 0 && depth < DEPTH) ||
    (depth === 0 && window.event !== undefined && focusEvents.has(window.event.type));
  const within = (callback, level, done) => function () {
    done(); const outer = depth; depth = level + 1;
    try { return callback.apply(this, arguments); } finally { depth = outer; }
  };
  const setT = window.setTimeout, clearT = window.clearTimeout;
  window.setTimeout = function (callback, ms, ...rest) {
    if (typeof callback !== 'function' || !followed()) return setT.apply(this, arguments);
    let id;
    id = setT.call(this, within(callback, depth, () => monitor.focusTimers.delete(id)), ms,
      ...rest);
    const delay = Math.max(0, Number(ms) || 0);
    monitor.focusTimers.set(id, { due: performance.now() + delay, delay });
    return id;
  };
  window.clearTimeout = function (id) {
    monitor.focusTimers.delete(id); return clearT.apply(this, arguments);
  };
  const raf = window.requestAnimationFrame, caf = window.cancelAnimationFrame;
  if (raf) {
    window.requestAnimationFrame = function (callback) {
      if (typeof callback !== 'function' || !followed()) return raf.apply(this, arguments);
      let id;
      id = raf.call(this, within(callback, depth, () => monitor.focusFrames.delete(id)));
      monitor.focusFrames.add(id);
      return id;
    };
    window.cancelAnimationFrame = function (id) {
      monitor.focusFrames.delete(id); return caf.apply(this, arguments);
    };
  }
  const watch = () => {
    monitor.loadedAt = performance.now();
    new MutationObserver((records) => {
      for (const r of records) {
        const node = r.type === 'characterData' ? r.target.parentElement : r.target;
        if (!node || node.nodeType !== 1) continue;
        const text = r.type === 'characterData' || Array.from(r.addedNodes).concat(
          Array.from(r.removedNodes)).some((n) => n.nodeType === 3 && n.data.trim());
        if (text) { monitor.textChanges++; monitor.changed.add(node); }
      }
    }).observe(document.documentElement, { childList: true, characterData: true, subtree: true });
  };
  if (document.readyState === 'complete') watch();
  else window.addEventListener('load', () => setTimeout(watch, 0));
})()""".replace("DEPTH", str(FOCUS_DEPTH))
