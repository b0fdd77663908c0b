"""The folder the nightly job publishes (GitHub Pages): the reports and the statements.

``<site>/reports/`` is a copy of the reports folder (index, goal progress, run report,
satisfaction scores), ``<site>/statements/`` a copy of the statements folder, so the index's
links to ``../statements/`` work unchanged, and ``<site>/index.html`` is the same index with
its links pointing into ``reports/``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from kuva_audit.atomic import write_text_atomic
from kuva_audit.errors import KuvaError

MARKER = ".kuva-audit-site"
"""Marks a folder this module wrote, so writing the site again may replace it."""


def build_site(out_dir: Path, reports: Path, statements: Path, index_html: str) -> list[Path]:
    """Write the site to ``out_dir`` (replacing an earlier site there); return its pages."""
    out_dir = out_dir.resolve()
    for source in (reports, statements):
        if source.exists() and out_dir.is_relative_to(source.resolve()):
            raise KuvaError(f"--site {out_dir}: give a folder outside {source}")
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise KuvaError(
            f"--site {out_dir}: the folder exists and is not a site kuva-audit wrote; "
            "give a new or empty folder"
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out_dir.parent))
    try:
        for source, name in ((reports, "reports"), (statements, "statements")):
            if source.is_dir():
                shutil.copytree(source, staging / name)
        write_text_atomic(staging / "index.html", index_html)
        (staging / MARKER).write_text("", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(p for p in out_dir.rglob("*.html"))
