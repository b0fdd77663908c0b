"""SARIF output: schema-valid, one result per failing element, triage as SARIF properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from kuva_audit.audit.results import FingerprintEntry, ServiceRun
from kuva_audit.formats import sarif
from kuva_audit.formats.report import Acceptance, FixedIssue, RunReport

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
ORIGIN = "http://127.0.0.1:8000"


def _render(report: RunReport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(sarif.render(report))
    return data


def _run(report: RunReport) -> dict[str, Any]:
    run: dict[str, Any] = _render(report)["runs"][0]
    return run


def _validate(data: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def _service(report: RunReport, service_id: str) -> ServiceRun:
    return next(run for run in report.services if run.service.id == service_id)


def _violation_nodes(report: RunReport) -> list[tuple[str, str, str, str, str]]:
    """(service, url, viewport, rule, fingerprint) of every violation node, in report order."""
    return [
        (run.service.id, page.url, page.viewport, finding.rule, node.fingerprint)
        for run in report.services
        for page in run.pages
        for finding in page.violations
        for node in finding.nodes
    ]


def _key(result: dict[str, Any]) -> tuple[str, str, str, str, str]:
    props = result["properties"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    fingerprint = result["partialFingerprints"]["kuvaAuditIssue/v1"]
    return props["service"], uri, props["viewport"], result["ruleId"], fingerprint


def test_golden(fixed_report: RunReport, golden: Callable[[str, str], None]) -> None:
    text = sarif.render(fixed_report)
    assert text == sarif.render(fixed_report)
    assert text.endswith("}\n")
    golden("run.sarif.json", text)


def test_valid_against_the_sarif_schema(fixed_report: RunReport) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    data = _render(fixed_report)
    assert data["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert data["version"] == "2.1.0"
    assert len(data["runs"]) == 1
    _validate(data)


def test_the_schema_check_catches_a_broken_log(fixed_report: RunReport) -> None:
    data = _render(fixed_report)
    data["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="fatal"):
        _validate(data)


def test_tool_names_kuva_audit_and_axe_core(fixed_report: RunReport) -> None:
    tool = _run(fixed_report)["tool"]
    assert tool["driver"]["name"] == "kuva-audit"
    assert tool["driver"]["version"] == "0.1.0"
    assert tool["driver"]["informationUri"].startswith("https://")
    assert tool["extensions"] == [
        {
            "name": "axe-core",
            "version": "4.12.1",
            "informationUri": "https://github.com/dequelabs/axe-core",
        }
    ]


def test_one_result_per_violation_node(fixed_report: RunReport) -> None:
    results = _run(fixed_report)["results"]
    expected = _violation_nodes(fixed_report)
    assert len(expected) == 12
    assert [_key(r) for r in results] == expected
    for result in results:
        fingerprint = result["partialFingerprints"]["kuvaAuditIssue/v1"]
        assert result["partialFingerprints"] == {"kuvaAuditIssue/v1": fingerprint}
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
            ORIGIN + "/"
        )


def test_needs_review_items_are_not_results(fixed_report: RunReport) -> None:
    page = _service(fixed_report, "kultus").pages[0]
    review = page.needs_review[0].nodes[0].fingerprint
    results = _run(fixed_report)["results"]
    assert review not in {r["partialFingerprints"]["kuvaAuditIssue/v1"] for r in results}
    assert page.url not in {_key(r)[1] for r in results}


def test_rules_one_per_axe_rule_sorted_and_referenced(fixed_report: RunReport) -> None:
    run = _run(fixed_report)
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted({rule for *_, rule, _ in _violation_nodes(fixed_report)})
    assert ids == [
        "button-name",
        "color-contrast",
        "html-has-lang",
        "image-alt",
        "label",
        "link-name",
        "region",
    ]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    contrast = rules[ids.index("color-contrast")]
    # From the violation in kukkuu, not from the needs-review item in kultus.
    assert contrast["shortDescription"]["text"].startswith("Elements must meet minimum color")
    assert contrast["fullDescription"]["text"].startswith("Ensure the contrast")
    assert contrast["helpUri"].startswith("https://dequeuniversity.com/rules/axe/4.12/")
    assert contrast["help"]["text"]
    assert contrast["properties"]["tags"] == ["accessibility", "WCAG 1.4.3", "WCAG 2.1 AA"]
    assert contrast["properties"]["wcag"] == ["1.4.3"]
    assert contrast["properties"]["legal"] is True
    region = rules[ids.index("region")]
    assert region["properties"]["legal"] is False
    assert "beyond legal requirement" in region["properties"]["tags"]


@pytest.mark.parametrize(
    ("impact", "legal", "level"),
    [
        ("critical", True, "error"),
        ("serious", True, "error"),
        ("moderate", True, "warning"),
        ("minor", True, "note"),
        ("critical", False, "note"),
        ("moderate", False, "note"),
    ],
)
def test_level_follows_impact(
    fixed_report: RunReport, impact: str, legal: bool, level: str
) -> None:
    run = _service(fixed_report, "kukkuu")
    page = run.pages[1]
    finding = page.violations[0].model_copy(update={"impact": impact, "legal": legal})
    page = page.model_copy(update={"violations": [finding]})
    run = run.model_copy(update={"pages": [page]})
    (result,) = _run(RunReport(date="2026-11-27", services=(run,)))["results"]
    assert result["level"] == level
    assert result["properties"]["impact"] == impact
    assert result["properties"].get("beyondLegalRequirement", False) is not legal


def test_levels_of_the_fixed_run(fixed_report: RunReport) -> None:
    levels = {(_key(r)[3], r["level"]) for r in _run(fixed_report)["results"]}
    assert levels == {
        ("button-name", "error"),
        ("color-contrast", "error"),
        ("html-has-lang", "error"),
        ("image-alt", "error"),
        ("label", "error"),
        ("link-name", "error"),
        ("region", "note"),
    }
    (region,) = [r for r in _run(fixed_report)["results"] if r["ruleId"] == "region"]
    assert region["properties"]["beyondLegalRequirement"] is True
    assert region["properties"]["legal"] is False


def test_result_names_the_element(fixed_report: RunReport) -> None:
    results = _run(fixed_report)["results"]
    (result,) = [r for r in results if r["ruleId"] == "link-name"]
    assert result["message"]["text"].startswith("Links must have discernible text: .map-link\n")
    location = result["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == (
        f"{ORIGIN}/venepaikat/berths.html"
    )
    assert location["physicalLocation"]["region"]["snippet"]["text"] == (
        '<a href="map.html" class="map-link"></a>'
    )
    assert location["logicalLocations"] == [{"fullyQualifiedName": ".map-link", "kind": "element"}]
    assert result["properties"] == {
        "service": "venepaikat",
        "viewport": "desktop",
        "wcag": ["2.4.4", "4.1.2"],
        "impact": "serious",
        "legal": True,
    }


def test_fingerprint_ignores_viewport_and_date(fixed_report: RunReport) -> None:
    run = _service(fixed_report, "kukkuu")
    mobile = [p.model_copy(update={"viewport": "mobile"}) for p in run.pages]
    both = run.model_copy(update={"pages": [*run.pages, *mobile]})
    results = _run(RunReport(date="2026-12-01", services=(both,)))["results"]
    fingerprints = [r["partialFingerprints"] for r in results]
    assert fingerprints[:2] == fingerprints[2:]
    assert [r["properties"]["viewport"] for r in results] == ["desktop"] * 2 + ["mobile"] * 2
    original = _run(RunReport(date="2026-11-27", services=(run,)))["results"]
    assert [r["partialFingerprints"] for r in original] == fingerprints[:2]


def test_no_triage_no_suppressions_or_baseline_state(fixed_report: RunReport) -> None:
    for result in _run(fixed_report)["results"]:
        assert "suppressions" not in result
        assert "baselineState" not in result


def test_accepted_issue_is_suppressed(fixed_report: RunReport) -> None:
    url = f"{ORIGIN}/kukkuu/events.html"
    acceptance = Acceptance(
        reason="Brand colour, fixed in the spring redesign",
        owner="kukkuu-team",
        expires=dt.date(2027, 3, 31),
        source="accepted.yaml:12",
    )
    report = dataclasses.replace(
        fixed_report, accepted={("kukkuu", "bfee0e44d4f7f032", url): acceptance}
    )
    data = _render(report)
    _validate(data)
    results = data["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [_key(r) for r in suppressed] == [
        ("kukkuu", url, "desktop", "color-contrast", "bfee0e44d4f7f032")
    ]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Brand colour, fixed in the spring redesign (owner: kukkuu-team, "
            "expires: 2027-03-31, accepted.yaml:12)",
        }
    ]
    assert suppressed[0]["level"] == "error"


def test_acceptance_is_per_page(fixed_report: RunReport) -> None:
    first = f"{ORIGIN}/helsinkikuvia/"
    acceptance = Acceptance(reason="Decorative", owner="kuvat", expires=None, source="a.yaml:3")
    report = dataclasses.replace(
        fixed_report, accepted={("helsinkikuvia", "b79cd3ff382378a4", first): acceptance}
    )
    results = [r for r in _run(report)["results"] if r["properties"]["service"] == "helsinkikuvia"]
    assert [("suppressions" in r, _key(r)[1]) for r in results] == [
        (True, first),
        (False, f"{ORIGIN}/helsinkikuvia/search.html"),
        (False, f"{ORIGIN}/helsinkikuvia/photo.html"),
    ]
    assert results[0]["suppressions"][0]["justification"] == (
        "Decorative (owner: kuvat, expires: never, a.yaml:3)"
    )


def _gone(rule: str = "document-title") -> FingerprintEntry:
    return FingerprintEntry(
        id="0123456789abcdef",
        rule=rule,
        selector="html",
        impact="serious",
        wcag=["2.4.2"],
        legal=True,
        pages=[f"{ORIGIN}/ahti/harbours.html", f"{ORIGIN}/ahti/"],
        viewports=["desktop", "mobile"],
        nodes=4,
    )


def test_baseline_states_and_fixed_issues(fixed_report: RunReport) -> None:
    changes = {
        (service, fingerprint): "new"
        for service, _, _, _, fingerprint in _violation_nodes(fixed_report)
    }
    changes[("helsinkikuvia", "b79cd3ff382378a4")] = "persisting"
    fixed = (FixedIssue("ahti", _gone()), FixedIssue("ahti", _gone("image-alt")))
    report = dataclasses.replace(fixed_report, changes=changes, fixed=fixed)
    data = _render(report)
    _validate(data)
    run = data["runs"][0]
    results = run["results"]
    current, absent = results[:-2], results[-2:]
    states = {(_key(r)[0], _key(r)[4], r["baselineState"]) for r in current}
    assert ("helsinkikuvia", "b79cd3ff382378a4", "unchanged") in states
    assert {s for _, _, s in states} == {"new", "unchanged"}
    assert [r["baselineState"] for r in current].count("unchanged") == 3
    assert all(r["baselineState"] == "absent" for r in absent)
    # Fixed issues are sorted, located on their first page, and their rules are described.
    assert [r["ruleId"] for r in absent] == ["document-title", "image-alt"]
    rules = run["tool"]["driver"]["rules"]
    for result in absent:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"] == {"kuvaAuditIssue/v1": "0123456789abcdef"}
        location = result["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == (
            f"{ORIGIN}/ahti/harbours.html"
        )
        assert location["logicalLocations"][0]["fullyQualifiedName"] == "html"
        assert result["properties"]["service"] == "ahti"
    title = rules[[rule["id"] for rule in rules].index("document-title")]
    assert title["properties"]["wcag"] == ["2.4.2"]
    image_alt = rules[[rule["id"] for rule in rules].index("image-alt")]
    assert image_alt["shortDescription"]["text"] == "Images must have alternative text"


def test_fixed_issue_order_does_not_change_the_output(fixed_report: RunReport) -> None:
    fixed = (FixedIssue("ahti", _gone()), FixedIssue("ahti", _gone("image-alt")))
    one = dataclasses.replace(fixed_report, changes={}, fixed=fixed)
    other = dataclasses.replace(fixed_report, changes={}, fixed=fixed[::-1])
    assert sarif.render(one) == sarif.render(other)


def test_unauditable_page_is_a_tool_execution_notification(fixed_report: RunReport) -> None:
    (invocation,) = _run(fixed_report)["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert f"{ORIGIN}/kultus/old.html" in notification["message"]["text"]
    assert "HTTP 500 Internal Server Error" in notification["message"]["text"]
    assert notification["properties"]["errorKind"] == "http"


def test_execution_successful_when_every_page_was_audited(fixed_report: RunReport) -> None:
    services = tuple(r for r in fixed_report.services if r.service.id != "kultus")
    report = RunReport(date="2026-11-27", services=services, notes=("axe-core was upgraded",))
    (invocation,) = _run(report)["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {"level": "warning", "message": {"text": "axe-core was upgraded"}}
    ]
