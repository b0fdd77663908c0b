"""Reading a text file kuva-audit wrote (results, history, statements) as UTF-8.

A file that is not UTF-8 (saved again in another encoding, or not a text file at all) or
cannot be read is a one-line error naming the file, the line of the first bad byte and what
to do, never a ``UnicodeDecodeError`` traceback.
"""

from __future__ import annotations

from pathlib import Path

from kuva_audit.errors import KuvaError
from kuva_audit.writable import os_reason


def read_utf8(path: Path, what: str, remedy: str) -> str:
    """The text of ``path``, which should be ``what`` (e.g. "a kuva-audit result file")."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KuvaError(f"{path}: cannot read {what} ({os_reason(exc)}); {remedy}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KuvaError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}), so not {what}; {remedy}"
        ) from None
