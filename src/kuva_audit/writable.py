"""Output paths checked before any work starts, and write failures as one line.

A path given for an output file must not be a folder and must not lie under a file; a folder
given for outputs must not be a file. Each problem is a one-line error naming the option and
the path, raised before anything is audited or written. A write that fails later anyway (a full
disk, a folder made read-only meanwhile) is a one-line error naming the file and the operating
system's reason.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from kuva_audit.errors import KuvaError


class OutputError(KuvaError):
    """An output file or folder cannot be written."""


def os_reason(exc: OSError) -> str:
    """The operating system's reason, in its own words: ``No space left on device``."""
    if exc.strerror:
        return exc.strerror
    if exc.errno is not None:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


def write_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write ({os_reason(exc)})")


def os_error_line(exc: OSError) -> str:
    """One line for an operating-system error that reached the command line: the file(s) it
    names and the reason."""
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return f"{' -> '.join(names) + ': ' if names else ''}{os_reason(exc)}"


def _blocking_file(path: Path) -> Path | None:
    """The first ancestor of ``path`` that exists and is not a folder, if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _nearest_folder(path: Path) -> Path:
    for parent in path.parents:
        if parent.is_dir():
            return parent
    return Path()


def _check_writable(option: str, path: Path, folder: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        reason = os.strerror(errno.EACCES)
        raise OutputError(f"{option} {path}: cannot write in {folder} ({reason})")


def check_output_file(option: str, path: Path) -> None:
    """``path`` can be written as a file: a one-line error naming ``option`` otherwise."""
    if str(path) in ("", ".") or path.name in ("", ".", ".."):
        raise OutputError(f"{option} {str(path)!r}: give a file name, like report.html")
    if path.is_dir():
        raise OutputError(f"{option} {path}: is a folder; give a file path in it")
    blocking = _blocking_file(path)
    if blocking is not None:
        raise OutputError(f"{option} {path}: {blocking} is a file, not a folder")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{option} {path}: cannot write ({os.strerror(errno.EACCES)})")
    _check_writable(option, path, _nearest_folder(path))


def check_output_dir(option: str, path: Path) -> None:
    """``path`` is, or can be made, a folder to write in: a one-line error otherwise."""
    if str(path) == "":
        raise OutputError(f"{option} '': give a folder")
    if path.exists() and not path.is_dir():
        raise OutputError(f"{option} {path}: is a file; give a folder")
    blocking = _blocking_file(path)
    if blocking is not None:
        raise OutputError(f"{option} {path}: {blocking} is a file, not a folder")
    _check_writable(option, path, path if path.is_dir() else _nearest_folder(path))
