"""Checks of the statement blocks of services.yaml beyond the schema, with their lines.

Errors: a finding or an audit's criteria list naming a criterion outside the 49 in scope
(scope.py says why), and a finding for a criterion its audit did not cover. Warnings: a
disproportionate-burden claim that reads like content the law leaves out of its scope, which
belongs under ``out_of_scope`` instead (a claim of burden needs an assessment of costs and
benefits; content outside the scope needs none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kuva_audit.config.loader import ConfigProblem, LoadedConfig, Loc
from kuva_audit.config.statement import BurdenClaim
from kuva_audit.statements.scope import out_of_scope_reason
from kuva_audit.texts import LANGS


def _problem(loaded: LoadedConfig, loc: Loc, message: str) -> ConfigProblem:
    return ConfigProblem(loaded.line_of(loc), loc, message)


def statement_errors(loaded: LoadedConfig) -> list[ConfigProblem]:
    """Criteria a statement block may not name, each with its line and why."""
    problems = []
    for i, service in enumerate(loaded.config.services):
        statement = service.statement
        if statement is None:
            continue
        for j, audit in enumerate(statement.audits):
            base: Loc = ("services", i, "statement", "audits", j)
            if audit.criteria != "all":
                for k, criterion in enumerate(audit.criteria):
                    reason = out_of_scope_reason(criterion)
                    if reason:
                        problems.append(_problem(loaded, (*base, "criteria", k), reason))
            for k, finding in enumerate(audit.findings):
                loc: Loc = (*base, "findings", k, "criterion")
                reason = out_of_scope_reason(finding.criterion)
                if reason:
                    problems.append(_problem(loaded, loc, reason))
                elif audit.criteria != "all" and finding.criterion not in audit.criteria:
                    problems.append(
                        _problem(
                            loaded,
                            loc,
                            f"a finding for {finding.criterion}, which this audit's `criteria` "
                            "list does not include; add it to the list or correct the number",
                        )
                    )
    return problems


@dataclass(frozen=True)
class _OutOfScopeHint:
    what: str
    category: str
    pattern: re.Pattern[str]
    years_up_to: int | None = None
    """Only when the claim also names a year up to this one (the exemption is by date)."""


_HINTS = (
    _OutOfScopeHint(
        "prerecorded audio or video published before 23.9.2020",
        "recorded-media-before-2020",
        re.compile(
            r"video|tallenn|äänit|podcast|webinaar|inspel|ljudfil|recording|recorded|audio|film"
        ),
        2020,
    ),
    _OutOfScopeHint(
        "live audio or video",
        "live-media",
        re.compile(r"suora lähetys|suorat lähetykset|suoratoist|livestream|direktsän|\blive\b"),
    ),
    _OutOfScopeHint(
        "maps, exempt as to their navigational use when the essential information is given "
        "accessibly",
        "maps",
        re.compile(r"kart(ta|an|at|oissa|apalvel)|\bkart(a|or|an)\b|\bmaps?\b"),
    ),
    _OutOfScopeHint(
        "office documents published before 23.9.2018",
        "office-documents-before-2018",
        re.compile(r"pdf|asiakirj|dokument|document|\bword\b|excel|powerpoint"),
        2018,
    ),
    _OutOfScopeHint(
        "content of a third party that the organisation neither funds nor controls",
        "third-party-content",
        re.compile(r"kolmannen osapuolen|third[- ]party|tredje part"),
    ),
    _OutOfScopeHint(
        "archived content not updated after 23.9.2019",
        "archives",
        re.compile(r"arkist|archiv|arkiv"),
    ),
)
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def out_of_scope_hint(claim: BurdenClaim) -> tuple[str, str] | None:
    """(what, category) when a burden claim reads like content outside the law's scope."""
    text = " ".join(
        part.get(lang).lower() for part in (claim.item, claim.justification) for lang in LANGS
    )
    years = [int(y) for y in _YEAR.findall(text)]
    for hint in _HINTS:
        if not hint.pattern.search(text):
            continue
        if hint.years_up_to is not None and not any(y <= hint.years_up_to for y in years):
            continue
        return hint.what, hint.category
    return None


def statement_warnings(loaded: LoadedConfig) -> list[ConfigProblem]:
    """Burden claims that look like content the law leaves out of its scope."""
    problems = []
    for i, service in enumerate(loaded.config.services):
        if service.statement is None:
            continue
        for j, claim in enumerate(service.statement.burden):
            hint = out_of_scope_hint(claim)
            if hint is None:
                continue
            what, category = hint
            problems.append(
                _problem(
                    loaded,
                    ("services", i, "statement", "burden", j),
                    f"this burden claim looks like {what}, which is outside the scope of the "
                    f"law rather than a disproportionate burden; if so, list it under "
                    f"`out_of_scope` with category {category}",
                )
            )
    return problems
