"""The statement of every service, from services.yaml and the latest audit results.

Every service gets one: a service with no ``statement:`` block gets a draft built from what
is known (its automated results, the organisation's feedback channel) that lists what its
owner must add.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import latest_run
from kuva_audit.config.loader import ConfigProblem, ConfigProblems, LoadedConfig
from kuva_audit.config.models import Service
from kuva_audit.config.statement import Organisation
from kuva_audit.errors import ConfigError
from kuva_audit.statements.compliance import Assessment, assess, assess_evidence
from kuva_audit.statements.evidence import RunEvidence, latest_evidence
from kuva_audit.statements.validate import statement_errors
from kuva_audit.statements.view import StatementView, statement_view


@dataclass(frozen=True)
class Built:
    service: Service
    run: ServiceRun | None
    assessments: dict[str, Assessment]
    views: dict[str, StatementView]

    @property
    def publishable(self) -> bool:
        return all(a.publishable for a in self.assessments.values())

    @functools.cached_property
    def evidence(self) -> RunEvidence | None:
        return RunEvidence.of_run(self.run) if self.run is not None else None

    @property
    def assessment(self) -> Assessment:
        """The assessment of the first language built (every language has its own)."""
        return next(iter(self.assessments.values()))


@dataclass(frozen=True)
class Judged:
    """A service's statement assessed in each language from the evidence of its latest run
    (read from the compact history when it can be), without the views: what the statement
    state and ``statements --check`` need, never enough to write a draft."""

    service: Service
    evidence: RunEvidence | None
    assessments: dict[str, Assessment]

    @property
    def publishable(self) -> bool:
        return all(a.publishable for a in self.assessments.values())


def check_config(loaded: LoadedConfig) -> Organisation:
    """Raise the statement blocks' errors (criteria outside the 49 in scope, no
    organisation...), if any; the organisation otherwise."""
    problems = statement_errors(loaded)
    if problems:
        raise ConfigProblems(loaded.path, problems)
    organisation = loaded.config.organisation
    if organisation is None:
        raise loaded.error(
            ("organisation",),
            "statements need an `organisation:` block (name, unit, feedback)",
        )
    return organisation


def judge_statements(
    loaded: LoadedConfig, services: Sequence[Service], langs: Sequence[str], audits: Path
) -> list[Judged]:
    """What :func:`build_statements` assesses, from each service's latest compact history
    line (its full results only where the compact history does not keep what is needed)."""
    check_config(loaded)
    evidence = latest_evidence(audits, [s.id for s in services])
    judged = []
    for service in services:
        found = evidence[service.id]
        assessments = {
            lang: assess_evidence(service.statement, found.of_lang(lang) if found else None)
            for lang in langs
        }
        judged.append(Judged(service, found, assessments))
    return judged


def build_statements(
    loaded: LoadedConfig,
    services: Sequence[Service],
    langs: Sequence[str],
    audits: Path,
    day: dt.date | None = None,
) -> list[Built]:
    """The statements of ``services`` in ``langs`` as of ``day`` (default today); each
    language version is assessed on its own pages (see compliance.pages_of)."""
    day = day or dt.date.today()
    organisation = check_config(loaded)
    built = []
    for service in services:
        run = latest_run(audits, service.id)
        assessments = {lang: assess(service.statement, run, lang) for lang in langs}
        views = {
            lang: statement_view(service, organisation, assessments[lang], lang, day)
            for lang in langs
        }
        built.append(Built(service, run, assessments, views))
    return built


def statement_services(loaded: LoadedConfig, ids: Sequence[str]) -> list[Service]:
    """The services asked for (every service by default)."""
    services = loaded.config.services
    if not ids:
        return list(services)
    known = {s.id: s for s in services}
    for service_id in ids:
        if service_id not in known:
            raise ConfigError(f"{loaded.path}: no service {service_id!r}")
    return [known[i] for i in dict.fromkeys(ids)]


def override_errors(loaded: LoadedConfig, audits: Path) -> list[ConfigProblem]:
    """Each ``status_override`` the evidence (services.yaml and the latest audit) cannot
    support, with its line and why."""
    problems = []
    for index, service in enumerate(loaded.config.services):
        statement = service.statement
        if statement is None or statement.status_override is None:
            continue
        assessment = assess(statement, latest_run(audits, service.id))
        loc = ("services", index, "statement", "status_override", "status")
        for missing in assessment.missing:
            if missing.key.startswith("override-"):
                problems.append(
                    ConfigProblem(loaded.line_of(loc), loc, f"refused: {missing.text('en')}")
                )
    return problems
