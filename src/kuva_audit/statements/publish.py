"""``statements --publish``: a person promotes a reviewed draft to the published statement.

Publishing refuses, with the reason, when the statement is not publishable (criteria not
assessed, no statement block, a refused status override), when its last review is in the
future or over 12 months old, or when the draft on disk is missing or no longer what the
current services.yaml and latest audit give (it changed since it was reviewed: regenerate it
and review it again). The published version records who published it and when; that day is
its *updated* date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from kuva_audit.config.statement import LEGAL_REVIEW_MONTHS, review_overdue
from kuva_audit.errors import KuvaError
from kuva_audit.statements.build import Built
from kuva_audit.statements.check import published_data
from kuva_audit.statements.render import edition_dir, write_edition
from kuva_audit.statements.view import Edition, content_digest
from kuva_audit.textfile import read_utf8

REDRAFT = "write the drafts again with kuva-audit statements, review and publish"


class PublishError(KuvaError):
    """Statements that cannot be published; ``problems`` says why and what to do, one line
    each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("cannot publish: " + self.problems[0])


def publish_problems(b: Built, root: Path, day: dt.date) -> list[str]:
    """Why ``b`` cannot be published on ``day`` (empty when it can)."""
    sid = b.service.id
    problems = []
    for lang, assessment in b.assessments.items():
        problems += [f"{sid} ({lang}): {m.text('en')}" for m in assessment.missing]
    statement = b.service.statement
    if statement is not None:
        if statement.reviewed > day:
            problems.append(f"{sid}: reviewed {statement.reviewed} is after {day}")
        elif review_overdue(statement.reviewed, day):
            problems.append(
                f"{sid}: last reviewed {statement.reviewed}, over {LEGAL_REVIEW_MONTHS} months "
                f"before {day}; review the statement and update `reviewed` in services.yaml"
            )
    for lang, view in b.views.items():
        draft = edition_dir(root, "draft", sid) / f"{lang}.html"
        text = read_utf8(draft, "a statement draft", REDRAFT) if draft.is_file() else None
        data = published_data(text) if text is not None else None
        if data is None:
            problems.append(f"{sid} ({lang}): no draft at {draft}; run kuva-audit statements")
        elif data.get("content") != content_digest(view):
            problems.append(
                f"{sid} ({lang}): the draft at {draft} is not what services.yaml and the latest "
                "audit give now; run kuva-audit statements and review the new draft"
            )
    return problems


def publish_statements(built: Sequence[Built], root: Path, by: str, day: dt.date) -> list[Path]:
    """Publish every statement of ``built`` as reviewed by ``by`` on ``day``; nothing is
    written unless all of them can be published."""
    if not by.strip():
        raise PublishError(["--by: give the name of the person who reviewed the statement"])
    problems = [p for b in built for p in publish_problems(b, root, day)]
    if problems:
        raise PublishError(problems)
    return write_edition(built, root, Edition("published", day, by.strip()))
