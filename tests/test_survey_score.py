"""Scoring survey exports: rejections, periods, intervals, changes, roll-up, outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.surveys import stats
from kuva_audit.surveys.score import ROLL_UP, ScoreRow, score

from .conftest import run_cli

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
    assert now.change.significant == expected.significant
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


def test_a_glob_that_matches_nothing_is_a_warning_with_its_line(tmp_path: Path) -> None:
    answers(tmp_path, [])
    path = config(tmp_path, SURVEYS.replace("answers.csv", "missing/*.csv"))
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
