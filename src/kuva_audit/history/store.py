"""The compact history on disk: ``audits/history/<YYYY>/<YYYY-MM-DD>.jsonl``.

One file per night, one JSON line per service sorted by service id: a night is a new small
file (the repository grows by that file's compressed size), a re-run of one service that
night replaces only its own line, and ``git diff`` shows one line per service. Files are
written atomically. The full results (``audits/<YYYY-MM-DD>/``) are kept beside it only for
as long as ``kuva-audit history --keep-full`` says (see the README's nightly section).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from kuva_audit.atomic import write_text_atomic
from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_service_run, run_dirs
from kuva_audit.errors import KuvaError
from kuva_audit.history.compact import CompactRun, UnknownVersion
from kuva_audit.textfile import read_utf8

_RESTORE = "restore the file from the repository or run `kuva-audit history` again"

HISTORY = "history"
_NIGHT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def history_dir(audits: Path) -> Path:
    return audits / HISTORY


def night_file(audits: Path, date: str) -> Path:
    return history_dir(audits) / date[:4] / f"{date}.jsonl"


def read_night(path: Path, *, issues: bool = True) -> list[CompactRun]:
    """Every service's record of one night's file (without its issues when ``issues`` is
    False: what trends need, in a fraction of the memory); a one-line error naming the file
    and line when it is not a compact history file."""
    text = read_utf8(path, "a compact history file", _RESTORE)
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(CompactRun.from_line(line, issues=issues))
        except UnknownVersion as exc:
            raise KuvaError(
                f"{path}: line {number}: {exc}; read it with the kuva-audit that wrote it "
                "(engine.kuva_audit on the line), or restore the file from the repository"
            ) from None
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise KuvaError(
                f"{path}: line {number} is not a kuva-audit compact history record ({exc}); "
                f"{_RESTORE}"
            ) from None
    return records


def record(audits: Path, runs: Iterable[ServiceRun]) -> list[Path]:
    """Add the runs to the compact history (one file per night, a run's line replacing the
    same service's earlier line of that night). Returns the files written."""
    by_night: dict[str, list[CompactRun]] = {}
    for run in runs:
        by_night.setdefault(run.date, []).append(CompactRun.of(run))
    written = []
    for date, records in sorted(by_night.items()):
        path = night_file(audits, date)
        kept = {r.service: r for r in (read_night(path) if path.is_file() else [])}
        kept.update((r.service, r) for r in records)
        lines = [kept[service].to_line() for service in sorted(kept)]
        write_text_atomic(path, "\n".join(lines) + "\n")
        written.append(path)
    return written


def night_files(audits: Path) -> list[Path]:
    """The compact history's night files, oldest first."""
    folder = history_dir(audits)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("[0-9][0-9][0-9][0-9]/*.jsonl") if _NIGHT.match(p.stem))


def load_history(audits: Path, *, issues: bool = True) -> Iterator[CompactRun]:
    """Every compact record, oldest night first (without issues when ``issues`` is False); a
    night that has full results but no compact file yet (results written by an older
    kuva-audit) is read from its full results."""
    compact = {p.stem: p for p in night_files(audits)}
    full = {p.name: p for p in run_dirs(audits)}
    for date in sorted(compact.keys() | full.keys()):
        if date in compact:
            yield from read_night(compact[date], issues=issues)
        else:
            for path in sorted(full[date].glob("*.json")):
                yield CompactRun.of(load_service_run(path))


def migrate(audits: Path) -> list[Path]:
    """Write the compact record of every full result that has none yet (results of an older
    kuva-audit, or of a night whose compact file is missing a service). Returns the files
    written."""
    written = []
    for folder in run_dirs(audits):
        path = night_file(audits, folder.name)
        have = {r.service for r in read_night(path)} if path.is_file() else set()
        runs = [load_service_run(p) for p in sorted(folder.glob("*.json")) if p.stem not in have]
        if runs:
            written += record(audits, runs)
    return written


def prune(audits: Path, keep_full: int) -> list[Path]:
    """Delete the full result folders but the newest ``keep_full``, each only once the compact
    history holds every service of it. Returns the folders deleted."""
    folders = run_dirs(audits)
    removed = []
    for folder in folders[: max(len(folders) - keep_full, 0)]:
        path = night_file(audits, folder.name)
        have = {r.service for r in read_night(path)} if path.is_file() else set()
        if {p.stem for p in folder.glob("*.json")} <= have:
            shutil.rmtree(folder)
            removed.append(folder)
    return removed
