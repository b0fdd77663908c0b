"""The one catalogue of texts: every language has every text, with the same placeholders,
and dates and numbers follow the language's conventions (Babel, CLDR)."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path
from typing import Any

import pytest

from kuva_audit.formats import markdown
from kuva_audit.reports.progress import Reason
from kuva_audit.texts import AREAS, BY_KEY, LANGS, catalogue, every_lang, lookup, text
from kuva_audit.texts.locale import format_date, format_iso, format_month, format_number
from kuva_audit.triage.report import RunReport


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            out.update(_flatten(value, f"{prefix}{key}."))
        return out
    return {prefix.rstrip("."): node}


def _fields(text: Any) -> set[str]:
    if not isinstance(text, str):
        return set()
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogue_has_fi_sv_en_in_every_area() -> None:
    assert set(catalogue()) == set(LANGS) == {"fi", "sv", "en"}
    for lang in LANGS:
        assert set(catalogue()[lang]) == set(AREAS) | set(BY_KEY)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("other", LANGS)
def test_every_language_has_every_key_of_every_other(lang: str, other: str) -> None:
    mine, theirs = _flatten(catalogue()[lang]), _flatten(catalogue()[other])
    missing = sorted(set(theirs) - set(mine))
    assert not missing, f"{lang} lacks texts that {other} has: {missing}"
    differing = [k for k in theirs if _fields(theirs[k]) != _fields(mine[k])]
    assert not differing, f"{lang} and {other} differ in placeholders: {differing}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_text(lang: str) -> None:
    empty = [k for k, v in _flatten(catalogue()[lang]).items() if v in ("", None, [])]
    assert not empty


def test_dates_and_numbers_by_language() -> None:
    day = dt.date(2026, 12, 31)
    assert format_date(day, "fi") == "31.12.2026"
    assert format_date(day, "sv") == "31.12.2026"
    assert format_date(day, "en") == "31 December 2026"
    assert format_iso("2026-12-01", "fi") == "1.12.2026"
    assert format_iso("2026-12", "sv") == format_month(2026, 12, "fi") == "12.2026"
    assert format_iso("2026-12", "en") == "December 2026"
    assert format_iso("2026Q3", "fi") == "2026Q3"
    assert format_number(82.5, "fi") == format_number(82.5, "sv") == "82,5"
    assert format_number(82.5, "en") == "82.5"
    assert format_number(1234.0, "fi") == "1234"  # no thousands separator
    assert format_number(-0.0, "en") == "0"
    assert format_number(0.25, "sv", 2) == "0,25"


def test_one_lookup_for_every_area() -> None:
    assert lookup("reports.figures.heading", "fi") == "Luvut"
    assert isinstance(lookup("statements.headings", "sv"), dict)
    assert text("reports.as_of", "en", date="1 May 2026") == "As of 1 May 2026"
    assert set(every_lang("reports.page_title")) == set(LANGS)
    with pytest.raises(KeyError):
        lookup("reports.no_such_text", "fi")


def test_reasons_in_every_language_with_local_dates() -> None:
    reason = Reason.of("audited", audited=dt.date(2026, 3, 4), reviewed=dt.date(2026, 5, 6))
    assert reason.text("fi") == "arvioitu 4.3.2026, seloste tarkistettu 6.5.2026"
    assert "4.3.2026" in reason["sv"] and "6.5.2026" in reason["sv"]
    assert reason.text("en") == "audited 4 March 2026, statement reviewed 6 May 2026"


def test_ci_outputs_english_by_default_and_in_every_language(fixed_report: RunReport) -> None:
    """The CI job summary's run table: English unless told, from the same catalogue."""
    assert markdown.render(fixed_report) == markdown.render(fixed_report, "en")
    assert "| Service | Pages | Not audited | Critical |" in markdown.render(fixed_report)
    fi = markdown.render(fixed_report, "fi")
    assert "| Palvelu | Sivut | Tarkastamatta | Kriittinen |" in fi
    assert "sivua tarkastettu 7 palvelussa" in fi
    sv = markdown.render(fixed_report, "sv")
    assert "| Tjänst | Sidor | Inte granskade | " in sv


SRC = Path(__file__).resolve().parent.parent / "src" / "kuva_audit"
_CALL = re.compile(r"\b(?:text|every_lang|lookup)\(\s*(f?)\"([a-z_]+(?:\.[^\"]*)?)\"")
_WRAPPED = {  # modules that look their texts up through a small wrapper with a fixed prefix
    "reports/job_summary.py": (re.compile(r"\bt\(\s*[\"']([a-z_.]+)[\"']"), "ci.job_summary"),
    "formats/markdown.py": (re.compile(r"\b_t\(\s*[\"']([a-z_.]+)[\"']"), "ci.markdown"),
}


def _keys_used() -> set[str]:
    """Every catalogue key the code names literally (an f-string's key up to its first field)."""
    areas = set(AREAS) | set(BY_KEY)
    found = set()
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for is_f, key in _CALL.findall(source):
            if is_f:
                key = key.split("{", 1)[0].rstrip(".")
            if key.split(".", 1)[0] in areas:
                found.add(key)
        wrapped = _WRAPPED.get(path.relative_to(SRC).as_posix())
        if wrapped is not None:
            found |= {f"{wrapped[1]}.{key}".rstrip(".") for key in wrapped[0].findall(source)}
    template = (SRC / "templates" / "run_report.html.j2").read_text(encoding="utf-8")
    in_template = re.findall(r"\bt\.([a-z_]+(?:\.[a-z_]+)*)", template)
    found |= {f"ci.run_report.{key.removesuffix('.format')}" for key in in_template}
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_the_code_uses_exists(lang: str) -> None:
    used = _keys_used()
    assert "statements.state.ready" in used and "ci.run_report.facts.impact" in used
    assert "ci.markdown.failed_note" in used and "ci.job_summary.heading" in used
    missing = []
    for key in sorted(used):
        try:
            lookup(key, lang)
        except (KeyError, TypeError):
            missing.append(key)
    assert not missing, f"keys used in the code but not in the {lang} catalogue: {missing}"
