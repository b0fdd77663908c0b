"""Survey tool layouts: find the table, recognise the tool from its header rows, name columns.

Pure Python on the first records of a file (lists of cells, stripped, blank cells ``""``),
shared by the CSV and the xlsx reader in read.py. No pandas here.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kuva_audit.config.surveys import SurveyTool as Tool
from kuva_audit.surveys.model import SurveyError

Head = Sequence[Sequence[str]]
"""Records of a file, cells stripped, blank cells as ``""``."""

HEAD_ROWS = 3
"""How many records tool detection looks at (Qualtrics has the most header rows)."""
SCAN_ROWS = 60
"""How many records are read to find where the table starts (below a title block)."""

GOOGLE_TIMESTAMPS = ("Timestamp", "Aikaleima", "Tidstämpel")

# Microsoft Forms translates its metadata headers to the UI language:
# (id, start time, completion time, email, name) in English, Finnish and Swedish. The id
# column is "ID" in every language in current exports ("Id" and "Tunnus" in older ones).
MICROSOFT_HEADERS = (
    ("Id", "Start time", "Completion time", "Email", "Name"),
    ("Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi"),
    ("ID", "Starttid", "Slutförandetid", "E-post", "Namn"),
)
MICROSOFT_IDS = ("ID", "Id", "Tunnus")

SURVEYMONKEY_ID = "Respondent ID"
SURVEYMONKEY_DATE = "End Date"
# Second-row labels that mean "the question's own answer", not a choice.
SURVEYMONKEY_PLAIN = frozenset({"Response", "Open-Ended Response"})

# Qualtrics metadata, by variable name (row 1) or by ImportId (row 3).
QUALTRICS_ID = ("ResponseId", "ResponseID", "_recordId")
QUALTRICS_DATE = ("RecordedDate", "recordedDate", "EndDate", "endDate")
QUALTRICS_FINISHED = ("Finished", "finished")
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')

# Typeform's CSV download: "#" (the response token), the questions, then metadata in UTC.
TYPEFORM_ID = "#"
TYPEFORM_SUBMIT = "Submit Date (UTC)"
TYPEFORM_START = "Start Date (UTC)"
TYPEFORM_TYPE = "Response Type"

# LimeSurvey: question codes as headings, or the full (English) headings: (id, submit date,
# last page); the last two identify the export.
LIMESURVEY_CODES = ("id", "submitdate", "lastpage")
LIMESURVEY_FULL = ("Response ID", "Date submitted", "Last page")

# HappyOrNot: a count per face (daily or hourly report), faces as in its reporting.
HAPPYORNOT_FACES: dict[str, float] = {
    "Very positive": 4.0,
    "Positive": 3.0,
    "Negative": 2.0,
    "Very negative": 1.0,
}
HAPPYORNOT_DATES = ("Date", "Day", "Päivämäärä", "Päivä", "Datum")

# Header names of a response's date in exports without a known layout (Webropol, a Finnish
# Excel, a kiosk's report), compared case-insensitively.
DATE_HEADERS = (
    "Vastausaika",
    "Vastauspäivä",
    "Vastauspäivämäärä",
    "Vastattu",
    "Vastauksen aika",
    "Lähetetty",
    "Lähetysaika",
    "Aikaleima",
    "Päivämäärä",
    "Pvm",
    "Svarstid",
    "Svarsdatum",
    "Tidpunkt",
    "Datum",
    "Date",
    "Timestamp",
    "Response date",
    "Response time",
    "Submitted",
    "Submission date",
)

Incomplete = tuple[str, Literal["false", "blank", "partial"]]
"""How a tool marks an incomplete response: (column, its mark): ``false`` (Qualtrics
``Finished`` 0/False), ``blank`` (LimeSurvey ``submitdate`` empty), ``partial``."""


@dataclass(frozen=True)
class Layout:
    """How to read one export: its tool, header rows and one final name per column."""

    tool: Tool
    header_rows: int
    names: list[str]
    """One name per column; ``""`` where the header is blank (read.py names or drops those)."""
    name_row: int
    """The header row (1-based, within the header) the names come from, for error messages."""
    date_column: str | None = None
    id_column: str | None = None
    incomplete: Incomplete | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    """Other names a person may configure (Qualtrics variable names) -> final column name."""
    time_zone: str | None = None
    counts: dict[str, float] | None = None
    groups: dict[str, list[str]] = field(default_factory=dict)
    dated: bool = False

    def resolve_id(self, path: Path, names: Sequence[str], wanted: str | None) -> str | None:
        """The id column: the configured one (by name or alias), else the tool's own."""
        if wanted is None:
            return self.id_column if self.id_column in names else None
        found = find_name(wanted, names, self.aliases)
        if found is None:
            raise SurveyError(
                path,
                "the configured id column is not in the file",
                column=wanted,
                remedy=column_hint(wanted, names),
            )
        return found


def find_name(wanted: str, names: Sequence[str], aliases: dict[str, str]) -> str | None:
    """The column a configured name means: exact, an alias, else the one column equal to it
    with runs of spaces collapsed and case ignored."""
    if wanted in names:
        return wanted
    if aliases.get(wanted) in names:
        return aliases[wanted]
    loose = _loose(wanted)
    matches = [name for name in names if _loose(name) == loose]
    return matches[0] if len(matches) == 1 else None


def _loose(name: str) -> str:
    return " ".join(name.split()).casefold()


def column_hint(wanted: str, names: Sequence[str]) -> str:
    """What to do about a configured column that is not in the file: the closest headers,
    then every header of the file (a one-line error may be long, never incomplete)."""
    close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.6)
    if not close:
        folded = {_loose(name): name for name in names}
        close = [folded[m] for m in difflib.get_close_matches(_loose(wanted), folded, n=3)]
    closest = f"closest: {', '.join(map(repr, close))}; " if close else ""
    listed = ", ".join(map(repr, names))
    return f"{closest}the file's {len(names)} columns: {listed}"


def final_names(
    path: Path, layout: Layout, empty: Sequence[bool], row: int
) -> tuple[list[str], list[int]]:
    """(final names, the indexes of the columns kept), given which columns hold no data.

    A blank header over an empty column is dropped (trailing delimiters, unused sheet columns);
    over data it becomes ``Unnamed column E``. Two columns with one name are an error (``row``:
    the header row in the file, for the message).
    """
    names: list[str] = []
    kept: list[int] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(layout.names):
        if not name and empty[index]:
            continue
        name = name or f"Unnamed column {letter(index)}"
        if name in seen:
            raise SurveyError(
                path,
                f"two columns ({letter(seen[name])} and {letter(index)}) have the same header",
                row=row,
                column=name,
                remedy="rename one of them so that every column has its own header",
            )
        seen[name] = index
        names.append(name)
        kept.append(index)
    return names, kept


def letter(index: int) -> str:
    """The spreadsheet column letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# ------------------------------------------------------------------------------------------
# where the table starts


def find_table(path: Path, records: Head, header_row: int | None) -> int:
    """The index (0-based) of the first header row among ``records``.

    ``header_row`` (1-based, as a spreadsheet numbers rows) when configured. Otherwise leading
    blank records are skipped, and so is a title block: records whose cells are all in the
    first two columns (the first one, above a table of three columns) above a table of at
    least three (Webropol's survey name, respondent count and export date, say).
    """
    if header_row is not None:
        index = header_row - 1
        if index >= len(records) or not any(records[index]):
            what = "is blank" if index < len(records) else "is past the end of the file"
            raise SurveyError(
                path,
                f"the configured header_row {header_row} {what}",
                row=header_row,
                remedy="set header_row to the row of the column headers as a spreadsheet shows",
            )
        return index
    width = max((_width(record) for record in records), default=0)
    title_width = min(2, width - 2)
    titles = False
    for index, record in enumerate(records):
        if not any(record):
            continue
        if _width(record) <= title_width and not _is_known(records[index:]):
            titles = True
            continue
        return index
    # Nothing but a title block: the first filled record is the header (data comes later).
    return next((i for i, r in enumerate(records) if any(r)), 0) if titles else 0


def _width(record: Sequence[str]) -> int:
    """Columns up to the last filled cell."""
    filled = [i for i, cell in enumerate(record) if cell]
    return filled[-1] + 1 if filled else 0


def _is_known(head: Head) -> bool:
    return detect(head[:HEAD_ROWS], "csv") != "csv"


# ------------------------------------------------------------------------------------------
# which tool


def detect(head: Head, container: str) -> Tool:
    """The tool that wrote an export with these header rows (``container``: csv or xlsx)."""
    if _is_qualtrics(head):
        return "qualtrics"
    if _is_surveymonkey(head):
        return "surveymonkey"
    if _microsoft_set(head) is not None:
        return "microsoft-forms"
    if _is_google(head):
        return "google-forms"
    if _is_typeform(head):
        return "typeform"
    if _limesurvey_names(head) is not None:
        return "limesurvey"
    if _happyornot_faces(head):
        return "happyornot"
    return "xlsx" if container == "xlsx" else "csv"


def build(path: Path, tool: Tool, head: Head, container: str) -> Layout:
    """The layout of ``head`` read as ``tool``; SurveyError if the file does not fit it."""
    if tool in ("csv", "xlsx"):
        _check_container(path, tool, container)
        return _generic(tool, head)
    builders = {
        "google-forms": _google,
        "microsoft-forms": _microsoft,
        "surveymonkey": _surveymonkey,
        "qualtrics": _qualtrics,
        "webropol": _webropol,
        "typeform": _typeform,
        "limesurvey": _limesurvey,
        "happyornot": _happyornot,
    }
    return builders[tool](path, head)


def guess_date_column(names: Sequence[str]) -> str | None:
    """The first column whose header names a response date (see DATE_HEADERS)."""
    wanted = {name.casefold() for name in DATE_HEADERS}
    return next((name for name in names if name.casefold() in wanted), None)


_GOOGLE_EXPECTED = "its first column is " + " / ".join(GOOGLE_TIMESTAMPS)
_MICROSOFT_EXPECTED = "it starts with the columns " + "; ".join(
    ", ".join(names[:3]) for names in MICROSOFT_HEADERS
)
_SURVEYMONKEY_EXPECTED = (
    f"two header rows, a {SURVEYMONKEY_ID!r} column and a blank cell under it in row 2"
)
_QUALTRICS_EXPECTED = 'three header rows with ImportId JSON such as {"ImportId":"QID1"} in row 3'
_TYPEFORM_EXPECTED = f"a first column {TYPEFORM_ID!r} and a column {TYPEFORM_SUBMIT!r}"
_LIMESURVEY_EXPECTED = (
    f"the columns {', '.join(LIMESURVEY_CODES)} (or {', '.join(LIMESURVEY_FULL)})"
)
_HAPPYORNOT_EXPECTED = "a count column per face: " + ", ".join(HAPPYORNOT_FACES)


def _mismatch(path: Path, head: Head, what: str, expected: str) -> SurveyError:
    first = ", ".join(repr(cell) for cell in head[0][:4]) if head else "nothing"
    return SurveyError(
        path,
        f"is not {what}: expected {expected}, but the header starts with {first}",
        row=1,
        remedy="check that this is the right file, or set the survey's format to auto",
    )


def _check_container(path: Path, tool: Tool, container: str) -> None:
    if tool == container:
        return
    found = "an Excel workbook (.xlsx)" if container == "xlsx" else "a text (CSV) file"
    wanted = "a CSV text file" if tool == "csv" else "an Excel workbook (.xlsx)"
    raise SurveyError(
        path,
        f"expected {wanted} (format {tool}), but this is {found}",
        remedy="set the survey's format to auto, or to the format the file really has",
    )


def _casefolded(names: Iterable[str]) -> set[str]:
    return {name.casefold() for name in names}


def _first_row(head: Head) -> list[str]:
    return list(head[0]) if head and head[0] else []


# ------------------------------------------------------------------------------------------
# one header row, or two (a matrix question's statements under its name)


def _generic(tool: Tool, head: Head, *, dated: bool = False) -> Layout:
    """One header row; two when the second names the statements of matrix questions."""
    if _is_two_row(head):
        names, groups = _combined(head[0], head[1], plain=frozenset())
        date = guess_date_column(names) if dated else None
        return Layout(tool, 2, names, 1, date_column=date, groups=groups, dated=dated)
    names = list(head[0]) if head else []
    date = guess_date_column(names) if dated else None
    return Layout(tool, 1, names, 1, date_column=date, groups=_bracket_groups(names), dated=dated)


def _is_two_row(head: Head) -> bool:
    """Row 2 names statements only: filled exactly under the columns of questions that span
    several columns (a name in row 1, blanks to its right), blank under one-column ones."""
    if len(head) < 2:
        return False
    first, second = _padded(_spans(head[0]), head[1])
    width = max(_width(first), _width(second))
    if width < 2 or not first[0]:
        return False
    spans = False
    for index in range(width):
        starts = bool(first[index])
        continued = index + 1 < width and not first[index + 1]
        if not starts or continued:  # a column of a question that spans several
            spans = spans or not starts
            if not second[index]:
                return False
        elif second[index]:
            return False
    return spans


def _spans(first_row: Sequence[str]) -> list[str]:
    """A question's text repeated over its statement columns, as a blank after the first."""
    return [cell if i == 0 or cell != first_row[i - 1] else "" for i, cell in enumerate(first_row)]


def _combined(
    first_row: Sequence[str], second_row: Sequence[str], plain: frozenset[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """Two header rows as one name per column: the question text filled forward, then
    ``question - statement`` for each column of a question that has them; ``plain`` second-row
    labels mean the question's own answer. Also the groups: question -> its columns."""
    questions, choices = _padded(_spans(first_row), second_row)
    names: list[str] = []
    groups: dict[str, list[str]] = {}
    question = ""
    for text, choice in zip(questions, choices, strict=True):
        starts = bool(text)
        question = text or question
        if starts and (not choice or choice in plain):
            names.append(question)
        elif question and choice:
            name = f"{question} - {choice}"
            names.append(name)
            groups.setdefault(question, []).append(name)
        else:
            names.append(question or choice)
    return names, {q: cols for q, cols in groups.items() if q not in names}


_BRACKET = re.compile(r"^(?P<question>.+?)\s*\[(?P<statement>[^\[\]]+)\]$")


def _bracket_groups(names: Sequence[str]) -> dict[str, list[str]]:
    """Matrix questions written in one header row as ``Q1[SQ001]`` or ``Question [Statement]``
    (LimeSurvey): question -> its columns, when it has at least two."""
    groups: dict[str, list[str]] = {}
    for name in names:
        match = _BRACKET.match(name)
        if match:
            groups.setdefault(match["question"], []).append(name)
    return {q: cols for q, cols in groups.items() if len(cols) > 1 and q not in names}


def _padded(*rows: Sequence[str]) -> list[list[str]]:
    width = max(len(row) for row in rows)
    return [list(row) + [""] * (width - len(row)) for row in rows]


# ------------------------------------------------------------------------------------------
# the tools


def _is_google(head: Head) -> bool:
    first = _first_row(head)
    return bool(first) and first[0].casefold() in _casefolded(GOOGLE_TIMESTAMPS)


def _google(path: Path, head: Head) -> Layout:
    if not _is_google(head):
        raise _mismatch(path, head, "a Google Forms export", _GOOGLE_EXPECTED)
    names = list(head[0])
    return Layout("google-forms", 1, names, 1, date_column=names[0], dated=True)


def _microsoft_set(head: Head) -> tuple[str, ...] | None:
    """The language's metadata names if the header is Microsoft Forms' (id first, then times)."""
    header = [cell.casefold() for cell in _first_row(head)]
    if not header or header[0] not in _casefolded(MICROSOFT_IDS):
        return None
    for names in MICROSOFT_HEADERS:
        if names[2].casefold() in header[:8] and names[1].casefold() in header[:8]:
            return names
    return None


def _microsoft(path: Path, head: Head) -> Layout:
    names = _microsoft_set(head)
    if names is None:
        raise _mismatch(path, head, "a Microsoft Forms export", _MICROSOFT_EXPECTED)
    header = list(head[0])
    completion = next(cell for cell in header if cell.casefold() == names[2].casefold())
    return Layout(
        "microsoft-forms",
        1,
        header,
        1,
        date_column=completion,
        id_column=header[0],
        dated=True,
    )


def _is_surveymonkey(head: Head) -> bool:
    if len(head) < 2 or SURVEYMONKEY_ID not in head[0]:
        return False
    second = head[1]
    where = list(head[0]).index(SURVEYMONKEY_ID)
    return (where >= len(second) or not second[where]) and any(second)


def _surveymonkey(path: Path, head: Head) -> Layout:
    """Question text filled forward, ``question - choice`` for a question's further columns."""
    if not _is_surveymonkey(head):
        raise _mismatch(path, head, "a SurveyMonkey export", _SURVEYMONKEY_EXPECTED)
    names, groups = _combined(head[0], head[1], SURVEYMONKEY_PLAIN)
    return Layout(
        "surveymonkey",
        2,
        names,
        1,
        date_column=SURVEYMONKEY_DATE if SURVEYMONKEY_DATE in names else None,
        id_column=SURVEYMONKEY_ID,
        groups=groups,
        dated=True,
    )


def _is_qualtrics(head: Head) -> bool:
    return len(head) >= HEAD_ROWS and any(_IMPORT_ID.match(cell) for cell in head[2])


def _qualtrics(path: Path, head: Head) -> Layout:
    """Name columns by question text (row 2); variable names (row 1) become aliases.

    Question texts that repeat get their variable name appended, ``text [Q7]``, so that every
    column keeps a unique name. Matrix statements (``Q5_1``, ``Q5_2``) group under ``Q5``.
    """
    if not _is_qualtrics(head):
        raise _mismatch(path, head, "a Qualtrics export", _QUALTRICS_EXPECTED)
    variables, texts, imports = _padded(head[0], head[1], head[2])
    names = [text or variable for variable, text in zip(variables, texts, strict=True)]
    counts = Counter(names)
    names = [
        f"{name} [{variable}]" if counts[name] > 1 and variable and variable != name else name
        for name, variable in zip(names, variables, strict=True)
    ]
    aliases: dict[str, str] = {}
    zones: dict[str, str] = {}
    for variable, cell, name in zip(variables, imports, names, strict=True):
        import_id, zone = _import_id(cell)
        if zone:
            zones[name] = zone
        for alias in (variable, import_id):
            if alias and alias != name and alias not in names:
                aliases.setdefault(alias, name)

    def find(candidates: Sequence[str]) -> str | None:
        for candidate in candidates:
            if candidate in aliases:
                return aliases[candidate]
            if candidate in names:
                return candidate
        return None

    date = find(QUALTRICS_DATE)
    finished = find(QUALTRICS_FINISHED)
    groups: dict[str, list[str]] = {}
    for variable, name in zip(variables, names, strict=True):
        stem = re.match(r"^(.+)_\d+$", variable)
        if stem and stem[1] not in aliases and stem[1] not in names:
            groups.setdefault(stem[1], []).append(name)
    return Layout(
        "qualtrics",
        3,
        names,
        2,
        date_column=date,
        id_column=find(QUALTRICS_ID),
        incomplete=(finished, "false") if finished else None,
        aliases=aliases,
        time_zone=zones.get(date or ""),
        groups={g: cols for g, cols in groups.items() if len(cols) > 1},
        dated=True,
    )


def _import_id(cell: str) -> tuple[str, str]:
    """(``QID1``, ``Europe/Helsinki``) from ``{"ImportId":"QID1","timeZone":...}``; blanks
    where the cell is not such JSON or has no time zone."""
    if not _IMPORT_ID.match(cell):
        return "", ""
    try:
        value = json.loads(cell)
    except ValueError:
        return "", ""
    if not isinstance(value, dict):
        return "", ""
    import_id, zone = value.get("ImportId"), value.get("timeZone")
    return (
        import_id if isinstance(import_id, str) else "",
        zone if isinstance(zone, str) else "",
    )


def _webropol(path: Path, head: Head) -> Layout:
    """Webropol's Excel/CSV export: one header row, or two when a matrix question's
    statements are named in the second; the response date found by its header."""
    del path
    return _generic("webropol", head, dated=True)


def _is_typeform(head: Head) -> bool:
    first = _first_row(head)
    return bool(first) and first[0] == TYPEFORM_ID and TYPEFORM_SUBMIT in first


def _typeform(path: Path, head: Head) -> Layout:
    if not _is_typeform(head):
        raise _mismatch(path, head, "a Typeform export", _TYPEFORM_EXPECTED)
    names = list(head[0])
    incomplete: Incomplete = (
        (TYPEFORM_TYPE, "partial") if TYPEFORM_TYPE in names else (TYPEFORM_SUBMIT, "blank")
    )
    return Layout(
        "typeform",
        1,
        names,
        1,
        date_column=TYPEFORM_SUBMIT,
        id_column=TYPEFORM_ID,
        incomplete=incomplete,
        time_zone="UTC",
        groups=_bracket_groups(names),
        dated=True,
    )


def _limesurvey_names(head: Head) -> tuple[str, ...] | None:
    header = _first_row(head)
    for names in (LIMESURVEY_CODES, LIMESURVEY_FULL):
        if set(names[1:]) <= set(header):
            return names
    return None


def _limesurvey(path: Path, head: Head) -> Layout:
    """Incomplete responses have no submit date; matrix columns are ``Q1[SQ001]``."""
    found = _limesurvey_names(head)
    if found is None:
        raise _mismatch(path, head, "a LimeSurvey export", _LIMESURVEY_EXPECTED)
    names = list(head[0])
    return Layout(
        "limesurvey",
        1,
        names,
        1,
        date_column=found[1],
        id_column=found[0] if found[0] in names else None,
        incomplete=(found[1], "blank"),
        groups=_bracket_groups(names),
        dated=True,
    )


def _happyornot_faces(head: Head) -> dict[str, str]:
    """Face -> its column, when the header has a column for each of the four faces."""
    header = {cell.casefold(): cell for cell in _first_row(head)}
    found = {face: header.get(face.casefold(), "") for face in HAPPYORNOT_FACES}
    return found if all(found.values()) else {}


def _happyornot(path: Path, head: Head) -> Layout:
    faces = _happyornot_faces(head)
    if not faces:
        raise _mismatch(path, head, "a HappyOrNot export", _HAPPYORNOT_EXPECTED)
    names = list(head[0])
    wanted = _casefolded(HAPPYORNOT_DATES)
    date = next((name for name in names if name.casefold() in wanted), None)
    return Layout(
        "happyornot",
        1,
        names,
        1,
        date_column=date,
        counts={faces[face]: value for face, value in HAPPYORNOT_FACES.items()},
        dated=True,
    )
