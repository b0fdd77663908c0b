"""Each service's statement state, for the reports index and the progress report.

- *missing*: neither a published statement nor a draft is on disk;
- *draft*: only a draft (ready for review, or saying what its owner must add);
- *current*: published, and ``statements --check`` finds nothing as of the report date;
- *stale*: published, but ``--check`` finds drift (a new failure, an old review, an old
  template, a language version not published...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.errors import KuvaError
from kuva_audit.statements.build import Built, Judged, judge_statements
from kuva_audit.statements.check import REPUBLISH, Checked, check, published_data
from kuva_audit.statements.render import edition_dir
from kuva_audit.textfile import read_utf8
from kuva_audit.texts import LANGS, every_lang, lookup, text

State = Literal["missing", "draft", "current", "stale"]


@dataclass(frozen=True)
class StatementState:
    service: str
    state: State
    detail: dict[str, str]
    """Why, in fi, sv and en (texts ``statements.state.*`` of the catalogue)."""
    published: tuple[str, ...]
    """Languages with a published statement."""
    drafts: tuple[str, ...]
    """Languages with a draft."""


def _langs(root: Path, mode: str, service_id: str) -> tuple[str, ...]:
    folder = edition_dir(root, mode, service_id)
    return tuple(lang for lang in LANGS if (folder / f"{lang}.html").is_file())


def _reason_key(b: Checked) -> tuple[str, dict[str, object]]:
    """Why a draft cannot be published: the key of its text under ``statements.state.reason``
    in the catalogue, and the text's values."""
    keys = {m.key: m for a in b.assessments.values() for m in a.missing}
    if "statement" in keys:
        return "no_block", {}
    if "findings-not-recorded" in keys:
        return "findings_not_recorded", {}
    if "unassessed" in keys:
        return "unassessed", {"count": keys["unassessed"].params["count"]}
    return "override_refused", {}


def _reason(b: Checked, lang: str) -> str:
    """Why a draft cannot be published, in a few words in ``lang``."""
    key, values = _reason_key(b)
    return text(f"statements.state.reason.{key}", lang, **values)


def short_state(b: Built, lang: str = "en") -> str:
    """A draft's state in a few words, for the command line (English unless told)."""
    if b.publishable:
        words = lookup("statements.status_word", lang)
        statuses = dict.fromkeys(words[a.status] for a in b.assessments.values())
        overdue = next((v.review_overdue for v in b.views.values() if v.review_overdue), None)
        late = text("statements.state.review_overdue", lang, date=overdue) if overdue else ""
        return text("statements.state.ready", lang, statuses=", ".join(statuses), late=late)
    return text("statements.state.not_publishable", lang, reason=_reason(b, lang))


def _draft_detail(b: Checked | None) -> dict[str, str]:
    if b is None:
        return every_lang("statements.state.draft")
    if b.publishable:
        return every_lang("statements.state.draft_ready")
    return {
        lang: text("statements.state.draft_reason", lang, reason=_reason(b, lang)) for lang in LANGS
    }


def service_states(
    loaded: LoadedConfig, root: Path, audits: Path, as_of: dt.date
) -> list[StatementState]:
    """The state of every service's statement under ``root`` (statements/) as of ``as_of``.

    Only services with a statement on disk (published or draft) are judged, each from its
    latest run as the compact history keeps it (see :func:`judge_statements`): the full
    results are neither read nor needed. A missing statement needs no run at all."""
    wanted = [s for s in loaded.config.services if on_disk(root, s.id) != ((), ())]
    try:
        judged: dict[str, Judged] = {
            b.service.id: b for b in judge_statements(loaded, wanted, LANGS, audits)
        }
    except KuvaError:
        judged = {}
    return states_of(loaded, root, as_of, judged)


def on_disk(root: Path, service_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The languages of the service's published statement and of its draft."""
    return _langs(root, "published", service_id), _langs(root, "draft", service_id)


def states_of(
    loaded: LoadedConfig, root: Path, as_of: dt.date, judged: Mapping[str, Checked]
) -> list[StatementState]:
    """Every service's state, from its statement as judged (or built) from its latest run
    (none for a service missing from ``judged``: its run or config could not be read)."""
    states = []
    for service in loaded.config.services:
        published, drafts = on_disk(root, service.id)
        b = judged.get(service.id)
        if published and b is not None:
            first = edition_dir(root, "published", service.id) / f"{published[0]}.html"
            data = published_data(read_utf8(first, "a published statement", REPUBLISH)) or {}
            updated = str(data.get("updated") or "?")
            _, problems = check([b], LANGS, root, as_of)
            if problems:
                state: State = "stale"
                detail = every_lang(
                    "statements.state.published_problems", updated=updated, count=len(problems)
                )
            else:
                state = "current"
                detail = every_lang("statements.state.published_on", updated=updated)
        elif published:
            state, detail = "stale", every_lang("statements.state.published")
        elif drafts:
            state, detail = "draft", _draft_detail(b)
        else:
            state = "missing"
            detail = every_lang("statements.state.missing")
        states.append(StatementState(service.id, state, detail, published, drafts))
    return states
