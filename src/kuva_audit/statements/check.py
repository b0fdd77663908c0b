"""``statements --check``: is every published statement still true and current?

It reads what was published (``statements/published/<service>/<lang>.html`` and the facts
embedded in it), not what would be generated now, and compares it with the latest audit and
services.yaml. A statement drifts when:

- it is missing, is a draft, or its facts cannot be read;
- its text was edited by hand after publishing (the digest of its ``<body>`` differs);
- its template is older than the current one, or its supervisory-authority text is not the
  current one (a former authority such as the Regional State Administrative Agency, AVI, or
  an old address);
- its status is impossible: not one the evidence it lists can support (``fully`` with failures
  or a burden claim, ``partially``/``not`` with nothing listed, a draft status);
- a date is in the future, or the last review is over 12 months old;
- a required field is missing;
- the latest audit fails a criterion it does not list, or a failure it lists was found only
  by automated testing and the latest audit no longer finds it on pages it could audit;
- the latest audit could not audit a page of its language version.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]
from bs4 import BeautifulSoup, Tag
from lxml import etree

from kuva_audit.config.statement import LEGAL_REVIEW_MONTHS, review_overdue
from kuva_audit.errors import KuvaError
from kuva_audit.statements.build import Built, Judged
from kuva_audit.statements.compliance import Assessment
from kuva_audit.statements.data import authority_digest, criteria_by_id, in_scope_ids
from kuva_audit.statements.render import body_digest, edition_dir
from kuva_audit.statements.scope import sorted_criteria
from kuva_audit.statements.view import TEMPLATE_VERSION
from kuva_audit.textfile import read_utf8
from kuva_audit.texts import LANGS, lookup

Checked = Built | Judged
"""A statement assessed from its latest run: built (with its drafts' views) or only judged."""

REQUIRED = ("prepared", "reviewed", "method", "status", "responsible_email")
STATUSES = ("fully", "partially", "not")
FORMER_AUTHORITY = re.compile(
    r"aluehallintovirasto|regionförvaltningsverk|regional state administrative agency|avi\.fi",
    re.IGNORECASE,
)
FORMER_AUTHORITY_SHORT = re.compile(r"\bAVI\b")


REPUBLISH = (
    "restore it from the repository, or publish the reviewed draft again (kuva-audit "
    "statements --publish SERVICE --by NAME)"
)


def published_data(html: str) -> dict[str, Any] | None:
    """The facts a statement page carries (``<script id="statement-data">``), if it does."""
    return _data(_page(html).data)


@dataclass(frozen=True)
class _Page:
    """What ``--check`` reads of a statement page."""

    data: str | None
    """The text of ``<script id="statement-data">``."""
    text: str
    """The page's text (not of scripts, styles, templates or comments)."""
    enforcement: str | None
    """The text of ``<section id="enforcement">``."""
    hrefs: frozenset[str]
    """The links of that section."""


_UNREAD = ("script", "style", "template")


@functools.lru_cache(maxsize=16)
def _page(html: str) -> _Page:
    """A page is parsed once (with lxml: a statement listing hundreds of tested pages takes
    Beautiful Soup a noticeable time), however often the report's state and ``--check`` ask
    for its facts and text; a page lxml does not take is read by Beautiful Soup."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, etree.ParserError):
        return _soup_page(html)
    script = next(iter(doc.xpath('//script[@id="statement-data"]')), None)
    section = next(iter(doc.xpath('//section[@id="enforcement"]')), None)
    return _Page(
        data=None if script is None else script.text or "",
        text=_text(doc),
        enforcement=None if section is None else _text(section),
        hrefs=frozenset(str(a.get("href")) for a in ([] if section is None else section.iter("a"))),
    )


def _text(root: Any) -> str:
    """The text under ``root`` in document order, as Beautiful Soup's ``get_text`` gives it."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        readable = isinstance(element.tag, str) and element.tag not in _UNREAD
        if readable and element.text:
            parts.append(element.text)
        if readable:
            for child in element:
                walk(child)
                if child.tail:
                    parts.append(child.tail)

    walk(root)
    return "".join(parts)


def _soup_page(html: str) -> _Page:
    soup = BeautifulSoup(html, "html.parser")
    script = soup.find("script", id="statement-data")
    section = soup.find("section", id="enforcement")
    return _Page(
        data=None if script is None else script.get_text(),
        text=soup.get_text(),
        enforcement=section.get_text() if isinstance(section, Tag) else None,
        hrefs=frozenset(
            str(a.get("href")) for a in (section.find_all("a") if isinstance(section, Tag) else [])
        ),
    )


def _data(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _name(criterion: str) -> str:
    known = criteria_by_id().get(criterion)
    return f"{criterion} {known.name['en']}" if known else criterion


def impossible_status(data: dict[str, Any]) -> str | None:
    """Why the published status cannot be true of what the statement itself lists."""
    status = data.get("status")
    listed = list(data.get("criteria_listed") or ())
    burden = int(data.get("burden") or 0)
    if status not in STATUSES:
        allowed = ", ".join(STATUSES)
        return f"status {status!r} is not one a published statement can have ({allowed})"
    if data.get("unassessed"):
        return f"status {status} while {data['unassessed']} criteria were not assessed"
    if status == "fully" and (listed or burden):
        return (
            f"status fully while it lists {len(listed)} failing criteria and "
            f"{burden} disproportionate-burden claims"
        )
    if status in ("partially", "not") and not listed and not burden:
        return f"status {status} but it lists no non-accessible content"
    if status == "partially" and len(listed) * 2 > len(in_scope_ids()):
        return f"status partially while {len(listed)} of the 49 criteria fail"
    return None


def _authority_problems(parsed: _Page, data: dict[str, Any], lang: str) -> list[str]:
    problems = []
    text = " ".join(parsed.enforcement.split()) if parsed.enforcement is not None else ""
    hrefs = parsed.hrefs
    page = parsed.text
    if FORMER_AUTHORITY.search(page) or FORMER_AUTHORITY_SHORT.search(page):
        problems.append(
            "it names the former supervisory authority (the Regional State Administrative "
            "Agency, AVI); Traficom supervises since 1.1.2025"
        )
    current = lookup("statements.enforcement", lang) if lang in LANGS else None
    if current is not None:
        stale = [
            key
            for key in ("authority", "unit", "email")
            if " ".join(str(current[key]).split()) not in text
        ]
        stale += [key for key in ("complaint_url", "web_url") if current[key] not in hrefs]
        if stale or data.get("authority") != authority_digest(lang):
            problems.append(
                "its supervisory-authority text or contacts are not the current template's"
                + (f" ({', '.join(stale)} differ)" if stale else "")
            )
    return problems


def _dates(where: str, data: dict[str, Any], as_of: dt.date) -> list[str]:
    problems = []
    for key in ("prepared", "reviewed", "updated"):
        value = data.get(key)
        if value is None:
            continue
        day = _date(value)
        if day is None:
            problems.append(f"{where}: {key} {value!r} is not a date; regenerate it")
        elif day > as_of:
            problems.append(
                f"{where}: {key} {value} is in the future (as of {as_of.isoformat()}); "
                "correct it in services.yaml, then regenerate and publish"
            )
    prepared, reviewed = _date(data.get("prepared")), _date(data.get("reviewed"))
    if prepared and reviewed and reviewed < prepared:
        problems.append(f"{where}: reviewed {reviewed} is before prepared {prepared}")
    if reviewed and reviewed <= as_of and review_overdue(reviewed, as_of):
        problems.append(
            f"{where}: last reviewed {reviewed.isoformat()}, over {LEGAL_REVIEW_MONTHS} months "
            f"before {as_of.isoformat()}; review it and update `reviewed` in services.yaml"
        )
    return problems


def _against_audit(
    where: str, data: dict[str, Any], built: Checked, assessment: Assessment, lang: str
) -> list[str]:
    problems = []
    listed = set(data.get("criteria_listed") or ())
    failing = set(assessment.failed)
    run = built.evidence
    seen = run.of_lang(lang) if run is not None else None
    audit = f"the audit of {run.date}" if run else "the manual audit"
    for criterion in sorted_criteria(failing - listed):
        problems.append(
            f"{where}: {audit} fails {_name(criterion)}, which the statement does not list; "
            "regenerate, review and publish it"
        )
    for item in data.get("items") or ():
        if not isinstance(item, dict) or str(item.get("criterion")) in failing:
            continue
        criterion = str(item.get("criterion"))
        if item.get("manual"):
            problems.append(
                f"{where}: it lists {_name(criterion)} as failing a manual audit, but "
                "services.yaml no longer records that failure; regenerate, review and publish it"
            )
            continue
        pages = set(item.get("automated_pages") or ())
        if seen is not None and pages and pages <= seen.audited:
            problems.append(
                f"{where}: it lists {_name(criterion)} as failing, but {audit} no longer finds "
                "that failure on the pages it listed (fixed?); regenerate, review and publish it"
            )
    if run is not None and seen is not None:
        for page in seen.not_audited:
            problems.append(
                f"{where}: {page.url} ({page.viewport}) could not be audited on "
                f"{run.date} ({page.error_kind or 'error'}: {page.error or 'no reason'}); "
                "the statement cannot be confirmed for it"
            )
    return problems


def check(
    built: Iterable[Checked], langs: Sequence[str], root: Path, as_of: dt.date
) -> tuple[int, list[str]]:
    """(statements checked, one line per drift)."""
    problems: list[str] = []
    checked = 0
    for b in built:
        for lang in langs:
            checked += 1
            path = edition_dir(root, "published", b.service.id) / f"{lang}.html"
            where = f"{path}"
            if not path.is_file():
                state = (
                    "its draft is ready for review; publish it with kuva-audit statements "
                    f"--publish {b.service.id} --by NAME"
                    if b.assessments[lang].publishable
                    else "its draft cannot be published yet: "
                    + "; ".join(m.text("en") for m in b.assessments[lang].missing)
                )
                problems.append(f"{where}: not published; {state}")
                continue
            html = read_utf8(path, "a published statement", REPUBLISH)
            data = published_data(html)
            if data is None:
                problems.append(f"{where}: no statement data; publish it again with kuva-audit")
                continue
            problems += _check_one(where, html, data, b, lang, as_of)
    return checked, problems


def _check_one(
    where: str, html: str, data: dict[str, Any], b: Checked, lang: str, as_of: dt.date
) -> list[str]:
    problems = []
    if data.get("mode") != "published":
        problems.append(f"{where}: it is a draft, not a published statement; use --publish")
    if data.get("body_sha256") != body_digest(html):
        problems.append(
            f"{where}: its text was changed by hand after it was published; regenerate, review "
            "and publish it instead"
        )
    version = str(data.get("template_version"))
    if not version.isdigit() or int(version) > int(TEMPLATE_VERSION):
        raise KuvaError(
            f"{where}: template version {version}, which this kuva-audit (template version "
            f"{TEMPLATE_VERSION}) does not know; check it with the kuva-audit that published it "
            f"(kuva_audit_version {data.get('kuva_audit_version')}) or a newer one"
        )
    if version != TEMPLATE_VERSION:
        problems.append(
            f"{where}: template version {version} is older than the current "
            f"{TEMPLATE_VERSION}; regenerate, review and publish it"
        )
    problems += [f"{where}: {p}" for p in _authority_problems(_page(html), data, lang)]
    impossible = impossible_status(data)
    if impossible:
        problems.append(f"{where}: impossible status: {impossible}")
    problems += _dates(where, data, as_of)
    missing = [key for key in REQUIRED if not data.get(key)]
    feedback = data.get("feedback") or {}
    if not (feedback.get("form") or feedback.get("email")):
        missing.append("feedback")
    problems += [f"{where}: required field {key} is missing" for key in missing]
    problems += _against_audit(where, data, b, b.assessments[lang], lang)
    return problems
