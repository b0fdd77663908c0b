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
from kuva_audit.texts import LANGS, lookup

State = Literal["missing", "draft", "current", "stale"]


@dataclass(frozen=True)
class StatementState:
    service: str
    state: State
    detail: dict[str, str]
    """Why, in fi and en."""
    published: tuple[str, ...]
    """Languages with a published statement."""
    drafts: tuple[str, ...]
    """Languages with a draft."""


def _langs(root: Path, mode: str, service_id: str) -> tuple[str, ...]:
    folder = edition_dir(root, mode, service_id)
    return tuple(lang for lang in LANGS if (folder / f"{lang}.html").is_file())


def _reason(b: Checked) -> dict[str, str]:
    """Why a draft cannot be published, in a few words (fi and en)."""
    keys = {m.key: m for a in b.assessments.values() for m in a.missing}
    if "statement" in keys:
        return {
            "en": "no statement block",
            "fi": "statement-osio puuttuu",
            "sv": "statement-avsnitt saknas",
        }
    if "findings-not-recorded" in keys:
        return {
            "en": "audit findings not recorded",
            "fi": "arvioinnin havainnot kirjaamatta",
            "sv": "utvärderingens fynd inte registrerade",
        }
    if "unassessed" in keys:
        count = keys["unassessed"].params["count"]
        return {
            "en": f"{count} criteria not assessed",
            "fi": f"{count} kriteeriä arvioimatta",
            "sv": f"kriterier som inte bedömts: {count}",
        }
    return {
        "en": "status override refused",
        "fi": "käsin asetettu tila hylätty",
        "sv": "manuellt angiven status avvisad",
    }


def short_state(b: Built) -> str:
    """A draft's state in a few English words, for the command line."""
    if b.publishable:
        words = lookup("statements.status_word", "en")
        statuses = dict.fromkeys(words[a.status] for a in b.assessments.values())
        overdue = next((v.review_overdue for v in b.views.values() if v.review_overdue), None)
        late = f"; last reviewed {overdue}, over 12 months ago: review it" if overdue else ""
        return f"ready for review ({', '.join(statuses)}){late}"
    return f"not publishable: {_reason(b)['en']}"


def _draft_detail(b: Checked | None) -> dict[str, str]:
    if b is None:
        return {"en": "draft", "fi": "luonnos", "sv": "utkast"}
    if b.publishable:
        return {
            "en": "draft, ready for review",
            "fi": "luonnos, valmis tarkistettavaksi",
            "sv": "utkast, klart för granskning",
        }
    reason = _reason(b)
    return {
        "en": f"draft: {reason['en']}",
        "fi": f"luonnos: {reason['fi']}",
        "sv": f"utkast: {reason['sv']}",
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
                detail = {
                    "en": f"published {updated}; {len(problems)} problem(s) found by "
                    "kuva-audit statements --check",
                    "fi": f"julkaistu {updated}; kuva-audit statements --check löytää "
                    f"{len(problems)} ongelmaa",
                    "sv": f"publicerat {updated}; kuva-audit statements --check hittar "
                    f"problem: {len(problems)}",
                }
            else:
                state = "current"
                detail = {
                    "en": f"published {updated}",
                    "fi": f"julkaistu {updated}",
                    "sv": f"publicerat {updated}",
                }
        elif published:
            state, detail = "stale", {"en": "published", "fi": "julkaistu", "sv": "publicerat"}
        elif drafts:
            state, detail = "draft", _draft_detail(b)
        else:
            state = "missing"
            detail = {
                "en": "no statement or draft yet",
                "fi": "ei selostetta eikä luonnosta",
                "sv": "inget utlåtande eller utkast ännu",
            }
        states.append(StatementState(service.id, state, detail, published, drafts))
    return states
