"""A whole audit run: one browser, every selected service, one result file per service."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser, async_playwright

from kuva_audit import __version__
from kuva_audit.audit.axe import AXE_VERSION
from kuva_audit.audit.browser import BrowserChoice, launch
from kuva_audit.audit.discovery import discover
from kuva_audit.audit.results import EngineInfo, PageResult, Totals
from kuva_audit.audit.service import audit_service
from kuva_audit.audit.writer import ServiceRunWriter
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import Service, Settings
from kuva_audit.errors import ConfigError


class Reporter(Protocol):
    """Progress of a run: a progress bar on a terminal, log lines in CI."""

    def start(self, total: int) -> None: ...
    def page_done(self, service_id: str, result: PageResult) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class ServiceOutcome:
    service: Service
    path: Path
    totals: Totals


@dataclass(frozen=True)
class RunOutcome:
    date: str
    engine: EngineInfo
    services: list[ServiceOutcome]


def select_services(loaded: LoadedConfig, ids: Sequence[str]) -> list[Service]:
    services = loaded.config.services
    if not ids:
        return list(services)
    known = {s.id: s for s in services}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ConfigError(
            f"{loaded.path}: no service {unknown[0]!r}; known ids: {', '.join(known)}"
        )
    return [known[i] for i in dict.fromkeys(ids)]


def check_environment(loaded: LoadedConfig, services: Sequence[Service]) -> None:
    """Every environment variable a pre-action reads must be set before the run starts."""
    config = loaded.config
    for service in services:
        index = config.services.index(service)
        own = service.actions is not None
        for n, action in enumerate(config.settings_for(service).actions):
            if action.env and action.env not in os.environ:
                loc = ("services", index, "actions", n) if own else ("defaults", "actions", n)
                raise loaded.error(
                    (*loc, "env"),
                    f"environment variable {action.env} is not set; export it before the run",
                )


def settings_record(settings: Settings, concurrency: int) -> dict[str, object]:
    return {
        "viewports": [v.model_dump() for v in settings.viewports],
        "wait": settings.wait.model_dump(),
        "sitemap": settings.sitemap.model_dump() if settings.sitemap else None,
        "actions": [a.model_dump(exclude_none=True) for a in settings.actions],
        "exclude": list(settings.exclude),
        "disable_rules": list(settings.disable_rules),
        "timeout_s": settings.timeout_s,
        "retries": settings.retries,
        "concurrency": concurrency,
        "allow_blank": settings.allow_blank,
    }


async def run_audit(
    loaded: LoadedConfig,
    services: Sequence[Service],
    *,
    out_dir: Path,
    browser_choice: BrowserChoice,
    reporter: Reporter,
    concurrency: int | None = None,
) -> RunOutcome:
    """Audit ``services`` and write ``<out_dir>/<YYYY-MM-DD>/<service-id>.json`` for each."""
    check_environment(loaded, services)
    started = dt.datetime.now().astimezone()
    date = started.date().isoformat()
    outcomes: list[ServiceOutcome] = []
    async with async_playwright() as playwright:
        browser = await launch(playwright, browser_choice)
        engine = EngineInfo(
            kuva_audit=__version__,
            axe_core=AXE_VERSION,
            playwright=version("playwright"),
            browser="chromium",
            browser_version=browser.version,
        )
        request = await playwright.request.new_context()
        plans = []
        for service in services:
            settings = loaded.config.settings_for(service)
            found = await discover(request, service, settings.sitemap)
            plans.append((service, settings, found))
        await request.dispose()
        reporter.start(sum(len(f.urls) * len(s.viewports) + len(f.errors) for _, s, f in plans))
        try:
            for service, settings, found in plans:
                outcomes.append(
                    await _audit_one(
                        browser,
                        service,
                        settings,
                        found.urls,
                        found.errors,
                        concurrency or settings.concurrency,
                        out_dir,
                        date,
                        reporter,
                        engine,
                    )
                )
        finally:
            reporter.stop()
            await browser.close()
    return RunOutcome(date, engine, outcomes)


async def _audit_one(
    browser: Browser,
    service: Service,
    settings: Settings,
    urls: list[str],
    sitemap_errors: list[tuple[str, str]],
    concurrency: int,
    out_dir: Path,
    date: str,
    reporter: Reporter,
    engine: EngineInfo,
) -> ServiceOutcome:
    started = dt.datetime.now().astimezone()
    writer = ServiceRunWriter()

    def record(order: int, result: PageResult) -> None:
        writer.add(order, result)
        reporter.page_done(service.id, result)

    try:
        base = len(urls) * len(settings.viewports)
        for n, (url, reason) in enumerate(sitemap_errors):
            record(
                base + n,
                PageResult(
                    url=url, viewport="-", status="error", error=reason, error_kind="sitemap"
                ),
            )
        await audit_service(browser, service, settings, urls, concurrency, record)
        finished = dt.datetime.now().astimezone()
        path = out_dir / date / f"{service.id}.json"
        totals = writer.finish(
            path,
            {
                "service": {
                    "id": service.id,
                    "name": service.name.model_dump(),
                    "url": service.url,
                },
                "date": date,
                "started_at": started.isoformat(timespec="seconds"),
                "finished_at": finished.isoformat(timespec="seconds"),
                "duration_s": round((finished - started).total_seconds(), 3),
                "engine": engine.model_dump(),
                "settings": settings_record(settings, concurrency),
            },
        )
    finally:
        writer.close()
    return ServiceOutcome(service, path, totals)
