"""Input limits: YAML aliases, nesting and size of services.yaml and accepted.yaml; sizes of
survey files and cells; each refused with one line (issue 15, item 2)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kuva_audit.config.limits import MAX_DEPTH, MAX_YAML_BYTES
from kuva_audit.surveys.limits import MAX_CELL_CHARS, MAX_SURVEY_BYTES, MAX_XLSX_UNPACKED
from kuva_audit.surveys.model import SurveyError
from kuva_audit.surveys.read import read_export
from tests.conftest import FIXTURES

GOOD = """\
services:
  - id: kukkuu
    name: {fi: Kulttuurin kummilapset, sv: Kulturens fadderbarn, en: Culture Kids}
    url: https://kummilapset.hel.fi/
    pages: [/]
"""


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """``levels`` levels of ``width`` aliases each: width ** levels values from a few lines."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def kuva(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in its own process, with a bound: the unbounded cases used to run for
    minutes (the bound fails the test instead of hanging it)."""
    return subprocess.run(
        [sys.executable, "-m", "kuva_audit", *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[:2000]
    return lines[0]


def test_alias_bomb_in_services_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text(alias_bomb() + GOOD, encoding="utf-8")
    line = one_line(kuva("validate", "--config", path))
    assert line.startswith(f"kuva-audit: error: {path}:")
    assert "once its aliases (*name) are expanded" in line


def test_alias_bomb_in_accepted_yaml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "services.yaml").write_text(GOOD, encoding="utf-8")
    accepted = tmp_path / "accepted.yaml"
    accepted.write_text(alias_bomb() + "accepted: []\n", encoding="utf-8")
    line = one_line(
        kuva(
            "export",
            FIXTURES / "run" / "2026-11-27",
            "--accepted",
            accepted,
            "--config",
            FIXTURES / "run" / "services.yaml",
        )
    )
    assert f"{accepted}:" in line and "aliases" in line


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    text = GOOD.replace("    pages: [/]\n", "    pages: &pages [/, /fi]\n") + GOOD.replace(
        "kukkuu", "kultus"
    ).split("\n", 1)[1].replace("    pages: [/]\n", "    pages: *pages\n")
    path.write_text(text, encoding="utf-8")
    done = kuva("validate", "--config", path)
    assert done.returncode == 0, done.stderr


def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text("services: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    line = one_line(kuva("validate", "--config", path))
    assert f"{path}:1: nested more than {MAX_DEPTH} levels deep" in line


def test_an_oversized_services_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "services.yaml"
    path.write_text(GOOD + "# padding\n" * (MAX_YAML_BYTES // 10 + 1), encoding="utf-8")
    line = one_line(kuva("validate", "--config", path))
    assert f"{path}: larger than 4 MiB" in line


def test_an_oversized_survey_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:  # sparse: takes no disk
        handle.write(b"a,b\n1,2\n")
        handle.truncate(MAX_SURVEY_BYTES + 1)
    with pytest.raises(SurveyError, match=r"big\.csv: is 512 MiB; kuva-audit reads survey"):
        read_export(path)


def test_an_oversized_csv_cell_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long = "x" * (MAX_CELL_CHARS + 1)
    path.write_text(f"Aika,Arvosana,Palaute\n2026-11-02,4,ok\n2026-11-03,5,{long}\n")
    with pytest.raises(SurveyError) as info:
        read_export(path)
    assert str(info.value).startswith(
        f"{path}, row 3, column 'Palaute': this cell has 32,768 characters; a cell holds at most "
        "32,767 (Excel's own limit)"
    )


def _xlsx(path: Path, sheet: str, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal workbook whose first sheet is ``sheet`` (XML of its rows)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="S" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet}</sheetData></worksheet>',
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _row(number: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + n)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for n, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'


def test_a_minimal_inline_string_workbook_reads(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "ok.xlsx", _row(1, "Aika", "Palaute") + _row(2, "2026-11-02", "ok"))
    assert list(read_export(path).frame.columns) == ["Aika", "Palaute"]


def test_an_xlsx_inline_string_longer_than_a_cell_is_refused_before_openpyxl(
    tmp_path: Path,
) -> None:
    long = "x" * (6 * MAX_CELL_CHARS + 1)
    path = _xlsx(tmp_path / "long.xlsx", _row(1, "Aika", "Palaute") + _row(2, "2026", long))
    with pytest.raises(SurveyError, match="has a cell of more than 32,767 characters"):
        read_export(path)


def test_an_xlsx_that_unpacks_too_large_is_refused_from_its_directory(tmp_path: Path) -> None:
    padding = b" " * (MAX_XLSX_UNPACKED + 1)
    path = _xlsx(
        tmp_path / "bomb.xlsx",
        _row(1, "Aika", "Palaute"),
        {"xl/media/padding.bin": padding},
    )
    del padding
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(SurveyError, match=r"unpacks to 256 MiB; kuva-audit reads workbooks"):
        read_export(path)
