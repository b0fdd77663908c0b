"""Write the scores: reports/satisfaction.json and a CSV that opens right in a Finnish Excel."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kuva_audit.atomic import write_text_atomic
from kuva_audit.surveys.score import ScoreRow

DECIMALS = 4


def _round(value: Any) -> Any:
    return round(value, DECIMALS) if isinstance(value, float) else value


def row_dict(row: ScoreRow) -> dict[str, Any]:
    data = asdict(row)
    data["scale"] = list(row.scale)
    data["sources"] = list(row.sources)
    if row.change is not None:
        data["change"] = {k: _round(v) for k, v in data["change"].items()}
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
        "n",
        "value",
        "ci_low",
        "ci_high",
        "suppressed",
        "low_confidence",
        "previous_period",
        "change",
        "change_low",
        "change_high",
        "change_p",
        "significant",
        "services_mean",
        *[f"rejected: {reason}" for reason in reasons],
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    for r in rows:
        c = r.change
        writer.writerow(
            [
                r.service,
                r.period,
                r.question,
                r.metric,
                r.n,
                _num(r.value),
                _num(r.ci_low),
                _num(r.ci_high),
                _yes(r.suppressed),
                _yes(r.low_confidence),
                c.previous_period if c else "",
                _num(c.delta if c else None),
                _num(c.low if c else None),
                _num(c.high if c else None),
                _num(c.p if c else None),
                _yes(c.significant) if c else "",
                _num(r.services_mean),
                *[r.rejected.get(reason, 0) for reason in reasons],
            ]
        )
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _yes(flag: bool) -> str:
    return "TRUE" if flag else "FALSE"


def write_outputs(rows: Sequence[ScoreRow], out_dir: Path) -> list[Path]:
    """Both files, each written atomically; the JSON last."""
    csv_path, json_path = out_dir / "satisfaction.csv", out_dir / "satisfaction.json"
    write_text_atomic(csv_path, render_csv(rows), encoding="utf-8-sig")
    write_text_atomic(json_path, render_json(rows))
    return [json_path, csv_path]
