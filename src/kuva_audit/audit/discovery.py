"""Which pages to audit: the service's listed pages, then its sitemap (or sitemap index).

A sitemap is the site's text, not ours: an entry that is not an http(s) URL (``file:``,
``chrome:``, ``javascript:``) or holds credentials is recorded as an ``unsafe-url`` error and
never loaded, and so is an entry on a site that is not the service's own (see
:mod:`kuva_audit.audit.scope`). Each sitemap is read at most once however often indexes list
it (an index that lists itself, or two that list each other, end there), and at most
:data:`MAX_SITEMAP_READS` sitemaps are read per service.
"""

from __future__ import annotations

import fnmatch
import warnings
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlparse

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from playwright.async_api import APIRequestContext
from playwright.async_api import Error as PlaywrightError

from kuva_audit.audit.results import ErrorKind
from kuva_audit.audit.safe import safe_text
from kuva_audit.audit.scope import in_scope, service_origins
from kuva_audit.config.base import url_problem
from kuva_audit.config.models import Service, SitemapSettings, page_urls, resolve_page

MAX_SITEMAP_DEPTH = 3
MAX_SITEMAP_READS = 100
"""Sitemaps read per service at most (an index and the sitemaps it lists)."""
SITEMAP_TIMEOUT_MS = 30_000


@dataclass
class Discovery:
    urls: list[str]
    errors: list[tuple[str, ErrorKind, str]] = field(default_factory=list)
    """(URL, kind, reason) for each sitemap that could not be read (``sitemap``) and each
    sitemap entry that is not loaded (``unsafe-url``)."""


@dataclass
class _Reader:
    request: APIRequestContext
    errors: list[tuple[str, ErrorKind, str]]
    read: set[str] = field(default_factory=set)

    def unsafe(self, url: str, what: str) -> bool:
        """Record ``url`` as an error and return True when it must not be loaded."""
        problem = url_problem(url)
        if problem is None:
            return False
        self.errors.append((safe_text(url), "unsafe-url", f"{what} not loaded: {problem}"))
        return True


async def discover(
    request: APIRequestContext, service: Service, sitemap: SitemapSettings | None
) -> Discovery:
    urls = dict.fromkeys(page_urls(service))
    reader = _Reader(request, [])
    if sitemap is not None:
        found = await _read_sitemap(reader, resolve_page(service.url, sitemap.url), depth=0)
        selected = [u for u in found if _selected(u, sitemap) and u not in urls]
        origins = service_origins(service, sitemap)
        own = [u for u in selected if in_scope(u, origins)]
        for url in dict.fromkeys(u for u in selected if not in_scope(u, origins)):
            reader.errors.append(
                (
                    safe_text(url),
                    "unsafe-url",
                    f"sitemap entry not loaded: not on the service's own sites "
                    f"({', '.join(origins)}); list it under pages: to audit it",
                )
            )
        for url in own[: sitemap.max_pages]:
            urls.setdefault(url, None)
    return Discovery(list(urls), reader.errors)


def _selected(url: str, sitemap: SitemapSettings) -> bool:
    path = urlparse(url).path or "/"
    if sitemap.include and not any(fnmatch.fnmatchcase(path, p) for p in sitemap.include):
        return False
    return not any(fnmatch.fnmatchcase(path, p) for p in sitemap.exclude)


async def _read_sitemap(reader: _Reader, url: str, depth: int) -> list[str]:
    errors = reader.errors
    key = urldefrag(url)[0]
    if key in reader.read:
        return []  # listed again (a cycle, or an index listing it twice): read once
    if len(reader.read) >= MAX_SITEMAP_READS:
        errors.append(
            (url, "sitemap", f"sitemap: not read, {MAX_SITEMAP_READS} sitemaps already read")
        )
        return []
    reader.read.add(key)
    try:
        response = await reader.request.get(url, timeout=SITEMAP_TIMEOUT_MS)
        if not response.ok:
            errors.append((url, "sitemap", f"sitemap: HTTP {response.status}"))
            return []
        body = await response.body()
    except PlaywrightError as exc:
        errors.append((url, "sitemap", f"sitemap: {str(exc).strip().splitlines()[0]}"))
        return []
    kind, locs = parse_sitemap(body)
    if kind is None:
        errors.append((url, "sitemap", "sitemap: not a <urlset> or <sitemapindex> XML document"))
        return []
    if kind == "urlset":
        return [loc for loc in locs if not reader.unsafe(loc, "sitemap entry")]
    if depth >= MAX_SITEMAP_DEPTH:
        errors.append((url, "sitemap", f"sitemap: indexes nested deeper than {MAX_SITEMAP_DEPTH}"))
        return []
    pages: list[str] = []
    for child in locs:
        if not reader.unsafe(child, "sitemap"):
            pages.extend(await _read_sitemap(reader, child, depth + 1))
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
