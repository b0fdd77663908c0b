"""Load one page in a tab and audit it: one attempt, success or a classified failure."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag

from playwright.async_api import BrowserContext, Frame, Page, Request, Response, Route
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from kuva_audit.audit.axe import run_axe
from kuva_audit.audit.beyond import run_beyond
from kuva_audit.audit.results import ErrorKind, PageResult, Timings
from kuva_audit.audit.settle import BLANK, InvalidSelector, settle
from kuva_audit.config.models import Settings, Viewport
from kuva_audit.errors import first_line

QUICK_RETRY_S = 5.0
"""How long the retry of a page that loaded but lacked its ``wait.selector`` waits for it: the
first attempt already waited ``timeout_s``, the retry only confirms (at most ``timeout_s``)."""

HTML_TYPES = ("text/html", "application/xhtml+xml")
"""Media types audited as web pages; anything else (PDF, image, download) is ``not-html``."""
_DOWNLOAD = "Download is starting"

CRASH_GRACE_S = 2.0
"""When a tab stops answering, how long to wait for the browser's word that it crashed before
calling it a hang: a tab that dies as the time limit runs out crashed, it did not hang."""

MAX_SELF_NAVIGATIONS = 2
"""How many times a page may navigate by itself (meta refresh, script) and still be followed."""
_NAVIGATED = "Execution context was destroyed"
_ERROR_PAGE = "chrome-error:"

_NET_ERRORS: tuple[tuple[str, ErrorKind, str], ...] = (
    ("ERR_CONNECTION_REFUSED", "connection", "connection refused"),
    ("ERR_CONNECTION_RESET", "connection", "connection reset"),
    ("ERR_CONNECTION_CLOSED", "connection", "connection closed"),
    ("ERR_EMPTY_RESPONSE", "connection", "empty response from server"),
    ("ERR_ADDRESS_UNREACHABLE", "connection", "address unreachable"),
    ("ERR_NAME_NOT_RESOLVED", "dns", "DNS lookup failed"),
    ("ERR_NAME_RESOLUTION_FAILED", "dns", "DNS lookup failed"),
    ("ERR_TOO_MANY_REDIRECTS", "redirect-loop", "redirect loop (too many redirects)"),
    ("ERR_TIMED_OUT", "timeout", "network timeout"),
    ("ERR_CERT_", "connection", "TLS certificate error"),
    ("ERR_SSL_", "connection", "TLS error"),
    ("crashed", "crash", "the browser tab crashed"),
    (_NAVIGATED, "navigation", "the page kept navigating by itself (meta refresh or script)"),
)


class PageFailure(Exception):
    """This attempt failed; the tab may be unusable and is replaced before a retry.

    ``self_navigation``: the page navigated by itself to an address that failed to load; the
    retry blocks such navigations and audits the page as served. ``final``: another attempt
    would end the same way (a page that settled blank with ``wait.blank: error``).
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        http_status: int | None = None,
        *,
        self_navigation: bool = False,
        content_type: str | None = None,
        final: bool = False,
    ) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.http_status = http_status
        self.self_navigation = self_navigation
        self.content_type = content_type
        self.final = final

    @property
    def deterministic(self) -> bool:
        """The same answer is expected every time: a 4xx, not a web page, a page that loaded
        but lacks its wait selector. Retried at most once, and quickly."""
        if self.kind == "http":
            return self.http_status is not None and 400 <= self.http_status < 500
        return self.kind in ("not-html", "wait-selector")


def classify(exc: BaseException, timeout_s: float) -> PageFailure:
    """A Playwright exception as a failure kind and a one-line reason."""
    if isinstance(exc, PageFailure):
        return exc
    text = str(exc)
    for code, kind, reason in _NET_ERRORS:
        if code in text:
            detail = f" ({code.rstrip('_')})" if code.startswith("ERR_") else ""
            return PageFailure(kind, reason + detail)
    if isinstance(exc, PlaywrightTimeout | TimeoutError):
        return PageFailure("timeout", f"page did not load within {timeout_s:g} s")
    return PageFailure("navigation", first_line(exc).removeprefix("Error: "))


@dataclass(frozen=True)
class PageJob:
    """One page at one viewport; ``position`` is the page's place in the service's list."""

    position: int
    url: str
    viewport: Viewport

    def error(
        self,
        kind: ErrorKind,
        message: str,
        attempts: int,
        http_status: int | None = None,
        content_type: str | None = None,
    ) -> PageResult:
        return PageResult(
            url=self.url,
            viewport=self.viewport.name,
            position=self.position,
            status="error",
            error=message,
            error_kind=kind,
            http_status=http_status,
            content_type=content_type,
            attempts=attempts,
        )

    def failed(self, failure: PageFailure, attempts: int) -> PageResult:
        return self.error(
            failure.kind, failure.message, attempts, failure.http_status, failure.content_type
        )


@dataclass
class Tab:
    """A worker's tab, reused from page to page, and its scratch tab for axe.finishRun."""

    context: BrowserContext
    page: Page
    scratch_page: Page | None = None
    crashed: bool = False
    crash_seen: asyncio.Event = field(default_factory=asyncio.Event)
    """Set by the page's ``crash`` event: the evidence that tells a crash from a hang."""
    audits: int = 0
    failed_navigation: tuple[str, str] | None = None
    """(URL, reason) of the last main-frame navigation that failed, for error messages."""
    blocked_navigation: str | None = None
    """The navigation the page attempted by itself while navigations were blocked."""
    frame_failures: dict[Frame, tuple[str, str]] = field(default_factory=dict)
    """(URL, reason) of each frame whose document failed to load (network error, HTTP 4xx/5xx):
    such a frame is not audited, and the page says so."""
    in_flight: set[Request] = field(default_factory=set)
    """Requests of any kind the browser has sent and not yet finished (see settle)."""
    main_response: tuple[int, dict[str, str]] | None = None
    """(HTTP status, headers) of the last main-frame document the server sent; a download
    ends the navigation with an error, so this is where its content type is found."""

    @classmethod
    async def open(cls, context: BrowserContext) -> Tab:
        tab = cls(context, await context.new_page())
        tab.page.on("crash", lambda _: tab._on_crash())
        tab.page.on("request", tab._on_request)
        tab.page.on("requestfinished", tab._on_request_finished)
        tab.page.on("requestfailed", tab._on_request_failed)
        tab.page.on("response", tab._on_response)
        return tab

    def _on_crash(self) -> None:
        self.crashed = True
        self.crash_seen.set()

    async def stopped_answering(self, settings: Settings) -> PageFailure:
        """The tab did not answer in time: a crash if the browser reports one (now or within
        :data:`CRASH_GRACE_S`), else a hang. Decided by that evidence, not by which timer
        fired first."""
        if not self.crashed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.crash_seen.wait(), CRASH_GRACE_S)
        if self.crashed:
            return PageFailure("crash", "the browser tab crashed")
        return PageFailure(
            "hang",
            "the page stopped responding (a script kept its tab busy beyond the time limit, "
            f"timeout_s {settings.timeout_s:g} s)",
        )

    def _on_response(self, response: Response) -> None:
        request = response.request
        frame = _navigation_frame(request)
        if frame is None or not response.url.startswith("http"):
            return
        if frame == self.page.main_frame:
            self.main_response = (response.status, response.headers)
        elif response.status >= 400:
            reason = f"HTTP {response.status} {response.status_text}".strip()
            self.frame_failures[frame] = (response.url, reason)
        else:
            self.frame_failures.pop(frame, None)

    def _on_request(self, request: Request) -> None:
        self.in_flight.add(request)

    def _on_request_finished(self, request: Request) -> None:
        self.in_flight.discard(request)

    def _on_request_failed(self, request: Request) -> None:
        self.in_flight.discard(request)
        frame = _navigation_frame(request)
        if frame is None:
            return
        if frame == self.page.main_frame:
            if request.url != self.blocked_navigation:
                self.failed_navigation = (request.url, request.failure or "")
        elif "ERR_ABORTED" not in (request.failure or ""):  # aborted: replaced by another
            self.frame_failures[frame] = (request.url, request.failure or "")

    def _is_main_navigation(self, request: Request) -> bool:
        return _navigation_frame(request) == self.page.main_frame

    async def block_self_navigation(self, url: str) -> None:
        """Abort any main-frame navigation other than the one to ``url`` (and its redirects)."""

        async def handle(route: Route) -> None:
            request = route.request
            first = request
            while first.redirected_from is not None:
                first = first.redirected_from
            if self._is_main_navigation(request) and urldefrag(first.url)[0] != urldefrag(url)[0]:
                self.blocked_navigation = request.url
                await route.abort("aborted")
            else:
                await route.fallback()

        await self.page.route("**/*", handle)

    async def scratch(self) -> Page:
        """A blank tab where page scripts cannot interfere (opened on first use)."""
        if self.scratch_page is None:
            self.scratch_page = await self.context.new_page()
        return self.scratch_page

    async def close(self) -> None:
        for page in (self.page, self.scratch_page):
            if page is None:
                continue
            with contextlib.suppress(PlaywrightError, TimeoutError):
                await asyncio.wait_for(page.close(run_before_unload=False), 10)


async def audit_page(
    tab: Tab,
    job: PageJob,
    settings: Settings,
    axe_context: dict[str, Any],
    axe_options: dict[str, Any],
    *,
    block_navigation: bool = False,
    quick: bool = False,
) -> PageResult:
    """One attempt at ``url``; raise :class:`PageFailure` when the page cannot be audited.

    With ``block_navigation``, navigations the page starts by itself are aborted so that the
    page as served is audited (used on the retry of a page that navigated to a dead address).
    ``quick``: the retry of a deterministic failure; ``wait.selector`` gets
    :data:`QUICK_RETRY_S`, not the whole ``timeout_s``.
    """
    started = time.perf_counter()
    timeout_ms = settings.timeout_s * 1000
    url = job.url
    page = tab.page
    tab.audits += 1
    tab.failed_navigation = tab.blocked_navigation = tab.main_response = None
    tab.frame_failures.clear()
    tab.in_flight.clear()
    warnings: list[str] = []
    response: Response | None = None
    try:
        if block_navigation:
            await tab.block_self_navigation(url)
        try:
            response = await page.goto(url, wait_until=settings.wait.until, timeout=timeout_ms)
        except PlaywrightError as exc:
            if _DOWNLOAD in str(exc):
                raise _not_html(tab.main_response, download=True) from None
            raise
        if response is not None and response.status >= 400:
            reason = f"HTTP {response.status} {response.status_text}".strip()
            raise PageFailure("http", reason, response.status)
        if response is not None:
            media = _media_type(response.headers.get("content-type", ""))
            if not media:  # no Content-Type: what the browser made of it
                media = await asyncio.wait_for(
                    page.evaluate("document.contentType"), settings.timeout_s
                )
            if media not in HTML_TYPES:
                raise _not_html((response.status, response.headers), download=False)
        landed = page.url  # after any HTTP redirects
        for hop in range(MAX_SELF_NAVIGATIONS + 1):
            try:
                ready_warnings, settle_s = await _wait_until_ready(
                    page, settings, quick=quick, network_idle=lambda: not tab.in_flight
                )
                loaded = time.perf_counter()
                # A script that hangs the tab makes every later call wait forever: bound them.
                run = await asyncio.wait_for(
                    run_axe(page, tab.scratch, axe_context, axe_options, tab.frame_failures),
                    settings.timeout_s * 2,
                )
                axed = time.perf_counter()
                beyond = await asyncio.wait_for(
                    run_beyond(
                        page,
                        settings.checks,
                        settings.exclude,
                        settings.disable_rules,
                        run.violations,
                        run.needs_review,
                        axe_passed=run.passed_rules,
                        first_viewport=job.viewport == settings.viewports[0],
                    ),
                    settings.timeout_s * 2,
                )
            except PlaywrightError as exc:
                if _NAVIGATED not in str(exc):
                    raise
                if tab.failed_navigation is not None:
                    raise _navigation_failure(tab) from None
                if hop == MAX_SELF_NAVIGATIONS:
                    raise
                await _follow_navigation(tab, settings)
                continue
            warnings.extend(ready_warnings)
            if run.url.startswith(_ERROR_PAGE):
                raise _navigation_failure(tab)
            if tab.blocked_navigation is not None:
                warnings.append(
                    f"the page navigates by itself (meta refresh or script) to "
                    f"{tab.blocked_navigation}, which could not be loaded; that navigation was "
                    "blocked and the page as served was audited"
                )
            elif run.url != landed:
                warnings.append(
                    f"the page navigated by itself (meta refresh or script) to {run.url} "
                    "before it could be audited; that page was audited"
                )
            break
    except TimeoutError:
        raise await tab.stopped_answering(settings) from None
    except (PlaywrightError, PageFailure) as exc:
        if tab.crashed:
            raise PageFailure("crash", "the browser tab crashed") from None
        failure = classify(exc, settings.timeout_s)
        if failure.http_status is None and response is not None:
            failure.http_status = response.status  # it loaded, then failed (wait.selector)
        raise failure from None
    finally:
        if block_navigation:
            with contextlib.suppress(PlaywrightError):
                await page.unroute_all(behavior="ignoreErrors")
    done = time.perf_counter()
    return PageResult(
        url=url,
        viewport=job.viewport.name,
        position=job.position,
        status="ok",
        http_status=response.status if response is not None else None,
        final_url=run.url if run.url != url else None,
        title=run.title,
        frames_audited=run.frames_audited,
        warnings=warnings + run.warnings + beyond.warnings,
        timings=Timings(
            load_s=round(loaded - started, 3),
            settle_s=settle_s,
            axe_s=round(axed - loaded, 3),
            total_s=round(done - started, 3),
            engines_s=beyond.seconds,
        ),
        violations=beyond.violations,
        needs_review=beyond.needs_review,
        passes=len(run.passed_rules) + len(beyond.passed_rules),
        inapplicable=len(run.inapplicable_rules) + len(beyond.inapplicable_rules),
        passed_rules=sorted(run.passed_rules + beyond.passed_rules),
        inapplicable_rules=sorted(run.inapplicable_rules + beyond.inapplicable_rules),
    )


def _navigation_frame(request: Request) -> Frame | None:
    """The frame a navigation request loads, or None: not a navigation, or its frame is gone
    (Playwright raises then; an error in an event listener would fail the next API call)."""
    if not request.is_navigation_request():
        return None
    try:
        return request.frame
    except PlaywrightError:
        return None


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _not_html(response: tuple[int, dict[str, str]] | None, *, download: bool) -> PageFailure:
    """What the server sent instead of a web page, as a ``not-html`` failure."""
    status, headers = response if response is not None else (None, {})
    media = _media_type(headers.get("content-type", "")) or None
    what = media or "content without a type"
    how = " as a download" if download else ""
    answer = f" (HTTP {status})" if status is not None else ""
    return PageFailure(
        "not-html",
        f"not a web page: the server sent {what}{how}{answer}",
        status,
        content_type=media,
    )


async def _follow_navigation(tab: Tab, settings: Settings) -> None:
    """Wait for the document the page navigated to by itself; fail if it did not load."""
    try:
        await tab.page.wait_for_load_state(
            settings.wait.until if settings.wait.until != "networkidle" else "load",
            timeout=settings.timeout_s * 1000,
        )
    except PlaywrightTimeout:
        raise PageFailure(
            "timeout",
            f"the page navigated by itself and the new page did not load within "
            f"{settings.timeout_s:g} s",
        ) from None
    if tab.failed_navigation is not None or tab.page.url.startswith(_ERROR_PAGE):
        raise _navigation_failure(tab)


def _navigation_failure(tab: Tab) -> PageFailure:
    target, reason = tab.failed_navigation or ("another address", "")
    return PageFailure(
        "navigation",
        f"the page navigated by itself (meta refresh or script) to {target}, which could not "
        f"be loaded{': ' + reason if reason else ''}",
        self_navigation=True,
    )


async def _wait_until_ready(
    page: Page, settings: Settings, *, quick: bool = False, network_idle: Callable[[], bool]
) -> tuple[list[str], float]:
    """Wait for the selector, then for the page to settle; the warnings the page earns and
    the seconds it took to settle."""
    wait = settings.wait
    if wait.selector:
        limit = min(QUICK_RETRY_S, settings.timeout_s) if quick else settings.timeout_s
        try:
            await page.wait_for_selector(wait.selector, state="attached", timeout=limit * 1000)
        except PlaywrightTimeout:
            again = f", nor within {limit:g} s on a retry" if quick else ""
            raise PageFailure(
                "wait-selector",
                f"wait.selector {wait.selector!r} did not appear within "
                f"{settings.timeout_s:g} s{again}",
            ) from None
    warnings = []
    try:
        state = await settle(
            page,
            wait,
            settings.timeout_s,
            check_blank=not settings.allow_blank,
            network_idle=network_idle,
        )
    except InvalidSelector as exc:
        raise PageFailure("engine", str(exc), final=True) from None
    if not state.settled and wait.settle_limit_ms:
        warnings.append(state.still_loading(wait.settle_limit_ms))
    if state.blank:
        if wait.blank == "error":
            raise PageFailure(
                "blank",
                f"{BLANK}: nothing visible after the page settled (wait.blank: error)",
                final=True,
            )
        warnings.append(
            f"{BLANK}: nothing visible after the page settled; it was audited as it is "
            "(set allow_blank: true if that is expected)"
        )
    if wait.delay_ms:
        await asyncio.sleep(wait.delay_ms / 1000)
    return warnings, state.waited_s
