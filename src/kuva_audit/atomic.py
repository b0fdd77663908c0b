"""Atomic file writing: a reader sees the old file or the complete new one, never a part.

Files that belong together (``satisfaction.csv`` and ``.json``, the progress report's files, a
statement's ``.html`` and ``.md``) are written with :func:`write_texts_atomic`: every file goes
to a temporary file beside it first, and only when all of them are complete are they renamed
into place, one rename after another with SIGINT and SIGTERM held back, after checking that
no target is a folder. A failure while writing (a full disk, a file too large, an interrupt)
leaves every file as it was: never a new CSV beside an old JSON.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from kuva_audit.writable import write_error


@contextlib.contextmanager
def _staged(path: Path, encoding: str) -> Iterator[tuple[IO[str], Path]]:
    """A complete temporary file beside ``path`` (removed again on any failure)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle, tmp
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _replace(tmp: Path, path: Path) -> None:
    try:
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(path, exc) from None


@contextlib.contextmanager
def atomic_writer(path: Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` atomically.

    On any exception (including KeyboardInterrupt) the temporary file is removed and ``path``
    is left as it was. An operating-system failure (a full disk, a missing permission, a folder
    where the file should be) is an :class:`~kuva_audit.writable.OutputError` naming ``path``
    and the reason, one line.
    """
    with _staged(path, encoding) as (handle, tmp):
        yield handle
    _replace(tmp, path)


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_writer(path, encoding=encoding) as handle:
        handle.write(text)


def write_texts_atomic(files: Sequence[tuple[Path, str, str]]) -> None:
    """Write ``(path, text, encoding)`` files as one: all of them, or (on a failure while
    writing) none, each file keeping its earlier contents."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text, encoding in files:
            with _staged(path, encoding) as (handle, tmp):
                handle.write(text)
            staged.append((tmp, path))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    replace_all(staged)


def replace_all(staged: Sequence[tuple[Path, Path]]) -> None:
    """Move complete ``(temporary, target)`` files into place, as one: nothing moves when a
    target is a folder, and SIGINT and SIGTERM wait until every file is moved. The temporary
    files must be on the targets' file system; any left over on a failure are removed."""
    try:
        for _, path in staged:
            if path.is_dir():
                raise write_error(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
            path.parent.mkdir(parents=True, exist_ok=True)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    with _signals_held():
        for n, (tmp, path) in enumerate(staged):
            try:
                _replace(tmp, path)
            except BaseException:
                for later, _ in staged[n + 1 :]:
                    later.unlink(missing_ok=True)
                raise


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then they act as usual)."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
