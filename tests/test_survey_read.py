"""Reading real survey exports: layouts, encodings, delimiters, row numbers and broken files."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kuva_audit.config.surveys import SURVEY_FORMATS as FORMATS
from kuva_audit.surveys.layouts import letter
from kuva_audit.surveys.model import SurveyError
from kuva_audit.surveys.read import read_export, resolve_column

SURVEYS = Path(__file__).parent / "fixtures" / "surveys"
VALID = [
    "finnish-excel.csv",
    "utf8-bom.csv",
    "tab.tsv",
    "google-forms-fi.csv",
    "google-forms-en.csv",
    "microsoft-forms-fi.xlsx",
    "microsoft-forms-en.xlsx",
    "surveymonkey.csv",
    "qualtrics.csv",
]
TOOLS = [
    "google-forms-gmt.csv",
    "google-forms-eet.csv",
    "typeform.csv",
    "limesurvey.csv",
    "happyornot-daily.csv",
    "kiosk-counts.csv",
    "webropol-title.csv",
    "webropol-matrix.xlsx",
    "microsoft-forms-fi-id.xlsx",
    "microsoft-forms-sv.xlsx",
]
BROKEN = ["empty.csv", "binary.csv", "truncated.xlsx", "ragged.csv"]
STRING = pd.StringDtype("pyarrow")

# file: (tool, columns, index (record numbers), date column, id column, dropped)
EXPECTED: dict[str, tuple[str, list[str], list[int], str | None, str | None, dict[str, int]]] = {
    "finnish-excel.csv": (
        "csv",
        [
            "Vastausaika",
            "Palvelu",
            "Kuinka tyytyväinen olit palveluun?",
            "Anna kouluarvosana",
            "Vapaa palaute",
        ],
        [2, 3, 4, 5, 6, 7, 8, 9],
        None,
        None,
        {},
    ),
    "utf8-bom.csv": (
        "csv",
        ["Vastausaika", "Palvelu", "Tyytyväisyys 1-5", "Kommentti"],
        [2, 3, 4, 5, 6],
        None,
        None,
        {},
    ),
    "tab.tsv": ("csv", ["Date", "Service", "Score", "Comment"], [2, 3, 4, 5, 6, 7], None, None, {}),
    "google-forms-fi.csv": (
        "google-forms",
        [
            "Aikaleima",
            "Mitä palvelua käytit?",
            # the export's trailing space is stripped from the header
            "Kuinka todennäköisesti suosittelisit palvelua ystävällesi?",
            "Mitkä asiat toimivat?",
            "Vapaa palaute",
        ],
        [2, 3, 4, 5, 6, 7],
        "Aikaleima",
        None,
        {},
    ),
    "google-forms-en.csv": (
        "google-forms",
        [
            "Timestamp",
            "Which service did you use?",
            "How satisfied were you overall?",
            "Any other feedback?",
        ],
        [2, 3, 4, 5, 6],
        "Timestamp",
        None,
        {},
    ),
    "microsoft-forms-fi.xlsx": (
        "microsoft-forms",
        [
            "Tunnus",
            "Aloitusaika",
            "Valmistumisaika",
            "Sähköposti",
            "Nimi",
            "Kuinka tyytyväinen olit palveluun?",
            "Anna kouluarvosana",
            "Vapaa palaute",
        ],
        [2, 3, 4, 6, 7],  # row 5 repeats response 3
        "Valmistumisaika",
        "Tunnus",
        {"duplicate id": 1},
    ),
    "microsoft-forms-en.xlsx": (
        "microsoft-forms",
        [
            "Id",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "How satisfied were you with the service?",
            "What could we do better?",
        ],
        [2, 3, 5, 6],  # row 4 is blank
        "Completion time",
        "Id",
        {"empty row": 1},
    ),
    "surveymonkey.csv": (
        "surveymonkey",
        [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
            "Kuinka tyytyväinen olit palveluun?",
            "Mitä palveluja käytit? - Kirjasto",
            "Mitä palveluja käytit? - Uimahalli",
            "Mitä palveluja käytit? - Nuorisotalo",
            "Mitä palveluja käytit? - Muu (tarkenna)",
            "Vapaa palaute",
        ],
        [3, 4, 5, 6, 8, 9],  # row 7 repeats respondent ...502
        "End Date",
        "Respondent ID",
        {"duplicate id": 1},
    ),
    "qualtrics.csv": (
        "qualtrics",
        [
            "Start Date",
            "End Date",
            "Response Type",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "Recorded Date",
            "Response ID",
            "Distribution Channel",
            "User Language",
            "Kuinka tyytyväinen olit palveluun?",
            "Mistä kuulit palvelusta?",
            "Mistä kuulit palvelusta? - Muualta - Teksti",
            "Vapaa palaute",
        ],
        [4, 5, 7, 8, 11, 12, 13],  # 6 and 10 unfinished, 9 repeats R_5e...
        "Recorded Date",
        "Response ID",
        {"unfinished": 2, "duplicate id": 1},
    ),
}

# file: (row, column, the exact free-text answer: commas, quotes and a newline inside)
FREE_TEXT = {
    "finnish-excel.csv": (
        3,
        "Vapaa palaute",
        'Pukuhuoneet olivat siistejä.\nHenkilökunta ystävällistä; "kiitos" heille.',
    ),
    "utf8-bom.csv": (3, "Kommentti", 'Kursen var bra.\nLärarens "tips" var nyttiga, tack.'),
    "tab.tsv": (3, "Comment", 'The sauna was cold.\nAlso the "family" changing room was closed.'),
    "google-forms-fi.csv": (
        3,
        "Vapaa palaute",
        "Jonotin puhelimessa 40 minuuttia.\nTakaisinsoitto ei toiminut.",
    ),
    "google-forms-en.csv": (
        3,
        "Any other feedback?",
        'The "open stage" night was fun,\nplease do it again.',
    ),
    "microsoft-forms-fi.xlsx": (
        3,
        "Vapaa palaute",
        'Ajanvaraus onnistui, mutta "Oma asiointi" oli hidas.\nKiitos silti!',
    ),
    "microsoft-forms-en.xlsx": (
        3,
        "What could we do better?",
        "Nothing, it was great.\nThank you!",
    ),
    "surveymonkey.csv": (
        4,
        "Vapaa palaute",
        'Uimahallin kahvila oli kiinni.\nHarmi, sillä "pulla" on hyvää.',
    ),
    "qualtrics.csv": (
        5,
        "Vapaa palaute",
        'Ohjeet olivat selkeät.\nMutta "Oma asiointi" -palvelu kaatui kerran.',
    ),
}


@pytest.mark.parametrize("name", VALID)
def test_each_export_reads_as_its_tool(name: str) -> None:
    tool, columns, index, date, ids, dropped = EXPECTED[name]
    table = read_export(SURVEYS / name)
    assert table.tool == tool
    assert list(table.frame.columns) == columns
    assert list(table.frame.index) == index
    assert (table.date_column, table.id_column) == (date, ids)
    assert table.dropped == dropped
    assert table.source == SURVEYS / name
    assert all(dtype == STRING for dtype in table.frame.dtypes)


@pytest.mark.parametrize("name", VALID)
def test_explicit_format_reads_the_same(name: str) -> None:
    auto = read_export(SURVEYS / name)
    forced = read_export(SURVEYS / name, auto.tool)
    pd.testing.assert_frame_equal(forced.frame, auto.frame)


@pytest.mark.parametrize("name", sorted(FREE_TEXT))
def test_free_text_with_newline_quotes_and_commas(name: str) -> None:
    row, column, text = FREE_TEXT[name]
    assert read_export(SURVEYS / name).frame.loc[row, column] == text


def test_finnish_excel_cp1252_semicolons_and_decimal_commas() -> None:
    table = read_export(SURVEYS / "finnish-excel.csv")
    frame = table.frame
    assert table.frame.attrs["encoding"] == "cp1252"
    assert table.frame.attrs["delimiter"] == ";"
    # decimal commas stay text for the scorer; CRLF line ends leave no stray \r
    assert list(frame["Anna kouluarvosana"]) == ["9,5", "8,5", "7,5", "6", "10", "8", "9", "4"]
    assert frame.loc[2, "Vapaa palaute"] == "Hyvä palvelu, kiitos!"
    assert frame.loc[9, "Vapaa palaute"] == "Äänikirjojen laina ei toiminut."
    assert frame.loc[8, "Palvelu"] == "Työväenopisto"


def test_typed_na_and_none_stay_text_blank_cells_are_na() -> None:
    finnish = read_export(SURVEYS / "finnish-excel.csv").frame["Vapaa palaute"]
    assert finnish[6] == "NA"
    assert finnish[4] is pd.NA  # empty
    assert finnish[7] is pd.NA  # only spaces
    assert read_export(SURVEYS / "tab.tsv").frame.loc[5, "Comment"] == "None"
    assert read_export(SURVEYS / "google-forms-en.csv").frame.loc[5, "Any other feedback?"] == (
        "None"
    )
    english = read_export(SURVEYS / "microsoft-forms-en.xlsx").frame
    assert english.loc[6, "What could we do better?"] == "NA"
    assert english.loc[2, "Name"] is pd.NA


def test_xlsx_cells_become_text() -> None:
    frame = read_export(SURVEYS / "microsoft-forms-fi.xlsx").frame
    assert frame.loc[2, "Tunnus"] == "1"
    assert frame.loc[3, "Anna kouluarvosana"] == "8.5"
    assert frame.loc[2, "Anna kouluarvosana"] == "9"
    assert frame.loc[3, "Kuinka tyytyväinen olit palveluun?"] == "Erittäin tyytyväinen"
    assert frame.loc[2, "Valmistumisaika"] == "2026-11-02 09:02:40"
    assert frame.attrs["reader"] == "openpyxl"


def test_qualtrics_variable_names_are_aliases() -> None:
    table = read_export(SURVEYS / "qualtrics.csv")
    assert resolve_column(table, "Q1") == "Kuinka tyytyväinen olit palveluun?"
    assert resolve_column(table, "QID3_TEXT") == "Vapaa palaute"
    assert resolve_column(table, "ResponseId") == "Response ID"
    assert resolve_column(table, "Vapaa palaute") == "Vapaa palaute"
    assert resolve_column(table, "Q99") is None
    assert read_export(SURVEYS / "qualtrics.csv", id_column="ResponseId").id_column == (
        "Response ID"
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "export.csv"
    content = "Päivä;Palvelu;Palaute\r\n1.12.2026;Kirjasto;Hyvä, ääni ja öljy\r\n2.12.2026;Åbo;\r\n"
    path.write_bytes(content.encode(text))
    frame = read_export(path).frame
    assert frame.attrs["encoding"] == encoding
    assert list(frame.columns) == ["Päivä", "Palvelu", "Palaute"]
    assert list(frame["Palaute"].fillna("")) == ["Hyvä, ääni ja öljy", ""]
    assert frame.loc[3, "Palvelu"] == "Åbo"


def test_mixed_encodings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("a;b\nHyvä;1\n".encode() + "Hyvä;2\n".encode("cp1252"))
    with pytest.raises(SurveyError, match=r"mixed\.csv: mixes UTF-8 and other encodings \(line 3"):
        read_export(path)


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        # a comma in a header and decimal commas do not fool the sniffer
        ("Aika;Kysymys, arvosana;Palaute\n1.1.;8,5;a, b\n2.1.;7,5;c\n", ";"),
        ('Time,Score,Text\n1,5,"a; b"\n2,4,c;d\n', ","),
        ("Time\tScore\tText\n1\t5\ta, b; c\n", "\t"),
    ],
)
def test_delimiters(tmp_path: Path, content: str, delimiter: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    frame = read_export(path).frame
    assert frame.attrs["delimiter"] == delimiter
    assert frame.shape[1] == 3


def test_swedish_microsoft_forms(tmp_path: Path) -> None:
    path = tmp_path / "formulär.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Starttid", "Slutförandetid", "E-post", "Namn", "Hur nöjd var du?"])
    sheet.append([1, datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 9, 5), "anonymous", None, 4])
    book.save(path)
    table = read_export(path)
    assert table.tool == "microsoft-forms"
    assert (table.date_column, table.id_column) == ("Slutförandetid", "ID")
    assert table.frame.loc[2, "Hur nöjd var du?"] == "4"


def test_swedish_google_forms_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "svar.csv"
    path.write_text('"Tidstämpel","Betyg"\n"2026-12-01 10:00:00","5"\n', encoding="utf-8")
    table = read_export(path)
    assert (table.tool, table.date_column) == ("google-forms", "Tidstämpel")


def test_qualtrics_numeric_finished_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "Finished,ResponseId,Q1\n"
        "Finished,Response ID,Kysymys\n"
        '{"ImportId":"finished"},{"ImportId":"_recordId"},{"ImportId":"QID1"}\n'
        "1,R_1,5\n"
        "0,R_2,\n"
        "\n"
        "1,R_3,4\n"
        "1,R_1,5\n"
        "\n\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.dropped == {"unfinished": 1, "empty row": 1, "duplicate id": 1}
    assert list(table.frame.index) == [4, 7]
    assert list(table.frame["Kysymys"]) == ["5", "4"]


def test_surveymonkey_choice_and_response_columns(tmp_path: Path) -> None:
    path = tmp_path / "sm.csv"
    path.write_text(
        "Respondent ID,End Date,Q,,Other\n"
        ",,Response,Open-Ended Response,Open-Ended Response\n"
        "1,11/02/2026,a,b,c\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert list(table.frame.columns) == [
        "Respondent ID",
        "End Date",
        "Q",
        "Q - Open-Ended Response",
        "Other",
    ]
    assert list(table.frame.index) == [3]


def test_id_column_argument(tmp_path: Path) -> None:
    path = tmp_path / "ids.csv"
    path.write_text("Tunnus;Arvosana\nA;5\nB;4\nA;3\n;2\n;1\n", encoding="utf-8")
    table = read_export(path, id_column="Tunnus")
    assert table.id_column == "Tunnus"
    assert table.dropped == {"duplicate id": 1}
    assert list(table.frame.index) == [2, 3, 5, 6]  # blank ids are not duplicates
    assert read_export(path).dropped == {}
    with pytest.raises(SurveyError, match=r"ids\.csv, column 'Vastaaja': the configured id"):
        read_export(path, id_column="Vastaaja")


def test_leading_blank_lines_and_blank_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("\n;;;\nAika;Arvosana;;\n1.1.;5;x;\n2.1.;4;;\n", encoding="utf-8")
    table = read_export(path)
    # the empty 4th column is an artefact of trailing delimiters; the 3rd has data
    assert list(table.frame.columns) == ["Aika", "Arvosana", "Unnamed column C"]
    assert list(table.frame.index) == [4, 5]


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Aikaleima,Arvosana\n", encoding="utf-8")
    table = read_export(path)
    assert table.tool == "google-forms"
    assert len(table.frame) == 0
    assert list(table.frame.columns) == ["Aikaleima", "Arvosana"]


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        ("google-forms-fi.csv", "qualtrics", "is not a Qualtrics export: expected three header"),
        ("finnish-excel.csv", "surveymonkey", "is not a SurveyMonkey export: expected two"),
        ("tab.tsv", "google-forms", "is not a Google Forms export: expected its first column"),
        ("qualtrics.csv", "microsoft-forms", "is not a Microsoft Forms export: expected it starts"),
        ("microsoft-forms-en.xlsx", "csv", r"expected a CSV text file \(format csv\), but this is"),
        ("utf8-bom.csv", "xlsx", r"expected an Excel workbook \(.xlsx\) \(format xlsx\)"),
        ("tab.tsv", "spss", "unknown format 'spss'; use one of auto, csv"),
    ],
)
def test_explicit_format_mismatch(name: str, fmt: str, expected: str) -> None:
    with pytest.raises(SurveyError, match=expected) as caught:
        read_export(SURVEYS / name, fmt)
    assert str(caught.value).startswith(str(SURVEYS / name))
    assert "\n" not in str(caught.value)


def test_forcing_plain_csv_keeps_header_rows_as_data() -> None:
    table = read_export(SURVEYS / "qualtrics.csv", "csv")
    assert table.tool == "csv"
    assert table.frame.columns[0] == "StartDate"
    assert table.frame.index[0] == 2
    assert table.frame.loc[2, "Q1"] == "Kuinka tyytyväinen olit palveluun?"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.csv", r"empty\.csv: is empty"),
        ("binary.csv", r"binary\.csv: is neither UTF-8 nor Windows-1252 text"),
        ("truncated.xlsx", r"truncated\.xlsx: is not a readable Excel workbook"),
        ("ragged.csv", r"ragged\.csv, row 3: has 5 fields on this row, but the header has 4"),
        ("missing.csv", r"missing\.csv: does not exist"),
    ],
)
def test_broken_files(name: str, expected: str) -> None:
    with pytest.raises(SurveyError, match=expected) as caught:
        read_export(SURVEYS / name)
    assert "\n" not in str(caught.value)
    # raised "from None" where it translates another error: no chained traceback
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a;b;a\n1;2;3\n", r"row 1, column 'a': two columns \(A and C\) have the same header"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"Excel 97-2003 \.xls"),
        (b"PK\x03\x04not really a zip", "not a readable Excel workbook"),
        (b"a,b\n1,2\x00\x003\n", "contains binary data"),
        (b"\xef\xbb\xbf\r\n\r\n", "is empty"),
        (b"\n\n\n", "is empty"),
        (b"\n;;\n", r"has no header row"),
    ],
)
def test_unreadable_content(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(SurveyError, match=expected):
        read_export(path)


def test_directory_is_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(SurveyError, match="is a directory"):
        read_export(tmp_path)


def test_large_file_takes_the_pyarrow_path(tmp_path: Path) -> None:
    """200,000 rows, with quoted newlines past pyarrow's 1 MB block boundaries."""
    path = tmp_path / "big.csv"
    lines = ["Aikaleima;Palvelu;Arvosana;Kouluarvosana;Vapaa palaute"]
    for i in range(200_000):
        text = f'"Rivi {i};\nkiitos ""paljon"""' if i % 997 == 0 else "Hyvä palvelu"
        lines.append(f"{i % 28 + 1}.11.2026 10.15.03;Kirjasto;{i % 5 + 1};8,5;{text}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    table = read_export(path)
    frame = table.frame
    assert frame.attrs["reader"] == "pyarrow"
    assert all(dtype == STRING for dtype in frame.dtypes)
    assert len(frame) == 200_000
    assert frame.index[0] == 2 and frame.index[-1] == 200_001
    assert frame.loc[2 + 997 * 150, "Vapaa palaute"] == f'Rivi {997 * 150};\nkiitos "paljon"'
    assert frame.loc[200_001, "Vapaa palaute"] == "Hyvä palvelu"


def test_formats_known() -> None:
    assert set(FORMATS) == {"auto", "csv", "xlsx", "google-forms", "microsoft-forms"} | {
        "surveymonkey",
        "qualtrics",
        "webropol",
        "typeform",
        "limesurvey",
        "happyornot",
    }


@pytest.mark.parametrize(
    ("name", "tool", "date", "ids", "dropped"),
    [
        ("typeform.csv", "typeform", "Submit Date (UTC)", "#", {"unfinished": 2}),
        ("limesurvey.csv", "limesurvey", "submitdate", "id", {"unfinished": 2}),
        ("happyornot-daily.csv", "happyornot", "Date", None, {}),
        ("microsoft-forms-fi-id.xlsx", "microsoft-forms", "Valmistumisaika", "ID", {}),
        ("microsoft-forms-sv.xlsx", "microsoft-forms", "Slutförandetid", "ID", {}),
        ("google-forms-gmt.csv", "google-forms", "Timestamp", None, {}),
        ("webropol-title.csv", "csv", None, None, {}),
        ("webropol-matrix.xlsx", "xlsx", None, None, {}),
    ],
)
def test_more_tools_are_recognised(
    name: str, tool: str, date: str | None, ids: str | None, dropped: dict[str, int]
) -> None:
    table = read_export(SURVEYS / name)
    assert (table.tool, table.date_column, table.id_column, table.dropped) == (
        tool,
        date,
        ids,
        dropped,
    )
    assert read_export(SURVEYS / name, tool).frame.equals(table.frame)


def test_typeform_time_zone_and_partial_responses() -> None:
    table = read_export(SURVEYS / "typeform.csv")
    assert table.time_zone == "UTC"
    assert "partial" not in set(table.frame["Response Type"])
    kept = read_export(SURVEYS / "typeform.csv", complete_only=False)
    assert list(kept.frame["Response Type"]).count("partial") == 2


def test_qualtrics_unfinished_kept_on_request_and_its_time_zone() -> None:
    table = read_export(SURVEYS / "qualtrics.csv", complete_only=False)
    assert table.dropped == {"duplicate id": 1}
    assert table.time_zone == "Europe/Helsinki"


def test_happyornot_faces_are_count_columns() -> None:
    table = read_export(SURVEYS / "happyornot-daily.csv")
    assert table.counts == {"Very positive": 4, "Positive": 3, "Negative": 2, "Very negative": 1}


def test_title_block_in_csv_and_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_text(
        "Palautekysely 2026\nVastaajia: 2\n\nAika;Palvelu;Arvio;Palaute\n"
        "1.11.2026;Kirjasto;5;Hyvä, kiitos\n2.11.2026;Uimahalli;4;\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert table.frame.attrs["delimiter"] == ";"
    assert list(table.frame.columns) == ["Aika", "Palvelu", "Arvio", "Palaute"]
    assert list(table.frame.index) == [5, 6]
    assert table.frame.attrs["header_row"] == 4
    book = Workbook()
    sheet = book.active
    for row in [["Palautekysely 2026"], ["Raportti luotu", "2.12.2026"], [], ["A", "B", "C", "D"]]:
        sheet.append(row)
    sheet.append([1, 2, 3, 4])
    book.save(tmp_path / "report.xlsx")
    table = read_export(tmp_path / "report.xlsx")
    assert list(table.frame.columns) == ["A", "B", "C", "D"]
    assert list(table.frame.index) == [5]


def test_two_header_rows_of_a_matrix_question(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_text(
        "Nro;Arvioi;;;Palaute\n;Palvelu;Tilat;Hinta;\n1;5;4;3;Hyvä\n2;4;4;2;\n",
        encoding="utf-8",
    )
    table = read_export(path)
    assert list(table.frame.columns) == [
        "Nro",
        "Arvioi - Palvelu",
        "Arvioi - Tilat",
        "Arvioi - Hinta",
        "Palaute",
    ]
    assert table.groups == {"Arvioi": ["Arvioi - Palvelu", "Arvioi - Tilat", "Arvioi - Hinta"]}
    assert list(table.frame.index) == [3, 4]


def test_id_column_error_lists_every_header(tmp_path: Path) -> None:
    with pytest.raises(SurveyError) as caught:
        read_export(SURVEYS / "qualtrics.csv", id_column="Vastaustunnus")
    message = str(caught.value)
    assert "the file's 14 columns:" in message and "'Vapaa palaute'" in message


def test_column_letters() -> None:
    assert [letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def _read_bytes_or_survey_error(data: bytes, suffix: str, fmt: str = "auto") -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        try:
            table = read_export(path, fmt)
        except SurveyError as err:
            assert str(err).startswith(str(path))
            assert "\n" not in str(err)
        else:
            assert all(dtype == STRING for dtype in table.frame.dtypes)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), fmt=st.sampled_from(FORMATS))
def test_random_bytes_read_or_raise_survey_error(data: bytes, fmt: str) -> None:
    _read_bytes_or_survey_error(data, ".csv", fmt)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(VALID + TOOLS), cut=st.floats(0, 1), flip=st.integers(0, 255))
def test_damaged_fixtures_read_or_raise_survey_error(name: str, cut: float, flip: int) -> None:
    original = (SURVEYS / name).read_bytes()
    end = int(len(original) * cut)
    _read_bytes_or_survey_error(original[:end], Path(name).suffix)
    damaged = bytearray(original)
    if damaged:
        damaged[min(end, len(damaged) - 1)] ^= flip
    _read_bytes_or_survey_error(bytes(damaged), Path(name).suffix)
