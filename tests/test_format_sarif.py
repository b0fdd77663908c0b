"""SARIF output: schema-valid, accepted by GitHub code scanning (results located at their
services.yaml lines), one result per failing element, triage as SARIF properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema.validators import validator_for

from kuva_audit.audit.results import FingerprintEntry, ServiceRun
from kuva_audit.formats import sarif
from kuva_audit.triage.report import Acceptance, FixedIssue, RunReport

from .conftest import FIXED_CONFIG, FIXTURES, REPO, fixed_sources
from .github_sarif import assert_uploadable, upload_problems

SCHEMA = FIXTURES / "sarif-schema-2.1.0.json"
ORIGIN = "http://127.0.0.1:8000"
CONFIG_URI = FIXED_CONFIG.relative_to(REPO).as_posix()


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
    fingerprint = result["partialFingerprints"]["kuvaAuditIssue/v1"]
    return props["service"], props["url"], props["viewport"], result["ruleId"], fingerprint


def _line(result: dict[str, Any]) -> tuple[str, int]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]


def _config_line(number: int) -> str:
    return FIXED_CONFIG.read_text(encoding="utf-8").splitlines()[number - 1]


def _report(date: str, *runs: ServiceRun, **more: Any) -> RunReport:
    return RunReport(date=date, services=runs, sources=fixed_sources(), **more)


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
        assert result["properties"]["url"].startswith(ORIGIN + "/")
        assert _line(result)[0] == CONFIG_URI


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
    (result,) = _run(_report("2026-11-27", run))["results"]
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


def test_result_names_the_page_and_element_and_points_at_the_listed_page(
    fixed_report: RunReport,
) -> None:
    results = _run(fixed_report)["results"]
    (result,) = [r for r in results if r["ruleId"] == "link-name"]
    url = f"{ORIGIN}/venepaikat/berths.html"
    html = '<a href="map.html" class="map-link"></a>'
    assert result["message"]["text"].startswith(
        f"Links must have discernible text: .map-link on {url} (desktop)\nElement: {html}\n"
    )
    location = result["locations"][0]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": CONFIG_URI, "uriBaseId": "%SRCROOT%"}
    line = physical["region"]["startLine"]
    # venepaikat's `pages: [./, berths.html, map.html]`: the item berths.html, where it starts.
    assert _config_line(line).strip() == "pages: [./, berths.html, map.html]"
    column = physical["region"]["startColumn"]
    assert _config_line(line)[column - 1 :].startswith("berths.html")
    assert location["message"]["text"] == f"venepaikat: the page {url} is listed here"
    assert location["logicalLocations"] == [{"fullyQualifiedName": ".map-link", "kind": "element"}]
    assert result["properties"] == {
        "service": "venepaikat",
        "url": url,
        "viewport": "desktop",
        "selector": ".map-link",
        "html": html,
        "wcag": ["2.4.4", "4.1.2"],
        "impact": "serious",
        "legal": True,
    }


def test_sitemap_pages_point_at_their_service(fixed_report: RunReport) -> None:
    results = [
        r for r in _run(fixed_report)["results"] if r["properties"]["service"] == ("helsinkikuvia")
    ]
    assert len(results) == 3
    lines = {_line(r) for r in results}
    assert len(lines) == 1
    ((_, line),) = lines
    assert _config_line(line).strip() == "- id: helsinkikuvia"


def test_every_page_of_every_service_points_at_its_own_line(fixed_report: RunReport) -> None:
    """Listed pages each at their item; a page no longer listed at its service."""
    text = FIXED_CONFIG.read_text(encoding="utf-8").splitlines()
    for run in fixed_report.services:
        for page in run.pages:
            assert fixed_report.sources is not None
            where = fixed_report.sources.page(run.service.id, page.url)
            entry = text[where.line - 1][where.column - 1 :]
            path = page.url.removeprefix(f"{ORIGIN}/{run.service.id}/") or "./"
            if where.kind == "page":
                assert entry.startswith(path), (page.url, entry)
            else:
                assert entry.startswith(f"id: {run.service.id}"), (page.url, entry)


def test_fingerprint_ignores_viewport_and_date(fixed_report: RunReport) -> None:
    run = _service(fixed_report, "kukkuu")
    mobile = [p.model_copy(update={"viewport": "mobile"}) for p in run.pages]
    both = run.model_copy(update={"pages": [*run.pages, *mobile]})
    results = _run(_report("2026-12-01", both))["results"]
    fingerprints = [r["partialFingerprints"] for r in results]
    assert fingerprints[:2] == fingerprints[2:]
    assert [r["properties"]["viewport"] for r in results] == ["desktop"] * 2 + ["mobile"] * 2
    original = _run(_report("2026-11-27", run))["results"]
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
        assert result["properties"]["url"] == f"{ORIGIN}/ahti/harbours.html"
        assert _config_line(_line(result)[1]).strip() == "pages: [./, harbours.html, islands.html]"
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
    # old.html is not listed in services.yaml: the notification points at its service.
    assert _config_line(_line(notification)[1]).strip() == "- id: kultus"


def test_execution_successful_when_every_page_was_audited(fixed_report: RunReport) -> None:
    services = tuple(r for r in fixed_report.services if r.service.id != "kultus")
    report = _report("2026-11-27", *services, notes=("axe-core was upgraded",))
    (invocation,) = _run(report)["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"] == [
        {"level": "warning", "message": {"text": "axe-core was upgraded"}}
    ]


# --- What GitHub code scanning accepts (tests/github_sarif.py) ---------------------------------


def test_github_code_scanning_accepts_the_fixed_run(fixed_report: RunReport) -> None:
    """Relative file locations that exist in the repository, with their lines; every required
    field; rules with help and tags; no security-severity; within every limit."""
    data = assert_uploadable(sarif.render(fixed_report), source_root=REPO)
    run = data["runs"][0]
    uris = {_line(r)[0] for r in run["results"]}
    assert uris == {CONFIG_URI}
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["properties"]["tags"]
        assert "security-severity" not in rule["properties"]


def test_github_accepts_baselines_acceptances_and_fixed_issues(fixed_report: RunReport) -> None:
    fixed = (FixedIssue("ahti", _gone()), FixedIssue("ahti", _gone("image-alt")))
    acceptance = Acceptance("Brand colour", "kukkuu-team", None, "accepted.yaml:3")
    url = f"{ORIGIN}/kukkuu/events.html"
    report = dataclasses.replace(
        fixed_report,
        changes={},
        fixed=fixed,
        accepted={("kukkuu", "bfee0e44d4f7f032", url): acceptance},
    )
    assert_uploadable(sarif.render(report), source_root=REPO)


def test_todays_url_locations_are_rejected() -> None:
    """The SARIF kuva-audit wrote before (page URLs as locations): GitHub rejects the upload."""
    text = (FIXTURES / "sarif-url-locations.json").read_text(encoding="utf-8")
    problems = upload_problems(json.loads(text), text=text, source_root=REPO)
    assert problems
    assert all("is not a file of the repository" in p for p in problems), problems[:3]
    assert len(problems) == 13  # 12 results and the unauditable page's notification
    with pytest.raises(AssertionError, match="would reject"):
        assert_uploadable(text, source_root=REPO)


def _break_rule(data: dict[str, Any], key: str, value: Any) -> None:
    properties = data["runs"][0]["tool"]["driver"]["rules"][0]["properties"]
    if value is None:
        properties.pop(key, None)
    else:
        properties[key] = value


def _first_location(data: dict[str, Any]) -> dict[str, Any]:
    physical: dict[str, Any] = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    return physical


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (
            lambda d: _first_location(d)["artifactLocation"].update(uri="https://x.fi/"),
            "not a file",
        ),
        (lambda d: _first_location(d)["artifactLocation"].update(uri="/etc/passwd"), "relative"),
        (lambda d: _first_location(d)["artifactLocation"].update(uri="../x.yaml"), "relative"),
        (lambda d: _first_location(d)["artifactLocation"].update(uri="nope.yaml"), "not a file"),
        (lambda d: _first_location(d)["artifactLocation"].update(uriBaseId="X"), "%SRCROOT%"),
        (lambda d: _first_location(d)["region"].update(startLine=100_000), "lines, not line"),
        (lambda d: _first_location(d)["region"].update(startLine=0), "startLine"),
        (lambda d: d["runs"][0]["results"][0].pop("partialFingerprints"), "partialFingerprints"),
        (lambda d: d["runs"][0]["results"][0].update(locations=[]), "locations"),
        (lambda d: d["runs"][0]["results"][0].update(message={"text": ""}), "message.text"),
        (lambda d: d["runs"][0]["results"][0].update(ruleId="nope"), "not a rule"),
        (lambda d: d["runs"][0]["results"][0].update(ruleIndex=0), "ruleIndex"),
        (lambda d: d["runs"][0]["tool"]["driver"]["rules"][0].pop("help"), "help.text"),
        (lambda d: _break_rule(d, "tags", None), "tags"),
        (lambda d: _break_rule(d, "tags", [f"t{i}" for i in range(21)]), "more than 20"),
        (lambda d: _break_rule(d, "security-severity", "11.0"), "security-severity"),
        (lambda d: _break_rule(d, "security-severity", 7.5), "security-severity"),
        (lambda d: _break_rule(d, "precision", "sure"), "precision"),
        (lambda d: d.update(version="2.0.0"), "version"),
        (lambda d: d["runs"].extend([d["runs"][0]] * 20), "more than 20"),
    ],
)
def test_the_upload_check_catches_what_github_rejects(
    fixed_report: RunReport, breakage: Callable[[dict[str, Any]], object], expected: str
) -> None:
    data = _render(fixed_report)
    assert upload_problems(data, source_root=REPO) == []
    breakage(data)
    problems = upload_problems(data, source_root=REPO)
    assert any(expected in p for p in problems), problems


def test_a_valid_security_severity_is_accepted(fixed_report: RunReport) -> None:
    data = _render(fixed_report)
    _break_rule(data, "security-severity", "6.5")
    data["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["tags"].append("security")
    assert upload_problems(data, source_root=REPO) == []


def _many_results(
    fixed_report: RunReport, count: int, html: Callable[[int], str] | None = None
) -> ServiceRun:
    run = _service(fixed_report, "venepaikat")
    page = run.pages[1]
    finding = page.violations[0]
    node = finding.nodes[0]
    nodes = [
        node.model_copy(
            update={
                "fingerprint": f"{i:016x}",
                "selector": f".item-{i}",
                "html": html(i) if html else node.html,
            }
        )
        for i in range(count)
    ]
    finding = finding.model_copy(update={"nodes": nodes})
    return run.model_copy(update={"pages": [page.model_copy(update={"violations": [finding]})]})


def test_more_results_than_github_takes_keeps_the_new_ones_and_says_so(
    fixed_report: RunReport,
) -> None:
    run = _many_results(fixed_report, sarif.MAX_RESULTS + 1000)
    # The last 500 issues are new since the baseline: they must be among those kept.
    changes = {("venepaikat", f"{i:016x}"): "persisting" for i in range(sarif.MAX_RESULTS + 500)}
    report = _report("2026-11-27", run, changes=changes)
    data = assert_uploadable(sarif.render(report), source_root=REPO)
    results = data["runs"][0]["results"]
    assert len(results) == sarif.MAX_RESULTS
    assert sum(r["baselineState"] == "new" for r in results) == 500
    note = data["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["message"]["text"].startswith("1000 of 26000 results are left out")


def test_a_file_too_large_for_github_is_cut_down_to_fit(
    fixed_report: RunReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size limit works the same way (checked here against a lower limit to stay quick)."""

    def html(i: int) -> str:  # hard to compress, like real markup of many elements
        return "<p>" + "".join(hashlib.sha256(f"{i}/{k}".encode()).hexdigest() for k in range(8))

    run = _many_results(fixed_report, 400, html)
    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", 60_000)
    text = sarif.render(_report("2026-11-27", run))
    assert len(gzip.compress(text.encode())) <= 60_000
    data = assert_uploadable(text, source_root=REPO)
    kept = len(data["runs"][0]["results"])
    assert 0 < kept < 400
    note = data["runs"][0]["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["message"]["text"].startswith(f"{400 - kept} of 400 results are left out")


def test_without_its_services_yaml_the_run_points_at_line_1_and_says_so(
    fixed_report: RunReport,
) -> None:
    data = _render(dataclasses.replace(fixed_report, sources=None))
    _validate(data)
    run = data["runs"][0]
    assert {_line(r) for r in run["results"]} == {("services.yaml", 1)}
    note = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert note["message"]["text"] == sarif.UNKNOWN_LINES.format(uri="services.yaml")
