"""Which sites a service's pages may be on: the origins its services.yaml entry names.

A service's pages are on the origin (scheme, host and port) of its ``url``, of each page it
lists, or of its sitemap. A sitemap lists pages of its own site (the sitemap protocol's rule),
so an entry elsewhere is not loaded; ``merge`` refuses a part holding a page on any other
origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kuva_audit.config.models import Service, SitemapSettings, page_urls, resolve_page

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL (lower case, default port left out), or None
    when ``url`` has no such origin."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def service_origins(service: Service, sitemap: SitemapSettings | None) -> list[str]:
    """The origins of the service's URL, its listed pages and its sitemap, in that order."""
    urls = [service.url, *page_urls(service)]
    if sitemap is not None:
        urls.append(resolve_page(service.url, sitemap.url))
    found = (origin(url) for url in urls)
    return list(dict.fromkeys(o for o in found if o is not None))


def in_scope(url: str, origins: list[str]) -> bool:
    found = origin(url)
    return found is not None and found in origins
