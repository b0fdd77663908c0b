"""The statements stage: accessibility statement drafts of every service, publishing a
reviewed draft, and checking the published ones against the latest audit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.errors import KuvaError
from kuva_audit.pipeline.reporter import Reporter
from kuva_audit.triage.verdict import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from kuva_audit.statements.build import Built


def parse_langs(lang: str) -> list[str]:
    """The statement languages of ``--lang`` (comma-separated), else a one-line error."""
    from kuva_audit.texts import LANGS

    langs = [code.strip() for code in lang.split(",") if code.strip()]
    if not langs or any(code not in LANGS for code in langs):
        raise KuvaError(f"--lang {lang}: give some of {','.join(LANGS)}, comma-separated")
    return langs


def warn_statements(loaded: LoadedConfig, reporter: Reporter) -> None:
    """Say the warnings of services.yaml's statement blocks."""
    from kuva_audit.statements.validate import statement_warnings

    for warning in statement_warnings(loaded):
        reporter.line(f"warning: {warning.format(loaded.path)}", err=True)


def build(
    loaded: LoadedConfig, ids: Sequence[str], langs: Sequence[str], day: dt.date
) -> list[Built]:
    """The statements of the services asked for (every one by default) as of ``day``."""
    from kuva_audit.statements.build import build_statements, statement_services

    chosen = statement_services(loaded, ids)
    return build_statements(loaded, chosen, langs, loaded.root / "audits", day)


def publish_reviewed(
    loaded: LoadedConfig,
    ids: Sequence[str],
    langs: Sequence[str],
    root: Path,
    by: str,
    day: dt.date,
) -> tuple[list[Built], list[Path]]:
    """Publish the reviewed drafts of ``ids``; a :class:`PublishError` says why not."""
    from kuva_audit.statements.publish import publish_statements

    if day > dt.date.today():
        raise KuvaError(f"--as-of {day}: a statement cannot be published in the future")
    built = build(loaded, ids, langs, day)
    return built, publish_statements(built, root, by, day)


@dataclass(frozen=True)
class Checked:
    """What `statements --check` found, and its exit code (2 when a statement drifted)."""

    checked: int
    problems: list[str]

    @property
    def code(self) -> int:
        return EXIT_FINDINGS if self.problems else EXIT_OK


def check_published(
    loaded: LoadedConfig, ids: Sequence[str], langs: Sequence[str], root: Path, day: dt.date
) -> Checked:
    """Check that the published statements still match the latest audit as of ``day`` (judged
    from the compact history: this works once the full results are gone)."""
    from kuva_audit.statements.build import judge_statements, statement_services
    from kuva_audit.statements.check import check

    chosen = statement_services(loaded, ids)
    judged = judge_statements(loaded, chosen, langs, loaded.root / "audits")
    checked, problems = check(judged, langs, root, day)
    return Checked(checked, problems)


def write_drafts(
    loaded: LoadedConfig,
    ids: Sequence[str],
    langs: Sequence[str],
    root: Path,
    day: dt.date,
    reporter: Reporter,
) -> list[Built]:
    """Write the drafts of the services asked for; warn of overrides the evidence refuses."""
    from kuva_audit.statements.build import override_errors
    from kuva_audit.statements.render import write_edition
    from kuva_audit.statements.view import Edition

    built = build(loaded, ids, langs, day)
    for refused in override_errors(loaded, loaded.root / "audits"):
        reporter.line(f"warning: {refused.format(loaded.path)}", err=True)
    write_edition(built, root, Edition("draft", day))
    return built


def statements_stage(
    loaded: LoadedConfig,
    audits: Path,
    root: Path,
    reporter: Reporter,
    written: dict[str, list[Path]],
    demo_reviewer: str | None = None,
) -> None:
    """The whole job's stage: drafts of every service in every language (none without an
    ``organisation:`` block); with ``demo_reviewer`` (the demo only) every draft that can be
    published is published as reviewed by that person. Each kind of file, once written, is
    added to ``written`` (so a failure half-way still lists what was written)."""
    from kuva_audit.statements.build import build_statements
    from kuva_audit.statements.publish import publish_problems, publish_statements
    from kuva_audit.statements.render import write_edition
    from kuva_audit.statements.view import Edition
    from kuva_audit.texts import LANGS

    config = loaded.config
    if config.organisation is None and all(s.statement is None for s in config.services):
        reporter.line("statements: no `organisation:` block in services.yaml, so no drafts")
        return
    today = dt.date.today()
    built = build_statements(loaded, config.services, LANGS, audits, today)
    written["statement drafts"] = write_edition(built, root, Edition("draft", today))
    if demo_reviewer:
        ready = [b for b in built if not publish_problems(b, root, today)]
        written["published statements"] = publish_statements(ready, root, demo_reviewer, today)
