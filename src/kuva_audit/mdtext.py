"""Text from a page, a server or a config, made inert in Markdown.

Everything such a text holds is shown as the characters it is: Markdown's punctuation (links,
images, emphasis, code, tables, headings) is backslash-escaped and HTML's ``& < >`` become
entity references, so no link, image, tag or emphasis of its own reaches the reader. Links
kuva-audit writes itself go through :func:`safe_href`: only http(s) addresses and paths
relative to the page are ever written as a link.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_PUNCTUATION = re.compile(r"([\\`*_\[\]{}()#+\-!|~])")


def md_punctuation(text: object) -> str:
    """Markdown punctuation backslash-escaped, whitespace runs (newlines too) one space; HTML
    characters left as they are (for a template that escapes them itself)."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def md_text(text: object) -> str:
    """``text`` as inert Markdown on one line: punctuation escaped, ``& < >`` as entities."""
    return html.escape(md_punctuation(text), quote=False)


def safe_href(href: object) -> str | None:
    """``href`` if it is an absolute http(s) URL or a relative path, else None."""
    if not isinstance(href, str) or any(c in href for c in " \t\r\n<>()\\"):
        return None
    parts = urlsplit(href)
    if parts.scheme in ("http", "https"):
        return href if parts.netloc else None
    if parts.scheme or href.startswith("//"):
        return None
    return href
