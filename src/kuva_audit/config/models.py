"""The services.yaml schema: strict pydantic models (unknown keys are errors).

A service may set any audit setting itself; settings it leaves out come from the top-level
``defaults:`` block, then from the built-in defaults documented on :class:`AuditSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Literal, TypeVar
from urllib.parse import urljoin

from pydantic import Field, field_validator, model_validator

from kuva_audit.config.base import LocalizedText, PageRef, Slug, StrictModel, check_http_url
from kuva_audit.config.engines import ENGINE_NAMES
from kuva_audit.config.goals import Goals
from kuva_audit.config.statement import Organisation, Statement
from kuva_audit.config.surveys import SatisfactionSettings, SurveySource

Selector = Annotated[str, Field(min_length=1)]


class Viewport(StrictModel):
    name: Slug
    width: int = Field(ge=200, le=7680)
    height: int = Field(ge=200, le=7680)
    mobile: bool = False


DESKTOP = Viewport(name="desktop", width=1280, height=800)


class WaitSettings(StrictModel):
    """When a page counts as ready to audit.

    ``until`` is the navigation event to wait for; ``selector`` must then appear (single-page
    apps); then the page must settle (see :mod:`kuva_audit.audit.settle`): no fetch/XHR in
    flight, no DOM change for ``quiet_ms``, no visible element matching ``busy`` (default: the
    common loading indicators), at most ``settle_limit_ms`` (0: do not wait to settle);
    ``delay_ms`` is an extra wait after all that. ``blank``: what a page with nothing visible
    is, a ``warning`` on an audited page (default) or an ``error`` (not audited).
    """

    until: Literal["load", "domcontentloaded", "networkidle"] = "load"
    selector: Selector | None = None
    quiet_ms: int = Field(default=300, ge=0, le=10_000)
    settle_limit_ms: int = Field(default=10_000, ge=0, le=120_000)
    busy: list[Selector] | None = None
    delay_ms: int = Field(default=0, ge=0, le=60_000)
    blank: Literal["warning", "error"] = "warning"


class SitemapSettings(StrictModel):
    """Pages from a sitemap or sitemap index; patterns are shell globs on the URL path."""

    url: PageRef = "sitemap.xml"
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    max_pages: int = Field(default=200, ge=1, le=100_000)


ACTION_KINDS = ("click", "fill", "press", "wait_for", "goto")


class Action(StrictModel):
    """One pre-action, run once per browser context before its pages are audited.

    Exactly one of ``click``, ``fill``, ``press``, ``wait_for`` or ``goto``. ``fill`` types the
    value of the environment variable named by ``env`` (secrets never live in the file).
    ``press`` presses a key, in ``selector`` if given. ``optional`` actions are tried briefly
    and skipped if not possible (a cookie banner that is not shown, say); the pages audited in
    that browser context carry a warning saying so.
    """

    click: Selector | None = None
    fill: Selector | None = None
    env: Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] | None = None
    press: str | None = None
    selector: Selector | None = None
    wait_for: Selector | None = None
    goto: PageRef | None = None
    optional: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Action:
        kinds = [k for k in ACTION_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"an action needs exactly one of: {', '.join(ACTION_KINDS)}")
        if (self.fill is None) != (self.env is None):
            raise ValueError("`fill` and `env` go together: fill: SELECTOR, env: VARIABLE_NAME")
        if self.selector is not None and self.press is None:
            raise ValueError("`selector` is only used with `press`")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ACTION_KINDS if getattr(self, k) is not None)


def unique_viewports(value: list[Viewport] | None) -> list[Viewport] | None:
    if value is not None:
        names = [v.name for v in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"viewport names must be unique, repeated: {', '.join(dupes)}")
    return value


class AuditSettings(StrictModel):
    """Audit settings a service may set, or inherit from ``defaults:``.

    Built-in defaults: one desktop viewport 1280x800, wait until ``load``, no pre-actions,
    nothing excluded, no rule disabled, 30 s timeout per page load, 2 retries, 4 pages at once,
    blank pages are audited with a warning, HTML_CodeSniffer and every interaction check on
    (``checks:`` maps a name to false to switch it off).
    """

    sitemap: SitemapSettings | None = None
    viewports: list[Viewport] | None = Field(default=None, min_length=1)
    wait: WaitSettings | None = None
    actions: list[Action] | None = None
    exclude: list[Selector] | None = None
    disable_rules: list[str] | None = None
    timeout_s: float | None = Field(default=None, gt=0, le=600)
    retries: int | None = Field(default=None, ge=0, le=10)
    concurrency: int | None = Field(default=None, ge=1, le=64)
    allow_blank: bool | None = None
    checks: dict[str, bool] | None = None

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, value: dict[str, bool] | None) -> dict[str, bool] | None:
        for name in value or {}:
            if name not in ENGINE_NAMES:
                raise ValueError(
                    f"unknown check {name!r}; known: {', '.join(ENGINE_NAMES)} "
                    "(set each to true or false)"
                )
        return value

    @field_validator("viewports")
    @classmethod
    def _unique_viewports(cls, value: list[Viewport] | None) -> list[Viewport] | None:
        return unique_viewports(value)


class PageSettings(StrictModel):
    """One ``pages:`` entry: a path (or http(s) URL), or a mapping with the page's own ``wait``,
    ``viewports`` and ``allow_blank`` (a route rendered outside the app layout, say); what it
    leaves out comes from its service. ``/about`` is read as ``{path: /about}``."""

    path: PageRef
    wait: WaitSettings | None = None
    viewports: list[Viewport] | None = Field(default=None, min_length=1)
    allow_blank: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_path(cls, data: object) -> object:
        return {"path": data} if isinstance(data, str) else data

    @field_validator("viewports")
    @classmethod
    def _unique_viewports(cls, value: list[Viewport] | None) -> list[Viewport] | None:
        return unique_viewports(value)

    @property
    def overrides(self) -> bool:
        return any(v is not None for v in (self.wait, self.viewports, self.allow_blank))


class Service(AuditSettings):
    id: Slug
    name: LocalizedText
    url: str
    pages: list[PageSettings] = Field(default_factory=list)
    owner: str | None = None
    surveys: list[SurveySource] = Field(default_factory=list)
    statement: Statement | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_http_url(value)


class Config(StrictModel):
    """The whole services.yaml. Service ids must be unique: the loader checks that, naming the
    line of the second id."""

    organisation: Organisation | None = None
    goals: Goals = Field(default_factory=Goals)
    defaults: AuditSettings = Field(default_factory=AuditSettings)
    satisfaction: SatisfactionSettings = Field(default_factory=SatisfactionSettings)
    services: list[Service] = Field(min_length=1)

    def settings_for(self, service: Service) -> Settings:
        """The effective audit settings of ``service``: its own, else defaults, else built-in."""
        shared = self.defaults
        return Settings(
            sitemap=_pick(service.sitemap, shared.sitemap),
            viewports=tuple(_pick(service.viewports, shared.viewports) or (DESKTOP,)),
            wait=_pick(service.wait, shared.wait) or WaitSettings(),
            actions=tuple(_pick(service.actions, shared.actions) or ()),
            exclude=tuple(_pick(service.exclude, shared.exclude) or ()),
            disable_rules=tuple(_pick(service.disable_rules, shared.disable_rules) or ()),
            timeout_s=_or(_pick(service.timeout_s, shared.timeout_s), 30.0),
            retries=_or(_pick(service.retries, shared.retries), 2),
            concurrency=_or(_pick(service.concurrency, shared.concurrency), 4),
            allow_blank=_or(_pick(service.allow_blank, shared.allow_blank), False),
            checks=enabled_checks(shared.checks, service.checks),
        )


T = TypeVar("T")


def _pick(own: T | None, shared: T | None) -> T | None:
    return own if own is not None else shared


def _or(value: T | None, default: T) -> T:
    return value if value is not None else default


@dataclass(frozen=True)
class Settings:
    """Effective, fully resolved audit settings of one service."""

    sitemap: SitemapSettings | None
    viewports: tuple[Viewport, ...]
    wait: WaitSettings
    actions: tuple[Action, ...]
    exclude: tuple[str, ...]
    disable_rules: tuple[str, ...]
    timeout_s: float
    retries: int
    concurrency: int
    allow_blank: bool
    checks: tuple[str, ...] = ENGINE_NAMES
    """The second engine and the interaction checks to run, in running order."""


def enabled_checks(*layers: dict[str, bool] | None) -> tuple[str, ...]:
    """Every engine and check is on unless a layer (defaults, then the service) turns it off."""
    switch = {name: True for name in ENGINE_NAMES}
    for layer in layers:
        switch.update(layer or {})
    return tuple(name for name in ENGINE_NAMES if switch[name])


def resolve_page(service_url: str, page: str) -> str:
    """A page entry as an absolute URL.

    Absolute URLs stay as they are; any other entry is a path *under* the service URL, with or
    without a leading slash: for ``url: https://x.fi/app/``, ``/about`` and ``about`` both mean
    ``https://x.fi/app/about`` and ``/`` means the service URL itself.
    """
    if "://" in page:
        return page
    base = service_url if service_url.endswith("/") else service_url + "/"
    return urljoin(base, page.lstrip("/"))


def page_urls(service: Service) -> list[str]:
    """The service's listed pages as absolute URLs, in order, without duplicates."""
    return list(dict.fromkeys(resolve_page(service.url, page.path) for page in service.pages))


def page_settings(service: Service, settings: Settings) -> dict[str, Settings]:
    """Absolute URL -> effective settings of each listed page that sets its own ``wait``,
    ``viewports`` or ``allow_blank`` (the first entry of a page listed twice wins)."""
    found: dict[str, Settings] = {}
    for page in service.pages:
        url = resolve_page(service.url, page.path)
        if page.overrides and url not in found:
            found[url] = replace(
                settings,
                wait=page.wait or settings.wait,
                viewports=tuple(page.viewports) if page.viewports else settings.viewports,
                allow_blank=_or(page.allow_blank, settings.allow_blank),
            )
    return found
