"""Write the scores: reports/satisfaction.json and a CSV that opens right in a Finnish Excel.

The CSV is safe to open: a text cell that a spreadsheet would evaluate as a formula (it starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: a question text such as
``=HYPERLINK(...)`` or ``- miten onnistuimme?``) is written with a leading apostrophe, which
Excel and LibreOffice show as text. Numbers are never altered. Each row says its scale
(``1–5``, ``4–10``), so means of different scales cannot be mistaken for one another.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kuva_audit.atomic import write_texts_atomic
from kuva_audit.surveys.score import ScoreRow

DECIMALS = 4
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_ALPHA = 0.05


def _round(value: Any) -> Any:
    return round(value, DECIMALS) if isinstance(value, float) else value


def row_dict(row: ScoreRow) -> dict[str, Any]:
    """A row as JSON data: floats to 4 decimals, except p values, which keep every digit."""
    data = asdict(row)
    data["scale"] = list(row.scale)
    data["sources"] = list(row.sources)
    if row.change is not None:
        data["change"] = {k: v if k == "p" else _round(v) for k, v in data["change"].items()}
    return {k: _round(v) for k, v in data.items()}


def render_json(rows: Sequence[ScoreRow]) -> str:
    return json.dumps([row_dict(r) for r in rows], indent=2, ensure_ascii=False) + "\n"


def render_csv(rows: Sequence[ScoreRow]) -> str:
    """Semicolons, decimal commas, CRLF; written as UTF-8 with a BOM so Excel reads ä and ö."""
    reasons = sorted({reason for r in rows for reason in r.rejected})
    head = [
        "service",
        "period",
        "question",
        "metric",
        "scale",
        "n",
        "answers",
        "value",
        "ci_low",
        "ci_high",
        "interval",
        "suppressed",
        "suppressed_reason",
        "low_confidence",
        "previous_period",
        "change",
        "change_low",
        "change_high",
        "change_p",
        "change_test",
        "significant",
        "services_mean",
        "services_shown",
        *[f"rejected: {reason}" for reason in reasons],
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([text(cell) for cell in head])
    for r in rows:
        c = r.change
        writer.writerow(
            [
                text(r.service),
                text(r.period),
                text(r.question),
                text(r.metric),
                _scale(r.scale),
                r.n,
                "" if r.answers is None else r.answers,
                _num(r.value),
                _num(r.ci_low),
                _num(r.ci_high),
                text(r.interval),
                _yes(r.suppressed),
                text(r.suppressed_reason or ""),
                _yes(r.low_confidence),
                text(c.previous_period) if c else "",
                _num(c.delta if c else None),
                _num(c.low if c else None),
                _num(c.high if c else None),
                _p(c.p) if c else "",
                text(c.test) if c else "",
                _yes(c.significant) if c and c.significant is not None else "",
                _num(r.services_mean),
                "" if r.services_shown is None else r.services_shown,
                *[r.rejected.get(reason, 0) for reason in reasons],
            ]
        )
    return out.getvalue()


def text(value: str) -> str:
    """A text cell no spreadsheet evaluates: a leading apostrophe before a formula start."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _scale(scale: tuple[float, float]) -> str:
    """``1–5``, ``4–10``: an en dash, which no spreadsheet reads as a date or a number."""
    return "\u2013".join(format(end, "g").replace(".", ",") for end in scale)


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _p(value: float) -> str:
    """A p value with 4 significant digits, more when those would round it across 0.05."""
    shown = f"{value:.4g}"
    if (float(shown) < _ALPHA) != (value < _ALPHA):
        shown = repr(value)
    return shown.replace(".", ",").replace("e", "E")


def _yes(flag: bool) -> str:
    return "TRUE" if flag else "FALSE"


def write_scores(rows: Sequence[ScoreRow], out_dir: Path) -> list[Path]:
    """Both files as one (:func:`~kuva_audit.atomic.write_texts_atomic`): a failure half-way
    leaves both as they were."""
    csv_path, json_path = out_dir / "satisfaction.csv", out_dir / "satisfaction.json"
    write_texts_atomic(
        [
            (csv_path, render_csv(rows), "utf-8-sig"),
            (json_path, render_json(rows), "utf-8"),
        ]
    )
    return [json_path, csv_path]
