"""Strings taken from a page, made safe to write anywhere.

A page controls its title, its markup and its addresses, so what axe and the browser hand back
may hold lone UTF-16 surrogates (a script that cuts an emoji in half), control characters (NUL,
ESC, a bell) or credentials in an address (``https://user:password@host/``). None of these can
be written as UTF-8, as XML (JUnit) or to a terminal, and credentials must never reach a report
or the log. :func:`safe_text` replaces each unwritable character with U+FFFD (tab, newline and
carriage return stay) and removes the user information of every address; :func:`safe_json`
does it for every string of a value decoded from the page.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator

REPLACEMENT = "\ufffd"
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s@]*@")


def safe_text(value: str) -> str:
    """``value`` with unwritable characters replaced and credentials in addresses removed."""
    if _UNWRITABLE.search(value):
        value = _UNWRITABLE.sub(REPLACEMENT, value)
    if "@" in value:
        value = _USERINFO.sub(r"\1", value)
    return value


def safe_json(value: Any) -> Any:
    """Every string (keys too) of a JSON-like value through :func:`safe_text`."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_json(item) for item in value]
    if isinstance(value, dict):
        return {safe_text(k) if isinstance(k, str) else k: safe_json(v) for k, v in value.items()}
    return value


SafeStr = Annotated[str, AfterValidator(safe_text)]
"""A string field that may hold text from a page: made safe whenever a model is built."""
