"""Scoring survey exports: rejections, periods, intervals, changes, roll-up, outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.surveys import stats
from kuva_audit.surveys.entry import ROLL_UP
from kuva_audit.surveys.score import ScoreRow, read_surveys, score

from .conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "surveys"

HEADER = "Vastausaika;Palvelu;Tyytyväisyys;Suositus;Arvosana\n"


def config(tmp_path: Path, surveys: str, extra: str = "") -> Path:
    path = tmp_path / "services.yaml"
    path.write_text(
        extra
        + "services:\n"
        + "".join(
            f"  - id: {sid}\n    name: {{fi: {sid}, sv: {sid}, en: {sid}}}\n"
            f"    url: https://example.org/{sid}/\n    pages: [/]\n"
            + surveys.replace("SERVICE", sid)
            for sid in ("kukkuu", "kultus")
        ),
        encoding="utf-8",
    )
    return path


SURVEYS = """\
    surveys:
      - file: answers.csv
        date_column: Vastausaika
        where: {Palvelu: SERVICE}
        questions:
          - {column: Tyytyväisyys, metric: csat}
          - {column: Suositus, metric: nps}
          - {column: Arvosana, metric: mean, min: 4, max: 10}
"""


def answers(tmp_path: Path, lines: list[str]) -> None:
    (tmp_path / "answers.csv").write_text(HEADER + "".join(lines), encoding="cp1252")


def rows_of(tmp_path: Path, extra: str = "") -> list[ScoreRow]:
    rows, warnings = score(load_config(config(tmp_path, SURVEYS, extra)))
    assert warnings == []
    return rows


def find(rows: list[ScoreRow], service: str, period: str, metric: str) -> ScoreRow:
    (row,) = [r for r in rows if (r.service, r.period, r.metric) == (service, period, metric)]
    return row


def test_csat_nps_and_mean_with_rejections_by_reason(tmp_path: Path) -> None:
    csat = [5, 5, 4, 4, 4, 3, 2, 1, 5, 4]  # 7 of 10 answer 4-5
    nps = [10, 9, 9, 8, 7, 6, 3, 10, 9, 0]  # 5 promoters, 2 passives, 3 detractors
    grade = ["9", "8,5", "7", "10", "9,5", "8", "6", "7,5", "9", "8"]
    lines = [
        f"{d:02d}.10.2026 12.00;kukkuu;{c};{n};{g}\n"
        for d, c, n, g in zip(range(1, 11), csat, nps, grade, strict=True)
    ]
    lines += [
        "11.10.2026 12.00;kukkuu;;9;8\n",  # blank CSAT
        "12.10.2026 12.00;kukkuu;6;11;3\n",  # out of range everywhere
        "13.10.2026 12.00;kukkuu;hyvä;9,5;x\n",  # unparseable, not on the NPS scale, unparseable
        "maanantaina;kukkuu;5;9;9\n",  # unreadable date: the whole row
        "14.10.2026 12.00;kultus;5;10;10\n",  # another service's row
    ]
    answers(tmp_path, lines)
    rows = rows_of(tmp_path)

    c = find(rows, "kukkuu", "2026Q4", "csat")
    expected = stats.share(7, 10)
    assert (c.n, c.value, c.ci_low, c.ci_high) == (10, 70.0, expected.low, expected.high)
    assert (c.suppressed, c.low_confidence) == (False, True)
    assert c.rejected == {"blank": 1, "out of range": 1, "unparseable": 1}

    n = find(rows, "kukkuu", "2026Q4", "nps")
    assert (n.n, n.value) == (11, pytest.approx(100 * (6 - 3) / 11))  # + the blank-CSAT row's 9
    assert n.rejected == {"not on the scale": 1, "out of range": 1}

    m = find(rows, "kukkuu", "2026Q4", "mean")
    assert m.n == 11 and m.value == pytest.approx((82.5 + 8) / 11)
    assert m.rejected == {"out of range": 1, "unparseable": 1}

    undated = find(rows, "kukkuu", "not scored", "csat")
    assert (undated.n, undated.value, undated.rejected) == (
        0,
        None,
        {"blank or unreadable date": 1},
    )
    assert find(rows, "kultus", "2026Q4", "csat").n == 1


def test_small_groups_are_suppressed_and_change_is_tested(tmp_path: Path) -> None:
    lines = [f"0{d}.07.2026 10.00;kukkuu;{c};9;8\n" for d, c in enumerate([2, 3, 2, 3, 4, 2], 1)]
    lines += [f"0{d}.11.2026 10.00;kukkuu;5;9;8\n" for d in range(1, 9)]
    lines += ["01.11.2026 10.00;kultus;5;9;8\n"] * 3
    answers(tmp_path, lines)
    rows = rows_of(tmp_path)
    now = find(rows, "kukkuu", "2026Q4", "csat")
    assert now.change is not None and now.change.previous_period == "2026Q3"
    expected = stats.share_change(8, 8, 1, 6)
    assert now.change.delta == pytest.approx(expected.delta)
    assert (now.change.p, now.change.test) == (pytest.approx(expected.p), "fisher exact")
    assert expected.significant  # p = 0.003, but 8 and 6 answers are under min_confident:
    assert now.change.significant is None  # significance is not shown at all
    kultus = find(rows, "kultus", "2026Q4", "csat")
    assert (kultus.n, kultus.suppressed, kultus.value, kultus.ci_low) == (3, True, None, None)


def test_roll_up_pools_and_averages_services(tmp_path: Path) -> None:
    lines = [f"01.10.2026 10.00;kukkuu;{c};9;8\n" for c in [5, 5, 5, 5, 5, 5, 5, 5, 1, 1]]
    lines += [f"01.10.2026 10.00;kultus;{c};9;8\n" for c in [5, 1, 1, 1, 1]]
    answers(tmp_path, lines)
    rows = rows_of(tmp_path)
    pooled = find(rows, ROLL_UP, "2026Q4", "csat")
    assert pooled.n == 15 and pooled.value == pytest.approx(100 * 9 / 15)
    assert pooled.services_mean == pytest.approx((80.0 + 20.0) / 2)


def test_months_sum_into_quarters_and_years(tmp_path: Path) -> None:
    """Exports are tallied once, by month; a quarter's and a year's scores are sums of their
    months (answers spread over October and November pool into 2026Q4 and 2026)."""
    lines = [f"0{d}.10.2026 10.00;kukkuu;{c};9;8\n" for d, c in enumerate([5, 4, 2, 1], 1)]
    lines += [f"0{d}.11.2026 10.00;kukkuu;{c};10;6\n" for d, c in enumerate([5, 5, 3], 1)]
    answers(tmp_path, lines)
    surveys = read_surveys(load_config(config(tmp_path, SURVEYS)))
    by_month = surveys.scores("month")
    assert find(by_month, "kukkuu", "2026-10", "csat").n == 4
    assert find(by_month, "kukkuu", "2026-11", "csat").n == 3
    for rows, period in ((surveys.scores(), "2026Q4"), (surveys.scores("year"), "2026")):
        csat = find(rows, "kukkuu", period, "csat")
        assert (csat.n, csat.value) == (7, pytest.approx(100 * 4 / 7))
        mean = find(rows, "kukkuu", period, "mean")
        assert mean.value == pytest.approx((8 * 4 + 6 * 3) / 7)
        assert find(rows, ROLL_UP, period, "nps").n == 7
    assert {r.period for r in surveys.scores()} == {"2026Q4"}


def test_outputs_json_and_finnish_excel_csv(tmp_path: Path) -> None:
    answers(tmp_path, [f"01.10.2026 10.00;kukkuu;{c};9;8,5\n" for c in [5, 4, 4, 3, 5]])
    path = config(tmp_path, SURVEYS)
    result = run_cli("surveys", "--config", path)
    assert result.exit_code == 0, result.stderr
    data = json.loads((tmp_path / "reports" / "satisfaction.json").read_text(encoding="utf-8"))
    keys = {
        "service",
        "period",
        "question",
        "metric",
        "n",
        "value",
        "ci_low",
        "ci_high",
        "suppressed",
        "low_confidence",
        "rejected",
    }
    assert all(keys <= set(row) for row in data)
    raw = (tmp_path / "reports" / "satisfaction.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # BOM: Excel reads UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    grade = next(r for r in table if r["service"] == "kukkuu" and r["metric"] == "mean")
    assert grade["value"] == "8,50" and grade["question"] == "Arvosana"


def test_a_missing_column_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    answers(tmp_path, ["01.10.2026 10.00;kukkuu;5;9;8\n"])
    path = config(tmp_path, SURVEYS.replace("Suositus, metric", "Suosittelu, metric"))
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "satisfaction.json").write_text("[]\n", encoding="utf-8")
    result = run_cli("surveys", "--config", path)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(
        f"kuva-audit: error: {tmp_path / 'answers.csv'}, row 1: no column 'Suosittelu'"
    )
    assert (reports / "satisfaction.json").read_text(encoding="utf-8") == "[]\n"
    assert not (reports / "satisfaction.csv").exists()


def test_an_optional_glob_that_matches_nothing_is_a_warning_with_its_line(
    tmp_path: Path,
) -> None:
    answers(tmp_path, [])
    path = config(
        tmp_path,
        SURVEYS.replace("answers.csv", "missing/*.csv").replace(
            "file: missing/*.csv", "file: missing/*.csv\n        optional: true"
        ),
    )
    rows, warnings = score(load_config(path))
    assert rows == []
    assert warnings[0] == f"{path}:7: no file matches 'missing/*.csv' (kukkuu)"


def test_an_unreadable_export_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "answers.csv").write_bytes(bytes(range(256)) * 40)
    result = run_cli("surveys", "--config", config(tmp_path, SURVEYS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"kuva-audit: error: {tmp_path / 'answers.csv'}")
    assert not (tmp_path / "reports").exists()


def test_a_bad_date_format_is_a_config_error_with_its_line(tmp_path: Path) -> None:
    answers(tmp_path, ["01.10.2026 10.00;kukkuu;5;9;8\n"])
    surveys = SURVEYS.replace(
        "date_column: Vastausaika", 'date_column: Vastausaika\n        date_format: "%Q.%m"'
    )
    path = config(tmp_path, surveys)
    result = run_cli("surveys", "--config", path)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(
        f"{path}:9: services[0].surveys[0].date_format: '%Q.%m' is not a date layout"
    )


def test_significance_is_never_shown_below_the_confident_size(tmp_path: Path) -> None:
    """The issue's case: 2/5 -> 5/5 is no significant change (Fisher p = 0.167, n = 5)."""
    lines = [f"0{d}.07.2026 10.00;kukkuu;{c};9;8\n" for d, c in enumerate([5, 4, 1, 2, 3], 1)]
    lines += [f"0{d}.10.2026 10.00;kukkuu;5;9;8\n" for d in range(1, 6)]
    answers(tmp_path, lines)
    change = find(rows_of(tmp_path), "kukkuu", "2026Q4", "csat").change
    assert change is not None
    assert (change.p, change.test, change.significant) == (
        pytest.approx(1 / 6),
        "fisher exact",
        None,
    )
    # with min_confident 5 the exact test decides: still not significant
    loose = rows_of(tmp_path, "satisfaction: {min_confident: 5}\n")
    assert find(loose, "kukkuu", "2026Q4", "csat").change.significant is False  # type: ignore[union-attr]


def test_services_mean_averages_services_not_question_rows(tmp_path: Path) -> None:
    """Two CSAT questions at 100 % in kukkuu, one at 0 % in kultus: 50, not 66.67."""
    lines = ["01.10.2026 10.00;kukkuu;5;5;8\n" for _ in range(6)]
    lines += ["01.10.2026 10.00;kultus;1;1;8\n" for _ in range(6)]
    answers(tmp_path, lines)
    surveys = SURVEYS.replace(
        "- {column: Suositus, metric: nps}", "- {column: Suositus, metric: csat}"
    )
    path = config(tmp_path, surveys)
    text = path.read_text(encoding="utf-8")
    # kultus scores only Tyytyväisyys
    kultus_start = text.index("  - id: kultus")
    kultus = text[kultus_start:].replace("          - {column: Suositus, metric: csat}\n", "")
    path.write_text(text[:kultus_start] + kultus, encoding="utf-8")
    rows, _ = score(load_config(path))
    pooled = find(rows, ROLL_UP, "2026Q4", "csat")
    assert pooled.services_mean == 50.0
    assert pooled.services_shown == 2
    # pooled: 12 satisfied answers of 18, from 12 people
    assert (pooled.n, pooled.answers, pooled.value) == (12, 18, pytest.approx(100 * 12 / 18))


def test_pooled_figures_count_respondents_not_answers(tmp_path: Path) -> None:
    """153 answers from 103 people: 50 answered both CSAT questions, 53 one of them."""
    lines = [
        f"01.10.2026 10.00;kukkuu;{5 if i % 3 else 2};{5 if i % 3 else 1};8\n" for i in range(50)
    ]
    lines += [f"01.10.2026 10.00;kukkuu;{4 if i % 2 else 1};;8\n" for i in range(53)]
    answers(tmp_path, lines)
    surveys = SURVEYS.replace(
        "- {column: Suositus, metric: nps}", "- {column: Suositus, metric: csat}"
    )
    rows, _ = score(load_config(config(tmp_path, surveys)))
    pooled = find(rows, ROLL_UP, "2026Q4", "csat")
    assert (pooled.n, pooled.answers) == (103, 153)
    top = sum(1 for i in range(50) if i % 3) * 2 + sum(1 for i in range(53) if i % 2)
    assert pooled.value == pytest.approx(100 * top / 153)
    # every answer of a respondent agrees, so the interval is as wide as for ~103 answers,
    # not as narrow as for 153 independent ones
    naive = stats.share(top, 153)
    assert pooled.ci_high - pooled.ci_low > naive.high - naive.low
    # no respondent answered twice in kultus's rows: its numbers are the plain ones
    assert pooled.low_confidence is False


def test_the_csv_neutralises_formulas_and_keeps_p_digits(tmp_path: Path) -> None:
    header = 'Vastausaika;Palvelu;=HYPERLINK("http://x");+1 tyytyväisyys;-miten meni?;@arvio\n'
    body = [
        f"0{d}.07.2026 10.00;kukkuu;{c};{c};{c};{c}\n" for d, c in enumerate([2] * 5 + [5] * 5, 1)
    ]
    body += [f"0{d}.10.2026 10.00;kukkuu;{c};{c};{c};{c}\n" for d, c in enumerate([5] * 9 + [1], 1)]
    (tmp_path / "answers.csv").write_text(header + "".join(body), encoding="utf-8")
    surveys = """\
    surveys:
      - file: answers.csv
        date_column: Vastausaika
        where: {Palvelu: SERVICE}
        questions:
          - {column: '=HYPERLINK("http://x")', metric: csat}
          - {column: +1 tyytyväisyys, metric: csat}
          - {column: -miten meni?, metric: mean, min: 1, max: 5}
          - {column: "@arvio", metric: mean, min: 0, max: 10}
"""
    result = run_cli(
        "surveys", "--config", config(tmp_path, surveys, "satisfaction: {min_confident: 5}\n")
    )
    assert result.exit_code == 0, result.stderr
    raw = (tmp_path / "reports" / "satisfaction.csv").read_bytes().decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    questions = {r["question"] for r in table}
    assert questions >= {'\'=HYPERLINK("http://x")', "'+1 tyytyväisyys", "'-miten meni?", "'@arvio"}
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row.values())
    means = {(r["question"], r["scale"]) for r in table if r["metric"] == "mean"}
    assert means >= {("'-miten meni?", "1\u20135"), ("'@arvio", "0\u201310")}
    rollups = {r["question"] for r in table if r["service"] == ROLL_UP and r["metric"] == "mean"}
    assert rollups == {"all mean questions (1-5)", "all mean questions (0-10)"}
    changed = next(r for r in table if r["service"] == "kukkuu" and r["period"] == "2026Q4")
    p = float(changed["change_p"].replace(",", "."))
    assert changed["significant"] == ("TRUE" if p < 0.05 else "FALSE")
    assert changed["change_p"] != "0,05"
    data = json.loads((tmp_path / "reports" / "satisfaction.json").read_text(encoding="utf-8"))
    assert all(
        r["change"]["p"] == pytest.approx(p, rel=1e-3)
        for r in data
        if r["change"] and r["question"] == changed["question"].lstrip("'")
    )


def test_p_value_near_the_threshold_is_not_rounded_across_it() -> None:
    from kuva_audit.surveys.output import _p

    assert _p(0.0499996) == "0,0499996"
    assert _p(0.05) == "0,05"
    assert _p(0.03817) == "0,03817"
    assert _p(1.234e-7) == "1,234E-07"


def test_configured_names_are_trimmed_and_errors_list_every_header(tmp_path: Path) -> None:
    answers(tmp_path, ["01.10.2026 10.00;kukkuu;5;9;8\n"] * 5)
    spaced = SURVEYS.replace("{column: Tyytyväisyys,", "{column: '  Tyytyväisyys ',").replace(
        "where: {Palvelu: SERVICE}", "where: {' Palvelu ': ' SERVICE '}"
    )
    rows, _ = score(load_config(config(tmp_path, spaced)))
    assert find(rows, "kukkuu", "2026Q4", "csat").n == 5
    wrong = SURVEYS.replace("{column: Arvosana,", "{column: Arvosanat,")
    result = run_cli("surveys", "--config", config(tmp_path, wrong))
    (line,) = result.stderr.strip().splitlines()
    assert "no column 'Arvosanat'" in line and "closest: 'Arvosana'" in line
    assert (
        "the file's 5 columns: 'Vastausaika', 'Palvelu', 'Tyytyväisyys', 'Suositus', 'Arvosana'"
        in line
    )


def test_a_missing_qualtrics_column_error_lists_its_question_columns(tmp_path: Path) -> None:
    (tmp_path / "q.csv").write_bytes((FIXTURES / "qualtrics.csv").read_bytes())
    path = config(
        tmp_path,
        "    surveys:\n      - file: q.csv\n        questions: [{column: Q9, metric: csat}]\n",
    )
    result = run_cli("surveys", "--config", path)
    assert result.exit_code == 1
    assert "'Kuinka tyytyväinen olit palveluun?'" in result.stderr
    assert "'Vapaa palaute'" in result.stderr  # the 14th column


def test_unreadable_dates_are_an_error_naming_the_row(tmp_path: Path) -> None:
    lines = ["01.10.2026 10.00;kukkuu;5;9;8\n", "02.10.2026 10.00;kukkuu;5;9;8\n"]
    lines += ["Monday 3 October;kukkuu;5;9;8\n"] * 3
    answers(tmp_path, lines)
    result = run_cli("surveys", "--config", config(tmp_path, SURVEYS))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"{tmp_path / 'answers.csv'}, row 4, column 'Vastausaika': cannot read the date " in line
    assert "'Monday 3 October' (3 of 5 dates are unreadable)" in line


def test_a_dated_export_scored_undated_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "answers.csv").write_text(
        "Nro;Aika;Arvio\n1;2.11.2026 9.12;5\n2;3.11.2026 10.00;4\n", encoding="utf-8"
    )
    surveys = (
        "    surveys:\n      - file: answers.csv\n"
        "        questions: [{column: Arvio, metric: csat}]\n"
    )
    rows, warnings = score(load_config(config(tmp_path, surveys)))
    assert {r.period for r in rows} == {"all"}
    assert warnings[0] == (
        f"{tmp_path / 'answers.csv'}: scored as one period 'all' (csv export; its column 'Aika' "
        "holds dates); set date_column in services.yaml (kukkuu) to score it by period"
    )
    # a response-date header is used, and said so
    (tmp_path / "answers.csv").write_text(
        "Nro;Vastausaika;Arvio\n1;2.11.2026 9.12;5\n2;3.11.2026 10.00;4\n", encoding="utf-8"
    )
    rows, warnings = score(load_config(config(tmp_path, surveys)))
    assert {r.period for r in rows if r.service != ROLL_UP} == {"2026Q4"}
    assert "dated by its column 'Vastausaika'" in warnings[0]


def test_time_zone_setting_for_naive_dates(tmp_path: Path) -> None:
    answers(tmp_path, ["31.12.2026 23.30;kukkuu;5;9;8\n"] * 5)
    utc = SURVEYS.replace(
        "date_column: Vastausaika", "date_column: Vastausaika\n        time_zone: UTC"
    )
    rows, _ = score(load_config(config(tmp_path, utc)))
    assert find(rows, "kukkuu", "2027Q1", "csat").n == 5  # 01.30 on 1 January in Helsinki
    bad = SURVEYS.replace(
        "date_column: Vastausaika", "date_column: Vastausaika\n        time_zone: Mars/Olympus"
    )
    result = run_cli("surveys", "--config", config(tmp_path, bad))
    assert result.exit_code == 1
    assert "'Mars/Olympus' is not a time zone" in result.stderr


def test_a_header_lower_than_found_is_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "answers.csv").write_text(
        "Palaute 2026;Nuoriso\nAika;Arvio\n2.11.2026;5\n", encoding="utf-8"
    )
    surveys = (
        "    surveys:\n      - file: answers.csv\n"
        "        questions: [{column: Arvio, metric: csat}]\n"
    )
    result = run_cli("surveys", "--config", config(tmp_path, surveys))
    assert result.exit_code == 1
    assert "no column 'Arvio'; the file has it on row 2, below the header found: set " in (
        result.stderr
    )
    fixed = surveys.replace("- file: answers.csv", "- file: answers.csv\n        header_row: 2")
    rows, _ = score(load_config(config(tmp_path, fixed)))
    assert [r.n for r in rows if r.service == "kukkuu"] == [1]
