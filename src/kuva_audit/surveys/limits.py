"""Limits on survey exports, checked before a file is parsed, so that no export can make a run
take minutes or gigabytes.

- An export file is at most :data:`MAX_SURVEY_BYTES` (a million responses of a CSV export are
  about 100 MB).
- An xlsx is a zip of XML: its parts together unpack to at most :data:`MAX_XLSX_UNPACKED`,
  read from the zip's directory before anything is unpacked, and no text in its sheets or
  shared strings is longer than a cell can be; both are checked before openpyxl reads it.
- A cell holds at most :data:`MAX_CELL_CHARS` characters, Excel's own limit.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pyarrow.compute as pc

from kuva_audit.surveys.model import SurveyError

MAX_SURVEY_BYTES = 512 * 1024 * 1024
MAX_XLSX_UNPACKED = 256 * 1024 * 1024
MAX_CELL_CHARS = 32_767
_MAX_TEXT_BYTES = MAX_CELL_CHARS * 6
"""Bytes of one XML text in a sheet: a character is at most 6 bytes there (``&quot;``)."""
_CHUNK = 1024 * 1024
_MIB = 1024 * 1024


def check_file_size(path: Path) -> None:
    """A one-line error when ``path`` is larger than :data:`MAX_SURVEY_BYTES` (missing and
    unreadable files are left for the reader to report)."""
    try:
        size = path.stat().st_size
    except OSError:
        return
    if size > MAX_SURVEY_BYTES and path.is_file():
        raise SurveyError(
            path,
            f"is {size // _MIB} MiB; kuva-audit reads survey exports of at most "
            f"{MAX_SURVEY_BYTES // _MIB} MiB",
            remedy="export a shorter period, or split the export into files by period",
        )


def check_workbook(path: Path, raw: bytes) -> None:
    """Refuse an xlsx that unpacks to more than :data:`MAX_XLSX_UNPACKED` or holds a text
    longer than a cell can be; damaged zips are left for the reader to report."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError):
        return
    with archive:
        members = archive.infolist()
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_XLSX_UNPACKED:
            raise SurveyError(
                path,
                f"unpacks to {unpacked // _MIB} MiB; kuva-audit reads workbooks that unpack to "
                f"at most {MAX_XLSX_UNPACKED // _MIB} MiB",
                remedy="export a shorter period, or save it as 'CSV UTF-8'",
            )
        for member in members:
            name = member.filename
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                _check_texts(path, archive, member)


def _check_texts(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stream one XML part; refuse it at the first text longer than a cell can be. Only the
    compression methods a workbook uses (stored, deflated) are read here; any other one is
    left to the reader, which refuses the file in its own words."""
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return
    run = 0  # bytes since the last '<'
    read = 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > member.file_size:
                    break  # the directory lied about the size: the reader will refuse it
                pieces = chunk.split(b"<")
                longest = max(run + len(pieces[0]), *(len(p) for p in pieces[1:]))
                run = len(pieces[-1]) if len(pieces) > 1 else run + len(chunk)
                if longest > _MAX_TEXT_BYTES:
                    raise SurveyError(
                        path,
                        f"has a cell of more than {MAX_CELL_CHARS:,} characters, Excel's own limit",
                        remedy="is this the right file? export the survey again",
                    )
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return  # damaged: the reader says so in its own words


def check_cells(path: Path, table: Any, names: list[str], first_row: int) -> None:
    """A one-line error naming the row and column of the first cell longer than
    :data:`MAX_CELL_CHARS`; ``first_row`` is the file's row of the table's first record."""
    for name, column in zip(names, table.columns, strict=True):
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is None or longest <= MAX_CELL_CHARS:
            continue
        index = pc.index(pc.greater(lengths, MAX_CELL_CHARS), True).as_py()
        raise SurveyError(
            path,
            f"this cell has {longest:,} characters; a cell holds at most {MAX_CELL_CHARS:,} "
            "(Excel's own limit)",
            row=first_row + index,
            column=name,
            remedy="is this the right file? export the survey again",
        )
