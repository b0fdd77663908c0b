"""Which engine found what, in words the reports share."""

from __future__ import annotations

from kuva_audit.audit.results import Finding, Node

CHECK_PREFIX = "check:"
ENGINE_LABELS = {
    "axe-core": "axe-core",
    "htmlcs": "HTML_CodeSniffer",
    "check": "kuva-audit interaction check",
}
RULE_DOCS = {
    "axe-core": "Deque University",
    "htmlcs": "HTML_CodeSniffer's WCAG 2 standard",
    "check": "W3C, Understanding WCAG 2.1",
}


def found_by(finding: Finding, node: Node | None = None) -> tuple[str, ...]:
    """Engines that reported ``node`` of ``finding``: its own first, then the others."""
    others = node.also_found_by if node is not None else []
    return (finding.engine, *(e for e in others if e != finding.engine))


def labels(engines: tuple[str, ...]) -> str:
    return " and ".join(ENGINE_LABELS.get(e, e) for e in engines)


def several(engines: tuple[object, ...]) -> bool:
    """Whether any run of the report used more than axe-core."""
    return any(getattr(e, "htmlcs", None) or getattr(e, "checks", None) for e in engines)
