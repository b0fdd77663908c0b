"""The identity of a reported element: what stays the same for one component on every page.

An issue is a rule failing on an element, and its fingerprint should mean one fix: the same
component on many pages and viewports is one issue, different elements are different issues.
axe's target selector is not such a name: it is the shortest selector unique on *that* page, so
a bare ``p`` or ``html`` names different elements on different pages, the same footer gets a
longer selector on a page where a shorter one is ambiguous, and state classes (``.active``)
come and go. So each reported element is described in its own frame, after the engine ran, by
:data:`DESCRIBE_JS` (``kuvaDescribe(element)``):

- its landmark ancestry: each enclosing landmark (``banner``, ``navigation``, ``main``,
  ``contentinfo``, ``complementary``, ``search``, a labelled ``region`` or ``form``, explicit
  roles included) with its label and its own tag, id and classes;
- its structural path below the nearest landmark (below ``body`` when there is none): each
  ancestor's tag, id and classes, without positions, at most the 12 nearest; shadow roots are
  crossed through their host;
- the element itself: tag, ``role``, id, classes, ``name``, ``type``, ``for``, ``aria-label``
  and the path pattern of ``href`` and ``src`` (query and fragment dropped; the host kept only
  for another site);
- its text (whitespace collapsed, digits as ``#``, the first 80 characters), only when the
  element has nothing of the above but its tag: a bare ``<p>`` or ``<li>`` is told from another
  by what it says, while an element with a class of its own is a styled component whose text
  is page content (a hero heading, a card's teaser) and is left out;
- a document (``html`` or ``body``: ``html-has-lang``, ``document-title``, ``landmark-one-main``)
  is described by its template instead: the distinct tag, id and classes of the body's
  children. Two pages of the same template (same header, main and footer wrappers) are one
  issue, fixed once in the template; pages of different templates are different issues.

Names are made stable first. Digits in ids, classes, names and paths become ``*`` (generated
ids such as ``react-select-3-input``, ``:r1:``, CSS-module and emotion hashes such as
``css-1x2y3z``), as does a styled-components class (a short mixed-case hash such as
``kEjsvZ``). State classes are dropped: ``active``, ``selected``, ``open``, ``current``,
``focus``, ``hover``, ``expanded``, ``show``, ``hidden``, ``disabled``... alone or as the last
word of a class (``menu-item--active``, ``router-link-exact-active``), anything starting with
``is-``/``has-`` (or ``isOpen``, ``has_error``), and the framework state classes ``ng-*`` and
``v-*``. Labels and text keep their letters, so different words stay different.

An element inside a frame is prefixed with the description of each enclosing ``iframe``
element (its ``src`` pattern, title...). A target that cannot be found again (the page changed
after the engine ran) falls back to axe's normalised selector, as fingerprint version 1 did.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame

FRAME_JOIN = "\n>> "
"""Between the descriptions of enclosing frames and of the element."""

MAX_PATH = 12

DESCRIBE_JS = (
    """
const kuvaDescribe = (() => {
  const STATES = new Set(['active', 'selected', 'open', 'opened', 'closed', 'current', 'focus',
    'focused', 'focus-visible', 'focus-within', 'hover', 'hovered', 'visited', 'checked',
    'unchecked', 'expanded', 'collapsed', 'collapsing', 'show', 'showing', 'shown', 'visible',
    'hidden', 'in', 'disabled', 'enabled', 'loading', 'loaded', 'sticky', 'stuck', 'scrolled',
    'pinned', 'pressed', 'highlighted', 'touched', 'untouched', 'dirty', 'pristine', 'invalid']);
  const LAST_WORD = new Set([...STATES].filter((w) => w !== 'in' && !w.includes('-')));
  const LANDMARKS = new Set(['banner', 'complementary', 'contentinfo', 'form', 'main',
    'navigation', 'region', 'search']);
  const SECTIONING = 'article, aside, main, nav, section';
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'link', 'meta']);
  const MAX_PATH = """
    + str(MAX_PATH)
    + """;
  const squash = (s) => String(s || '').replace(/\\s+/g, ' ').trim();
  const words = (s, n) => squash(s).toLowerCase().replace(/\\d+/g, '#').slice(0, n);
  const stable = (name) => {
    name = squash(name);
    if (/^[a-z][a-zA-Z]{4,7}$/.test(name) && (name.match(/[A-Z]/g) || []).length >= 2) return '*';
    return name.replace(/[A-Za-z0-9]+/g, (p) => (/\\d/.test(p) ? '*' : p));
  };
  const isState = (c) => {
    const lower = c.toLowerCase();
    if (STATES.has(lower) || /^(ng|v)-/.test(lower)) return true;
    if (/^(is|has)([-_]|[A-Z])/.test(c)) return true;
    const parts = lower.split(/[-_]+/);
    return parts.length > 1 && LAST_WORD.has(parts[parts.length - 1]);
  };
  const classes = (el) => {
    const out = new Set();
    for (const c of Array.from(el.classList || [])) {
      if (isState(c)) continue;
      const s = stable(c);
      if (s && s !== '*') out.add(s);
    }
    return Array.from(out).sort();
  };
  const step = (el) => {
    let s = el.localName;
    const id = stable(el.getAttribute('id'));
    if (id) s += '#' + id;
    for (const c of classes(el)) s += '.' + c;
    return s;
  };
  const pattern = (raw) => {
    raw = squash(raw);
    if (!raw) return '';
    if (raw.startsWith('#')) return stable(raw);
    let u;
    try { u = new URL(raw, document.baseURI); } catch (e) { return '?'; }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.protocol;
    const path = u.pathname.split('/').map(stable).join('/');
    return (u.origin === location.origin ? '' : u.host) + path;
  };
  const up = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const label = (el) => {
    let text = el.getAttribute('aria-label') || '';
    const ids = el.getAttribute('aria-labelledby');
    if (!squash(text) && ids) {
      const root = el.getRootNode();
      text = ids.split(/\\s+/).map((id) => {
        const found = root.getElementById ? root.getElementById(id) : null;
        return found ? found.textContent : '';
      }).join(' ');
    }
    return words(text, 60);
  };
  const landmark = (el) => {
    const role = squash(el.getAttribute('role')).split(' ')[0].toLowerCase();
    if (role) return LANDMARKS.has(role) ? role : '';
    const tag = el.localName;
    if (tag === 'main') return 'main';
    if (tag === 'nav') return 'navigation';
    if (tag === 'aside') return 'complementary';
    if (tag === 'search') return 'search';
    if (tag === 'header' || tag === 'footer') {
      const parent = el.parentElement;
      if (parent && parent.closest(SECTIONING)) return '';
      return tag === 'header' ? 'banner' : 'contentinfo';
    }
    if ((tag === 'section' || tag === 'form') && label(el)) {
      return tag === 'section' ? 'region' : 'form';
    }
    return '';
  };
  const own = (el) => {
    const parts = [step(el)];
    const attr = (name, value) => { if (value) parts.push(name + '=' + value); };
    attr('role', words(el.getAttribute('role'), 40));
    attr('name', stable(el.getAttribute('name')));
    attr('type', words(el.getAttribute('type'), 20));
    attr('for', stable(el.getAttribute('for')));
    attr('aria-label', words(el.getAttribute('aria-label'), 60));
    attr('href', pattern(el.getAttribute('href')));
    attr('src', pattern(el.getAttribute('src')));
    return parts;
  };
  const template = (doc) => {
    const body = doc.body;
    if (!body) return [];
    const kids = Array.from(body.children).filter((c) => !SKIP.has(c.localName));
    return Array.from(new Set(kids.map(step))).sort();
  };
  return (el) => {
    if (!el) return null;
    if (el.nodeType === 9) el = el.documentElement;
    if (el && el.nodeType !== 1) el = el.parentElement;
    if (!el) return null;
    const doc = el.ownerDocument;
    if (el === doc.documentElement || el === doc.body) {
      return JSON.stringify({ document: el.localName, template: template(doc) });
    }
    const landmarks = [];
    const path = [];
    let below = true;
    for (let p = up(el); p && p !== doc.body && p !== doc.documentElement; p = up(p)) {
      const role = landmark(p);
      if (role) {
        landmarks.unshift(role + '[' + label(p) + '] ' + step(p));
        below = false;
      } else if (below && path.length < MAX_PATH) {
        path.unshift(step(p));
      }
    }
    const mine = own(el);
    const out = { landmarks, path, element: mine };
    if (mine.length === 1 && mine[0] === el.localName) out.text = words(el.textContent, 80);
    return JSON.stringify(out);
  };
})();
"""
)

_PICK_JS = """
const kuvaPick = (selector) => {
  try {
    if (typeof selector === 'string') return document.querySelector(selector);
    let root = document;
    let el = null;
    for (const part of selector) {
      if (!root) return null;
      el = root.querySelector(part);
      if (!el) return null;
      root = el.shadowRoot;
    }
    return el;
  } catch (e) {
    return null;
  }
};
"""

_DESCRIBE_ALL = (
    "(selectors) => {" + DESCRIBE_JS + _PICK_JS + " return selectors.map((s) => {"
    " const el = kuvaPick(s); return el ? kuvaDescribe(el) : null; }); }"
)
_PICK = "(selector) => {" + _PICK_JS + " return kuvaPick(selector); }"
DESCRIBE_ELEMENT = "(el) => {" + DESCRIBE_JS + " return kuvaDescribe(el); }"
"""For ``element_handle.evaluate``: the description of that element."""

Target = list[Any]
"""axe's target: a selector per frame level, each a string or a list through shadow roots."""


def joined(frame_keys: Sequence[str], element: str) -> str:
    """The identity of an element inside frames described by ``frame_keys``."""
    return FRAME_JOIN.join([*frame_keys, element])


async def describe_targets(main: Frame, targets: Sequence[Target]) -> list[str | None]:
    """The identity of each target's element, resolved in its frame and shadow root; None for a
    target that is not found again."""
    out: list[str | None] = [None] * len(targets)
    groups: dict[str, list[int]] = {}
    for index, target in enumerate(targets):
        if target:
            groups.setdefault(json.dumps(target[:-1]), []).append(index)
    frames: dict[str, tuple[Frame, list[str]] | None] = {"[]": (main, [])}
    for key, indexes in groups.items():
        place = await _frame(main, json.loads(key), frames)
        if place is None:
            continue
        frame, frame_keys = place
        try:
            found = await frame.evaluate(_DESCRIBE_ALL, [targets[i][-1] for i in indexes])
        except PlaywrightError:
            continue
        for index, description in zip(indexes, found, strict=True):
            if isinstance(description, str):
                out[index] = joined(frame_keys, description)
    return out


async def _frame(
    main: Frame, prefix: list[Any], cache: dict[str, tuple[Frame, list[str]] | None]
) -> tuple[Frame, list[str]] | None:
    """The frame axe names by ``prefix`` and the descriptions of its frame elements."""
    key = json.dumps(prefix)
    if key in cache:
        return cache[key]
    parent = await _frame(main, prefix[:-1], cache)
    found: tuple[Frame, list[str]] | None = None
    if parent is not None:
        frame, keys = parent
        try:
            handle = await frame.evaluate_handle(_PICK, prefix[-1])
            element = handle.as_element()
            if element is not None:
                child = await element.content_frame()
                if child is not None:
                    found = (child, [*keys, str(await element.evaluate(DESCRIBE_ELEMENT))])
            await handle.dispose()
        except PlaywrightError:
            found = None
    cache[key] = found
    return found
