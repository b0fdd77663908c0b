"""One night of one service in the compact history: what trends, baselines and progress need.

A full result file (``audits/<date>/<service>.json``) holds every page, element and HTML
snippet: megabytes a night for a large service. The compact record keeps, per night and
service, only

- the engine versions, the fingerprint version (what the issue ids mean, see
  :data:`~kuva_audit.audit.fingerprint.FINGERPRINT_VERSION`; 1 when a line does not say) and
  the run's totals (pages audited and not, issues by impact, failing
  criteria, needs-review and beyond-legal counts);
- the pages that could not be audited, with their viewport and error kind;
- the axe rules that ran (so a later baseline comparison can tell a new rule from a changed
  site);
- every issue's fingerprint id, grouped by rule, impact, legal status and criteria, each with
  one page it was seen on (an index into ``pages``): enough for a baseline to call an issue
  fixed only when that page was audited again;
- what the statement state and ``statements --check`` compare (:class:`StatementFacts`): per
  page language, the criteria failed and passed on audited pages and the pages audited; and
  the language and reason of each page that could not be audited.

Grouping puts thousands of fingerprint ids into a few strings, which keeps the record small
and fast to read. A record is one JSON line; a night's file holds one line per service,
sorted by service id, so a night is added as a new file and a re-run of one service replaces
its own line only (see :meth:`CompactRun.to_line` for the line's two parts).
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kuva_audit.audit.results import FingerprintEntry, Impact, ServiceRun, Totals

COMPACT_VERSION = 1


class UnknownVersion(ValueError):
    """A compact history line of a version this kuva-audit does not read."""


NOT_KEPT = "(element not kept in the compact history)"
_NO_IMPACT = "-"


@dataclass(frozen=True)
class CompactIssue:
    """One issue of a compact record."""

    id: str
    rule: str
    impact: Impact | None
    legal: bool
    wcag: tuple[str, ...]
    page: str
    """One page the issue was seen on (the first)."""

    def entry(self) -> FingerprintEntry:
        """The issue as a result file's fingerprint entry; what the compact form does not keep
        (the element, other pages, viewports, element count) is said or empty."""
        return FingerprintEntry(
            id=self.id,
            rule=self.rule,
            selector=NOT_KEPT,
            impact=self.impact,
            wcag=list(self.wcag),
            legal=self.legal,
            pages=[self.page],
            viewports=[],
            nodes=0,
        )


@dataclass(frozen=True)
class NotAudited:
    url: str
    viewport: str
    error_kind: str | None


@dataclass(frozen=True)
class LangFacts:
    """What the run found on the audited pages of one page language (``lang`` of the page)."""

    failed: frozenset[str]
    """WCAG criteria of WCAG 2.1 A/AA (legal) violations."""
    passed: frozenset[str]
    """Criteria of the rules that passed (the run's ``rule_criteria``)."""
    audited: frozenset[str]
    """Pages audited in at least one viewport."""


@dataclass(frozen=True)
class StatementFacts:
    """What a statement's state and ``--check`` need of a run, which the totals do not say."""

    langs: tuple[tuple[str | None, LangFacts], ...]
    """Per page language (None: pages without a ``lang``), sorted."""
    not_audited: tuple[tuple[str | None, str | None], ...]
    """(page language, reason) of each of the run's ``not_audited`` pages, in their order."""

    @classmethod
    def of(cls, run: ServiceRun) -> StatementFacts:
        failed: dict[str | None, set[str]] = defaultdict(set)
        passed: dict[str | None, set[str]] = defaultdict(set)
        audited: dict[str | None, set[str]] = defaultdict(set)
        for page in run.pages:
            if page.status != "ok":
                continue
            audited[page.lang].add(page.url)
            for finding in page.violations:
                if finding.legal:
                    failed[page.lang].update(finding.wcag)
            for rule in page.passed_rules:
                passed[page.lang].update(run.rule_criteria.get(rule, ()))
        langs = sorted(audited, key=lambda lang: lang or "")
        return cls(
            langs=tuple(
                (
                    lang,
                    LangFacts(
                        frozenset(failed[lang]), frozenset(passed[lang]), frozenset(audited[lang])
                    ),
                )
                for lang in langs
            ),
            not_audited=tuple((p.lang, p.error) for p in run.pages if p.status != "ok"),
        )

    def encode(self, pages: list[str]) -> dict[str, Any]:
        """As stored: criteria as strings, audited pages as index ranges into ``pages`` (which
        gets the pages it does not hold yet)."""
        index = {page: n for n, page in enumerate(pages)}
        langs = {}
        for lang, facts in self.langs:
            for page in sorted(facts.audited - index.keys()):
                index[page] = len(pages)
                pages.append(page)
            langs[lang or _NO_LANG] = [
                " ".join(sorted(facts.failed)),
                " ".join(sorted(facts.passed)),
                _ranges(sorted(index[p] for p in facts.audited)),
            ]
        return {"langs": langs, "not_audited": [list(n) for n in self.not_audited]}

    @classmethod
    def decode(cls, data: dict[str, Any], pages: tuple[str, ...]) -> StatementFacts:
        return cls(
            langs=tuple(
                (
                    None if lang == _NO_LANG else str(lang),
                    LangFacts(
                        frozenset(str(failed).split()),
                        frozenset(str(passed).split()),
                        frozenset(pages[n] for n in _unranges(str(audited))),
                    ),
                )
                for lang, (failed, passed, audited) in data["langs"].items()
            ),
            not_audited=tuple(
                (None if lang is None else str(lang), None if error is None else str(error))
                for lang, error in data["not_audited"]
            ),
        )


_NO_LANG = "-"


def _ranges(numbers: list[int]) -> str:
    """Sorted numbers as "0-5 7 9-12"."""
    parts: list[str] = []
    start = previous = None
    for n in [*numbers, None]:
        if n is not None and previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = n
    return " ".join(parts)


def _unranges(text: str) -> list[int]:
    numbers: list[int] = []
    for part in text.split():
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


@dataclass(frozen=True)
class CompactRun:
    """The compact record of one service's run on one night."""

    date: str
    service: str
    kuva_audit: str
    axe_core: str
    browser_version: str
    totals: Totals
    not_audited: tuple[NotAudited, ...]
    rules: frozenset[str]
    groups: tuple[tuple[str, str], ...]
    """Issues as stored: (rule impact legal criteria, "id@page id@page ..."); read on demand
    by :attr:`issues`, so trends that need only the totals never parse them."""
    pages: tuple[str, ...]
    """The pages the issues point at (by index)."""
    fingerprint_version: int = 1
    statement: StatementFacts | None = None
    """None in lines of an older kuva-audit, and when read without issues."""

    @functools.cached_property
    def issues(self) -> tuple[CompactIssue, ...]:
        found = []
        for key, ids in self.groups:
            rule, impact, legal, wcag = key.split(" ")
            for item in ids.split():
                fp_id, _, index = item.partition("@")
                found.append(
                    CompactIssue(
                        fp_id,
                        rule,
                        None if impact == _NO_IMPACT else _impact(impact),
                        legal == "legal",
                        () if wcag == _NO_IMPACT else tuple(wcag.split(",")),
                        self.pages[int(index)],
                    )
                )
        return tuple(found)

    @property
    def open_issues(self) -> int:
        """Open WCAG 2.1 A/AA issues (distinct legal fingerprints)."""
        return sum(self.totals.issues_by_impact.values())

    @classmethod
    def of(cls, run: ServiceRun) -> CompactRun:
        return cls(
            date=run.date,
            service=run.service.id,
            kuva_audit=run.engine.kuva_audit,
            axe_core=run.engine.axe_core,
            browser_version=run.engine.browser_version,
            totals=run.totals,
            not_audited=tuple(
                NotAudited(p.url, p.viewport, p.error_kind) for p in run.pages if p.status != "ok"
            ),
            rules=run.rules_run(),
            fingerprint_version=run.fingerprint_version,
            statement=StatementFacts.of(run),
            **grouped(
                CompactIssue(
                    fp.id,
                    fp.rule,
                    fp.impact,
                    fp.legal,
                    tuple(fp.wcag),
                    fp.pages[0] if fp.pages else "",
                )
                for fp in run.fingerprints
            ),
        )

    def to_line(self) -> str:
        """The record as one line: its summary as a JSON object, a tab, and its issues as a
        JSON object. JSON text written without whitespace never holds a raw tab, so a reader
        that needs only the summary (every trend) splits at the tab and parses a few hundred
        bytes instead of the whole line."""
        summary = {
            "v": COMPACT_VERSION,
            "date": self.date,
            "service": self.service,
            "engine": {
                "kuva_audit": self.kuva_audit,
                "axe_core": self.axe_core,
                "browser_version": self.browser_version,
            },
            "fingerprint_version": self.fingerprint_version,
            "totals": self.totals.model_dump(),
            "not_audited": [[n.url, n.viewport, n.error_kind] for n in self.not_audited],
        }
        pages = list(self.pages)
        detail: dict[str, Any] = {"rules": " ".join(sorted(self.rules))}
        if self.statement is not None:
            detail["statement"] = self.statement.encode(pages)
        detail.update(pages=pages, issues=dict(self.groups))
        return f"{_dumps(summary)}\t{_dumps(detail)}"

    @classmethod
    def from_line(cls, line: str, *, issues: bool = True) -> CompactRun:
        """The record of one line (without its rules and issues when ``issues`` is False).
        Raises KeyError, TypeError or ValueError when the line is not a compact record."""
        head, tab, tail = line.partition("\t")
        if not tab:
            raise ValueError("no tab between the summary and the issues")
        data = json.loads(head)
        if data["v"] != COMPACT_VERSION:
            raise UnknownVersion(
                f"compact history version {data['v']!r}; this kuva-audit reads {COMPACT_VERSION}"
            )
        detail: dict[str, Any] = (
            json.loads(tail) if issues else {"rules": "", "pages": [], "issues": {}}
        )
        engine = data["engine"]
        pages = tuple(str(p) for p in detail["pages"])
        statement = detail.get("statement")
        return cls(
            date=str(data["date"]),
            service=str(data["service"]),
            kuva_audit=str(engine["kuva_audit"]),
            axe_core=str(engine["axe_core"]),
            browser_version=str(engine["browser_version"]),
            totals=Totals.model_validate(data["totals"]),
            not_audited=tuple(NotAudited(u, v, k) for u, v, k in data["not_audited"]),
            rules=frozenset(str(detail["rules"]).split()),
            groups=tuple((str(k), str(v)) for k, v in detail["issues"].items()),
            pages=pages,
            fingerprint_version=int(data.get("fingerprint_version", 1)),
            statement=None if statement is None else StatementFacts.decode(statement, pages),
        )


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_IMPACTS: dict[str, Impact] = {
    "minor": "minor",
    "moderate": "moderate",
    "serious": "serious",
    "critical": "critical",
}


def _impact(text: str) -> Impact:
    return _IMPACTS[text]


def grouped(issues: Iterable[CompactIssue]) -> dict[str, Any]:
    """``groups`` and ``pages`` of :class:`CompactRun` for ``issues``."""
    pages: dict[str, int] = {}
    groups: dict[str, list[str]] = defaultdict(list)
    for issue in issues:
        key = " ".join(
            (
                issue.rule,
                issue.impact or _NO_IMPACT,
                "legal" if issue.legal else "beyond",
                ",".join(issue.wcag) or _NO_IMPACT,
            )
        )
        index = pages.setdefault(issue.page, len(pages))
        groups[key].append(f"{issue.id}@{index}")
    return {
        "groups": tuple((key, " ".join(ids)) for key, ids in sorted(groups.items())),
        "pages": tuple(pages),
    }
