"""Combine the parts of a sharded audit (``audit --shard K/N``) into one run.

The merged files are the ones a single machine would have written: the same pages in the same
order, the same results, fingerprints and totals (timings aside; ``duration_s`` is the sum of
the parts' durations). Every shard 1..N must be there exactly once, for the same services, the
same settings, the same kuva-audit, axe-core and Chromium build; anything else is an error that
names the field that differs (``engine.browser_version``, ``settings.viewports``, ...), never a
silently partial run.

Each part is checked before anything is written: every file is the part of the service it is
named after, of the shard its folder is named after, of the same run as the others (its run
id), and holds only that service's pages (on the origins the part records, see
:mod:`kuva_audit.audit.scope`) that the hash of :func:`~kuva_audit.audit.run.in_shard` puts in
that shard, none of them in another part too.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from kuva_audit.atomic import replace_all
from kuva_audit.audit.results import SITEMAP_ERRORS, ServiceRun, Shard
from kuva_audit.audit.run import in_shard
from kuva_audit.audit.scope import in_scope
from kuva_audit.audit.store import load_service_run
from kuva_audit.audit.writer import rewrite_service_run
from kuva_audit.errors import KuvaError

Part = dict[str, tuple[Path, ServiceRun]]
"""service id -> (its file, its part) of one shard folder."""

_AS_WRITTEN = "give the shard-K-of-N folders as the shard runs wrote them"
_SHARD_FOLDER = re.compile(r"shard-(\d+)-of-(\d+)")


def merge_parts(part_dirs: Sequence[Path], out_dir: Path) -> list[Path]:
    """Merge shard folders; write ``<out_dir>/<date>/<service-id>.json``; return the files."""
    parts = {folder: _load_part(folder) for folder in part_dirs}
    _check_one_run(parts)
    _check_complete(parts)
    first = next(iter(parts.values()))
    date = min(run.date for runs in parts.values() for _, run in runs.values())
    merged = []
    for service_id in first:
        runs = [runs[service_id] for runs in parts.values()]
        for other in runs[1:]:
            _check_same(runs[0], other)
        _check_pages(runs)
        merged.append(runs)
    # Merged files are written beside the run folder first and moved in together: a failure
    # half-way leaves the run folder as it was.
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{date}.merge-", dir=out_dir))
    try:
        staged = [
            (
                _merge_service(runs, date, staging / f"{runs[0][1].service.id}.json"),
                out_dir / date / f"{runs[0][1].service.id}.json",
            )
            for runs in merged
        ]
        replace_all(staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [path for _, path in staged]


def _load_part(folder: Path) -> Part:
    """One shard's folder; each file must be the part it says it is."""
    if not folder.is_dir():
        raise KuvaError(f"{folder}: no such part folder; {_AS_WRITTEN}")
    part: Part = {}
    shown: tuple[Path, Shard] | None = None
    for path in sorted(folder.glob("*.json")):
        run = load_service_run(path)
        shard = run.shard
        if shard is None:
            raise KuvaError(
                f"{path}: not a shard's part (written by audit --shard K/N); {_AS_WRITTEN}"
            )
        if run.service.id != path.stem:
            raise KuvaError(
                f"{path}: holds the part of service {run.service.id!r}, not {path.stem!r} "
                f"(a renamed or copied file); {_AS_WRITTEN}"
            )
        if shard.run_id is None:
            raise KuvaError(
                f"{path}: a part without a run id (an older kuva-audit wrote it); audit every "
                "shard again with this kuva-audit"
            )
        if shown is None:
            named = _SHARD_FOLDER.fullmatch(folder.name)
            if named and (int(named[1]), int(named[2])) != (shard.index, shard.count):
                raise KuvaError(
                    f"{path}: a part of shard {_k(shard)}, in a folder named {folder.name} (a "
                    f"renamed or copied folder); {_AS_WRITTEN}"
                )
            shown = (path, shard)
        elif (shard.index, shard.count) != (shown[1].index, shown[1].count):
            raise KuvaError(
                f"{path}: a part of shard {_k(shard)}, beside {shown[0].name} of shard "
                f"{_k(shown[1])} (a file copied between parts); {_AS_WRITTEN}"
            )
        part[run.service.id] = (path, run)
    if not part:
        raise KuvaError(f"{folder}: no result files (<service-id>.json) in this folder")
    return part


def _k(shard: Shard) -> str:
    return f"{shard.index}/{shard.count}"


def _shard(run: ServiceRun) -> Shard:
    assert run.shard is not None  # checked by _load_part
    return run.shard


def _check_one_run(parts: dict[Path, Part]) -> None:
    first_path, first = next(iter(next(iter(parts.values())).values()))
    expected = _shard(first).run_id
    for runs in parts.values():
        for path, run in runs.values():
            if _shard(run).run_id != expected:
                raise KuvaError(
                    f"{path}: a part of run {_shard(run).run_id}, but {first_path} is of run "
                    f"{expected}; merge the parts of one run (the same --run-id on every shard)"
                )


def _check_complete(parts: dict[Path, Part]) -> None:
    shards: dict[int, Path] = {}
    counts = set()
    for folder, runs in parts.items():
        _, run = next(iter(runs.values()))
        index, count = _shard(run).index, _shard(run).count
        if index in shards:
            raise KuvaError(
                f"shard {index}/{count} is given twice: {shards[index]} and {folder}; give "
                "each shard's folder once"
            )
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


def _check_pages(runs: list[tuple[Path, ServiceRun]]) -> None:
    """Each page in one part only, the one its hash puts it in, on the service's origins."""
    seen: dict[tuple[str, str], Path] = {}
    positions: dict[tuple[int, str], Path] = {}
    for path, run in runs:
        shard = _shard(run)
        for page in run.pages:
            where = f"{path}: {page.url} ({page.viewport})"
            other = seen.get((page.url, page.viewport)) or positions.get(
                (page.position, page.viewport)
            )
            if other is not None:
                raise KuvaError(
                    f"{where} is also in {other}; a page is in one part only: {_AS_WRITTEN}"
                )
            seen[(page.url, page.viewport)] = positions[(page.position, page.viewport)] = path
            if not in_shard(run.service.id, page.url, shard):
                owner = next(
                    k
                    for k in range(1, shard.count + 1)
                    if in_shard(run.service.id, page.url, Shard(index=k, count=shard.count))
                )
                raise KuvaError(
                    f"{where} belongs in shard {owner}/{shard.count}, not {_k(shard)} (the part "
                    f"was edited or mixed); audit shard {_k(shard)} again"
                )
            never_loaded = page.status == "error" and page.error_kind in SITEMAP_ERRORS
            if not never_loaded and not in_scope(page.url, shard.origins):
                raise KuvaError(
                    f"{where} is not a page of {run.service.id} (not on "
                    f"{', '.join(shard.origins) or 'its origins'}); the part was edited: audit "
                    f"shard {_k(shard)} again"
                )


_REMEDY = {
    "fingerprint_version": "install the same kuva-audit on every machine",
    "engine.kuva_audit": "install the same kuva-audit on every machine",
    "engine.axe_core": "install the same kuva-audit (it pins axe-core) on every machine",
    "engine.playwright": "install the same kuva-audit (it pins Playwright) on every machine",
    "engine.browser": "audit every shard with the same Chromium build: Playwright's pinned one "
    "(`playwright install chromium`, KUVA_AUDIT_BROWSER=playwright) on every machine",
    "rule_criteria": "install the same kuva-audit (it pins axe-core) on every machine",
    "settings": "audit every shard with the same services.yaml",
    "service": "audit every shard with the same services.yaml",
    "shard.origins": "audit every shard with the same services.yaml",
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
    (base_path, first), (other_path, run) = base, other
    base_dir, other_dir = base_path.parent, other_path.parent
    for field in (
        "engine",
        "settings",
        "service",
        "rule_criteria",
        "fingerprint_version",
        "shard.origins",
    ):
        found: list[str]
        if field == "shard.origins":
            found = [] if _shard(first).origins == _shard(run).origins else [field]
        else:
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
    base = runs[0][1]
    runs_only = [run for _, run in runs]
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
