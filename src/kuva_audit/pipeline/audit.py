"""The audit stage: audit the services of services.yaml in Chromium (or a shard of their
pages), read the results back and keep the compact history; the `audit` command's sequence."""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.audit.browser import BROWSER_ENV, find_browser
from kuva_audit.audit.results import ServiceRun, Shard
from kuva_audit.audit.store import load_run_dir, load_service_run
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.sources import Sources
from kuva_audit.errors import KuvaError
from kuva_audit.history.store import record
from kuva_audit.locks import output_locks
from kuva_audit.outputs import OutputPaths
from kuva_audit.pipeline.judging import Triage, judge_and_write
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.triage.report import RunReport
from kuva_audit.triage.verdict import Verdict

if TYPE_CHECKING:
    from kuva_audit.audit.run import RunOutcome

RUN_ID_ENV = "GITHUB_RUN_ID"
"""GitHub's id of a workflow run: the same in every job of it, and on a re-run."""


def parse_shard(text: str, run_id: str | None = None) -> Shard:
    """``K/N`` with 1 <= K <= N; the run id is ``run_id``, else $GITHUB_RUN_ID, else none."""
    match = re.fullmatch(r"(\d+)/(\d+)", text.strip())
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise KuvaError(f"--shard {text}: give K/N with 1 <= K <= N, like --shard 2/4")
    run = (run_id or os.environ.get(RUN_ID_ENV) or "").strip() or None
    return Shard(index=int(match[1]), count=int(match[2]), run_id=run)


def audit_services(
    loaded: LoadedConfig,
    service_ids: list[str],
    out_dir: Path,
    browser: str | None,
    concurrency: int | None,
    reporter: Reporter,
    shard: Shard | None = None,
) -> RunOutcome:
    """Audit the services asked for (every one by default) into ``out_dir``."""
    from kuva_audit.audit.run import run_audit, select_services  # playwright: only here

    services = select_services(loaded, service_ids)
    choice = find_browser(browser)
    if choice is None:
        raise KuvaError(
            f"no Chromium found; run `kuva-audit browser --install`, or set {BROWSER_ENV}"
        )
    return asyncio.run(
        run_audit(
            loaded,
            services,
            out_dir=out_dir,
            browser_choice=choice,
            progress=reporter.progress(),
            concurrency=concurrency,
            shard=shard,
        )
    )


@dataclass(frozen=True)
class Audited:
    """The results of an audit (or read from disk), and the files written for them."""

    runs: tuple[ServiceRun, ...]
    date: str
    written: dict[str, list[Path]] = field(default_factory=dict)
    """Kind of output (``audit results``, ``compact history``) -> its files."""


def audit_and_record(
    loaded: LoadedConfig,
    service_ids: list[str],
    audits: Path,
    browser: str | None,
    concurrency: int | None,
    reporter: Reporter,
    shard: Shard | None = None,
    written: dict[str, list[Path]] | None = None,
) -> Audited:
    """Audit, read the results back and (unless a shard) add them to the compact history.
    Each kind of file, once written, is added to ``written`` too (so a failure half-way still
    lists what was written)."""
    written = {} if written is None else written
    outcome = audit_services(loaded, service_ids, audits, browser, concurrency, reporter, shard)
    runs = tuple(load_service_run(s.path) for s in outcome.services)
    written["audit results"] = [s.path for s in outcome.services]
    if shard is None:
        written["compact history"] = record(audits, runs)
    return Audited(runs, outcome.date, written)


def read_and_record(
    run_dir: Path, audits: Path, written: dict[str, list[Path]] | None = None
) -> Audited:
    """Results already on disk (a merged sharded run), added to the compact history (and
    its files to ``written``)."""
    written = {} if written is None else written
    runs = load_run_dir(run_dir)
    written["compact history"] = record(audits, runs)
    return Audited(runs, runs[0].date, written)


@dataclass(frozen=True)
class AuditRequest:
    """What the `audit` command audits, where it writes and how it judges."""

    service_ids: list[str]
    audits: Path
    triage: Triage
    outputs: OutputPaths
    browser: str | None = None
    concurrency: int | None = None
    shard: Shard | None = None


def audit_command(
    loaded: LoadedConfig, request: AuditRequest, reporter: Reporter
) -> tuple[Audited, RunReport, Verdict]:
    """Audit, record, show the summary, write the CI outputs, judge (one run per folder)."""
    with output_locks(request.audits, *request.outputs.folders()):
        audited = audit_and_record(
            loaded,
            request.service_ids,
            request.audits,
            request.browser,
            request.concurrency,
            reporter,
            request.shard,
        )
        report, verdict = judge_and_write(
            audited.runs,
            audited.date,
            request.triage,
            request.outputs,
            Sources.of(loaded),
            reporter,
        )
    return audited, report, verdict
