"""What the page does by itself, recorded from its first script on.

An init script (compiled into every document of the browser context, like axe) notes, without
changing what the page does: elements that get click or mouse-button listeners (for the
keyboard check: something that acts on click may be out of the keyboard's reach), the
intervals the page keeps running, and changes to its visible text after it has loaded (for the
motion check).
"""

from __future__ import annotations

INIT_SCRIPT = """(() => {
  if (window.__kuvaMonitor) return;
  const monitor = window.__kuvaMonitor = { clickable: new WeakSet(), clickCount: 0,
    intervals: new Set(), textChanges: 0, changed: new Set(), loadedAt: 0 };
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
})()"""
