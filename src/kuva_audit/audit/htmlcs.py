"""The HTML_CodeSniffer adapter: the second engine, run in every frame beside axe.

The bundled ``vendor/HTMLCS.js`` (npm ``@pa11y/html_codesniffer``, BSD-3-Clause; refreshed by
``scripts/refresh_htmlcs.py``, checked against ``vendor/htmlcs.json``) runs its ``WCAG2AA``
standard in each frame. A message code such as
``WCAG2AA.Principle1.Guideline1_3.1_3_1.H43.HeadersRequired`` names its success criterion
(1.3.1) and technique; the rule id kept is ``htmlcs:1.3.1:H43.HeadersRequired``.

- type 1 (error): a violation;
- type 2 (warning): needs review, like axe's incomplete results;
- type 3 (notice): dropped. Notices are generic reminders ("check that the title describes the
  document") raised on every page whatever its content, so they point at no barrier.

An element that axe already reports for one of the same criteria, or for the same problem
(:data:`SAME_PROBLEM`), is one issue, not two: the HTML_CodeSniffer node is dropped and the axe
node records that both engines found it.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from kuva_audit.audit.checks.base import SELECTOR_JS as _SELECTOR_JS
from kuva_audit.audit.fingerprint import FRAME_SEPARATOR, fingerprint, selector_identity
from kuva_audit.audit.identity import DESCRIBE_ELEMENT, DESCRIBE_JS, joined
from kuva_audit.audit.results import HTML_LIMIT, MAX_FRAME_DEPTH, Finding, Impact, Node, clip_html
from kuva_audit.audit.wcag import CRITERIA, is_legal
from kuva_audit.config.engines import HTMLCS
from kuva_audit.errors import first_line

ENGINE = HTMLCS
ENGINE_NAME = "HTML_CodeSniffer"
RULE_PREFIX = "htmlcs:"
IMPACT: Impact = "moderate"
"""HTML_CodeSniffer does not grade its errors; each counts as moderate (axe's third grade), so
that it is an issue in every count but does not fail a run at the default ``--fail-on
serious`` on its own."""
HELP_URL = "https://squizlabs.github.io/HTML_CodeSniffer/Standards/WCAG2/"

_ELEMENT_SELECTOR = "(el) => {" + _SELECTOR_JS + " return kuvaSelector(el); }"

# Run the standard in this frame's document. ``known``: selectors axe reported in this frame,
# so that an element both engines report is recognised as the same element. Each element gets
# the identity axe's elements get (kuva_audit.audit.identity).
_RUN = (
    "async ([exclude, known, limit]) => { if (!window.HTMLCS) return null;"
    + _SELECTOR_JS
    + DESCRIBE_JS
    + """
  const messages = await new Promise((resolve, reject) => {
    window.HTMLCS.process('WCAG2AA', document, () => resolve(window.HTMLCS.getMessages()),
      () => reject(new Error('HTML_CodeSniffer could not process the document')), 'en');
  });
  const owners = new Map();
  known.forEach((sel, i) => {
    let el = null;
    try { el = document.querySelector(sel); } catch (e) { el = null; }
    if (el) { if (!owners.has(el)) owners.set(el, []); owners.get(el).push(i); }
  });
  const excluded = (el) => el && el.nodeType === 1 && exclude.some((sel) => {
    try { return el.closest(sel) !== null; } catch (e) { return false; }
  });
  return messages.filter((m) => m.type === 1 || m.type === 2)
    .filter((m) => !excluded(m.element))
    .map((m) => {
      const el = m.element && m.element.nodeType === 9 ? m.element.documentElement : m.element;
      const html = el && el.outerHTML ? el.outerHTML : '';
      return { type: m.type, code: m.code, msg: m.msg, selector: kuvaSelector(el),
               identity: el ? kuvaDescribe(el) : null,
               html: html.length > limit ? html.slice(0, limit) : html,
               same: owners.get(el) || [] };
    });
}"""
)


SAME_PROBLEM: dict[str, frozenset[str]] = {
    technique: frozenset(rules)
    for technique, rules in (
        ("F68", ("label", "select-name", "aria-input-field-name")),
        ("H44", ("label",)),
        ("H91", ("label", "button-name", "link-name", "input-button-name", "select-name")),
        ("H37", ("image-alt",)),
        ("H30", ("image-alt", "link-name")),
        ("H36", ("input-image-alt",)),
        ("H24", ("area-alt",)),
        ("H64", ("frame-title",)),
        ("H57", ("html-has-lang", "html-lang-valid")),
        ("H58", ("valid-lang",)),
        ("H25", ("document-title",)),
        ("F77", ("duplicate-id", "duplicate-id-aria", "duplicate-id-active")),
        ("G18_or_G145", ("color-contrast",)),
        ("H43", ("td-headers-attr", "th-has-data-cells")),
        ("H63", ("td-headers-attr", "th-has-data-cells")),
        ("H42", ("empty-heading",)),
    )
}
"""HTML_CodeSniffer techniques and the axe rules that report the same problem under another
criterion (a field without a label is 1.3.1 for one engine and 4.1.2 for the other)."""


def same_problem(code: str, axe: Finding) -> bool:
    """Whether an axe finding on the same element reports what ``code`` reports."""
    criterion = criterion_of(code)
    if criterion is not None and criterion in axe.wcag:
        return True
    technique = rule_of(code).split(":")[-1].split(".")[0]
    return axe.rule in SAME_PROBLEM.get(technique, frozenset())


def _same_family(rule: str, other: str) -> bool:
    """Two HTML_CodeSniffer rules that report one problem (F68 and H91 on a field)."""
    mine = SAME_PROBLEM.get(rule.split(":")[-1].split(".")[0], frozenset())
    theirs = SAME_PROBLEM.get(other.split(":")[-1].split(".")[0], frozenset())
    return bool(mine & theirs)


class BundleError(RuntimeError):
    """The bundled script does not match its recorded checksum."""


@dataclass(frozen=True)
class Bundle:
    version: str
    source: str


@functools.cache
def bundle() -> Bundle:
    """The bundled HTML_CodeSniffer, checked against its recorded SHA-256."""
    vendor = files("kuva_audit.audit") / "vendor"
    info = json.loads((vendor / "htmlcs.json").read_text(encoding="utf-8"))
    raw = (vendor / str(info["file"])).read_bytes()
    if hashlib.sha256(raw).hexdigest() != info["sha256"]:
        raise BundleError(
            "kuva_audit/audit/vendor/HTMLCS.js does not match htmlcs.json; "
            "run scripts/refresh_htmlcs.py to restore it"
        )
    # Hide AMD/CommonJS globals so that the UMD wrapper defines window.HTMLCS.
    source = (
        "(function () { if (window.HTMLCS) return;"
        " const define = undefined, module = undefined, exports = undefined;\n"
        + raw.decode("utf-8")
        + "\n}).call(window)"
    )
    return Bundle(version=str(info["version"]), source=source)


def htmlcs_version() -> str:
    return bundle().version


@dataclass(frozen=True)
class Message:
    """One HTML_CodeSniffer message of one frame, already placed in the page."""

    type: int
    code: str
    message: str
    target: list[str | list[str]]
    html: str
    same_as: list[tuple[int, int]]
    """(finding index, node index) of axe nodes on the same element."""


@dataclass
class HtmlcsRun:
    violations: list[Finding]
    needs_review: list[Finding]
    confirmed: dict[tuple[str, int, int], list[str]] = field(default_factory=dict)
    """("violations"|"needs_review", finding index, node index) of axe nodes that
    HTML_CodeSniffer reported too, with its rules there."""
    frames: int = 0
    warnings: list[str] = field(default_factory=list)


def criterion_of(code: str) -> str | None:
    """``WCAG2AA.Principle1.Guideline1_3.1_3_1.H43`` -> ``1.3.1`` (None if not of that form)."""
    parts = code.split(".")
    if len(parts) < 5 or not parts[0].startswith("WCAG2"):
        return None
    numbers = parts[3].split("_")
    if len(numbers) != 3 or not all(n.isdigit() for n in numbers):
        return None
    return ".".join(numbers)


def rule_of(code: str) -> str:
    """The kuva-audit rule id of a message code: ``htmlcs:1.3.1:H43.HeadersRequired``."""
    criterion = criterion_of(code)
    technique = ".".join(code.split(".")[4:])
    return f"{RULE_PREFIX}{criterion}:{technique}" if criterion else RULE_PREFIX + code


async def run_htmlcs(
    page: Page,
    exclude: Sequence[str],
    axe_violations: Sequence[Finding],
    axe_review: Sequence[Finding],
    disabled: Sequence[str] = (),
) -> HtmlcsRun:
    """Run HTML_CodeSniffer in every frame of ``page``; map its errors and warnings."""
    frames = await _frames(page.main_frame, _Place(page.main_frame, [], []), 0)
    index_of = {id(place.frame): n for n, place in enumerate(frames)}
    resolved: dict[tuple[str, ...], int | None] = {(): 0}
    known: dict[int, list[tuple[str, str, int, int]]] = defaultdict(list)
    for kind, findings in (("violations", axe_violations), ("needs_review", axe_review)):
        for f_index, finding in enumerate(findings):
            for n_index, node in enumerate(finding.nodes):
                path = node.target
                if not path or not all(isinstance(p, str) for p in path):
                    continue  # shadow DOM: HTML_CodeSniffer does not look inside
                prefix = tuple(str(p) for p in path[:-1])
                if prefix not in resolved:
                    frame = await _axe_frame(page, prefix)
                    resolved[prefix] = index_of.get(id(frame)) if frame else None
                where = resolved[prefix]
                if where is not None:
                    known[where].append((str(path[-1]), kind, f_index, n_index))
    run = HtmlcsRun([], [])
    raw: list[tuple[dict[str, Any], _Place, list[tuple[str, int, int]]]] = []
    for frame_index, place in enumerate(frames):
        frame, frame_path = place.frame, place.path
        mine = known.get(frame_index, [])
        try:
            messages = await _in_frame(frame, list(exclude), [k[0] for k in mine])
        except PlaywrightError as exc:
            place_name = FRAME_SEPARATOR.join(frame_path) or "the page"
            run.warnings.append(f"{ENGINE_NAME} could not check {place_name}: {first_line(exc)}")
            continue
        run.frames += 1
        for message in messages:
            same = [(mine[i][1], mine[i][2], mine[i][3]) for i in message["same"]]
            raw.append((message, place, same))
    by_rule: dict[tuple[int, str], list[Node]] = defaultdict(list)
    texts: dict[str, str] = {}
    for message, place, same in raw:
        frame_path = place.path
        code = str(message["code"])
        rule = rule_of(code)
        if rule in disabled:
            continue
        type_ = int(message["type"])
        duplicate = False
        for kind, f_index, n_index in same:
            findings = axe_violations if kind == "violations" else axe_review
            wanted = "violations" if type_ == 1 else "needs_review"
            if kind == wanted and same_problem(code, findings[f_index]):
                run.confirmed.setdefault((kind, f_index, n_index), []).append(rule)
                duplicate = True
        if duplicate:
            continue
        selector = str(message["selector"])
        target: list[str | list[str]] = [*frame_path, selector]
        readable = FRAME_SEPARATOR.join([*frame_path, selector])
        html = str(message["html"])
        identity = message.get("identity")
        node = Node(
            selector=readable,
            target=target,
            html=clip_html(html),
            failure_summary=str(message["msg"]),
            fingerprint=fingerprint(
                rule,
                joined(place.keys, identity)
                if isinstance(identity, str) and place.keys is not None
                else selector_identity(readable),
            ),
        )
        nodes = by_rule[(type_, rule)]
        if all(n.selector != node.selector for n in nodes):
            nodes.append(node)
        texts.setdefault(rule, str(message["msg"]))
    claimed: dict[tuple[int, str], list[str]] = defaultdict(list)
    for (type_, rule), nodes in sorted(by_rule.items()):
        kept = []
        for node in nodes:
            others = claimed[(type_, node.selector)]
            if not any(_same_family(rule, other) for other in others):
                kept.append(node)
            others.append(rule)
        if not kept:
            continue
        finding = _finding(rule, texts[rule], kept)
        (run.violations if type_ == 1 else run.needs_review).append(finding)
    return run


def _finding(rule: str, text: str, nodes: list[Node]) -> Finding:
    criterion = rule.split(":")[1] if rule.count(":") >= 2 else None
    known = CRITERIA.get(criterion or "")
    legal = criterion is not None and is_legal(criterion)
    level: Literal["A", "AA"] | None = None
    if legal and known is not None:
        level = "A" if known.level == "A" else "AA"
    technique = rule.split(":", 2)[-1]
    return Finding(
        rule=rule,
        engine=ENGINE,
        impact=IMPACT,
        wcag=[criterion] if criterion else [],
        level=level,
        legal=legal,
        tags=[f"htmlcs-{technique}"],
        description=text,
        help=f"WCAG {criterion} ({technique})" if criterion else technique,
        help_url=HELP_URL,
        nodes=nodes,
    )


@dataclass(frozen=True)
class _Place:
    """A frame, its selector path from the top document and the identities of its frame
    elements (None when one could not be described)."""

    frame: Frame
    path: list[str]
    keys: list[str] | None


async def _frames(frame: Frame, place: _Place, depth: int) -> list[_Place]:
    """``place`` and every frame under it, depth first."""
    found = [place]
    if depth >= MAX_FRAME_DEPTH:
        return found
    for child in frame.child_frames:
        try:
            element = await child.frame_element()
            selector = await element.evaluate(_ELEMENT_SELECTOR)
            key = await element.evaluate(DESCRIBE_ELEMENT)
        except PlaywrightError:
            continue
        keys = [*place.keys, key] if place.keys is not None and isinstance(key, str) else None
        inner = _Place(child, [*place.path, str(selector)], keys)
        found.extend(await _frames(child, inner, depth + 1))
    return found


async def _axe_frame(page: Page, prefix: tuple[str, ...]) -> Frame | None:
    """The frame axe names by its chain of frame selectors."""
    frame: Frame | None = page.main_frame
    for selector in prefix:
        if frame is None:
            return None
        try:
            element = await frame.query_selector(selector)
            frame = await element.content_frame() if element is not None else None
        except PlaywrightError:
            return None
    return frame


async def _in_frame(frame: Frame, exclude: list[str], known: list[str]) -> list[dict[str, Any]]:
    arg = [exclude, known, HTML_LIMIT]
    result = await frame.evaluate(_RUN, arg)
    if result is None:
        await frame.evaluate(bundle().source)
        result = await frame.evaluate(_RUN, arg)
    if result is None:
        raise PlaywrightError("the script could not be loaded")
    return list(result)
