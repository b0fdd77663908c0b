"""Issue identities that mean one fix: which reported elements are one issue, with the real
Chromium on the pages of tests/sites/identity/, and what a baseline of another fingerprint
version says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from kuva_audit.audit.fingerprint import FINGERPRINT_VERSION
from kuva_audit.audit.results import Node, ServiceRun
from kuva_audit.history.compact import CompactRun
from kuva_audit.triage.baseline import BaselineRun, compare

from .conftest import FIXTURES, Site, audit, service

pytestmark = pytest.mark.browser

PAGES = [
    "footer-a.html",
    "footer-b.html",
    "para-a.html",
    "para-b.html",
    "doc-a.html",
    "doc-b.html",
    "doc-c.html",
    "nav-a.html",
    "nav-b.html",
    "generated-a.html",
    "generated-b.html",
    "frame-a.html",
    "frame-b.html",
    "shadow-a.html",
    "shadow-b.html",
    "placeholder-a.html",
    "placeholder-b.html",
]


@dataclass(frozen=True)
class Case:
    """Two reported elements, each a page and a piece of its selector or HTML, and whether they
    are one issue. ``axe``: whether the engine's own selectors for them are equal or differ
    (None: not asserted), which shows that the identity, not the selector, decides."""

    name: str
    rule: str
    first: tuple[str, str]
    second: tuple[str, str]
    one_issue: bool
    axe: Literal["equal", "differ"] | None


CASES = [
    Case(
        "one footer, seen through a short and a long selector",
        "color-contrast",
        ("footer-a.html", "City of Helsinki"),
        ("footer-b.html", "City of Helsinki"),
        one_issue=True,
        axe="differ",
    ),
    Case(
        "two different bare paragraphs on two pages",
        "color-contrast",
        ("para-a.html", "library is open"),
        ("para-b.html", "Tickets are sold"),
        one_issue=False,
        axe="equal",
    ),
    Case(
        "two documents of the same template without a language",
        "html-has-lang",
        ("doc-a.html", "<html"),
        ("doc-b.html", "<html"),
        one_issue=True,
        axe="equal",
    ),
    Case(
        "two documents of different templates without a language",
        "html-has-lang",
        ("doc-a.html", "<html"),
        ("doc-c.html", "<html"),
        one_issue=False,
        axe="equal",
    ),
    Case(
        "a list item with and without .active",
        "color-contrast",
        ("nav-a.html", "Events"),
        ("nav-b.html", "Events"),
        one_issue=True,
        axe="differ",
    ),
    Case(
        "two different list items of one menu",
        "color-contrast",
        ("nav-a.html", "Events"),
        ("nav-a.html", "Venues"),
        one_issue=False,
        axe=None,
    ),
    Case(
        "one button under generated ids and class hashes",
        "button-name",
        ("generated-a.html", "close-button"),
        ("generated-b.html", "close-button"),
        one_issue=True,
        axe="differ",
    ),
    Case(
        "one image inside one iframe, named through another frame selector",
        "image-alt",
        ("frame-a.html", "pin.svg"),
        ("frame-b.html", "pin.svg"),
        one_issue=True,
        axe="differ",
    ),
    Case(
        "one field in a web component's shadow root, named through another host selector",
        "label",
        ("shadow-a.html", 'name="q"'),
        ("shadow-b.html", "header"),
        one_issue=True,
        axe="differ",
    ),
    Case(
        "the same web component in the banner and in the main content",
        "label",
        ("shadow-b.html", "header"),
        ("shadow-b.html", ".inline"),
        one_issue=False,
        axe="differ",
    ),
    Case(
        "one field only HTML_CodeSniffer reports, at another place in its form",
        "htmlcs:1.3.1:F68",
        ("placeholder-a.html", 'name="city"'),
        ("placeholder-b.html", 'name="city"'),
        one_issue=True,
        axe="differ",
    ),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, site: Site) -> ServiceRun:
    tmp = tmp_path_factory.mktemp("identity")
    _, runs = audit(tmp, service("ids", site.origin + "/identity/", PAGES), "--fail-on", "none")
    run = runs["ids"]
    assert [p.status for p in run.pages] == ["ok"] * len(PAGES), [p.error for p in run.pages]
    return run


def _node(run: ServiceRun, rule: str, where: tuple[str, str]) -> Node:
    page, snippet = where
    (result,) = [p for p in run.pages if p.url.endswith("/" + page)]
    found = [
        node  # violations and items for review carry the same identity
        for finding in [*result.violations, *result.needs_review]
        if finding.rule == rule
        for node in finding.nodes
        if snippet in node.selector + " " + node.html
    ]
    assert len(found) == 1, (rule, where, [f.rule for f in result.violations])
    return found[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_one_issue_means_one_fix(run: ServiceRun, case: Case) -> None:
    first, second = _node(run, case.rule, case.first), _node(run, case.rule, case.second)
    assert (first.fingerprint == second.fingerprint) is case.one_issue, (
        first.selector,
        second.selector,
    )
    if case.axe is not None:
        assert (first.selector == second.selector) is (case.axe == "equal"), (
            first.selector,
            second.selector,
        )


def test_results_record_the_fingerprint_version(run: ServiceRun) -> None:
    assert run.fingerprint_version == FINGERPRINT_VERSION == 2
    footer = next(fp for fp in run.fingerprints if fp.rule == "color-contrast" and fp.nodes == 2)
    assert footer.pages == [run.pages[0].url, run.pages[1].url]  # "fix once, clears 2 pages"


def _fixture_run() -> ServiceRun:
    path = FIXTURES / "run" / "2026-11-27" / "kukkuu.json"
    return ServiceRun.model_validate_json(path.read_text(encoding="utf-8"))


def test_a_baseline_of_another_fingerprint_version_is_not_compared() -> None:
    old = _fixture_run()
    assert old.fingerprint_version == 1  # written before the field existed
    now = old.model_copy(update={"fingerprint_version": 2})
    for baseline in (BaselineRun.of_run(old), BaselineRun.of_compact(CompactRun.of(old))):
        comparison = compare((now,), (baseline,))
        assert comparison.changes == {} and comparison.fixed == ()
        assert comparison.uncompared == {"kukkuu"}
        (note,) = comparison.notes
        assert note.startswith("fingerprints changed: the baseline's issue ids are fingerprint ")
        assert "version 1, this run's version 2" in note and "kukkuu" in note
    same = compare((now,), (BaselineRun.of_run(now),))
    assert set(same.changes.values()) == {"persisting"} and same.notes == ()


def test_the_compact_history_keeps_the_fingerprint_version() -> None:
    now = _fixture_run().model_copy(update={"fingerprint_version": 2})
    line = CompactRun.of(now).to_line()
    assert '"fingerprint_version":2' in line.split("\t")[0]
    assert CompactRun.from_line(line).fingerprint_version == 2
    older = line.replace('"fingerprint_version":2,', "")
    assert CompactRun.from_line(older).fingerprint_version == 1
