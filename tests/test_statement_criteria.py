"""The WCAG 2.1 A/AA criteria list behind the accessibility statement (statements/data)."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from typing import Any

from ruamel.yaml import YAML

from kuva_audit.audit.wcag import CRITERIA, criterion_key, map_tags
from kuva_audit.statements.data import criteria as loaded_criteria

LANGUAGES = ("fi", "sv", "en")

# WCAG 2.1 (W3C Recommendation, 2018) success criteria at levels A and AA.
LEVEL_A = frozenset(
    {
        "1.1.1", "1.2.1", "1.2.2", "1.2.3", "1.3.1", "1.3.2", "1.3.3", "1.4.1", "1.4.2",
        "2.1.1", "2.1.2", "2.1.4", "2.2.1", "2.2.2", "2.3.1", "2.4.1", "2.4.2", "2.4.3",
        "2.4.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "3.1.1", "3.2.1", "3.2.2", "3.3.1",
        "3.3.2", "4.1.1", "4.1.2",
    }
)  # fmt: skip
LEVEL_AA = frozenset(
    {
        "1.2.4", "1.2.5", "1.3.4", "1.3.5", "1.4.3", "1.4.4", "1.4.5", "1.4.10", "1.4.11",
        "1.4.12", "1.4.13", "2.4.5", "2.4.6", "2.4.7", "3.1.2", "3.2.3", "3.2.4", "3.3.3",
        "3.3.4", "4.1.3",
    }
)  # fmt: skip
# New in WCAG 2.1 at A/AA: 12 of the 17 criteria 2.1 added (1.3.6, 2.2.6, 2.3.3, 2.5.5 and
# 2.5.6 are AAA). These have no authorized Swedish name.
NEW_IN_21 = frozenset(
    {
        "1.3.4", "1.3.5", "1.4.10", "1.4.11", "1.4.12", "1.4.13", "2.1.4", "2.5.1", "2.5.2",
        "2.5.3", "2.5.4", "4.1.3",
    }
)  # fmt: skip
OUT_OF_SCOPE = "1.2.4"  # Captions (Live): excluded by the Finnish law

KEYS = {"id", "level", "since", "in_scope", "scope_note", "name", "sv_official", "uncertain"}
REQUIRED = KEYS - {"scope_note", "uncertain"}
OTHER_KEYS = {"id", "level", "since", "name"}
"""The keys of the table's other rows (AAA, WCAG 2.2): English names only."""
CRITERION = re.compile(r"^\d\.\d\.\d+$")


@cache
def table() -> tuple[dict[str, Any], ...]:
    """Every row of the one table of criteria."""
    resource = files("kuva_audit") / "texts" / "data" / "criteria.yaml"
    data = YAML(typ="safe").load(resource.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return tuple(data)


def criteria() -> tuple[dict[str, Any], ...]:
    """The table's rows of the 50 WCAG 2.1 A/AA criteria (the statements' criteria)."""
    return tuple(e for e in table() if e["level"] != "AAA" and e["since"] != "2.2")


def test_the_other_rows_have_their_level_and_english_name_only() -> None:
    others = [e for e in table() if e not in criteria()]
    assert len(others) == 87 - 50
    for entry in others:
        assert entry.keys() == OTHER_KEYS, entry
        assert set(entry["name"]) == {"en"}, entry
        assert entry["name"]["en"] == CRITERIA[entry["id"]].name["en"]
    assert [e["id"] for e in table()] == list(CRITERIA)


def ids() -> list[str]:
    return [entry["id"] for entry in criteria()]


def test_the_reference_sets_are_consistent() -> None:
    assert len(LEVEL_A) == 30
    assert len(LEVEL_AA) == 20
    assert not LEVEL_A & LEVEL_AA
    assert len(NEW_IN_21) == 12
    assert NEW_IN_21 <= LEVEL_A | LEVEL_AA


def test_every_entry_has_the_known_keys_only() -> None:
    for entry in criteria():
        assert isinstance(entry, dict)
        assert entry.keys() >= REQUIRED, entry
        assert entry.keys() <= KEYS, entry
        assert isinstance(entry["id"], str), entry


def test_fifty_unique_criteria_in_numeric_order() -> None:
    found = ids()
    assert len(found) == 50
    assert len(set(found)) == 50
    assert found == sorted(found, key=criterion_key)
    assert found != sorted(found)  # numeric order, not string order
    assert found.index("1.4.10") == found.index("1.4.5") + 1
    assert found.index("1.4.13") + 1 == found.index("2.1.1")


def test_exactly_the_wcag_21_a_and_aa_criteria_with_their_levels() -> None:
    assert set(ids()) == LEVEL_A | LEVEL_AA
    levels = {c.id: c.level for c in loaded_criteria()}
    assert {i for i, level in levels.items() if level == "A"} == LEVEL_A
    assert {i for i, level in levels.items() if level == "AA"} == LEVEL_AA
    assert sum(level == "A" for level in levels.values()) == 30
    assert sum(level == "AA" for level in levels.values()) == 20


def test_the_one_table_has_every_wcag_21_criterion_and_the_22_additions() -> None:
    """78 criteria in WCAG 2.1 (30 A, 20 AA, 28 AAA) plus the nine WCAG 2.2 added."""
    in_21 = [c for c in CRITERIA.values() if c.since != "2.2"]
    assert len(in_21) == 78
    assert {c.id for c in in_21 if c.level == "A"} == LEVEL_A
    assert {c.id for c in in_21 if c.level == "AA"} == LEVEL_AA
    assert sum(c.level == "AAA" for c in in_21) == 28
    assert sum(c.since == "2.2" for c in CRITERIA.values()) == 9
    assert {c.id for c in CRITERIA.values() if c.legal} == LEVEL_A | LEVEL_AA
    assert list(CRITERIA) == sorted(CRITERIA, key=criterion_key)


def test_49_in_scope_and_only_captions_live_is_out_with_a_note() -> None:
    out = [entry for entry in criteria() if entry["in_scope"] is not True]
    assert [entry["id"] for entry in out] == [OUT_OF_SCOPE]
    assert out[0]["in_scope"] is False
    assert sum(entry["in_scope"] is True for entry in criteria()) == 49
    note = out[0]["scope_note"]
    assert set(note) == set(LANGUAGES)
    for language in LANGUAGES:
        assert isinstance(note[language], str)
        assert note[language].strip()
    assert all("scope_note" not in entry for entry in criteria() if entry["in_scope"])


def test_every_name_is_given_in_all_three_languages() -> None:
    for entry in criteria():
        name = entry["name"]
        assert set(name) == set(LANGUAGES), entry["id"]
        for language in LANGUAGES:
            assert isinstance(name[language], str), (entry["id"], language)
            assert name[language].strip() == name[language], (entry["id"], language)
            assert name[language], (entry["id"], language)


def test_english_names_are_the_wcag_short_names() -> None:
    names = {entry["id"]: entry["name"]["en"] for entry in criteria()}
    assert names["1.1.1"] == "Non-text Content"
    assert names["1.2.4"] == "Captions (Live)"
    assert names["1.4.10"] == "Reflow"
    assert names["4.1.1"] == "Parsing"
    assert names["4.1.3"] == "Status Messages"


def test_since_and_sv_official_mark_exactly_the_criteria_new_in_21() -> None:
    for entry in criteria():
        new = entry["id"] in NEW_IN_21
        assert entry["since"] == ("2.1" if new else "2.0"), entry["id"]
        assert entry["sv_official"] is (not new), entry["id"]


def test_uncertain_lists_only_translated_languages() -> None:
    for entry in criteria():
        if "uncertain" not in entry:
            continue
        uncertain = entry["uncertain"]
        assert isinstance(uncertain, list), entry["id"]
        assert uncertain, f"{entry['id']}: leave out an empty uncertain list"
        assert set(uncertain) <= {"fi", "sv"}, entry["id"]
        assert len(uncertain) == len(set(uncertain)), entry["id"]


SOURCE = re.compile(r"^ {4}# source (fi|sv): (https://\S+)", re.MULTILINE)


def source_lines() -> dict[str, dict[str, str]]:
    """criterion id -> language -> the official page its name was seen on (the "# source"
    comments of criteria.yaml, which a YAML loader drops)."""
    resource = files("kuva_audit") / "texts" / "data" / "criteria.yaml"
    text = resource.read_text(encoding="utf-8")
    blocks = re.split(r'^- id: "([^"]+)"$', text, flags=re.MULTILINE)[1:]
    return {
        criterion: dict(SOURCE.findall(block))
        for criterion, block in zip(blocks[::2], blocks[1::2], strict=True)
    }


def test_a_name_is_checked_exactly_when_its_source_is_recorded() -> None:
    sources = source_lines()
    assert list(sources) == [e["id"] for e in table()]
    for entry in criteria():
        uncertain = set(entry.get("uncertain", ()))
        checked = set(sources[entry["id"]])
        assert checked | uncertain == {"fi", "sv"}, (entry["id"], "record a source or mark it")
        assert not checked & uncertain, (entry["id"], "a name with a source is not uncertain")


def test_every_id_is_a_criterion_axe_tags_can_name() -> None:
    for criterion in ids():
        assert CRITERION.match(criterion), criterion
        tag = "wcag" + criterion.replace(".", "")  # 1.4.10 -> wcag1410, as axe-core tags it
        assert map_tags([tag]).criteria == (criterion,), criterion
