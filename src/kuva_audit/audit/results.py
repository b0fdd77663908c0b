"""The audit result schema: one JSON file per service and run day.

``<out-dir>/<YYYY-MM-DD>/<service-id>.json`` validates against :class:`ServiceRun`; its JSON
Schema is generated from these models (``kuva-audit schema``) and shipped as
``kuva_audit/schemas/audit-result.schema.json``. Bump :data:`SCHEMA_VERSION` on any change
that breaks a reader.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kuva_audit.audit.safe import SafeStr
from kuva_audit.audit.wcag import is_legal, split_criteria

SCHEMA_VERSION = 1
Impact = Literal["minor", "moderate", "serious", "critical"]
Engine = Literal["axe-core", "htmlcs", "check"]
IMPACT_ORDER: tuple[Impact, ...] = ("critical", "serious", "moderate", "minor")
ErrorKind = Literal[
    "connection",
    "dns",
    "timeout",
    "http",
    "not-html",
    "redirect-loop",
    "crash",
    "hang",
    "blank",
    "wait-selector",
    "pre-action",
    "sitemap",
    "unsafe-url",
    "navigation",
    "engine",
]

SITEMAP_ERRORS: tuple[ErrorKind, ...] = ("sitemap", "unsafe-url")
"""Error kinds of a sitemap or its entries: reports point at the ``sitemap:`` setting."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


HTML_LIMIT = 1000
"""Longest element HTML kept in a result (the engines are asked for no more)."""
MAX_FRAME_DEPTH = 8
"""Deepest frame nesting the engines descend into."""


def clip_html(html: str) -> str:
    """An element's HTML as kept in a result: at most ``HTML_LIMIT`` characters, a longer one
    cut with an ellipsis."""
    return html if len(html) <= HTML_LIMIT else html[: HTML_LIMIT - 1] + "…"


class Node(Model):
    selector: SafeStr = Field(
        description="Readable target: frame levels joined by ' >> ', shadow roots by ' >>> '"
    )
    target: list[SafeStr | list[SafeStr]] = Field(description="axe-core's own target, frames first")
    html: SafeStr = Field(description="The element's HTML, truncated to 1,000 characters")
    failure_summary: SafeStr | None = None
    fingerprint: str = Field(
        description="Stable id of the issue: the rule and the element's identity (see the run's "
        "fingerprint_version)"
    )
    also_found_by: list[str] = Field(
        default_factory=list,
        description="Other engines that reported this element for the same criterion "
        "(one issue, not two), e.g. ['htmlcs']",
    )


def _counted_criteria(data: Any) -> Any:
    """A legal item counts for its WCAG 2.1 A/AA criteria only. Results written before levels
    were taken from the criteria table list a legal rule's AAA criteria (2.1.3 of
    scrollable-region-focusable) in ``wcag``; they are moved to ``wcag_beyond`` on reading."""
    if (
        isinstance(data, dict)
        and data.get("legal")
        and isinstance(data.get("wcag"), list)
        and not all(isinstance(c, str) and is_legal(c) for c in data["wcag"])
    ):
        counted, beyond = split_criteria(data["wcag"])
        if beyond:
            known = list(data.get("wcag_beyond") or [])
            data = {**data, "wcag": counted, "wcag_beyond": known + beyond}
    return data


_WCAG = (
    "WCAG success criteria the rule counts for: a legal rule's WCAG 2.1 A/AA criteria only, "
    "e.g. ['1.4.3']; for a rule beyond the legal requirement, every criterion it names"
)
_WCAG_BEYOND = (
    "A legal rule's other criteria (AAA, WCAG 2.2), e.g. ['2.1.3'] of "
    "scrollable-region-focusable: named by axe-core, never counted"
)


class Finding(Model):
    """One rule or check that failed (violation) or needs a human (needs review) on a page."""

    rule: str = Field(
        description="Rule id: axe-core's (image-alt), HTML_CodeSniffer's "
        "(htmlcs:1.3.1:H43.HeadersRequired) or an interaction check's (check:keyboard-trap)"
    )
    engine: Engine = Field(
        default="axe-core", description="What found it: axe-core, htmlcs or check"
    )
    impact: Impact | None
    wcag: list[str] = Field(description=_WCAG)
    wcag_beyond: list[str] = Field(default_factory=list, description=_WCAG_BEYOND)
    level: Literal["A", "AA"] | None = Field(
        description="WCAG 2.1 level of the rule's strictest counted criterion, if legal"
    )
    legal: bool = Field(
        description="True for rules that test a WCAG 2.1 A/AA criterion (required by law "
        "306/2019); False for best practices, WCAG 2.2 and AAA, which are reported beyond the "
        "legal requirement"
    )
    tags: list[str]
    description: str
    help: str
    help_url: str
    nodes: list[Node]

    @model_validator(mode="before")
    @classmethod
    def _counted(cls, data: Any) -> Any:
        return _counted_criteria(data)


class Timings(Model):
    load_s: float = Field(default=0.0, description="From navigation to ready, settling included")
    settle_s: float = Field(
        default=0.0, description="Part of load_s spent waiting for the page to settle"
    )
    axe_s: float = 0.0
    total_s: float = 0.0
    engines_s: dict[str, float] = Field(
        default_factory=dict,
        description="Seconds of each further engine and interaction check (htmlcs, "
        "check:keyboard...) on this page",
    )


class PageResult(Model):
    """One page at one viewport. Every string a page can influence is made safe to write
    (lone surrogates and control characters replaced, credentials removed from addresses)."""

    url: SafeStr
    viewport: str
    lang: str | None = None
    position: int = Field(
        description="Place of the page in the service's page list (listed pages, then sitemap "
        "pages, then unreadable sitemaps); results are ordered by it, then by viewport"
    )
    status: Literal["ok", "error"]
    error: SafeStr | None = Field(default=None, description="Why the page could not be audited")
    error_kind: ErrorKind | None = None
    http_status: int | None = None
    content_type: SafeStr | None = Field(
        default=None,
        description="Media type the server sent instead of a web page (error_kind not-html)",
    )
    final_url: SafeStr | None = None
    title: SafeStr | None = None
    attempts: int = 1
    frames_audited: int = 0
    warnings: list[SafeStr] = Field(default_factory=list)
    timings: Timings = Field(default_factory=Timings)
    violations: list[Finding] = Field(default_factory=list)
    needs_review: list[Finding] = Field(default_factory=list)
    passes: int = 0
    inapplicable: int = 0
    passed_rules: list[str] = Field(default_factory=list)
    inapplicable_rules: list[str] = Field(default_factory=list)


class FingerprintEntry(Model):
    """One issue (same rule, same normalised target) and every page it was seen on."""

    id: str
    rule: str
    selector: SafeStr
    impact: Impact | None
    wcag: list[str] = Field(description=_WCAG)
    wcag_beyond: list[str] = Field(default_factory=list, description=_WCAG_BEYOND)
    legal: bool
    pages: list[SafeStr]
    viewports: list[str]
    nodes: int

    @model_validator(mode="before")
    @classmethod
    def _counted(cls, data: Any) -> Any:
        return _counted_criteria(data)


class EngineInfo(Model):
    kuva_audit: str
    axe_core: str
    htmlcs: str | None = Field(default=None, description="HTML_CodeSniffer's version, when it ran")
    checks: tuple[str, ...] = Field(
        default=(), description="Interaction checks this kuva-audit can run"
    )
    playwright: str
    browser: str
    browser_version: str
    browser_build: str | None = Field(
        default=None,
        description="Which Chromium build: 'playwright chromium-NNNN' for Playwright's pinned "
        "download, else the executable's path; absent in results of older versions",
    )


class ServiceInfo(Model):
    id: str
    name: dict[str, str]
    url: str


class Totals(Model):
    pages: int = 0
    ok: int = 0
    errors: int = 0
    violations: int = Field(default=0, description="Failed (page, viewport, rule) pairs, legal")
    issues_by_impact: dict[str, int] = Field(
        default_factory=dict, description="Distinct legal fingerprints by impact"
    )
    nodes_by_impact: dict[str, int] = Field(
        default_factory=dict, description="Failing elements of legal rules by impact"
    )
    beyond_legal: int = Field(default=0, description="Distinct best-practice/2.2 fingerprints")
    needs_review: int = Field(default=0, description="(page, viewport, rule) pairs to review")
    failed_criteria: dict[str, int] = Field(
        default_factory=dict, description="Criterion -> distinct legal fingerprints failing it"
    )


class Shard(Model):
    index: int = Field(ge=1, description="K of --shard K/N")
    count: int = Field(ge=1, description="N of --shard K/N")
    run_id: str | None = Field(
        default=None,
        description="The run the part belongs to (--run-id, else $GITHUB_RUN_ID, else the run "
        "day): merge takes the parts of one run only",
    )
    origins: list[str] = Field(
        default_factory=list,
        description="Origins the service's pages may be on (its URL's, its listed pages', its "
        "sitemap's): merge refuses a part with a page elsewhere",
    )


class ServiceRun(Model):
    schema_version: int = SCHEMA_VERSION
    fingerprint_version: int = Field(
        default=1,
        description="How fingerprints were made: 1, the rule and axe's normalised selector "
        "(files without this field); 2, the rule and a description of the element computed in "
        "the page (landmarks, structural path, stable attributes). Fingerprints of different "
        "versions are not comparable",
    )
    service: ServiceInfo
    date: str = Field(description="Run day, YYYY-MM-DD (local time at the start of the run)")
    started_at: str
    finished_at: str
    duration_s: float
    engine: EngineInfo
    settings: dict[str, object]
    rule_criteria: dict[str, list[str]] = Field(
        default_factory=dict,
        description="WCAG 2.0/2.1 A/AA criteria of each legal axe rule of the engine: what a "
        "rule's pass is evidence for",
    )

    @field_validator("rule_criteria")
    @classmethod
    def _legal_criteria(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        """What a rule's pass is evidence for: its WCAG 2.1 A/AA criteria only (older files
        list AAA ones too)."""
        return {rule: split_criteria(criteria)[0] for rule, criteria in value.items()}

    shard: Shard | None = Field(
        default=None, description="Set in the part a --shard run writes; absent once merged"
    )
    totals: Totals
    pages: list[PageResult]
    fingerprints: list[FingerprintEntry]

    def rules_run(self) -> frozenset[str]:
        """Every rule that ran on an audited page (passed, inapplicable, failed or to review):
        what a later comparison needs to tell a new rule from a changed site."""
        rules: set[str] = set()
        for page in self.pages:
            rules.update(page.passed_rules, page.inapplicable_rules)
            rules.update(f.rule for f in page.violations)
            rules.update(f.rule for f in page.needs_review)
        return frozenset(rules)
