"""The axe-core adapter: the only module that sees axe's raw JSON.

axe-core comes from axe-playwright-python (its bundled ``axe.min.js``). It is driven the way
Deque's own integrations do to reach every frame: axe is injected into each frame,
``axe.runPartial`` runs in every frame (recursing through the frames axe itself selects, shadow
DOM included), and ``axe.finishRun`` combines the partial results in a separate blank tab that
page scripts cannot tamper with. A page without frames is audited with a single ``axe.run``
(faster, same results). A frame that cannot be reached, or whose document failed to load (the
browser's error page, an HTTP error), is recorded as a warning naming its address, is not
audited and is not counted in ``frames_audited``: never skipped silently.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from playwright.async_api import BrowserContext, ElementHandle, Frame, Page
from playwright.async_api import Error as PlaywrightError

from kuva_audit.audit.fingerprint import fingerprint, readable_selector, selector_identity
from kuva_audit.audit.identity import describe_targets
from kuva_audit.audit.results import MAX_FRAME_DEPTH, Finding, Node, clip_html
from kuva_audit.audit.safe import safe_json, safe_text
from kuva_audit.audit.wcag import map_tags
from kuva_audit.errors import first_line

AXE_SOURCE: str = AXE_SCRIPT
AXE_VERSION: str = (re.search(r"axe v(\d+\.\d+\.\d+)", AXE_SOURCE[:200]) or ["", "unknown"])[1]

# axe defines ``window.axe`` unless the page has an AMD loader or CommonJS globals, in which
# case it would register itself there instead; hide those while it loads. Installed as the
# browser context's init script, so each document compiles it while loading; frames where it
# did not run get it injected on demand.
INIT_SCRIPT = (
    "(() => { if (window.axe && window.axe.version) return;"
    " const define = undefined, module = undefined, exports = undefined;\n" + AXE_SOURCE + "\n})()"
)
_CONFIGURE = (
    "window.axe.configure({ allowedOrigins: ['<unsafe_all_origins>'],"
    " branding: { application: 'kuva-audit' } });"
)
# Passes and inapplicable rules travel back as rule ids only.
_COMPACT = (
    "const compact = (r) => ({ violations: r.violations, incomplete: r.incomplete,"
    " passes: r.passes.map((x) => x.id), inapplicable: r.inapplicable.map((x) => x.id) });"
)
# Top frame: a page without frames to audit is done in one call with axe.run; otherwise the top
# frame's partial result and the frames axe wants tested come back together. null: no axe yet.
_TOP = (
    "async ([context, options]) => { if (!window.axe) return null; "
    + _CONFIGURE
    + _COMPACT
    + " const frames = window.axe.utils.getFrameContexts(context, options);"
    " const title = document.title, url = location.href;"
    " if (frames.length === 0)"
    "   return { title, url, results: compact(await window.axe.run(context, options)) };"
    " return { title, url, frames, partial: await window.axe.runPartial(context, options) }; }"
)
_PARTIAL = (
    "async ([context, options]) => { if (!window.axe) return null; "
    + _CONFIGURE
    + " return { frames: window.axe.utils.getFrameContexts(context, options),"
    " partial: await window.axe.runPartial(context, options) }; }"
)
_SHADOW_SELECT = "(selector) => window.axe.utils.shadowSelect(selector)"
_FRAME_SRC = "(element) => element.src || element.getAttribute('src') || ''"
_ERROR_PAGE = "chrome-error:"
_FINISH = (
    "async ([partials, options]) => { if (!window.axe) return null; "
    + _CONFIGURE
    + _COMPACT
    + " return compact(await window.axe.finishRun(partials, options)); }"
)


@dataclass(frozen=True)
class AxeRun:
    """One axe run's outcome, already mapped to kuva-audit's model."""

    title: str
    url: str
    """The audited document's address (a chrome-error: page means it navigated away)."""
    violations: list[Finding]
    needs_review: list[Finding]
    passed_rules: list[str]
    inapplicable_rules: list[str]
    frames_audited: int
    warnings: list[str] = field(default_factory=list)


async def rule_criteria(context: BrowserContext) -> dict[str, list[str]]:
    """The WCAG 2.0/2.1 A/AA criteria of every rule of the bundled axe-core (legal rules only):
    what an automated pass of a rule is evidence for."""
    page = await context.new_page()
    try:
        await page.evaluate(INIT_SCRIPT)
        rules = await page.evaluate("window.axe.getRules().map((r) => [r.ruleId, r.tags])")
    finally:
        await page.close()
    mapping = {rule: map_tags(tags) for rule, tags in rules}
    return {rule: list(m.criteria) for rule, m in sorted(mapping.items()) if m.legal}


def axe_options(disable_rules: Sequence[str]) -> dict[str, Any]:
    """axe run options: the default rule set (WCAG 2.x A/AA, best practices) minus disabled rules.

    ``resultTypes`` keeps full node lists for violations and needs-review only; passes and
    inapplicable rules are still listed by id.
    """
    options: dict[str, Any] = {"resultTypes": ["violations", "incomplete"]}
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    return options


def axe_context(exclude: Sequence[str]) -> dict[str, Any]:
    return {"exclude": [[selector] for selector in exclude]}


async def run_axe(
    page: Page,
    scratch: Callable[[], Awaitable[Page]],
    context: dict[str, Any],
    options: dict[str, Any],
    failed_frames: Mapping[Frame, tuple[str, str]] | None = None,
) -> AxeRun:
    """Run axe in every frame of ``page``.

    Partial results of pages with frames are combined in the blank tab ``scratch()`` returns.
    ``failed_frames``: (URL, reason) of frames whose document failed to load.
    """
    warnings: list[str] = []
    top = await _with_axe(page.main_frame, _TOP, [context, options])
    if "results" in top:
        raw, frames = top["results"], 1
    else:
        walk = _FrameWalk(options, warnings, failed_frames or {})
        children = await walk.partials(page.main_frame, top["frames"], 0)
        partials = [top["partial"], *children]
        finisher = await scratch()
        raw = await _with_axe(finisher.main_frame, _FINISH, [partials, options])
        frames = sum(p is not None for p in partials)
    raw = safe_json(raw)  # the page wrote these strings: see kuva_audit.audit.safe
    # Each reported element described in its frame while the page is as axe saw it.
    targets = [
        node.get("target") or []
        for kind in ("violations", "incomplete")
        for rule in raw[kind]
        for node in rule.get("nodes", ())
    ]
    identities = iter(await describe_targets(page.main_frame, targets) if targets else [])
    return AxeRun(
        title=safe_text(top["title"]),
        url=safe_text(top["url"]),
        violations=[axe_finding(r, identities) for r in raw["violations"]],
        needs_review=[axe_finding(r, identities) for r in raw["incomplete"]],
        passed_rules=sorted(raw["passes"]),
        inapplicable_rules=sorted(raw["inapplicable"]),
        frames_audited=frames,
        warnings=warnings,
    )


async def _with_axe(frame: Frame, script: str, arg: Any) -> Any:
    """Evaluate ``script`` in ``frame``, injecting axe first if the init script did not run."""
    result = await frame.evaluate(script, arg)
    if result is None:
        await frame.evaluate(INIT_SCRIPT)
        result = await frame.evaluate(script, arg)
    return result


@dataclass
class _FrameWalk:
    options: dict[str, Any]
    warnings: list[str]
    failed_frames: Mapping[Frame, tuple[str, str]]

    async def partials(
        self, frame: Frame, frame_contexts: list[dict[str, Any]], depth: int
    ) -> list[Any]:
        """Partial results of the frames of ``frame``, depth first, in the order axe expects;
        None for a frame not audited."""
        results: list[Any] = []
        for item in frame_contexts:
            selector = item["frameSelector"]
            try:
                if depth >= MAX_FRAME_DEPTH:
                    raise RuntimeError(f"frames nested deeper than {MAX_FRAME_DEPTH}")
                handle = await frame.evaluate_handle(_SHADOW_SELECT, selector)
                element = handle.as_element()
                child = await element.content_frame() if element is not None else None
                if child is None:
                    raise RuntimeError("frame not found or not loaded")
                assert element is not None
                failure = await self._load_failure(child, element)
                if failure is not None:
                    self.warnings.append(failure)
                    results.append(None)
                    continue
                own = await _with_axe(child, _PARTIAL, [item["frameContext"], self.options])
            except (PlaywrightError, RuntimeError) as exc:
                self.warnings.append(f"frame {_describe(selector)} not audited: {first_line(exc)}")
                results.append(None)
                continue
            results.append(own["partial"])
            results.extend(await self.partials(child, own["frames"], depth + 1))
        return results

    async def _load_failure(self, child: Frame, element: ElementHandle) -> str | None:
        """A warning if the frame's document failed to load, naming the frame's address."""
        failed = self.failed_frames.get(child)
        if failed is None and not child.url.startswith(_ERROR_PAGE):
            return None
        url, reason = failed or (str(await element.evaluate(_FRAME_SRC)) or child.url, "")
        shown = reason or "the browser showed its error page"
        return f"frame {url} not audited: it failed to load ({shown})"


def _describe(selector: Any) -> str:
    if isinstance(selector, list):
        return readable_selector(selector)
    return str(selector)


def axe_finding(raw: dict[str, Any], identities: Iterator[str | None] | None = None) -> Finding:
    """One axe rule result as a :class:`Finding`, with its WCAG criteria and fingerprints.

    ``identities``: the identity of each node in turn (see :mod:`kuva_audit.audit.identity`);
    a node without one is known by its selector."""
    rule = raw["id"]
    mapping = map_tags(raw.get("tags", ()))
    return Finding(
        rule=rule,
        impact=raw.get("impact"),
        wcag=list(mapping.criteria),
        wcag_beyond=list(mapping.beyond),
        level=mapping.level,
        legal=mapping.legal,
        tags=list(raw.get("tags", ())),
        description=raw.get("description", ""),
        help=raw.get("help", ""),
        help_url=raw.get("helpUrl", ""),
        nodes=list(_nodes(rule, raw.get("nodes", ()), identities or iter(()))),
    )


def _nodes(
    rule: str, raw_nodes: Iterable[dict[str, Any]], identities: Iterator[str | None]
) -> Iterable[Node]:
    for raw in raw_nodes:
        target = raw.get("target") or []
        selector = readable_selector(target)
        identity = next(identities, None) or selector_identity(selector)
        html = raw.get("html") or ""
        yield Node(
            selector=selector,
            target=target,
            html=clip_html(html),
            failure_summary=raw.get("failureSummary"),
            fingerprint=fingerprint(rule, identity),
        )
