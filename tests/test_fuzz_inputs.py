"""Property test: services.yaml, accepted.yaml and survey exports mutated at random never
give a traceback, a half-done job or an overwritten output: exit 0 or 1, and on exit 1 the
stderr lines are the one-line problems (issue 15, item 8). Bounded: few examples, no deadline."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, run_cli

SERVICES = """\
services:
  - id: kukkuu
    name: {fi: Kummilapset, sv: Fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/, /fi]
    statement:
      prepared: 2020-03-23
      reviewed: 2020-09-09
      method: third-party
      responsible:
        unit: {fi: Kulttuuri, sv: Kultur, en: Culture}
        email: saavutettavuus@hel.fi
      audits:
        - {date: 2020-03-23, by: Palvelukeskus, criteria: [1.1.1, 1.4.3]}
    surveys:
      - file: answers.csv
        date_column: Aika
        questions:
          - {column: Tyytyväisyys, metric: csat}
          - {column: Arvosana, metric: mean, min: 4, max: 10}
"""
ANSWERS = (
    "Aika,Tyytyväisyys,Arvosana\n"
    + "".join(f"2026-11-{day:02d} 10:00,{1 + day % 5},{4 + day % 7}\n" for day in range(1, 29))
).encode()
ACCEPTED = """\
accepted:
  - rule: html-has-lang
    service: venepaikat
    reason: The redesign sets it
    owner: Web team
    expires: 2099-12-31
"""
SENTINEL = "[]\n"
TOKENS = [
    ":",
    "- ",
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    "\n",
    "  ",
    "'",
    '"',
    "#",
    "!!",
    "\t",
    "23.3.2020",
    "../",
    "/etc/*",
    "\x00",
    "ä",
    "\ufeff",
    "<b>",
    "9" * 40,
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random cuts, insertions and replacements."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["cut", "insert", "token"]))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
    return text


def _check(result_code: int, stderr: str, reports: Path) -> None:
    assert result_code in (0, 1), stderr
    assert "Traceback" not in stderr
    for line in stderr.strip().splitlines():
        assert line.startswith(("kuva-audit: error: ", "warning: ", "note: ", str(reports.parent)))
    if result_code == 1:
        assert (reports / "satisfaction.json").read_text(encoding="utf-8") == SENTINEL


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
    derandomize=True,  # the same examples every run: a suite that passes stays passing
)


@FUZZ
@given(services=mutated(SERVICES))
def test_mutated_services_yaml(services: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "services.yaml").write_text(services, encoding="utf-8", errors="surrogatepass")
        (root / "answers.csv").write_bytes(ANSWERS)
        reports = root / "reports"
        reports.mkdir()
        (reports / "satisfaction.json").write_text(SENTINEL, encoding="utf-8")
        for command in ("validate", "surveys"):
            result = run_cli(command, "--config", root / "services.yaml")
            _check(result.exit_code, result.stderr, reports)


@FUZZ
@given(answers=mutated(ANSWERS.decode()), raw=st.binary(max_size=64), binary=st.booleans())
def test_mutated_survey_export(answers: str, raw: bytes, binary: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "services.yaml").write_text(SERVICES, encoding="utf-8")
        data = raw + ANSWERS[len(raw) :] if binary else answers.encode("utf-8", "surrogatepass")
        (root / "answers.csv").write_bytes(data)
        reports = root / "reports"
        reports.mkdir()
        (reports / "satisfaction.json").write_text(SENTINEL, encoding="utf-8")
        result = run_cli("surveys", "--config", root / "services.yaml")
        _check(result.exit_code, result.stderr, reports)


@FUZZ
@given(accepted=mutated(ACCEPTED))
def test_mutated_accepted_yaml(accepted: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "accepted.yaml"
        path.write_text(accepted, encoding="utf-8", errors="surrogatepass")
        reports = root / "reports"
        reports.mkdir()
        (reports / "satisfaction.json").write_text(SENTINEL, encoding="utf-8")
        out = root / "out.md"
        result = run_cli(
            "export",
            FIXTURES / "run" / "2026-11-27",
            "--config",
            FIXTURES / "run" / "services.yaml",
            "--accepted",
            path,
            "--fail-on",
            "none",
            "--markdown",
            out,
        )
        assert result.exit_code in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        # Exit 1 also comes from the fixed run itself (a page it could not audit); a refused
        # accepted.yaml is named in the one line that refuses it.
        if result.exit_code == 1 and str(path) in result.stderr:
            assert not out.exists()  # nothing written when accepted.yaml is refused
