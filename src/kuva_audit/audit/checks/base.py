"""What every interaction check shares: its rules, its results and the page state it changes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from kuva_audit.audit.identity import DESCRIBE_JS
from kuva_audit.audit.results import Impact

Outcome = Literal["passed", "failed", "review", "inapplicable"]
UNDERSTANDING = "https://www.w3.org/WAI/WCAG21/Understanding/"

# The element's place as a CSS selector: a unique id, else tag:nth-of-type steps up to one.
SELECTOR_JS = """
const kuvaSelector = (el) => {
  if (!el || el.nodeType === 9) return 'html';
  if (el.nodeType !== 1) el = el.parentElement;
  const steps = [];
  while (el && el.nodeType === 1) {
    const doc = el.ownerDocument;
    if (el.id) {
      const sel = '#' + CSS.escape(el.id);
      try { if (doc.querySelectorAll(sel).length === 1) { steps.unshift(sel); break; } }
      catch (e) { /* an id CSS cannot name */ }
    }
    const tag = CSS.escape(el.localName);
    const parent = el.parentElement;
    if (!parent) { steps.unshift(tag); break; }
    const same = Array.from(parent.children).filter((c) => c.localName === el.localName);
    steps.unshift(same.length > 1 ? tag + ':nth-of-type(' + (same.indexOf(el) + 1) + ')' : tag);
    el = parent;
  }
  return steps.join(' > ');
};
const kuvaHtml = (el) => {
  const html = el && el.outerHTML ? el.outerHTML : '';
  return html.length > 1000 ? html.slice(0, 1000) : html;
};
"""


ITEM_JS = (
    SELECTOR_JS
    + DESCRIBE_JS
    + """
const kuvaItem = (el, summary) => ({ selector: kuvaSelector(el), identity: kuvaDescribe(el),
  html: kuvaHtml(el), summary });
"""
)
"""For a check's script: ``kuvaItem(el, summary)`` is an item of :func:`items`, with the
identity axe's elements get (:mod:`kuva_audit.audit.identity`), so the same element is the same
issue whichever engine or check reports it."""


@dataclass(frozen=True)
class Rule:
    """One thing a check decides, and the criteria a failure or pass of it is evidence for."""

    id: str
    criteria: tuple[str, ...]
    level: Literal["A", "AA"]
    impact: Impact
    help: str
    description: str
    understanding: str

    @property
    def help_url(self) -> str:
        return UNDERSTANDING + self.understanding


@dataclass(frozen=True)
class Item:
    """An element a check reports, with what it found there."""

    selector: str
    html: str
    summary: str
    identity: str | None = None
    """The element's description (None: known by its selector only)."""


@dataclass(frozen=True)
class CheckResult:
    rule: Rule
    outcome: Outcome
    items: tuple[Item, ...] = ()


def items(raw: list[dict[str, Any]]) -> tuple[Item, ...]:
    """Items from the ``{selector, html, summary, identity}`` objects a check's script returns
    (``kuvaItem`` of :data:`ITEM_JS`)."""
    return tuple(
        Item(
            str(r["selector"]),
            str(r["html"]),
            str(r["summary"]),
            r["identity"] if isinstance(r.get("identity"), str) else None,
        )
        for r in raw
    )


@dataclass
class Shared:
    """State the checks of one page share: the Tab walk, and the viewport to restore."""

    page: Page
    walk: Any = None
    """The keyboard walk (see :mod:`kuva_audit.audit.checks.keyboard`), taken once."""
    viewport: dict[str, int] | None = None
    changed: set[str] = field(default_factory=set)

    def remember_viewport(self) -> None:
        if self.viewport is None:
            size = self.page.viewport_size
            self.viewport = {"width": size["width"], "height": size["height"]} if size else None
        self.changed.add("viewport")

    async def restore(self) -> None:
        """Put the viewport back for the next page the tab audits."""
        if "viewport" in self.changed and self.viewport is not None:
            with contextlib.suppress(PlaywrightError):
                await self.page.set_viewport_size(
                    {"width": self.viewport["width"], "height": self.viewport["height"]}
                )
