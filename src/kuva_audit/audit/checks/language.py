"""3.1.1 Language of page and 3.1.2 Language of parts: the declared language matches the text.

The text that inherits the ``<html lang>`` (visible text, the title, image text alternatives;
parts with their own ``lang`` left out) and the text of each element with its own ``lang`` are
identified with py3langid (a pinned, well-kept fork of langid.py, 97 languages, Finnish and
Swedish among them). A mismatch is a failure only when the evidence is strong: at least
:data:`MIN_WORDS_CERTAIN` words identified as another language with probability at least
:data:`CERTAIN`; a weaker mismatch is for review; short texts decide nothing. A declared
language the identifier does not know (or an invalid tag: axe's rules report those) decides
nothing either. Closely related languages the identifier confuses count as one (Norwegian and
Danish, Bosnian, Croatian and Serbian, Malay and Indonesian).
"""

from __future__ import annotations

import asyncio
import functools
import re
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

from kuva_audit.audit.checks.base import SELECTOR_JS, CheckResult, Item, Rule, Shared

PAGE = Rule(
    id="check:language-page",
    criteria=("3.1.1",),
    level="A",
    impact="serious",
    help="The page's declared language must be the language of its text",
    description="The lang attribute of the html element names the language of the text that "
    "inherits it.",
    understanding="language-of-page.html",
)
PARTS = Rule(
    id="check:language-parts",
    criteria=("3.1.2",),
    level="AA",
    impact="serious",
    help="A part's declared language must be the language of its text",
    description="The lang attribute of an element names the language of its text.",
    understanding="language-of-parts.html",
)
RULES = (PAGE, PARTS)
MIN_WORDS = 3
MIN_WORDS_CERTAIN = 5
CERTAIN = 0.95
LIKELY = 0.5
MATCH = 0.8
_KIN = ({"no", "nb", "nn", "da"}, {"bs", "hr", "sr"}, {"ms", "id"})
_WORD = re.compile(r"[^\W\d_]{2,}")

_TEXTS = (
    "() => {"
    + SELECTOR_JS
    + """
  const html = document.documentElement;
  if (!html || html.localName !== 'html') return null;
  const owner = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el ? el.closest('[lang]') : null;
  };
  const shown = (el) => el && el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const texts = new Map();
  const add = (el, text) => {
    if (!el || !text || !text.trim()) return;
    texts.set(el, (texts.get(el) || '') + ' ' + text.trim());
  };
  const walker = document.createTreeWalker(document.body || html, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
    if (!shown(parent)) continue;
    add(owner(node), node.data);
  }
  for (const img of document.querySelectorAll('img[alt], area[alt], input[type=image][alt]'))
    if (shown(img)) add(owner(img), img.getAttribute('alt'));
  if (html.hasAttribute('lang')) add(html, document.title);
  const parts = [];
  for (const [el, text] of texts) {
    if (el === html) continue;
    parts.push({ lang: el.getAttribute('lang'), text, selector: kuvaSelector(el),
                 html: kuvaHtml(el) });
  }
  return { lang: html.getAttribute('lang'), text: texts.get(html) || '', parts };
}"""
)


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@dataclass(frozen=True)
class LanguageVerdict:
    outcome: str
    """match, fail, review or none."""
    found: str = ""
    probability: float = 0.0


def judge_language(declared: str | None, text: str) -> LanguageVerdict:
    """Whether ``text`` is in the ``declared`` language (a BCP 47 tag), by the evidence."""
    primary = (declared or "").strip().lower().split("-")[0]
    words = len(_WORD.findall(text))
    identifier = _identifier()
    if not primary or words < MIN_WORDS or primary not in identifier.nb_classes:
        return LanguageVerdict("none")
    found, probability = identifier.classify(" ".join(text.split()))
    found, probability = str(found), float(probability)
    if found == primary or any(found in kin and primary in kin for kin in _KIN):
        return LanguageVerdict("match" if probability >= MATCH else "none", found, probability)
    if words >= MIN_WORDS_CERTAIN and probability >= CERTAIN:
        return LanguageVerdict("fail", found, probability)
    if probability >= LIKELY:
        return LanguageVerdict("review", found, probability)
    return LanguageVerdict("none", found, probability)


async def run(page: Page, shared: Shared) -> list[CheckResult]:
    await asyncio.to_thread(_identifier)  # the model loads once, off the event loop
    raw = await page.evaluate(_TEXTS)
    if raw is None:
        return [CheckResult(PAGE, "inapplicable"), CheckResult(PARTS, "inapplicable")]
    page_result = _page(raw)
    return [*([page_result] if page_result else []), _parts(raw["parts"])]


def _say(verdict: LanguageVerdict, declared: str) -> str:
    return (
        f"declared {declared!r}, but the text reads as {verdict.found!r} "
        f"(probability {verdict.probability:.2f})"
    )


def _page(raw: dict[str, Any]) -> CheckResult | None:
    """The page's outcome; None when its text is too short or unclear to decide."""
    declared = raw["lang"]
    if not declared or not str(raw["text"]).strip():
        return CheckResult(PAGE, "inapplicable")
    verdict = judge_language(declared, raw["text"])
    item = (Item("html", f'<html lang="{declared}">', _say(verdict, declared)),)
    if verdict.outcome == "fail":
        return CheckResult(PAGE, "failed", item)
    if verdict.outcome == "review":
        return CheckResult(PAGE, "review", item)
    if verdict.outcome == "match":
        return CheckResult(PAGE, "passed")
    return None


def _parts(parts: list[dict[str, Any]]) -> CheckResult:
    failed: list[Item] = []
    review: list[Item] = []
    matched = 0
    for part in parts:
        verdict = judge_language(part["lang"], part["text"])
        item = Item(part["selector"], part["html"], _say(verdict, part["lang"]))
        if verdict.outcome == "fail":
            failed.append(item)
        elif verdict.outcome == "review":
            review.append(item)
        elif verdict.outcome == "match":
            matched += 1
    if failed:
        return CheckResult(PARTS, "failed", tuple(failed))
    if review:
        return CheckResult(PARTS, "review", tuple(review))
    return CheckResult(PARTS, "passed" if matched else "inapplicable")
