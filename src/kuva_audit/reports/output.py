"""Write the progress report: progress.json, progress.md, progress.html and index.html."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kuva_audit.atomic import write_texts_atomic
from kuva_audit.reports.data import ReportData
from kuva_audit.reports.progress import Figure


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "done": figure.done,
        "total": figure.total,
        "services": [
            {
                "id": s.id,
                "done": s.done,
                "reason": s.reason.text("en"),
                "reason_fi": s.reason.text("fi"),
                **({"automated": str(s.automated)} if s.automated else {}),
            }
            for s in figure.services
        ],
    }


def progress_json(data: ReportData) -> str:
    document = {
        "as_of": data.as_of.isoformat(),
        "accessibility": _figure(data.progress.accessibility),
        "satisfaction": _figure(data.progress.satisfaction),
        "statements": [
            {"id": row.service, "state": row.state, "detail": row.detail} for row in data.statements
        ],
        "goal": {
            "title": data.title,
            "subgoals": [asdict(row) for row in data.card],
            "forecast": data.forecast,
            "risks": data.risks,
        },
        "history": [
            {
                "date": p.date.isoformat(),
                "accessibility": p.accessibility,
                "satisfaction": p.satisfaction,
                "total": p.total,
            }
            for p in data.history
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_report(data: ReportData, out_dir: Path) -> list[Path]:
    from kuva_audit.reports.index import render_index
    from kuva_audit.reports.render import render_progress_html, render_progress_md

    outputs = {
        "progress.json": progress_json(data),
        "progress.md": render_progress_md(data),
        "progress.html": render_progress_html(data),
        "index.html": render_index(data),
    }
    write_texts_atomic([(out_dir / name, text, "utf-8") for name, text in outputs.items()])
    return [out_dir / name for name in outputs]
