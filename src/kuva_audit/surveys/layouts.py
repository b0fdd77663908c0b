"""Survey tool layouts: recognise an export from its header rows and name its columns.

Pure Python on the first few records of a file (lists of header cells), shared by the CSV and
the xlsx reader in read.py. No pandas here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kuva_audit.surveys.model import SurveyError, Tool

Head = Sequence[Sequence[str]]
"""The first (up to three) records of a file, cells stripped, blank cells as ``""``."""

HEAD_ROWS = 3
"""How many records detection looks at (Qualtrics has the most header rows)."""

GOOGLE_TIMESTAMPS = ("Timestamp", "Aikaleima", "Tidstämpel")

# Microsoft Forms translates its metadata headers to the UI language:
# (id, start time, completion time, email, name) in English, Finnish and Swedish.
MICROSOFT_HEADERS = (
    ("Id", "Start time", "Completion time", "Email", "Name"),
    ("Tunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti", "Nimi"),
    ("ID", "Starttid", "Slutförandetid", "E-post", "Namn"),
)

SURVEYMONKEY_ID = "Respondent ID"
SURVEYMONKEY_DATE = "End Date"
# Second-row labels that mean "the question's own answer", not a choice.
SURVEYMONKEY_PLAIN = frozenset({"Response", "Open-Ended Response"})

# Qualtrics metadata, by variable name (row 1) or by ImportId (row 3).
QUALTRICS_ID = ("ResponseId", "ResponseID", "_recordId")
QUALTRICS_DATE = ("RecordedDate", "recordedDate", "EndDate", "endDate")
QUALTRICS_FINISHED = ("Finished", "finished")
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')


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
    finished_column: str | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    """Other names a person may configure (Qualtrics variable names) -> final column name."""

    def resolve_id(self, path: Path, names: Sequence[str], wanted: str | None) -> str | None:
        """The id column: the configured one (by name or alias), else the tool's own."""
        if wanted is None:
            return self.id_column if self.id_column in names else None
        if wanted in names:
            return wanted
        if self.aliases.get(wanted) in names:
            return self.aliases[wanted]
        raise SurveyError(
            path,
            "the configured id column is not in the file",
            column=wanted,
            remedy="use one of its headers: " + ", ".join(repr(name) for name in names[:8]),
        )


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
    return "xlsx" if container == "xlsx" else "csv"


def build(path: Path, tool: Tool, head: Head, container: str) -> Layout:
    """The layout of ``head`` read as ``tool``; SurveyError if the file does not fit it."""
    if tool in ("csv", "xlsx"):
        _check_container(path, tool, container)
        return Layout(tool, 1, list(head[0]), 1)
    if tool == "google-forms":
        if not _is_google(head):
            raise _mismatch(path, head, "a Google Forms export", _GOOGLE_EXPECTED)
        return Layout(tool, 1, list(head[0]), 1, date_column=head[0][0])
    if tool == "microsoft-forms":
        return _microsoft(path, head)
    if tool == "surveymonkey":
        return _surveymonkey(path, head)
    return _qualtrics(path, head)


_GOOGLE_EXPECTED = "its first column is " + " / ".join(GOOGLE_TIMESTAMPS)
_MICROSOFT_EXPECTED = "it starts with the columns " + "; ".join(
    ", ".join(names[:3]) for names in MICROSOFT_HEADERS
)
_SURVEYMONKEY_EXPECTED = (
    f"two header rows, a {SURVEYMONKEY_ID!r} column and a blank cell under it in row 2"
)
_QUALTRICS_EXPECTED = 'three header rows with ImportId JSON such as {"ImportId":"QID1"} in row 3'


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


def _is_google(head: Head) -> bool:
    return bool(head) and bool(head[0]) and head[0][0].casefold() in _casefolded(GOOGLE_TIMESTAMPS)


def _casefolded(names: Sequence[str]) -> set[str]:
    return {name.casefold() for name in names}


def _microsoft_set(head: Head) -> tuple[str, ...] | None:
    """The language's metadata names if the header is Microsoft Forms' (id first, then times)."""
    if not head or not head[0]:
        return None
    header = [cell.casefold() for cell in head[0]]
    for names in MICROSOFT_HEADERS:
        if header[0] == names[0].casefold() and names[2].casefold() in header[:8]:
            return names
    return None


def _microsoft(path: Path, head: Head) -> Layout:
    names = _microsoft_set(head)
    if names is None:
        raise _mismatch(path, head, "a Microsoft Forms export", _MICROSOFT_EXPECTED)
    header = list(head[0])
    completion = next(cell for cell in header if cell.casefold() == names[2].casefold())
    return Layout("microsoft-forms", 1, header, 1, date_column=completion, id_column=header[0])


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
    questions, choices = _padded(head[0], head[1])
    names: list[str] = []
    question = ""
    for text, choice in zip(questions, choices, strict=True):
        starts = bool(text)
        question = text or question
        if starts and (not choice or choice in SURVEYMONKEY_PLAIN):
            names.append(question)
        elif question and choice:
            names.append(f"{question} - {choice}")
        else:
            names.append(question or choice)
    return Layout(
        "surveymonkey",
        2,
        names,
        1,
        date_column=SURVEYMONKEY_DATE if SURVEYMONKEY_DATE in names else None,
        id_column=SURVEYMONKEY_ID,
    )


def _padded(*rows: Sequence[str]) -> list[list[str]]:
    width = max(len(row) for row in rows)
    return [list(row) + [""] * (width - len(row)) for row in rows]


def _is_qualtrics(head: Head) -> bool:
    return len(head) >= HEAD_ROWS and any(_IMPORT_ID.match(cell) for cell in head[2])


def _qualtrics(path: Path, head: Head) -> Layout:
    """Name columns by question text (row 2); variable names (row 1) become aliases.

    Question texts that repeat get their variable name appended, ``text [Q7]``, so that every
    column keeps a unique name.
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
    for variable, import_id, name in zip(variables, imports, names, strict=True):
        for alias in (variable, _import_id(import_id)):
            if alias and alias != name and alias not in names:
                aliases.setdefault(alias, name)

    def find(candidates: Sequence[str]) -> str | None:
        for candidate in candidates:
            if candidate in aliases:
                return aliases[candidate]
            if candidate in names:
                return candidate
        return None

    return Layout(
        "qualtrics",
        3,
        names,
        2,
        date_column=find(QUALTRICS_DATE),
        id_column=find(QUALTRICS_ID),
        finished_column=find(QUALTRICS_FINISHED),
        aliases=aliases,
    )


def _import_id(cell: str) -> str:
    """``QID1`` from ``{"ImportId":"QID1"}``; ``""`` if the cell is not such JSON."""
    if not _IMPORT_ID.match(cell):
        return ""
    try:
        value = json.loads(cell)
    except ValueError:
        return ""
    import_id = value.get("ImportId") if isinstance(value, dict) else None
    return import_id if isinstance(import_id, str) else ""
