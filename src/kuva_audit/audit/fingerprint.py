"""Fingerprints: one id for the same issue wherever it appears.

An issue is a rule failing on an element. Its fingerprint hashes the rule with the element's
identity, the description :mod:`kuva_audit.audit.identity` computes in the page (fingerprint
version 2). When an element cannot be found again to be described, the identity falls back to
axe's target selector, normalised as fingerprint version 1 did for every element: each digit
run inside id, class and attribute parts becomes ``*`` (generated ids and classes such as
``#react-select-3-input``, ``.css-1x2y3z``); structural positions (``:nth-child(2)``) are kept.
The same normalisation matches ``target:`` entries of accepted.yaml to selectors.
"""

from __future__ import annotations

import hashlib
import re

FINGERPRINT_VERSION = 2
"""Recorded in every result file: 1, the rule and axe's normalised selector (files written
before element identities); 2, the rule and the element's identity. Bump it whenever a change
gives the same element another fingerprint, so that a comparison across it says so."""

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


def selector_identity(selector: str) -> str:
    """The identity of an element known only by its selector (not found again in the page)."""
    return "selector: " + normalise_selector(selector)


def fingerprint(rule: str, identity: str) -> str:
    """16 hex digits identifying ``rule`` on the element of ``identity``."""
    key = f"{rule}\n{identity}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()[:16]
