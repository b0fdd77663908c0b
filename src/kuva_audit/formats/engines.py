"""Which engine found what, in words the reports share."""

from __future__ import annotations

from kuva_audit.audit.results import Finding, Node
from kuva_audit.texts import lookup, text

CHECK_PREFIX = "check:"


def engine_label(engine: str, lang: str = "en") -> str:
    """An engine as a reader knows it: ``htmlcs`` -> ``HTML_CodeSniffer``."""
    return str(lookup("labels.engine", lang).get(engine, engine))


def rule_docs(engine: str, lang: str = "en") -> str:
    """Where the rule documentation of ``engine`` is (``Deque University``), or ``""``."""
    return str(lookup("labels.rule_docs", lang).get(engine, ""))


def found_by(finding: Finding, node: Node | None = None) -> tuple[str, ...]:
    """Engines that reported ``node`` of ``finding``: its own first, then the others."""
    others = node.also_found_by if node is not None else []
    return (finding.engine, *(e for e in others if e != finding.engine))


def labels(engines: tuple[str, ...], lang: str = "en") -> str:
    return text("labels.engines_and", lang).join(engine_label(e, lang) for e in engines)


def several(engines: tuple[object, ...]) -> bool:
    """Whether any run of the report used more than axe-core."""
    return any(getattr(e, "htmlcs", None) or getattr(e, "checks", None) for e in engines)
