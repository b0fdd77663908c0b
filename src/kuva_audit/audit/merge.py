"""Combine the parts of a sharded audit (``audit --shard K/N``) into one run.

The merged files are the ones a single machine would have written: the same pages in the same
order, the same results, fingerprints and totals (timings aside; ``duration_s`` is the sum of
the parts' durations). Every shard 1..N must be there exactly once, for the same services, the
same settings and the same axe-core; anything else is an error, never a silently partial run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.writer import rewrite_service_run
from kuva_audit.errors import KuvaError
from kuva_audit.formats.report import load_run_dir


def merge_parts(part_dirs: Sequence[Path], out_dir: Path) -> list[Path]:
    """Merge shard folders; write ``<out_dir>/<date>/<service-id>.json``; return the files."""
    parts = {folder: {run.service.id: run for run in load_run_dir(folder)} for folder in part_dirs}
    _check_complete(parts)
    first = next(iter(parts.values()))
    date = min(run.date for runs in parts.values() for run in runs.values())
    written = []
    for service_id in first:
        runs = [runs[service_id] for runs in parts.values()]
        written.append(_merge_service(runs, date, out_dir / date / f"{service_id}.json"))
    return written


def _check_complete(parts: dict[Path, dict[str, ServiceRun]]) -> None:
    shards: dict[int, Path] = {}
    counts = set()
    for folder, runs in parts.items():
        found = {(r.shard.index, r.shard.count) if r.shard else None for r in runs.values()}
        if None in found or len(found) != 1:
            raise KuvaError(f"{folder}: not one shard's part (written by audit --shard K/N)")
        ((index, count),) = found  # type: ignore[misc]
        if index in shards:
            raise KuvaError(f"shard {index}/{count} is given twice: {shards[index]} and {folder}")
        shards[index] = folder
        counts.add(count)
    if len(counts) != 1:
        raise KuvaError(f"the parts come from different splits: N = {sorted(counts)}")
    (count,) = counts
    missing = sorted(set(range(1, count + 1)) - set(shards))
    if missing:
        listed = ", ".join(f"{k}/{count}" for k in missing)
        raise KuvaError(f"shard(s) {listed} missing; merge needs all {count} parts")
    services = {folder: set(runs) for folder, runs in parts.items()}
    expected = next(iter(services.values()))
    for folder, ids in services.items():
        if ids != expected:
            odd = sorted(ids ^ expected)
            raise KuvaError(f"{folder}: services differ from the other parts ({', '.join(odd)})")


def _merge_service(runs: list[ServiceRun], date: str, path: Path) -> Path:
    base = runs[0]
    for run in runs[1:]:
        for field in ("settings", "engine", "service", "rule_criteria"):
            if getattr(run, field) != getattr(base, field):
                raise KuvaError(
                    f"{base.service.id}: the parts differ in {field}; audit every shard with "
                    "the same services.yaml and kuva-audit version"
                )
    seen: set[tuple[int, str]] = set()
    for run in runs:
        for page in run.pages:
            key = (page.position, page.viewport)
            if key in seen:
                raise KuvaError(f"{page.url} ({page.viewport}) is in two parts")
            seen.add(key)
    rewrite_service_run(
        base,
        (page for run in runs for page in run.pages),
        path,
        date=date,
        started_at=min(run.started_at for run in runs),
        finished_at=max(run.finished_at for run in runs),
        duration_s=round(sum(run.duration_s for run in runs), 3),
    )
    return path
