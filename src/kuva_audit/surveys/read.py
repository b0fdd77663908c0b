"""Read a survey export (CSV or xlsx from a real survey tool) into a RawTable of text.

CSV: the encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, else Windows-1252) is detected on
the bytes, the delimiter (``,`` ``;`` tab) on the first 64 KB; the header rows are parsed with the
csv module and the data with pyarrow's CSV reader. xlsx: the first sheet via openpyxl. Layouts
(which tool wrote the file, how its header rows become column names) live in layouts.py.

Every problem becomes one SurveyError naming the file and, where known, the row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kuva_audit.config.surveys import SURVEY_FORMATS as FORMATS
from kuva_audit.config.surveys import SurveyTool as Tool
from kuva_audit.surveys.layouts import (
    HEAD_ROWS,
    SCAN_ROWS,
    Incomplete,
    build,
    detect,
    final_names,
    find_name,
    find_table,
)
from kuva_audit.surveys.limits import check_cells, check_file_size, check_workbook
from kuva_audit.surveys.model import RawTable, SurveyError

SAMPLE_CHARS = 64 * 1024
DELIMITERS = (",", ";", "\t")
SNIFF_RECORDS = 50
STRING = pd.StringDtype("pyarrow")
_TO_PANDAS = {pa.string(): STRING, pa.large_string(): STRING}
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, or an encrypted .xlsx
_MIXED = re.compile(rb"\xc3[\xa4\xb6\xa5\x84\x96\x85]")  # ä ö å Ä Ö Å in UTF-8
_NOT_BLANK = re.compile(rb"[^\s\x00]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")
_CONTROLS = frozenset(chr(c) for c in range(32)) - set("\t\n\r\x0b\x0c")
_SAVE_AS = "open it in Excel and save it as 'CSV UTF-8' or .xlsx, or export it from the tool again"

Mask = npt.NDArray[np.bool_]


def read_export(
    path: Path,
    fmt: str = "auto",
    *,
    id_column: str | None = None,
    header_row: int | None = None,
    complete_only: bool = True,
) -> RawTable:
    """Read one export; ``fmt`` is one of FORMATS (``auto`` detects the layout).

    Column names are one per column (multi-row headers combined, see layouts.py); values are
    ``string[pyarrow]`` with blank cells NA; the index is the record number in the file.
    ``header_row`` is the row of the first header row (default: found below any title block);
    ``complete_only`` drops the responses the tool marks incomplete.
    ``frame.attrs`` holds ``reader`` (pyarrow/openpyxl), ``encoding``, ``delimiter``,
    ``aliases`` (other names for columns, e.g. Qualtrics variable names) and ``header_row``
    (the file's row the column names come from).
    """
    if fmt not in FORMATS:
        raise SurveyError(
            path, f"unknown format {fmt!r}", remedy=f"use one of {', '.join(FORMATS)}"
        )
    check_file_size(path)
    source = _open(path, _read_bytes(path))
    records = source.records(max(SCAN_ROWS, (header_row or 0) + HEAD_ROWS))
    if not any(any(record) for record in records):
        raise SurveyError(path, "has no header row (only blank lines)", remedy=_SAVE_AS)
    start = find_table(path, records, header_row)
    head = records[start : start + HEAD_ROWS]
    tool = detect(head, source.kind) if fmt == "auto" else cast(Tool, fmt)
    layout = build(path, tool, head, source.kind)
    table = source.table(start + layout.header_rows, len(layout.names))
    empty = [table.column(i).null_count == table.num_rows for i in range(table.num_columns)]
    names, columns = final_names(path, layout, empty, start + layout.name_row)
    table = table.select(columns)
    ids = layout.resolve_id(path, names, id_column)
    first = start + layout.header_rows + 1
    check_cells(path, table, names, first)
    incomplete = layout.incomplete if complete_only else None
    keep, dropped = _rows_to_keep(table, names, incomplete, ids)
    frame = _frame(table, names, keep, first)
    frame.attrs.update(
        source.attrs, aliases=dict(layout.aliases), header_row=start + layout.name_row
    )
    date = layout.date_column if layout.date_column in names else None
    return RawTable(
        path,
        tool,
        frame,
        date,
        ids,
        dropped,
        time_zone=layout.time_zone,
        counts=layout.counts,
        groups={q: [c for c in cols if c in names] for q, cols in layout.groups.items()},
        dated=layout.dated,
    )


def resolve_column(table: RawTable, name: str) -> str | None:
    """The frame column a configured ``name`` means: itself, the column it is an alias of,
    or the one column equal to it but for case and runs of spaces."""
    aliases = cast(dict[str, str], table.frame.attrs.get("aliases", {}))
    return find_name(name, list(table.frame.columns), aliases)


class _Source(Protocol):
    kind: str
    attrs: dict[str, str]

    def records(self, count: int) -> list[list[str]]:
        """The first ``count`` records (blank ones included), cells stripped."""
        ...

    def table(self, skip: int, width: int) -> Any:
        """The records after the first ``skip`` as a pyarrow Table of ``width`` string
        columns ``c0``..., blank cells null."""
        ...


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SurveyError(path, "does not exist", remedy="check the path in the config") from None
    except IsADirectoryError:
        raise SurveyError(path, "is a directory, not an export file") from None
    except OSError as err:
        raise SurveyError(path, f"cannot be read ({err.strerror})") from None
    if not _NOT_BLANK.search(raw.removeprefix(codecs.BOM_UTF8)):
        raise SurveyError(path, "is empty", remedy="export the survey again")
    return raw


def _open(path: Path, raw: bytes) -> _Source:
    if raw.startswith(_ZIP):
        return _Workbook(path, raw)
    if raw.startswith(_OLE2):
        raise SurveyError(
            path,
            "is an Excel 97-2003 .xls (or password-protected) workbook, which cannot be read",
            remedy="open it in Excel and save it as .xlsx (without a password) or 'CSV UTF-8'",
        )
    text, encoding, utf8 = _decode(path, raw)
    sample = text[:SAMPLE_CHARS]
    controls = sum(sample.count(char) for char in _CONTROLS)
    if "\x00" in text or controls > len(sample) // 100:
        raise SurveyError(
            path, "is not a text (CSV) file: it contains binary data", remedy=_SAVE_AS
        )
    delimiter = _sniff_delimiter(sample, truncated=len(text) > SAMPLE_CHARS)
    attrs = {"reader": "pyarrow", "encoding": encoding, "delimiter": delimiter}
    return _Text(path, text, utf8, delimiter, attrs)


def _decode(path: Path, raw: bytes) -> tuple[str, str, memoryview | None]:
    """(text, encoding, the UTF-8 bytes of ``text`` when the file itself is UTF-8)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError:
            raise SurveyError(path, "is damaged UTF-16 text", remedy=_SAVE_AS) from None
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        bad = err.start + bom
    else:
        return text, "utf-8-sig" if bom else "utf-8", memoryview(raw)[bom:]
    line = raw.count(b"\n", 0, bad) + 1
    if bom or (raw.find(b"\xc3") >= 0 and _MIXED.search(raw)):
        # UTF-8 ä/ö/å next to bytes that are not UTF-8: reading it either way would garble text.
        raise SurveyError(
            path, f"mixes UTF-8 and other encodings (line {line} is not UTF-8)", remedy=_SAVE_AS
        )
    try:
        return raw.decode("cp1252"), "cp1252", None
    except UnicodeDecodeError:
        raise SurveyError(
            path,
            f"is neither UTF-8 nor Windows-1252 text (line {line}): binary data?",
            remedy=_SAVE_AS,
        ) from None


def _sniff_delimiter(sample: str, *, truncated: bool) -> str:
    """The delimiter that splits the first records into the most equally long rows (of at
    least two fields: a title block above the table has one field a row whatever the
    delimiter)."""
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        rows = [row for row in _sample_rows(sample, delimiter) if row]
        if truncated and len(rows) > 1:
            rows.pop()  # probably cut in the middle
        widths = Counter(len(row) for row in rows if len(row) >= 2)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) >= SNIFF_RECORDS:
                break
    except csv.Error:
        pass  # an over-long field at the cut; the rows so far still count
    return rows


class _CountingLines(Iterator[str]):
    """Lines of a text (ends kept, like a file opened with newline="") for csv.reader,
    found lazily without copying the text; ``consumed`` is where the next line starts."""

    def __init__(self, text: str, start: int = 0) -> None:
        self._lines, self.consumed = _LINE.finditer(text, start), start

    def __next__(self) -> str:
        line = next(self._lines).group()
        self.consumed += len(line)
        return line


@dataclass
class _Text:
    path: Path
    text: str
    utf8: memoryview | None
    delimiter: str
    attrs: dict[str, str]
    kind: str = "csv"
    _ends: list[int] = field(default_factory=list)
    """Character offset after each record parsed by ``head``."""

    def records(self, count: int) -> list[list[str]]:
        lines = _CountingLines(self.text)
        found: list[list[str]] = []
        try:
            for row in csv.reader(lines, delimiter=self.delimiter):
                self._ends.append(lines.consumed)
                found.append([cell.strip() for cell in row])
                if len(found) == count:
                    break
        except csv.Error as err:
            raise SurveyError(
                self.path, f"cannot be parsed as CSV ({err})", row=len(self._ends) + 1
            ) from None
        return found

    def table(self, skip: int, width: int) -> Any:
        # pyarrow.csv directly, not pd.read_csv: pyarrow gets the data after the header rows
        # (so multi-row headers need no slower engine) with positional column names (so
        # duplicate or blank headers are ours to report), and every column is read as text.
        if skip > len(self._ends):
            return _empty_table(width)  # the header is all there is
        offset = self._ends[skip - 1]
        if self.utf8 is not None:
            data: Any = self.utf8[len(self.text[:offset].encode("utf-8")) :]
        else:
            data = self.text[offset:].encode("utf-8")
        if len(data) < SAMPLE_CHARS and not bytes(data).strip():
            return _empty_table(width)  # no responses yet (pyarrow rejects an empty input)
        names = _names(width)
        try:
            table = pacsv.read_csv(
                pa.py_buffer(data),
                read_options=pacsv.ReadOptions(column_names=names),
                # newlines_in_values: free-text answers contain newlines. pandas' pyarrow
                # engine does not pass this option, and fails on such files over ~1 MB.
                # ignore_empty_lines=False keeps row numbering exact (a blank line is a row).
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.large_string()),
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowException as err:
            raise self._parse_error(offset, skip, width, str(err)) from None
        return _blank_to_null(table)

    def _parse_error(self, offset: int, skip: int, width: int, message: str) -> SurveyError:
        """Find the row pyarrow rejected with the csv module (slow, but only on failure)."""
        lines = _CountingLines(self.text, offset)
        try:
            for number, row in enumerate(csv.reader(lines, delimiter=self.delimiter), skip + 1):
                if row and len(row) != width:
                    return SurveyError(
                        self.path,
                        f"has {len(row)} fields on this row, but the header has {width}",
                        row=number,
                        remedy="check that row for a stray quote or an unquoted "
                        f"{_delimiter_name(self.delimiter)} in free text",
                    )
        except csv.Error as err:
            message = str(err)
        return SurveyError(
            self.path, f"cannot be parsed as CSV ({message.splitlines()[0]})", remedy=_SAVE_AS
        )


def _delimiter_name(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else repr(delimiter)


class _Workbook:
    """The first sheet of an xlsx, every cell as text (blank rows kept, so numbers match)."""

    kind = "xlsx"

    def __init__(self, path: Path, raw: bytes) -> None:
        check_workbook(path, raw)
        try:
            self._sheet = pd.read_excel(
                io.BytesIO(raw),
                sheet_name=0,
                header=None,
                dtype=str,
                keep_default_na=False,
                engine="openpyxl",
            )
        except Exception:
            # openpyxl on a damaged file raises anything from BadZipFile and zlib.error to
            # KeyError and XML syntax errors; all of them mean the same to the person.
            raise SurveyError(
                path,
                "is not a readable Excel workbook (damaged, truncated or not an .xlsx)",
                remedy="download or export it again, or open it in Excel and save it as .xlsx",
            ) from None
        self.attrs = {"reader": "openpyxl"}

    def records(self, count: int) -> list[list[str]]:
        return [
            [_cell_text(value).strip() for value in values]
            for values in self._sheet.head(count).itertuples(index=False)
        ]

    def table(self, skip: int, width: int) -> Any:
        rows = self._sheet.iloc[skip:]
        columns = [
            pa.array([_cell_or_none(value) for value in rows[column].tolist()], pa.large_string())
            for column in rows.columns
        ]
        return pa.table(columns, names=_names(width))


def _cell_text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _cell_or_none(value: object) -> str | None:
    text = _cell_text(value)
    return text if text.strip() else None


def _empty_table(width: int) -> Any:
    return pa.table([pa.array([], pa.large_string()) for _ in range(width)], names=_names(width))


def _names(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def _blank_to_null(table: Any) -> Any:
    """Whitespace-only cells become null too (empty ones already are)."""
    columns = []
    for column in table.columns:
        spaces = pc.utf8_is_space(column)
        if pc.any(spaces).as_py():
            column = pc.if_else(spaces, pa.scalar(None, column.type), column)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _rows_to_keep(
    table: Any, names: list[str], incomplete: Incomplete | None, ids: str | None
) -> tuple[Mask, dict[str, int]]:
    """Which rows to keep, and how many were dropped for which reason.

    Blank rows at the end of the file are not rows at all; other all-blank rows are dropped as
    ``empty row``. Then responses the tool marks incomplete (``unfinished``: Qualtrics
    ``Finished`` 0/False, a blank LimeSurvey submit date, a Typeform ``partial``), then
    repeated response ids (the first of them kept).
    """
    rows = table.num_rows
    keep: Mask = np.ones(rows, dtype=np.bool_)
    if rows == 0:
        return keep, {}
    dropped: dict[str, int] = {}
    empty = np.logical_and.reduce(
        [pc.is_null(column).to_numpy(zero_copy_only=False) for column in table.columns]
    )
    filled = np.flatnonzero(~empty)
    keep[filled[-1] + 1 if len(filled) else 0 :] = False
    _drop(keep, empty, "empty row", dropped)
    if incomplete is not None and incomplete[0] in names:
        column, mark = incomplete
        values = pc.utf8_lower(pc.utf8_trim_whitespace(table.column(names.index(column))))
        if mark == "blank":
            unfinished = pc.is_null(values)
        else:
            marks = ["0", "false"] if mark == "false" else ["partial"]
            unfinished = pc.fill_null(pc.is_in(values, value_set=pa.array(marks)), False)
        _drop(keep, unfinished.to_numpy(zero_copy_only=False), "unfinished", dropped)
    if ids is not None:
        _drop(keep, _repeated(table.column(names.index(ids)), keep), "duplicate id", dropped)
    return keep, dropped


def _drop(keep: Mask, drop: Mask, reason: str, dropped: dict[str, int]) -> None:
    count = int(np.count_nonzero(keep & drop))
    if count:
        keep &= ~drop
        dropped[reason] = count


def _repeated(column: Any, keep: Mask) -> Mask:
    """Rows (among those kept) whose non-blank id appeared on an earlier kept row."""
    encoded = column.combine_chunks().dictionary_encode()
    repeated: Mask = np.zeros(len(keep), dtype=np.bool_)
    if len(encoded.dictionary) == len(column) - column.null_count:
        return repeated  # every id distinct: the usual case, and the fast one
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(keep)
    kept = codes[rows]
    later = pd.Series(kept).duplicated().to_numpy() & (kept >= 0)
    repeated[rows[later]] = True
    return repeated


def _frame(table: Any, names: list[str], keep: Mask, first: int) -> pd.DataFrame:
    numbers = np.arange(first, first + table.num_rows)
    if not keep.all():
        table = table.filter(pa.array(keep))
        numbers = numbers[keep]
    frame = table.to_pandas(types_mapper=_TO_PANDAS.get)
    frame.columns = pd.Index(names)
    frame.index = pd.Index(numbers, name="row")
    return cast(pd.DataFrame, frame)
