"""Markdown outputs escape everything from a page, a server or a config, and write only http(s)
(or relative) links (issue 15, item 5)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from kuva_audit.formats.markdown import render
from kuva_audit.mdtext import md_text, safe_href
from kuva_audit.triage.report import RunReport
from tests.conftest import run_cli

HOSTILE = "Bad <img src=x onerror=alert(1)> [click](https://evil.example/) **now** `x`"


def _inert(text: str) -> None:
    """No HTML tag, no Markdown link, image, emphasis or code span survives in the lines of
    hostile text."""
    markers = ("Bad", "Katso", "kiire", "Kummit")
    text = "\n".join(line for line in text.splitlines() if any(m in line for m in markers))
    assert text
    assert re.search(r"<[A-Za-z/!]", text) is None
    assert re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", text) is None
    assert re.search(r"(?<!\\)\*\*", text) is None
    assert re.search(r"(?<!\\)`", text) is None


def test_a_hostile_reason_phrase_is_inert_in_the_run_summary(fixed_report: RunReport) -> None:
    run = fixed_report.services[0]
    page = run.pages[0].model_copy(
        update={"status": "error", "error": f"HTTP 500 {HOSTILE}", "warnings": [HOSTILE]}
    )
    hostile = run.model_copy(update={"pages": [page, *run.pages[1:]]})
    report = dataclasses.replace(fixed_report, services=(hostile, *fixed_report.services[1:]))
    text = render(report)
    assert md_text(HOSTILE) in text
    _inert(text)


def test_md_text_escapes_html_links_and_emphasis() -> None:
    assert md_text(HOSTILE) == (
        "Bad &lt;img src=x onerror=alert\\(1\\)&gt; \\[click\\]\\(https://evil.example/\\) "
        "\\*\\*now\\*\\* \\`x\\`"
    )


def test_only_http_or_relative_links_are_written() -> None:
    assert safe_href("https://palautteet.hel.fi/fi") == "https://palautteet.hel.fi/fi"
    assert safe_href("../statements/published/kukkuu/fi.html") is not None
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.x/"):
        assert safe_href(bad) is None, bad


CONFIG = """\
goals:
  forecast: {fi: "[Katso](javascript:alert(1)) <b>nyt</b>", sv: x, en: x}
  risks:
    - {fi: "**kiire** ![kuva](javascript:alert(2))", sv: x, en: x}
services:
  - id: kukkuu
    name: {fi: "[Kummit](javascript:alert(3))", sv: x, en: x}
    url: https://kummilapset.hel.fi/
    pages: [/]
"""


def test_progress_md_keeps_no_javascript_link_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "services.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    result = run_cli("report", "--config", config, "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "reports" / "progress.md").read_text(encoding="utf-8")
    assert "\\[Kummit\\]\\(javascript:alert\\(3\\)\\)" in text
    assert "](javascript" not in text
    _inert(text)
