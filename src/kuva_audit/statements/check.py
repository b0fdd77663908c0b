"""``statements --check``: is every published statement still true and current?

A statement drifts when the latest audit fails a criterion it does not list, when its last
review is over 12 months old, or when a required field is missing. Published statements carry
their facts as JSON (``<script type="application/json" id="statement-data">``), so the check
reads what was published, not what would be generated now.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from kuva_audit.statements.build import Built
from kuva_audit.statements.data import criteria_by_id

REQUIRED = ("prepared", "reviewed", "method", "status", "responsible_email")
REVIEW_MONTHS = 12


def months_between(earlier: dt.date, later: dt.date) -> float:
    """Whole calendar months from ``earlier`` to ``later``, plus a part for the days."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months + (0.5 if later.day > earlier.day else 0.0)


def published_data(path: Path) -> dict[str, Any] | None:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    script = soup.find("script", id="statement-data")
    if script is None:
        return None
    try:
        data = json.loads(script.get_text())
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def check(
    built: Iterable[Built], langs: Sequence[str], out_dir: Path, as_of: dt.date
) -> tuple[int, list[str]]:
    """(statements checked, one line per drift)."""
    problems: list[str] = []
    checked = 0
    names = criteria_by_id()
    for b in built:
        failing = {m.finding.criterion for m in b.assessment.manual}
        failing |= {a.criterion for a in b.assessment.automated}
        for lang in langs:
            checked += 1
            path = out_dir / b.service.id / f"{lang}.html"
            where = f"{path}"
            if not path.is_file():
                problems.append(f"{where}: not published; run kuva-audit statements")
                continue
            data = published_data(path)
            if data is None:
                problems.append(f"{where}: no statement data; regenerate it with kuva-audit")
                continue
            feedback = data.get("feedback") or {}
            missing = [key for key in REQUIRED if not data.get(key)]
            if not (feedback.get("form") or feedback.get("email")):
                missing.append("feedback")
            problems += [f"{where}: required field {key} is missing" for key in missing]
            reviewed = data.get("reviewed")
            try:
                last = dt.date.fromisoformat(reviewed) if reviewed else None
            except (TypeError, ValueError):
                problems.append(f"{where}: reviewed {reviewed!r} is not a date; regenerate it")
                last = None
            if last is not None and months_between(last, as_of) > REVIEW_MONTHS:
                problems.append(
                    f"{where}: last reviewed {reviewed}, over {REVIEW_MONTHS} months before "
                    f"{as_of.isoformat()}; review it and update `reviewed` in services.yaml"
                )
            listed = set(data.get("criteria_listed") or ())
            audit = f"the audit of {b.run.date}" if b.run else "the manual audit"
            for criterion in sorted(failing - listed, key=lambda c: [int(p) for p in c.split(".")]):
                name = names[criterion].name["en"] if criterion in names else ""
                problems.append(
                    f"{where}: {audit} fails {criterion} {name}, which the statement does not "
                    "list; regenerate and publish it"
                )
    return checked, problems
