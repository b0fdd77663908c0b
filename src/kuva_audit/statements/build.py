"""Statements of every service that has a ``statement:`` block, from services.yaml and the
latest audit results."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import Service
from kuva_audit.errors import ConfigError
from kuva_audit.formats.report import load_service_run
from kuva_audit.statements.compliance import Assessment, assess
from kuva_audit.statements.view import StatementView, build_view


@dataclass(frozen=True)
class Built:
    service: Service
    run: ServiceRun | None
    assessment: Assessment
    views: dict[str, StatementView]


def latest_run(audits: Path, service_id: str) -> ServiceRun | None:
    """The newest ``audits/<date>/<service-id>.json``, if any."""
    candidates = sorted(audits.glob(f"20*/{service_id}.json"))
    return load_service_run(candidates[-1]) if candidates else None


def build_statements(
    loaded: LoadedConfig, services: Sequence[Service], langs: Sequence[str], audits: Path
) -> Iterator[Built]:
    config = loaded.config
    for service in services:
        if service.statement is None:
            continue
        if config.organisation is None:
            raise loaded.error(
                ("organisation",),
                "statements need an `organisation:` block (name, unit, feedback)",
            )
        run = latest_run(audits, service.id)
        assessment = assess(service.statement, run)
        views = {
            lang: build_view(service, config.organisation, assessment, run, lang) for lang in langs
        }
        yield Built(service, run, assessment, views)


def statement_services(loaded: LoadedConfig, ids: Sequence[str]) -> list[Service]:
    """The services asked for (all with a statement block by default)."""
    services = loaded.config.services
    if not ids:
        return [s for s in services if s.statement is not None]
    known = {s.id: s for s in services}
    for service_id in ids:
        if service_id not in known:
            raise ConfigError(f"{loaded.path}: no service {service_id!r}")
        if known[service_id].statement is None:
            index = services.index(known[service_id])
            raise loaded.error(
                ("services", index),
                f"{service_id} has no `statement:` block; add one to publish its statement",
            )
    return [known[i] for i in dict.fromkeys(ids)]
