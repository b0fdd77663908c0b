"""The audits folder: full result files, one run folder per date (``audits/<YYYY-MM-DD>/``,
one ``<service-id>.json`` each). Every reader of full results goes through here; the compact
history beside them (``audits/history/``) is read by ``kuva_audit.history``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from kuva_audit.audit.results import SCHEMA_VERSION, ServiceRun
from kuva_audit.errors import KuvaError
from kuva_audit.textfile import read_utf8

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_service_run(path: Path) -> ServiceRun:
    """One result file; a one-line error if it is not one, or of a schema version this
    kuva-audit does not read."""
    text = read_utf8(path, "a kuva-audit result file", _RESTORE)
    try:
        run = ServiceRun.model_validate_json(text)
    except (ValueError, ValidationError) as exc:
        _check_version(path, _stated_version(text))
        first = str(exc).strip().splitlines()[0]
        raise KuvaError(f"{path}: not a kuva-audit result file ({first})") from None
    _check_version(path, run.schema_version)
    return run


_RESTORE = "restore it from where the run was kept (its artifact or repository), or audit again"


def _stated_version(text: str) -> object:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data.get("schema_version", SCHEMA_VERSION) if isinstance(data, dict) else None


def _check_version(path: Path, version: object) -> None:
    if version is not None and version != SCHEMA_VERSION:
        raise KuvaError(
            f"{path}: result schema_version {version!r}, but this kuva-audit reads version "
            f"{SCHEMA_VERSION}; read it with the kuva-audit that wrote it (engine.kuva_audit "
            "in the file), or audit again"
        )


def load_run_dir(run_dir: Path) -> tuple[ServiceRun, ...]:
    """Every ``<service-id>.json`` in a run folder (``audits/<date>/``), by service id."""
    if not run_dir.is_dir():
        raise KuvaError(f"{run_dir}: no such run folder; give audits/<YYYY-MM-DD>")
    runs = [load_service_run(path) for path in sorted(run_dir.glob("*.json"))]
    if not runs:
        raise KuvaError(f"{run_dir}: no result files (<service-id>.json) in this folder")
    return tuple(runs)


def run_dirs(audits: Path) -> list[Path]:
    """The run folders under ``audits``, oldest first (named by date; shard parts and the
    compact history are not runs)."""
    if not audits.is_dir():
        return []
    return sorted(p for p in audits.iterdir() if p.is_dir() and _DATE.fullmatch(p.name))


def latest_result(audits: Path, service_id: str) -> Path | None:
    """The newest full result file of ``service_id``, if any."""
    found = [d / f"{service_id}.json" for d in run_dirs(audits)]
    existing = [p for p in found if p.is_file()]
    return existing[-1] if existing else None


def latest_run(audits: Path, service_id: str) -> ServiceRun | None:
    """The newest full result of ``service_id``, if any."""
    path = latest_result(audits, service_id)
    return load_service_run(path) if path else None
