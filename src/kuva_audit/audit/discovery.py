"""Which pages to audit: the service's listed pages, then its sitemap (or sitemap index)."""

from __future__ import annotations

import fnmatch
import warnings
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from playwright.async_api import APIRequestContext
from playwright.async_api import Error as PlaywrightError

from kuva_audit.config.models import Service, SitemapSettings, page_urls, resolve_page

MAX_SITEMAP_DEPTH = 3
SITEMAP_TIMEOUT_MS = 30_000


@dataclass
class Discovery:
    urls: list[str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(sitemap URL, reason) for each sitemap that could not be read."""


async def discover(
    request: APIRequestContext, service: Service, sitemap: SitemapSettings | None
) -> Discovery:
    urls = dict.fromkeys(page_urls(service))
    errors: list[tuple[str, str]] = []
    if sitemap is not None:
        found = await _read_sitemap(
            request, resolve_page(service.url, sitemap.url), errors, depth=0
        )
        selected = [u for u in found if _selected(u, sitemap) and u not in urls]
        for url in selected[: sitemap.max_pages]:
            urls.setdefault(url, None)
    return Discovery(list(urls), errors)


def _selected(url: str, sitemap: SitemapSettings) -> bool:
    path = urlparse(url).path or "/"
    if sitemap.include and not any(fnmatch.fnmatchcase(path, p) for p in sitemap.include):
        return False
    return not any(fnmatch.fnmatchcase(path, p) for p in sitemap.exclude)


async def _read_sitemap(
    request: APIRequestContext, url: str, errors: list[tuple[str, str]], depth: int
) -> list[str]:
    try:
        response = await request.get(url, timeout=SITEMAP_TIMEOUT_MS)
        if not response.ok:
            errors.append((url, f"sitemap: HTTP {response.status}"))
            return []
        body = await response.body()
    except PlaywrightError as exc:
        errors.append((url, f"sitemap: {str(exc).strip().splitlines()[0]}"))
        return []
    kind, locs = parse_sitemap(body)
    if kind is None:
        errors.append((url, "sitemap: not a <urlset> or <sitemapindex> XML document"))
        return []
    if kind == "urlset":
        return locs
    if depth >= MAX_SITEMAP_DEPTH:
        errors.append((url, f"sitemap: indexes nested deeper than {MAX_SITEMAP_DEPTH}"))
        return []
    pages: list[str] = []
    for child in locs:
        pages.extend(await _read_sitemap(request, child, errors, depth + 1))
    return pages


def parse_sitemap(body: bytes) -> tuple[str | None, list[str]]:
    """("urlset" | "sitemapindex" | None, the <loc> URLs in document order)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(body, "xml")
    root = soup.find(["urlset", "sitemapindex"])
    if root is None:
        return None, []
    parent = "url" if root.name == "urlset" else "sitemap"
    locs = []
    for entry in root.find_all(parent, recursive=False):
        loc = entry.find("loc")
        if loc is not None and loc.get_text(strip=True):
            locs.append(loc.get_text(strip=True))
    return root.name, locs
