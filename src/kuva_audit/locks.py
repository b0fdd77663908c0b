"""One writer per output folder: a second kuva-audit writing the same folder stops at once.

Each output folder is locked through a lock file beside it (``.<name>.kuva-audit.lock``; beside,
not in it, so a copy of the folder never carries the lock). The lock is the operating system's
(``flock`` through the ``filelock`` library): it is released when the process ends however it
ends, so a killed run never leaves a folder locked.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from kuva_audit.errors import KuvaError


class FolderBusy(KuvaError):
    """Another kuva-audit is writing the folder."""


def lock_path(folder: Path) -> Path:
    folder = folder.resolve()
    return folder.parent / f".{folder.name}.kuva-audit.lock"


@contextlib.contextmanager
def output_locks(*folders: Path | None) -> Iterator[None]:
    """Hold the lock of each folder (``None`` skipped) for the ``with`` block; a one-line
    :class:`FolderBusy` when another run holds one."""
    with contextlib.ExitStack() as stack:
        for folder in dict.fromkeys(f.resolve() for f in folders if f is not None):
            path = lock_path(folder)
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(path, timeout=0)
            try:
                stack.enter_context(lock)
            except Timeout:
                raise FolderBusy(
                    f"{folder}: another kuva-audit run is writing this folder (lock {path}); "
                    "wait for it to finish, or write elsewhere"
                ) from None
        yield
