"""Audit one service: a fresh browser context per viewport, N tabs pulling pages from a queue.

Tabs are kept and navigated from page to page (opening a tab costs more than auditing a small
page); a tab whose attempt failed is closed and the retry gets a fresh one, so a crashed or hung
tab never takes other pages down with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Mapping
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from kuva_audit.audit.axe import INIT_SCRIPT, axe_context, axe_options
from kuva_audit.audit.beyond import beyond_init_scripts
from kuva_audit.audit.page import PageFailure, PageJob, Tab, audit_page, classify
from kuva_audit.audit.results import PageResult
from kuva_audit.audit.settle import INIT_SCRIPT as SETTLE_SCRIPT
from kuva_audit.config.models import Action, Service, Settings, Viewport, resolve_page

BACKOFF_S = 0.5
"""First retry waits this long; each further retry twice as long."""

OPTIONAL_PROBE_S = 5.0
"""How long an optional pre-action (a cookie banner that may not be shown) is tried before it
is skipped (at most ``timeout_s``): the banner is there soon after loading or not at all."""

TAB_RECYCLE_AFTER = 20
"""A tab is replaced after this many pages. A reused renderer's memory grows with every page
(about 14 MB a page on the ACT corpus, collected lazily); a fresh tab now and then keeps memory
flat however long the run, for about 10 ms a page."""

OnResult = Callable[[PageResult], None]


async def audit_service(
    browser: Browser,
    service: Service,
    settings: Settings,
    pages: list[tuple[int, str]],
    concurrency: int,
    on_result: OnResult,
    page_settings: Mapping[str, Settings] | None = None,
) -> None:
    """Audit each (position, URL) at every viewport; report each result via ``on_result``.

    ``page_settings``: a listed page's own wait, viewports and allow_blank (by URL). Pages are
    audited viewport by viewport, the service's first, then any other a page names."""
    own = page_settings or {}
    by_viewport: dict[Viewport, list[tuple[PageJob, Settings]]] = {
        v: [] for v in settings.viewports
    }
    for position, url in pages:
        effective = own.get(url, settings)
        for viewport in effective.viewports:
            by_viewport.setdefault(viewport, []).append(
                (PageJob(position, url, viewport), effective)
            )
    for jobs in by_viewport.values():
        if jobs:
            await _audit_viewport(browser, service, settings, jobs, concurrency, on_result)


async def _audit_viewport(
    browser: Browser,
    service: Service,
    settings: Settings,
    jobs: list[tuple[PageJob, Settings]],
    concurrency: int,
    on_result: OnResult,
) -> None:
    viewport = jobs[0][0].viewport
    context = await browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        is_mobile=viewport.mobile,
        has_touch=viewport.mobile,
        locale="fi-FI",
        service_workers="block",
        accept_downloads=False,  # a download is recorded as not-html, never saved
    )
    await context.add_init_script(script=SETTLE_SCRIPT)
    await context.add_init_script(script=INIT_SCRIPT)
    for script in beyond_init_scripts(settings.checks):
        await context.add_init_script(script=script)
    try:
        first = await Tab.open(context)
        failure, skipped = await _pre_actions(first, service, settings)
        if failure is not None:
            for job, _ in jobs:
                on_result(job.error("pre-action", failure, attempts=1))
            await first.close()
            return
        if skipped:
            on_result = _with_warnings(on_result, skipped)
        queue: asyncio.Queue[tuple[PageJob, Settings]] = asyncio.Queue()
        for item in jobs:
            queue.put_nowait(item)
        workers = min(concurrency, len(jobs))
        options = axe_options(settings.disable_rules)
        ctx = axe_context(settings.exclude)
        tasks = [
            _worker(context, first if n == 0 else None, queue, ctx, options, on_result)
            for n in range(workers)
        ]
        await asyncio.gather(*tasks)
    finally:
        with contextlib.suppress(PlaywrightError, TimeoutError):
            await asyncio.wait_for(context.close(), 30)


async def _worker(
    context: BrowserContext,
    tab: Tab | None,
    queue: asyncio.Queue[tuple[PageJob, Settings]],
    ctx: dict[str, Any],
    options: dict[str, Any],
    on_result: OnResult,
) -> None:
    try:
        while not queue.empty():
            job, settings = queue.get_nowait()
            result: PageResult | None = None
            block_navigation = quick = False
            for attempt in range(1, settings.retries + 2):
                if attempt > 1:
                    await asyncio.sleep(BACKOFF_S * 2 ** (attempt - 2))
                try:
                    if tab is None:
                        tab = await Tab.open(context)
                    result = await audit_page(
                        tab,
                        job,
                        settings,
                        ctx,
                        options,
                        block_navigation=block_navigation,
                        quick=quick,
                    )
                    if attempt > 1:
                        result = result.model_copy(update={"attempts": attempt})
                    break
                except (PageFailure, PlaywrightError) as exc:
                    failure = classify(exc, settings.timeout_s)
                    block_navigation = failure.self_navigation
                    result = job.failed(failure, attempt)
                    if tab is not None:
                        await tab.close()
                        tab = None
                    if failure.final:
                        break
                    if failure.deterministic:
                        if quick:
                            break  # the same answer twice: no more retries
                        quick = True
            assert result is not None
            on_result(result)
            if tab is not None and tab.audits >= TAB_RECYCLE_AFTER:
                await tab.close()
                tab = None
    finally:
        if tab is not None:
            await tab.close()


def _with_warnings(on_result: OnResult, warnings: list[str]) -> OnResult:
    """``on_result`` that adds ``warnings`` to every audited page's result."""

    def add(result: PageResult) -> None:
        if result.status == "ok":
            result = result.model_copy(update={"warnings": warnings + result.warnings})
        on_result(result)

    return add


async def _pre_actions(
    tab: Tab, service: Service, settings: Settings
) -> tuple[str | None, list[str]]:
    """Run the pre-actions in ``tab``: the reason they failed (or None), and a warning for
    each optional action that was skipped."""
    skipped: list[str] = []
    if not settings.actions:
        return None, skipped
    timeout = settings.timeout_s * 1000
    page = tab.page
    try:
        await page.goto(service.url, wait_until=settings.wait.until, timeout=timeout)
    except PlaywrightError as exc:
        reason = classify(exc, settings.timeout_s)
        return f"pre-actions: cannot open {service.url}: {reason}", skipped
    for n, action in enumerate(settings.actions):
        # An optional action is probed briefly: a banner that is not shown is not waited for.
        limit = min(OPTIONAL_PROBE_S, settings.timeout_s) if action.optional else settings.timeout_s
        try:
            await asyncio.wait_for(_run_action(page, service, action, limit * 1000), limit * 2)
        except (PlaywrightError, TimeoutError, KeyError) as exc:
            if action.optional:
                skipped.append(
                    f"optional pre-action {n + 1} ({action.kind} "
                    f"{getattr(action, action.kind)!r}) was skipped: not possible within "
                    f"{limit:g} s"
                )
                continue
            reason = exc.args[0] if isinstance(exc, KeyError) else classify(exc, settings.timeout_s)
            return f"pre-action {n + 1} ({action.kind}) failed: {reason}", skipped
    return None, skipped


async def _run_action(page: Page, service: Service, action: Action, timeout: float) -> None:
    if action.click is not None:
        await page.click(action.click, timeout=timeout)
    elif action.fill is not None:
        assert action.env is not None
        value = os.environ.get(action.env)
        if value is None:
            raise KeyError(f"environment variable {action.env} is not set")
        await page.fill(action.fill, value, timeout=timeout)
    elif action.press is not None:
        if action.selector:
            await page.press(action.selector, action.press, timeout=timeout)
        else:
            await page.keyboard.press(action.press)
    elif action.wait_for is not None:
        await page.wait_for_selector(action.wait_for, timeout=timeout)
    elif action.goto is not None:
        await page.goto(resolve_page(service.url, action.goto), timeout=timeout)
