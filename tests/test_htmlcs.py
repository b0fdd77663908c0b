"""The second engine (HTML_CodeSniffer) in every frame, with the real Chromium."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from pathlib import Path

import pytest

from kuva_audit.audit.htmlcs import bundle, criterion_of, rule_of
from kuva_audit.audit.results import PageResult, ServiceRun

from .conftest import Site, audit, run_cli, service, write_config


def page(run: ServiceRun) -> PageResult:
    (only,) = run.pages
    assert only.status == "ok", only.error
    return only


def test_codes_map_to_their_criterion() -> None:
    code = "WCAG2AA.Principle1.Guideline1_3.1_3_1.H43.HeadersRequired"
    assert criterion_of(code) == "1.3.1"
    assert rule_of(code) == "htmlcs:1.3.1:H43.HeadersRequired"
    assert criterion_of("WCAG2AA.Principle1.Guideline1_4.1_4_10.C32") == "1.4.10"
    assert criterion_of("Section508.A.Something") is None


def test_bundle_is_the_pinned_package_with_its_licence() -> None:
    vendor = files("kuva_audit.audit") / "vendor"
    info = json.loads((vendor / "htmlcs.json").read_text(encoding="utf-8"))
    assert (info["package"], info["version"], info["license"]) == (
        "@pa11y/html_codesniffer",
        "2.6.0",
        "BSD-3-Clause",
    )
    raw = (vendor / "HTMLCS.js").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == info["sha256"]
    assert "Squiz" in (vendor / "HTMLCS-licence.txt").read_text(encoding="utf-8")
    assert bundle().version == "2.6.0"


@pytest.mark.browser
def test_second_engine_runs_in_every_frame_and_merges_with_axe(tmp_path: Path, site: Site) -> None:
    result, runs = audit(tmp_path, service("two", site.origin + "/beyond/", ["htmlcs.html"]))
    run = runs["two"]
    assert (run.engine.axe_core, run.engine.htmlcs) == (run.engine.axe_core, "2.6.0")
    found = page(run)
    assert "htmlcs" in found.timings.engines_s
    by_rule = {f.rule: f for f in found.violations}
    # A field labelled only by its placeholder: axe accepts it, HTML_CodeSniffer does not. axe
    # tested 1.3.1 here and found nothing: the engines disagree, so it is for review.
    assert "htmlcs:1.3.1:F68" not in by_rule
    placeholder = {f.rule: f for f in found.needs_review}["htmlcs:1.3.1:F68"]
    assert placeholder.engine == "htmlcs"
    assert (placeholder.wcag, placeholder.level, placeholder.legal) == (["1.3.1"], "A", True)
    assert [n.selector for n in placeholder.nodes] == [
        "html > body > main > form > p:nth-of-type(2) > input"
    ]
    # The same field is one issue, not one per HTML_CodeSniffer technique that names it.
    assert "htmlcs:4.1.2:H91.InputText.Name" not in by_rule
    # Inside the iframe too, named through the frame like axe's nodes (for review as well:
    # axe accepts the placeholder as the field's name there).
    frame = {f.rule: f for f in found.violations + found.needs_review}[
        "htmlcs:4.1.2:H91.InputEmail.Name"
    ]
    assert [n.selector for n in frame.nodes] == ["#inner >> #mail"]
    # The image both engines report is one issue, found by both.
    assert not any(r.startswith("htmlcs:1.1.1:") for r in by_rule)
    (image,) = by_rule["image-alt"].nodes
    assert (by_rule["image-alt"].engine, image.also_found_by) == ("axe-core", ["htmlcs"])
    # Warnings are kept apart as needs review, never as violations.
    review = {f.rule for f in found.needs_review}
    assert "htmlcs:1.3.1:H71.SameName" in review
    assert not review & set(by_rule)
    assert result.exit_code == 2  # axe's critical image-alt


@pytest.mark.browser
def test_clean_pages_stay_clean(tmp_path: Path, site: Site) -> None:
    _, runs = audit(
        tmp_path, service("clean", site.origin + "/clean/", ["index.html", "about.html"])
    )
    for result in runs["clean"].pages:
        assert result.status == "ok"
        assert result.violations == []
        assert [f.rule for f in result.needs_review if f.engine == "htmlcs"] == []


@pytest.mark.browser
def test_second_engine_can_be_switched_off(tmp_path: Path, site: Site) -> None:
    off = service("off", site.origin + "/beyond/", ["htmlcs.html"], "checks: {htmlcs: false}")
    _, runs = audit(tmp_path, off)
    found = page(runs["off"])
    assert "htmlcs" not in {f.engine for f in found.violations + found.needs_review}
    assert "axe-core" in {f.engine for f in found.violations}
    assert "htmlcs" not in found.timings.engines_s
    assert runs["off"].settings["checks"] == list(runs["off"].engine.checks)


def test_unknown_check_name_is_one_line_error(tmp_path: Path) -> None:
    config = write_config(
        tmp_path / "services.yaml",
        service("x", "https://example.org/", ["/"], "checks: {nope: true}"),
    )
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    message = (result.stdout + result.stderr).strip()
    assert "unknown check 'nope'" in message
    assert "Traceback" not in message
