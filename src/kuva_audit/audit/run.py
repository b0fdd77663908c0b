"""A whole audit run: one browser, every selected service, one result file per service."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

from playwright.async_api import Browser, Playwright, async_playwright

from kuva_audit import __version__
from kuva_audit.audit.axe import AXE_VERSION, rule_criteria
from kuva_audit.audit.browser import BrowserChoice, launch
from kuva_audit.audit.checks import rule_criteria as check_criteria
from kuva_audit.audit.discovery import discover
from kuva_audit.audit.htmlcs import htmlcs_version
from kuva_audit.audit.results import EngineInfo, ErrorKind, PageResult, Shard, Totals
from kuva_audit.audit.scope import service_origins
from kuva_audit.audit.service import audit_service
from kuva_audit.audit.writer import ServiceRunWriter
from kuva_audit.config.engines import CHECK_NAMES
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import Service, Settings, page_settings
from kuva_audit.errors import ConfigError


class AuditProgress(Protocol):
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


def settings_record(
    settings: Settings, pages: Mapping[str, Settings] | None = None
) -> dict[str, object]:
    """The settings that shape results (not concurrency: it changes speed, not results);
    ``pages``: the listed pages that set their own wait, viewports or allow_blank."""
    record: dict[str, object] = {
        "viewports": [v.model_dump() for v in settings.viewports],
        "wait": settings.wait.model_dump(),
        "sitemap": settings.sitemap.model_dump() if settings.sitemap else None,
        "actions": [a.model_dump(exclude_none=True) for a in settings.actions],
        "exclude": list(settings.exclude),
        "disable_rules": list(settings.disable_rules),
        "timeout_s": settings.timeout_s,
        "retries": settings.retries,
        "allow_blank": settings.allow_blank,
        "checks": list(settings.checks),
    }
    if pages:
        record["pages"] = {
            url: {
                "viewports": [v.model_dump() for v in own.viewports],
                "wait": own.wait.model_dump(),
                "allow_blank": own.allow_blank,
            }
            for url, own in pages.items()
        }
    return record


def in_shard(service_id: str, url: str, shard: Shard | None) -> bool:
    """Whether a page belongs to ``shard``: decided by a hash of the page alone, so a page
    stays in its shard when pages are added or removed elsewhere."""
    if shard is None:
        return True
    digest = hashlib.sha256(f"{service_id}\n{url}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % shard.count == shard.index - 1


def shard_folder(shard: Shard) -> str:
    return f"shard-{shard.index}-of-{shard.count}"


@dataclass(frozen=True)
class Plan:
    """What to audit of one service: (position, URL) pages and unreadable sitemaps."""

    service: Service
    settings: Settings
    pages: list[tuple[int, str]]
    sitemap_errors: list[tuple[int, str, ErrorKind, str]]
    page_settings: dict[str, Settings] = field(default_factory=dict)
    """Listed pages with their own wait, viewports or allow_blank."""

    @property
    def jobs(self) -> int:
        views = sum(
            len(self.page_settings.get(url, self.settings).viewports) for _, url in self.pages
        )
        return views + len(self.sitemap_errors)


@dataclass(frozen=True)
class _Context:
    browser: Browser
    folder: Path
    date: str
    progress: AuditProgress
    engine: EngineInfo
    shard: Shard | None
    rule_criteria: dict[str, list[str]]


async def run_audit(
    loaded: LoadedConfig,
    services: Sequence[Service],
    *,
    out_dir: Path,
    browser_choice: BrowserChoice,
    progress: AuditProgress,
    concurrency: int | None = None,
    shard: Shard | None = None,
) -> RunOutcome:
    """Audit ``services`` and write ``<out_dir>/<YYYY-MM-DD>/<service-id>.json`` for each
    (with ``shard``, under ``<out_dir>/<YYYY-MM-DD>/shard-K-of-N/``, each part recording its
    shard, its run id (the run day unless ``shard.run_id`` is set) and its service's
    origins)."""
    check_environment(loaded, services)
    date = dt.datetime.now().astimezone().date().isoformat()
    folder = out_dir / date / (shard_folder(shard) if shard else "")
    if shard is not None and shard.run_id is None:
        shard = shard.model_copy(update={"run_id": date})
    async with async_playwright() as playwright:
        browser = await launch(playwright, browser_choice)
        engine = EngineInfo(
            kuva_audit=__version__,
            axe_core=AXE_VERSION,
            htmlcs=htmlcs_version(),
            checks=CHECK_NAMES,
            playwright=version("playwright"),
            browser="chromium",
            browser_version=browser.version,
            browser_build=browser_choice.build,
        )
        probe = await browser.new_context()
        criteria = await rule_criteria(probe) | check_criteria()
        await probe.close()
        plans = await _plans(playwright, loaded, services, shard)
        progress.start(sum(plan.jobs for plan in plans))
        context = _Context(browser, folder, date, progress, engine, shard, criteria)
        outcomes = []
        try:
            for plan in plans:
                outcomes.append(
                    await _audit_one(context, plan, concurrency or plan.settings.concurrency)
                )
        finally:
            progress.stop()
            await browser.close()
    return RunOutcome(date, engine, outcomes)


async def _plans(
    playwright: Playwright,
    loaded: LoadedConfig,
    services: Sequence[Service],
    shard: Shard | None,
) -> list[Plan]:
    request = await playwright.request.new_context()
    plans = []
    try:
        for service in services:
            settings = loaded.config.settings_for(service)
            found = await discover(request, service, settings.sitemap)
            pages = [(n, url) for n, url in enumerate(found.urls)]
            errors = [
                (len(found.urls) + n, url, kind, reason)
                for n, (url, kind, reason) in enumerate(found.errors)
            ]
            plans.append(
                Plan(
                    service,
                    settings,
                    [p for p in pages if in_shard(service.id, p[1], shard)],
                    [e for e in errors if in_shard(service.id, e[1], shard)],
                    page_settings(service, settings),
                )
            )
    finally:
        await request.dispose()
    return plans


async def _audit_one(context: _Context, plan: Plan, concurrency: int) -> ServiceOutcome:
    service, settings = plan.service, plan.settings
    started = dt.datetime.now().astimezone()
    writer = ServiceRunWriter([v.name for v in settings.viewports])  # then the pages' own

    def record(result: PageResult) -> None:
        writer.add(result)
        context.progress.page_done(service.id, result)

    try:
        for position, url, kind, reason in plan.sitemap_errors:
            record(
                PageResult(
                    url=url,
                    viewport="-",
                    position=position,
                    status="error",
                    error=reason,
                    error_kind=kind,
                )
            )
        await audit_service(
            context.browser, service, settings, plan.pages, concurrency, record, plan.page_settings
        )
        finished = dt.datetime.now().astimezone()
        path = context.folder / f"{service.id}.json"
        header: dict[str, object] = {
            "service": {"id": service.id, "name": service.name.model_dump(), "url": service.url},
            "date": context.date,
            "started_at": started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "duration_s": round((finished - started).total_seconds(), 3),
            "engine": context.engine.model_dump(),
            "settings": settings_record(settings, plan.page_settings),
            "rule_criteria": context.rule_criteria,
        }
        if context.shard is not None:
            origins = service_origins(service, settings.sitemap)
            header["shard"] = context.shard.model_copy(update={"origins": origins}).model_dump()
        totals = writer.finish(path, header)
    finally:
        writer.close()
    return ServiceOutcome(service, path, totals)
