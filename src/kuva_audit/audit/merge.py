"""Combine the parts of a sharded audit (``audit --shard K/N``) into one run.

The merged files are the ones a single machine would have written: the same pages in the same
order, the same results, fingerprints and totals (timings aside; ``duration_s`` is the sum of
the parts' durations). Every shard 1..N must be there exactly once, for the same services, the
same settings, the same kuva-audit, axe-core and Chromium build; anything else is an error that
names the field that differs (``engine.browser_version``, ``settings.viewports``, ...), never a
silently partial run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

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
        runs = [(folder, runs[service_id]) for folder, runs in parts.items()]
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


_REMEDY = {
    "engine.kuva_audit": "install the same kuva-audit on every machine",
    "engine.axe_core": "install the same kuva-audit (it pins axe-core) on every machine",
    "engine.playwright": "install the same kuva-audit (it pins Playwright) on every machine",
    "engine.browser": "audit every shard with the same Chromium build: Playwright's pinned one "
    "(`playwright install chromium`, KUVA_AUDIT_BROWSER=playwright) on every machine",
    "rule_criteria": "install the same kuva-audit (it pins axe-core) on every machine",
    "settings": "audit every shard with the same services.yaml",
    "service": "audit every shard with the same services.yaml",
}


def differences(a: object, b: object, path: str = "") -> list[str]:
    """Dotted paths of the leaves where ``a`` and ``b`` differ (models, mappings, values)."""
    if isinstance(a, BaseModel) and type(a) is type(b):
        a, b = a.model_dump(), b.model_dump()
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for key in sorted(set(a) | set(b), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                found.append(where)
            else:
                found += differences(a[key], b[key], where)
        return found
    return [] if a == b else [path]


def _value(run: ServiceRun, path: str) -> object:
    node: object = run.model_dump()
    for part in path.split("."):
        node = node.get(part, "(absent)") if isinstance(node, dict) else "(absent)"
    return node


def _check_same(base: tuple[Path, ServiceRun], other: tuple[Path, ServiceRun]) -> None:
    """Parts must come from the same config, engine and browser; name what differs."""
    (base_dir, first), (other_dir, run) = base, other
    for field in ("engine", "settings", "service", "rule_criteria"):
        found = differences(getattr(first, field), getattr(run, field), field)
        if not found:
            continue
        if field == "rule_criteria":
            shown = [f"rule_criteria ({base_dir} and {other_dir})"]
        else:
            shown = [
                f"{where} ({_value(first, where)!s:.80} in {base_dir}, "
                f"{_value(run, where)!s:.80} in {other_dir})"
                for where in found[:3]
            ]
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        remedy = next(v for k, v in _REMEDY.items() if found[0].startswith(k))
        raise KuvaError(
            f"{first.service.id}: the parts differ in {'; '.join(shown)}{more}; {remedy}"
        )


def _merge_service(runs: list[tuple[Path, ServiceRun]], date: str, path: Path) -> Path:
    for other in runs[1:]:
        _check_same(runs[0], other)
    base = runs[0][1]
    runs_only = [run for _, run in runs]
    seen: set[tuple[int, str]] = set()
    for run in runs_only:
        for page in run.pages:
            key = (page.position, page.viewport)
            if key in seen:
                raise KuvaError(f"{page.url} ({page.viewport}) is in two parts")
            seen.add(key)
    rewrite_service_run(
        base,
        (page for run in runs_only for page in run.pages),
        path,
        date=date,
        started_at=min(run.started_at for run in runs_only),
        finished_at=max(run.finished_at for run in runs_only),
        duration_s=round(sum(run.duration_s for run in runs_only), 3),
    )
    return path
