"""accepted.yaml: issues a service owner has accepted, with a reason, an owner and an expiry.

An entry matches an issue by its fingerprint, or by its axe rule and (optionally) its target
selector; optionally only on pages whose URL matches a shell glob and only in one service.
A matching issue is reported as accepted, not as a failure. From the day after ``expires`` the
entry stops matching and the report says so.

```yaml
accepted:
  - rule: color-contrast
    target: ".hero h1"                    # as printed in results (selector); optional
    url: "https://kummilapset.hel.fi/*"   # optional shell glob on the page URL
    service: kukkuu                       # optional
    reason: Brand colours; the 2027 redesign fixes this
    owner: Culture services web team
    expires: 2027-06-30
  - fingerprint: 3f2a9c0d1e4b5a67         # one issue, wherever it is
    reason: ...
    owner: ...
    expires: 2027-01-31
```
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field, model_validator

from kuva_audit.audit.fingerprint import normalise_selector
from kuva_audit.audit.results import ServiceRun
from kuva_audit.config.base import SLUG, StrictModel
from kuva_audit.config.loader import line_of, load_yaml_model
from kuva_audit.triage.report import Acceptance

DEFAULT_ACCEPTED = "accepted.yaml"


class AcceptedEntry(StrictModel):
    rule: str | None = None
    target: str | None = None
    fingerprint: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")] | None = None
    url: str | None = None
    service: Annotated[str, Field(pattern=SLUG)] | None = None
    reason: str = Field(min_length=3)
    owner: str = Field(min_length=2)
    expires: dt.date

    @model_validator(mode="after")
    def _what(self) -> AcceptedEntry:
        if (self.fingerprint is None) == (self.rule is None):
            raise ValueError("give either `fingerprint` or `rule` (with an optional `target`)")
        if self.target is not None and self.rule is None:
            raise ValueError("`target` needs `rule`")
        return self


class AcceptedFile(StrictModel):
    accepted: list[AcceptedEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class Accepted:
    entries: tuple[tuple[AcceptedEntry, str], ...]
    """Each entry with its source, ``accepted.yaml:LINE``."""

    @classmethod
    def load(cls, path: Path) -> Accepted:
        data, tree = load_yaml_model(path, AcceptedFile, expected="a mapping with `accepted:`")
        return cls(
            tuple(
                (entry, f"{path.name}:{line_of(tree, ('accepted', n))}")
                for n, entry in enumerate(data.accepted)
            )
        )

    def apply(
        self, runs: tuple[ServiceRun, ...], as_of: dt.date
    ) -> tuple[dict[tuple[str, str, str], Acceptance], list[str]]:
        """Acceptances per (service, fingerprint, page URL), and notes on expired entries."""
        accepted: dict[tuple[str, str, str], Acceptance] = {}
        notes = []
        for entry, source in self.entries:
            if entry.expires < as_of:
                notes.append(
                    f"{source}: the acceptance of {_describe(entry)} expired on "
                    f"{entry.expires.isoformat()}; it no longer applies"
                )
                continue
            acceptance = Acceptance(entry.reason, entry.owner, entry.expires, source)
            for key in _matches(entry, runs):
                accepted.setdefault(key, acceptance)
        return accepted, notes


def _describe(entry: AcceptedEntry) -> str:
    if entry.fingerprint:
        return f"issue {entry.fingerprint}"
    return f"{entry.rule}" + (f" on {entry.target}" if entry.target else "")


def _matches(entry: AcceptedEntry, runs: tuple[ServiceRun, ...]) -> Iterator[tuple[str, str, str]]:
    target = normalise_selector(entry.target) if entry.target else None
    for run in runs:
        if entry.service and entry.service != run.service.id:
            continue
        for page in run.pages:
            if entry.url and not fnmatch.fnmatchcase(page.url, entry.url):
                continue
            for finding in page.violations:
                if entry.rule and entry.rule != finding.rule:
                    continue
                for node in finding.nodes:
                    if entry.fingerprint and entry.fingerprint != node.fingerprint:
                        continue
                    if target and target != normalise_selector(node.selector):
                        continue
                    yield run.service.id, node.fingerprint, page.url
