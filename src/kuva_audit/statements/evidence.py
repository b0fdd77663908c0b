"""What a service's latest automated run says to its statement, from either form of the run.

A statement's state (the progress report, the reports index) and ``statements --check``
need, per language version, only the criteria the run failed and passed on audited pages, the
pages it audited, and the pages it could not audit with why. The compact history keeps
exactly that (:class:`~kuva_audit.history.compact.StatementFacts`), so they read the night's
compact line (a few hundred kilobytes for seven services) instead of the full results
(megabytes each), and still work once the full results are deleted. Drafts, which list every
tested page, still need the full run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import latest_result, load_service_run
from kuva_audit.history.compact import CompactRun, StatementFacts
from kuva_audit.history.store import night_files, read_night
from kuva_audit.textfile import read_utf8

_RESTORE = "restore the file from the repository or run `kuva-audit history` again"


@dataclass(frozen=True)
class Unaudited:
    """A page (at one viewport) the run could not audit."""

    url: str
    viewport: str
    error_kind: str | None
    error: str | None


@dataclass(frozen=True)
class LangEvidence:
    """The run as one language version sees it: its pages and the pages without a language."""

    failed: frozenset[str]
    """WCAG criteria of WCAG 2.1 A/AA violations found on audited pages."""
    passed: frozenset[str]
    """Criteria of the rules that passed on audited pages."""
    audited: frozenset[str]
    """Pages audited (in at least one viewport)."""
    not_audited: tuple[Unaudited, ...]
    """In the run's order."""


@dataclass(frozen=True)
class RunEvidence:
    """One service's latest run, as statements need it."""

    date: str
    facts: StatementFacts
    unaudited: tuple[tuple[str | None, Unaudited], ...]
    """(page language, page) of each page not audited, in the run's order."""

    @classmethod
    def of_run(cls, run: ServiceRun) -> RunEvidence:
        return cls(
            date=run.date,
            facts=StatementFacts.of(run),
            unaudited=tuple(
                (p.lang, Unaudited(p.url, p.viewport, p.error_kind, p.error))
                for p in run.pages
                if p.status != "ok"
            ),
        )

    @classmethod
    def of_compact(cls, record: CompactRun) -> RunEvidence | None:
        """None when the record does not keep what statements need (an older kuva-audit)."""
        facts = record.statement
        if facts is None or len(facts.not_audited) != len(record.not_audited):
            return None
        return cls(
            date=record.date,
            facts=facts,
            unaudited=tuple(
                (lang, Unaudited(n.url, n.viewport, n.error_kind, error))
                for n, (lang, error) in zip(record.not_audited, facts.not_audited, strict=True)
            ),
        )

    def of_lang(self, lang: str | None) -> LangEvidence:
        """The evidence of language version ``lang``: pages whose ``lang`` is ``lang`` and
        pages with none (every page when ``lang`` is None)."""
        chosen = [f for code, f in self.facts.langs if _includes(lang, code)]
        return LangEvidence(
            failed=_union(f.failed for f in chosen),
            passed=_union(f.passed for f in chosen),
            audited=_union(f.audited for f in chosen),
            not_audited=tuple(page for code, page in self.unaudited if _includes(lang, code)),
        )


def _includes(lang: str | None, page_lang: str | None) -> bool:
    return lang is None or page_lang is None or page_lang == lang


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    found: set[str] = set()
    for one in sets:
        found.update(one)
    return frozenset(found)


def latest_evidence(audits: Path, service_ids: list[str]) -> dict[str, RunEvidence | None]:
    """Each service's latest run (None: never audited), from its newest compact history line;
    from its full results only when they are newer than that line or the line is of an older
    kuva-audit that did not keep what statements need."""
    full = {sid: latest_result(audits, sid) for sid in service_ids}
    found: dict[str, RunEvidence | None] = {}
    wanted = set(service_ids)
    for path in reversed(night_files(audits)):
        if not wanted:
            break
        night = path.stem
        text = read_utf8(path, "a compact history file", _RESTORE)
        if not any(f'"service":{json.dumps(sid, ensure_ascii=False)}' in text for sid in wanted):
            continue
        for record in read_night(path):
            if record.service not in wanted:
                continue
            newer = full[record.service]
            evidence = RunEvidence.of_compact(record)
            if evidence is not None and not (newer is not None and newer.parent.name > night):
                found[record.service] = evidence
            wanted.discard(record.service)
    for sid in service_ids:
        if sid not in found:
            result = full[sid]
            found[sid] = RunEvidence.of_run(load_service_run(result)) if result else None
    return found
