"""WCAG success criteria, their levels, and what axe-core's tags mean for the law.

The only place that interprets axe tags, and the one table of success criteria and their
conformance levels (:data:`CRITERIA`); every other module (reports, statements) takes levels
and names from here.

Finnish law (306/2019, via EN 301 549) requires WCAG 2.1 levels A and AA. A rule counts for
the law only through its WCAG 2.1 A and AA criteria: ``scrollable-region-focusable`` is tagged
``wcag2a`` with 2.1.1 Keyboard (A) and 2.1.3 Keyboard (No Exception) (AAA), so it counts for
2.1.1 only and 2.1.3 is kept aside (:attr:`WcagMapping.beyond`). Anything else axe reports
(best practices, WCAG 2.2, AAA) is kept but marked as beyond the legal requirement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["A", "AA", "AAA"]
Since = Literal["2.0", "2.1", "2.2"]
LEGAL_TAGS = frozenset({"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"})
_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


@dataclass(frozen=True)
class SuccessCriterion:
    id: str
    level: Level
    since: Since
    """The WCAG version that added it."""
    name: str
    """Its short name (handle) in English, as in the W3C Recommendation."""

    @property
    def legal(self) -> bool:
        """A WCAG 2.1 level A or AA criterion: what the law requires (1.2.4 aside, which the
        statements exclude themselves)."""
        return self.since != "2.2" and self.level != "AAA"


def _table(*rows: tuple[str, Level, Since, str]) -> dict[str, SuccessCriterion]:
    return {row[0]: SuccessCriterion(*row) for row in rows}


CRITERIA: dict[str, SuccessCriterion] = _table(
    # Sources: WCAG 2.1 (W3C Recommendation, 5 June 2018) and WCAG 2.2 (5 October 2023).
    ("1.1.1", "A", "2.0", "Non-text Content"),
    ("1.2.1", "A", "2.0", "Audio-only and Video-only (Prerecorded)"),
    ("1.2.2", "A", "2.0", "Captions (Prerecorded)"),
    ("1.2.3", "A", "2.0", "Audio Description or Media Alternative (Prerecorded)"),
    ("1.2.4", "AA", "2.0", "Captions (Live)"),
    ("1.2.5", "AA", "2.0", "Audio Description (Prerecorded)"),
    ("1.2.6", "AAA", "2.0", "Sign Language (Prerecorded)"),
    ("1.2.7", "AAA", "2.0", "Extended Audio Description (Prerecorded)"),
    ("1.2.8", "AAA", "2.0", "Media Alternative (Prerecorded)"),
    ("1.2.9", "AAA", "2.0", "Audio-only (Live)"),
    ("1.3.1", "A", "2.0", "Info and Relationships"),
    ("1.3.2", "A", "2.0", "Meaningful Sequence"),
    ("1.3.3", "A", "2.0", "Sensory Characteristics"),
    ("1.3.4", "AA", "2.1", "Orientation"),
    ("1.3.5", "AA", "2.1", "Identify Input Purpose"),
    ("1.3.6", "AAA", "2.1", "Identify Purpose"),
    ("1.4.1", "A", "2.0", "Use of Color"),
    ("1.4.2", "A", "2.0", "Audio Control"),
    ("1.4.3", "AA", "2.0", "Contrast (Minimum)"),
    ("1.4.4", "AA", "2.0", "Resize Text"),
    ("1.4.5", "AA", "2.0", "Images of Text"),
    ("1.4.6", "AAA", "2.0", "Contrast (Enhanced)"),
    ("1.4.7", "AAA", "2.0", "Low or No Background Audio"),
    ("1.4.8", "AAA", "2.0", "Visual Presentation"),
    ("1.4.9", "AAA", "2.0", "Images of Text (No Exception)"),
    ("1.4.10", "AA", "2.1", "Reflow"),
    ("1.4.11", "AA", "2.1", "Non-text Contrast"),
    ("1.4.12", "AA", "2.1", "Text Spacing"),
    ("1.4.13", "AA", "2.1", "Content on Hover or Focus"),
    ("2.1.1", "A", "2.0", "Keyboard"),
    ("2.1.2", "A", "2.0", "No Keyboard Trap"),
    ("2.1.3", "AAA", "2.0", "Keyboard (No Exception)"),
    ("2.1.4", "A", "2.1", "Character Key Shortcuts"),
    ("2.2.1", "A", "2.0", "Timing Adjustable"),
    ("2.2.2", "A", "2.0", "Pause, Stop, Hide"),
    ("2.2.3", "AAA", "2.0", "No Timing"),
    ("2.2.4", "AAA", "2.0", "Interruptions"),
    ("2.2.5", "AAA", "2.0", "Re-authenticating"),
    ("2.2.6", "AAA", "2.1", "Timeouts"),
    ("2.3.1", "A", "2.0", "Three Flashes or Below Threshold"),
    ("2.3.2", "AAA", "2.0", "Three Flashes"),
    ("2.3.3", "AAA", "2.1", "Animation from Interactions"),
    ("2.4.1", "A", "2.0", "Bypass Blocks"),
    ("2.4.2", "A", "2.0", "Page Titled"),
    ("2.4.3", "A", "2.0", "Focus Order"),
    ("2.4.4", "A", "2.0", "Link Purpose (In Context)"),
    ("2.4.5", "AA", "2.0", "Multiple Ways"),
    ("2.4.6", "AA", "2.0", "Headings and Labels"),
    ("2.4.7", "AA", "2.0", "Focus Visible"),
    ("2.4.8", "AAA", "2.0", "Location"),
    ("2.4.9", "AAA", "2.0", "Link Purpose (Link Only)"),
    ("2.4.10", "AAA", "2.0", "Section Headings"),
    ("2.4.11", "AA", "2.2", "Focus Not Obscured (Minimum)"),
    ("2.4.12", "AAA", "2.2", "Focus Not Obscured (Enhanced)"),
    ("2.4.13", "AAA", "2.2", "Focus Appearance"),
    ("2.5.1", "A", "2.1", "Pointer Gestures"),
    ("2.5.2", "A", "2.1", "Pointer Cancellation"),
    ("2.5.3", "A", "2.1", "Label in Name"),
    ("2.5.4", "A", "2.1", "Motion Actuation"),
    ("2.5.5", "AAA", "2.1", "Target Size (Enhanced)"),
    ("2.5.6", "AAA", "2.1", "Concurrent Input Mechanisms"),
    ("2.5.7", "AA", "2.2", "Dragging Movements"),
    ("2.5.8", "AA", "2.2", "Target Size (Minimum)"),
    ("3.1.1", "A", "2.0", "Language of Page"),
    ("3.1.2", "AA", "2.0", "Language of Parts"),
    ("3.1.3", "AAA", "2.0", "Unusual Words"),
    ("3.1.4", "AAA", "2.0", "Abbreviations"),
    ("3.1.5", "AAA", "2.0", "Reading Level"),
    ("3.1.6", "AAA", "2.0", "Pronunciation"),
    ("3.2.1", "A", "2.0", "On Focus"),
    ("3.2.2", "A", "2.0", "On Input"),
    ("3.2.3", "AA", "2.0", "Consistent Navigation"),
    ("3.2.4", "AA", "2.0", "Consistent Identification"),
    ("3.2.5", "AAA", "2.0", "Change on Request"),
    ("3.2.6", "A", "2.2", "Consistent Help"),
    ("3.3.1", "A", "2.0", "Error Identification"),
    ("3.3.2", "A", "2.0", "Labels or Instructions"),
    ("3.3.3", "AA", "2.0", "Error Suggestion"),
    ("3.3.4", "AA", "2.0", "Error Prevention (Legal, Financial, Data)"),
    ("3.3.5", "AAA", "2.0", "Help"),
    ("3.3.6", "AAA", "2.0", "Error Prevention (All)"),
    ("3.3.7", "A", "2.2", "Redundant Entry"),
    ("3.3.8", "AA", "2.2", "Accessible Authentication (Minimum)"),
    ("3.3.9", "AAA", "2.2", "Accessible Authentication (Enhanced)"),
    ("4.1.1", "A", "2.0", "Parsing"),
    ("4.1.2", "A", "2.0", "Name, Role, Value"),
    ("4.1.3", "AA", "2.1", "Status Messages"),
)
"""Every success criterion of WCAG 2.1 and 2.2 (4.1.1 Parsing, obsolete in 2.2, included)."""


@dataclass(frozen=True)
class WcagMapping:
    criteria: tuple[str, ...]
    """The criteria the rule counts for, sorted numerically: its WCAG 2.1 A/AA criteria when
    it is a legal rule (``("1.4.3",)``), else every criterion it names."""
    beyond: tuple[str, ...]
    """A legal rule's other criteria (AAA, WCAG 2.2): named by axe, never counted."""
    level: Literal["A", "AA"] | None
    """"A" or "AA" when the rule tests a WCAG 2.1 A/AA criterion, else None."""
    legal: bool
    """True when the rule tests a requirement of the law (a WCAG 2.1 A/AA criterion)."""


def criterion_key(criterion: str) -> tuple[int, ...]:
    """Sort key so that 1.4.10 follows 1.4.3."""
    return tuple(int(part) for part in criterion.split("."))


_LEGAL = frozenset(c.id for c in CRITERIA.values() if c.legal)


def is_legal(criterion: str) -> bool:
    """Whether ``criterion`` is one of the WCAG 2.1 A/AA criteria the law requires."""
    return criterion in _LEGAL


def split_criteria(criteria: Iterable[str]) -> tuple[list[str], list[str]]:
    """(WCAG 2.1 A/AA criteria, the others), each sorted numerically."""
    ordered = sorted(set(criteria), key=criterion_key)
    return [c for c in ordered if is_legal(c)], [c for c in ordered if not is_legal(c)]


def map_tags(tags: Iterable[str]) -> WcagMapping:
    """Map an axe rule's tags (``wcag143``, ``wcag2aa``, ``best-practice``...) to criteria.

    A criterion tag is ``wcag`` + principle digit + guideline digit + criterion number:
    ``wcag111`` is 1.1.1, ``wcag1412`` is 1.4.12. A rule is legal when axe tags it as a WCAG
    2.0/2.1 A/AA rule *and* it names at least one WCAG 2.1 A/AA criterion of :data:`CRITERIA`;
    its level is the strictest level among those criteria.
    """
    tag_set = set(tags)
    named = set()
    for tag in tag_set:
        match = _CRITERION_TAG.match(tag)
        if match:
            named.add(".".join(match.groups()))
    counted, others = split_criteria(named)
    if not (tag_set & LEGAL_TAGS and counted):
        return WcagMapping(tuple(sorted(named, key=criterion_key)), (), None, False)
    level: Literal["A", "AA"] = "A" if any(CRITERIA[c].level == "A" for c in counted) else "AA"
    return WcagMapping(tuple(counted), tuple(others), level, True)
