"""Each survey tool's real export shape, read and scored right (one test a tool and shape)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.surveys import stats
from kuva_audit.surveys.entry import ROLL_UP
from kuva_audit.surveys.model import SurveyError
from kuva_audit.surveys.read import read_export
from kuva_audit.surveys.score import ScoreRow, score

FIXTURES = Path(__file__).parent / "fixtures" / "surveys"


def scored(
    tmp_path: Path, fixture: str, survey: str, settings: str = "{min_shown: 1}"
) -> tuple[list[ScoreRow], list[str]]:
    """Score one fixture for one service; ``survey`` is the YAML of its survey entry."""
    if not (tmp_path / fixture).exists():
        shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    indented = "".join(f"        {line}\n" for line in survey.strip().splitlines())
    config = tmp_path / "services.yaml"
    config.write_text(
        f"satisfaction: {settings}\n"
        "services:\n"
        "  - id: oodi\n"
        "    name: {fi: Oodi, sv: Oodi, en: Oodi}\n"
        "    url: https://example.org/oodi/\n"
        "    pages: [/]\n"
        "    surveys:\n"
        f"      - file: {fixture}\n{indented}",
        encoding="utf-8",
    )
    return score(load_config(config))


def by_period(rows: list[ScoreRow], question: str) -> dict[str, ScoreRow]:
    return {r.period: r for r in rows if r.service != ROLL_UP and r.question == question}


def test_google_forms_12_hour_gmt_offsets(tmp_path: Path) -> None:
    rows, warnings = scored(
        tmp_path,
        "google-forms-gmt.csv",
        """
questions:
  - {column: "How satisfied were you overall?", metric: csat}
  - {column: "How likely are you to recommend the service to a friend?", metric: nps}
""",
    )
    assert warnings == []
    csat = by_period(rows, "How satisfied were you overall?")
    # 11.45 pm on 31 March (GMT+3) is still Q1 in Helsinki; 12.10 am on 1 April is Q2.
    assert {p: r.n for p, r in csat.items()} == {
        "2026Q1": 3,
        "2026Q2": 3,
        "2026Q3": 1,
        "2026Q4": 4,
        "2027Q1": 1,
    }
    assert csat["2026Q1"].value == pytest.approx(200 / 3)  # 5, 4, 2
    nps = by_period(rows, "How likely are you to recommend the service to a friend?")
    assert nps["2026Q4"].value == pytest.approx(100 * (3 - 1) / 4)  # 10, 9, 3 and 9


def test_google_forms_24_hour_eet_and_eest(tmp_path: Path) -> None:
    rows, warnings = scored(
        tmp_path,
        "google-forms-eet.csv",
        "questions: [{column: Kuinka tyytyväinen olit palveluun?, metric: csat}]",
    )
    csat = by_period(rows, "Kuinka tyytyväinen olit palveluun?")
    assert {p: r.n for p, r in csat.items()} == {
        "2026Q1": 5,
        "2026Q2": 2,
        "2026Q3": 2,
        "2026Q4": 3,
    }
    assert warnings == []


def test_google_forms_date_format_with_a_literal_zone_drops_nothing(tmp_path: Path) -> None:
    rows, _ = scored(
        tmp_path,
        "google-forms-eet.csv",
        """
date_format: "%Y/%m/%d %H:%M:%S EET"
questions: [{column: Kuinka tyytyväinen olit palveluun?, metric: csat}]
""",
    )
    csat = by_period(rows, "Kuinka tyytyväinen olit palveluun?")
    assert "not scored" not in csat
    assert sum(r.n for r in csat.values()) == 12


def test_the_projects_own_google_forms_fixture_is_dated(tmp_path: Path) -> None:
    rows, _ = scored(
        tmp_path,
        "google-forms-en.csv",
        "questions: [{column: How satisfied were you overall?, metric: csat}]",
    )
    assert {r.period: r.n for r in rows if r.service != ROLL_UP} == {"2026Q4": 5}


@pytest.mark.parametrize(
    ("fixture", "question", "expected"),
    [
        # Finnish, id column "ID": 31 March 23.58 is Q1, 1 April 00.04 is Q2
        (
            "microsoft-forms-fi-id.xlsx",
            "Kuinka tyytyväinen olit palveluun?",
            {"2026Q1": 2, "2026Q2": 3},
        ),
        ("microsoft-forms-sv.xlsx", "Hur nöjd var du?", {"2026Q4": 2, "2027Q1": 1}),
        ("microsoft-forms-en.xlsx", "How satisfied were you with the service?", {"2026Q4": 3}),
    ],
)
def test_microsoft_forms_in_finnish_swedish_and_english(
    tmp_path: Path, fixture: str, question: str, expected: dict[str, int]
) -> None:
    rows, warnings = scored(
        tmp_path,
        fixture,
        f"questions: [{{column: {question}, metric: csat, labels: {{Tyytyväinen: 4}}}}]",
    )
    assert {p: r.n for p, r in by_period(rows, question).items() if p != "not scored"} == expected
    assert read_export(FIXTURES / fixture).tool == "microsoft-forms"
    assert warnings == []


def test_webropol_title_block_is_skipped_and_dated(tmp_path: Path) -> None:
    table = read_export(FIXTURES / "webropol-title.csv")
    assert table.frame.columns[0] == "Nro"
    assert list(table.frame.index)[:2] == [6, 7]  # the header is row 5 of the file
    assert table.frame.loc[8, "Vapaa palaute"] == "Bussi myöhässä;\nohjaajat eivät tienneet."
    question = "Kuinka tyytyväinen olit palveluun kokonaisuutena?"
    rows, warnings = scored(
        tmp_path,
        "webropol-title.csv",
        f"format: webropol\nquestions: [{{column: {question}, metric: csat}}]",
    )
    assert warnings == []
    csat = by_period(rows, question)
    assert {p: r.n for p, r in csat.items()} == {"2026Q4": 8}
    assert csat["2026Q4"].value == pytest.approx(100 * 6 / 8)


def test_webropol_header_row_setting(tmp_path: Path) -> None:
    table = read_export(FIXTURES / "webropol-title.csv", header_row=5)
    assert table.frame.columns[1] == "Vastausaika"
    with pytest.raises(SurveyError, match=r"row 4: the configured header_row 4 is blank"):
        read_export(FIXTURES / "webropol-title.csv", header_row=4)
    with pytest.raises(SurveyError, match=r"header_row 99 is past the end of the file"):
        read_export(FIXTURES / "webropol-title.csv", header_row=99)


def test_webropol_matrix_statements_are_scored_as_their_own_questions(tmp_path: Path) -> None:
    matrix = "2. Arvioi seuraavia asioita (1 = erittäin huono, 5 = erittäin hyvä)"
    rows, warnings = scored(
        tmp_path,
        "webropol-matrix.xlsx",
        f'format: webropol\nquestions: [{{column: "{matrix}", metric: csat}}]',
    )
    assert warnings == []
    found = {r.question: r for r in rows if r.service != ROLL_UP}
    assert set(found) == {
        f"{matrix} - Henkilökunnan ystävällisyys",
        f"{matrix} - Aukioloajat",
        f"{matrix} - Tilojen siisteys",
    }
    staff = found[f"{matrix} - Henkilökunnan ystävällisyys"]
    hours = found[f"{matrix} - Aukioloajat"]
    tidy = found[f"{matrix} - Tilojen siisteys"]
    assert (staff.n, staff.value) == (7, pytest.approx(100 * 6 / 7))  # 5 4 5 3 5 4 5
    assert (hours.n, hours.value) == (7, pytest.approx(100 * 4 / 7))  # 4 2 3 3 5 4 4
    assert (tidy.n, tidy.rejected) == (6, {"blank": 1})
    # the same export read without format: the same columns (auto-detected two header rows)
    assert read_export(FIXTURES / "webropol-matrix.xlsx").groups == {
        matrix: [staff.question, hours.question, tidy.question]
    }


def test_typeform_utc_dates_and_partial_responses(tmp_path: Path) -> None:
    question = "How satisfied were you with your visit?"
    rows, warnings = scored(
        tmp_path, "typeform.csv", f"questions: [{{column: {question}, metric: csat}}]"
    )
    assert warnings == []
    csat = by_period(rows, question)
    # 20:58 UTC on 30 September is 23:58 in Helsinki (Q3); 21:05 UTC is 00:05 on 1 October
    assert {p: r.n for p, r in csat.items()} == {
        "2026Q3": 1,
        "2026Q4": 3,
        "2027Q1": 1,
        "not scored": 0,
    }
    assert csat["not scored"].rejected == {"unfinished": 2}
    kept, _ = scored(
        tmp_path,
        "typeform.csv",
        f"complete_only: false\nquestions: [{{column: {question}, metric: csat}}]",
    )
    # partial responses kept: one has an answer but no submit date, so it stays undated
    assert by_period(kept, question)["not scored"].rejected == {"blank or unreadable date": 2}


def test_limesurvey_incomplete_responses_and_matrix_codes(tmp_path: Path) -> None:
    rows, warnings = scored(
        tmp_path,
        "limesurvey.csv",
        """
questions:
  - {column: TYYT, metric: csat}
  - {column: ARV, metric: csat}
""",
    )
    assert warnings == []
    found = {(r.question, r.period): r for r in rows if r.service != ROLL_UP}
    assert found[("TYYT", "2026Q4")].n == 4  # responses 1, 2, 4, 6; 3 and 5 unfinished
    assert found[("TYYT", "not scored")].rejected == {"unfinished": 2}
    assert found[("ARV[SQ002]", "2026Q4")].value == pytest.approx(100 * 2 / 4)  # 4 3 2 5
    assert {q for q, _ in found} == {"TYYT", "ARV[SQ001]", "ARV[SQ002]", "ARV[SQ003]"}
    # the roll-up counts respondents: 4 people answered 4 CSAT questions each
    pooled = next(r for r in rows if r.service == ROLL_UP and r.period == "2026Q4")
    assert (pooled.n, pooled.answers) == (4, 16)


def test_happyornot_daily_counts_per_face(tmp_path: Path) -> None:
    rows, warnings = scored(
        tmp_path,
        "happyornot-daily.csv",
        """
where: {Touchpoint: Oodi entrance}
questions: [{metric: smiley, name: How was your visit today?}]
""",
    )
    assert warnings == []
    smiley = by_period(rows, "How was your visit today?")
    # 2-3 November and 1 December: 41+37+29 very positive, 12+15+9, 3+4+6, 2+1+3
    counts = {4: 107, 3: 36, 2: 13, 1: 6}
    n = sum(counts.values())
    mean = sum(v * c for v, c in counts.items()) / n
    assert (smiley["2026Q4"].n, smiley["2026Q4"].value) == (n, pytest.approx(mean))
    assert smiley["2027Q1"].n == 34


def test_aggregated_export_with_a_count_column(tmp_path: Path) -> None:
    rows, warnings = scored(
        tmp_path,
        "kiosk-counts.csv",
        """
date_column: Päivämäärä
weight: Kpl
questions:
  - column: Arvio
    metric: smiley
    labels: {Erittäin hyvä: 4, Hyvä: 3, Huono: 2, Erittäin huono: 1}
""",
    )
    assert warnings == []
    smiley = by_period(rows, "Arvio")["2026Q4"]
    counts = {4: 14 + 11 + 7, 3: 9 + 0 + 5, 2: 2 + 3, 1: 1}
    n = sum(counts.values())
    assert smiley.n == n
    assert smiley.value == pytest.approx(sum(v * c for v, c in counts.items()) / n)
    assert smiley.rejected == {"unreadable count": 1}  # "x" presses


def test_qualtrics_time_zone_from_its_import_ids(tmp_path: Path) -> None:
    qualtrics = (FIXTURES / "qualtrics.csv").read_text(encoding="utf-8")
    (tmp_path / "denver.csv").write_text(
        qualtrics.replace("Europe/Helsinki", "America/Denver").replace(
            "2026-11-08 09:04:00", "2026-12-31 17:30:00"
        ),
        encoding="utf-8",
    )
    rows, _ = scored(tmp_path, "denver.csv", "questions: [{column: Q1, metric: csat}]")
    # 17.30 in Denver on 31 December is 02.30 on 1 January in Helsinki
    assert {r.period: r.n for r in rows if r.service != ROLL_UP and r.n} == {
        "2026Q4": 6,
        "2027Q1": 1,
    }


def test_stats_of_a_count_export_match_the_expanded_answers(tmp_path: Path) -> None:
    rows, _ = scored(
        tmp_path,
        "happyornot-daily.csv",
        "questions: [{metric: smiley, name: Faces}]",
        "{min_shown: 1, period: year}",
    )
    row = by_period(rows, "Faces")["2026"]
    answers = [4] * (41 + 18 + 37 + 29) + [3] * (12 + 6 + 15 + 9) + [2] * (3 + 1 + 4 + 6)
    answers += [1] * (2 + 1 + 3)
    mean = sum(answers) / len(answers)
    sd = (sum((a - mean) ** 2 for a in answers) / (len(answers) - 1)) ** 0.5
    expected = stats.mean(len(answers), mean, sd, 1, 4)
    assert (row.n, row.ci_low, row.ci_high) == (
        len(answers),
        pytest.approx(expected.low),
        pytest.approx(expected.high),
    )
