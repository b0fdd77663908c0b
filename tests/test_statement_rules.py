"""The plain-language rule descriptions of the accessibility statements (texts/data/, area
``rules``: axe_rules.yaml and check_rules.yaml).

The rule list comes from the axe-core kuva-audit really bundles, run in Chromium: an axe
upgrade that adds a rule the law requires fails here until the rule is described.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import pytest
from playwright.sync_api import sync_playwright
from ruamel.yaml import YAML

from kuva_audit.audit.axe import AXE_VERSION, INIT_SCRIPT
from kuva_audit.audit.browser import CHROMIUM_FLAGS, find_browser
from kuva_audit.audit.checks import all_rules
from kuva_audit.audit.wcag import LEGAL_TAGS

pytestmark = pytest.mark.browser

LANGUAGES = ("fi", "sv", "en")
MAX_CHARS = 240
# The rules the law requires (WCAG 2.0/2.1 levels A and AA): the tags the statements cover.
STATEMENT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass(frozen=True)
class BundledRules:
    version: str
    statement: frozenset[str]
    """Rules tagged with any of STATEMENT_TAGS: each needs a description."""
    every: frozenset[str]
    """Every rule of the bundled axe-core: the only ids a description may have."""


@pytest.fixture(scope="module")
def bundled() -> BundledRules:
    choice = find_browser()
    assert choice is not None, "no Chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=choice.path, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page()
            page.evaluate(INIT_SCRIPT)
            found = page.evaluate(
                "(tags) => ({ version: axe.version,"
                " statement: axe.getRules(tags).map((r) => r.ruleId),"
                " every: axe.getRules().map((r) => r.ruleId) })",
                list(STATEMENT_TAGS),
            )
        finally:
            browser.close()
    return BundledRules(found["version"], frozenset(found["statement"]), frozenset(found["every"]))


def _load(name: str) -> dict[str, Any]:
    resource = files("kuva_audit") / "texts" / "data" / name
    loaded = YAML(typ="safe").load(resource.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), f"{name} must be a mapping of rule id to texts"
    return loaded


@pytest.fixture(scope="module")
def descriptions() -> dict[str, Any]:
    return _load("axe_rules.yaml")


@pytest.fixture(scope="module", params=["axe_rules.yaml", "check_rules.yaml"])
def any_descriptions(request: pytest.FixtureRequest) -> dict[str, Any]:
    return _load(str(request.param))


def test_every_check_rule_is_described_and_none_other() -> None:
    assert set(_load("check_rules.yaml")) == set(all_rules())


def test_statement_tags_are_the_legal_requirement() -> None:
    assert frozenset(STATEMENT_TAGS) == LEGAL_TAGS


@pytest.mark.browser
def test_bundled_axe_is_the_one_kuva_audit_runs(bundled: BundledRules) -> None:
    assert bundled.version == AXE_VERSION
    assert len(bundled.statement) > 50  # axe 4.12.1 has 69; an empty list would prove nothing
    assert bundled.statement <= bundled.every


@pytest.mark.browser
def test_every_rule_of_the_statements_is_described(
    bundled: BundledRules, descriptions: dict[str, Any]
) -> None:
    missing = sorted(bundled.statement - descriptions.keys())
    assert missing == [], (
        f"axe-core {bundled.version} rules without a description in axe_rules.yaml: {missing}"
    )


@pytest.mark.browser
def test_no_description_of_an_unknown_rule(
    bundled: BundledRules, descriptions: dict[str, Any]
) -> None:
    unknown = sorted(descriptions.keys() - bundled.every)
    assert unknown == [], f"not rules of axe-core {bundled.version}: {unknown}"


def test_each_description_is_one_sentence_in_each_language(
    any_descriptions: dict[str, Any],
) -> None:
    problems = []
    for rule, texts in any_descriptions.items():
        if not isinstance(texts, dict) or sorted(texts) != sorted(LANGUAGES):
            problems.append(f"{rule}: needs exactly the languages {', '.join(LANGUAGES)}")
            continue
        for language in LANGUAGES:
            text = texts[language]
            where = f"{rule}.{language}"
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: empty or not text")
                continue
            if len(text.splitlines()) != 1 or text != text.strip():
                problems.append(f"{where}: not a single line")
            if len(text) >= MAX_CHARS:
                problems.append(f"{where}: {len(text)} characters, limit {MAX_CHARS - 1}")
            if not text.endswith("."):
                problems.append(f"{where}: does not end with a full stop")
    assert problems == []


def test_no_description_repeats_another(descriptions: dict[str, Any]) -> None:
    rules_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rule, texts in (descriptions | _load("check_rules.yaml")).items():
        if not isinstance(texts, dict):
            continue  # reported by the test above
        for language, text in texts.items():
            rules_of[(language, str(text).strip())].append(rule)
    repeated = {
        f"{language}: {text}": rules
        for (language, text), rules in rules_of.items()
        if len(rules) > 1
    }
    assert repeated == {}
