"""Fingerprints: one id for the same issue wherever it appears.

An issue is an axe rule failing on an element; the element is named by axe's target selector.
The same template component on many pages usually gets the same selector, except for numbers
that vary by page: generated ids and classes (``#react-select-3-input``, ``.css-1x2y3z``) and
attribute values (``[href="/events/123"]``). Normalising replaces each digit run inside id,
class and attribute parts with ``*``; structural positions (``:nth-child(2)``) are kept, so two
different elements of one page keep two fingerprints.
"""

from __future__ import annotations

import hashlib
import re

FRAME_SEPARATOR = " >> "
SHADOW_SEPARATOR = " >>> "

_NAME_TOKEN = re.compile(r"([#.][A-Za-z_\\-][\w\\-]*|\[[^\]]*\])")
_DIGITS = re.compile(r"\d+")


def readable_selector(target: list[str | list[str]]) -> str:
    """axe's target as one string: frames joined by ' >> ', shadow roots by ' >>> '."""
    levels = [part if isinstance(part, str) else SHADOW_SEPARATOR.join(part) for part in target]
    return FRAME_SEPARATOR.join(levels)


def normalise_selector(selector: str) -> str:
    collapsed = " ".join(selector.split())
    return _NAME_TOKEN.sub(lambda m: _DIGITS.sub("*", m.group(0)), collapsed)


def fingerprint(rule: str, selector: str) -> str:
    """16 hex digits identifying ``rule`` on the normalised ``selector``."""
    key = f"{rule}\n{normalise_selector(selector)}".encode()
    return hashlib.sha256(key).hexdigest()[:16]
