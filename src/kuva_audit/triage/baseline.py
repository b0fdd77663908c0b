"""Compare a run with an earlier one: each issue is new, persisting or fixed.

An issue of the baseline counts as fixed only when at least one of its pages was audited again
and it is not found there any more; an issue on pages that could not be audited this time is
neither fixed nor persisting, just not known. When the axe-core version differs between the two
runs, new issues are split into those from rules the baseline did not run (new rules) and the
rest, which may come from a rule that changed rather than from a change of the site. When the
fingerprint version differs (a kuva-audit that names elements another way), the ids cannot be
compared: that service's issues are neither new, persisting nor fixed, and a note says that the
fingerprints changed; the next run's comparison is exact again.

A baseline is a full run folder (``audits/<date>/``) or, once that is gone, the night's compact
history (``audits/history/<YYYY>/<date>.jsonl``, also accepted directly). The compact form keeps
one page per issue: an issue is then called fixed only when that page was audited again
(otherwise it is not known), so a compact baseline never reports more fixes than a full one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kuva_audit.audit.results import FingerprintEntry, ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.errors import KuvaError
from kuva_audit.history.compact import CompactRun
from kuva_audit.history.store import night_file, read_night
from kuva_audit.triage.report import Change, FixedIssue


@dataclass(frozen=True)
class BaselineRun:
    """What a comparison needs of one service's earlier run."""

    service: str
    axe_core: str
    fingerprints: tuple[FingerprintEntry, ...]
    rules: frozenset[str]
    fingerprint_version: int

    @classmethod
    def of_run(cls, run: ServiceRun) -> BaselineRun:
        return cls(
            run.service.id,
            run.engine.axe_core,
            tuple(run.fingerprints),
            run.rules_run(),
            run.fingerprint_version,
        )

    @classmethod
    def of_compact(cls, record: CompactRun) -> BaselineRun:
        entries = tuple(issue.entry() for issue in record.issues)
        return cls(
            record.service, record.axe_core, entries, record.rules, record.fingerprint_version
        )


def load_baseline(path: Path) -> tuple[BaselineRun, ...]:
    """The baseline at ``path``: a run folder, or a compact history night file; a run folder
    that is gone is read from the compact history beside it."""
    if path.suffix == ".jsonl" and path.is_file():
        return tuple(BaselineRun.of_compact(r) for r in read_night(path))
    if path.is_dir() and any(path.glob("*.json")):
        return tuple(BaselineRun.of_run(run) for run in load_run_dir(path))
    compact = night_file(path.parent, path.name)
    if compact.is_file():
        return tuple(BaselineRun.of_compact(r) for r in read_night(compact))
    if path.is_dir():
        load_run_dir(path)  # its one-line error
    raise KuvaError(
        f"{path}: no such run folder, and no compact history at {compact}; give audits/<date> "
        "or audits/history/<YYYY>/<date>.jsonl"
    )


@dataclass(frozen=True)
class Comparison:
    changes: dict[tuple[str, str], Change]
    fixed: tuple[FixedIssue, ...]
    notes: tuple[str, ...]
    uncompared: frozenset[str] = frozenset()
    """Services whose baseline has another fingerprint version."""


def compare(current: tuple[ServiceRun, ...], baseline: tuple[BaselineRun, ...]) -> Comparison:
    before = {run.service: run for run in baseline}
    changes: dict[tuple[str, str], Change] = {}
    fixed: list[FixedIssue] = []
    notes: list[str] = []
    new_rules: dict[str, frozenset[str]] = {}
    renamed: dict[tuple[int, int], list[str]] = {}
    for run in current:
        old = before.get(run.service.id)
        if old is not None and old.fingerprint_version != run.fingerprint_version:
            pair = (old.fingerprint_version, run.fingerprint_version)
            renamed.setdefault(pair, []).append(run.service.id)
            continue
        old_ids = {fp.id for fp in old.fingerprints} if old else set()
        for fp in run.fingerprints:
            changes[(run.service.id, fp.id)] = "persisting" if fp.id in old_ids else "new"
        if old is None:
            continue
        audited = {p.url for p in run.pages if p.status == "ok"}
        now = {fp.id for fp in run.fingerprints}
        fixed.extend(
            FixedIssue(run.service.id, fp)
            for fp in old.fingerprints
            if fp.id not in now and audited.intersection(fp.pages)
        )
        unknown = run.rules_run() - old.rules
        if unknown:
            new_rules[run.service.id] = unknown
    if renamed:
        notes.extend(_fingerprint_notes(renamed))
    versions_now = {run.engine.axe_core for run in current}
    versions_then = {run.axe_core for run in baseline}
    if versions_now != versions_then:
        notes.append(_engine_note(current, changes, new_rules, versions_then, versions_now))
    uncompared = frozenset(sid for ids in renamed.values() for sid in ids)
    return Comparison(changes, tuple(fixed), tuple(notes), uncompared)


def _fingerprint_notes(renamed: dict[tuple[int, int], list[str]]) -> list[str]:
    return [
        f"fingerprints changed: the baseline's issue ids are fingerprint version {then}, this "
        f"run's version {now} (kuva-audit identifies elements another way), so the issues of "
        f"{', '.join(services)} are not compared with the baseline: none is called new, "
        "persisting or fixed; the next run compares with this one exactly"
        for (then, now), services in sorted(renamed.items())
    ]


def _engine_note(
    current: tuple[ServiceRun, ...],
    changes: dict[tuple[str, str], Change],
    new_rules: dict[str, frozenset[str]],
    then: set[str],
    now: set[str],
) -> str:
    from_new_rules: list[str] = []
    maybe_changed: list[str] = []
    for run in current:
        for fp in run.fingerprints:
            if changes.get((run.service.id, fp.id)) != "new":
                continue
            label = f"{run.service.id}: {fp.rule} on {fp.selector}"
            if fp.rule in new_rules.get(run.service.id, frozenset()):
                from_new_rules.append(label)
            else:
                maybe_changed.append(label)
    note = (
        f"axe-core changed from {', '.join(sorted(then))} to {', '.join(sorted(now))} since the "
        "baseline: new issues may come from the engine, not from the sites."
    )
    if from_new_rules:
        note += f" From rules the baseline did not run: {'; '.join(from_new_rules)}."
    if maybe_changed:
        note += f" From rules that may have changed: {'; '.join(maybe_changed)}."
    return note
