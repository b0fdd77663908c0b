"""How the pipeline speaks: every line and table goes to a :class:`Reporter` its caller owns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.table import Table

    from kuva_audit.audit.results import PageResult
    from kuva_audit.audit.run import AuditProgress


class Reporter(Protocol):
    """Where the pipeline's lines, tables and audit progress go."""

    def line(self, text: str, *, err: bool = False) -> None:
        """One line of plain text (``err``: a warning or an error, for standard error)."""

    def table(self, table: Table) -> None:
        """A table (the audit summary, the satisfaction scores)."""

    def progress(self) -> AuditProgress:
        """The progress display of an audit."""


class _NoProgress:
    def start(self, total: int) -> None:
        pass

    def page_done(self, service_id: str, result: PageResult) -> None:
        pass

    def stop(self) -> None:
        pass


@dataclass
class Collected:
    """A reporter that keeps what it is told (for tests and callers with no terminal)."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def line(self, text: str, *, err: bool = False) -> None:
        (self.errors if err else self.lines).append(text)

    def table(self, table: Table) -> None:
        self.tables.append(table)

    def progress(self) -> AuditProgress:
        return _NoProgress()
