"""Serve the bundled demo sites on 127.0.0.1 and write a services.yaml that points at them."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from kuva_audit.atomic import write_text_atomic

ORIGIN_PLACEHOLDER = "__ORIGIN__"


class _Handler(SimpleHTTPRequestHandler):
    """Static files; ``__ORIGIN__`` in XML files (sitemaps) becomes the server's origin."""

    origin = ""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.suffix != ".xml" or not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(ORIGIN_PLACEHOLDER.encode(), self.origin.encode())
        self.send_response(200)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the audit logs what matters."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that drops a connection (a tab closed mid-load) is not an error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(root: Path, port: int = 0) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 in a background thread; yield the origin URL."""
    handler: type[_Handler] = type("DemoHandler", (_Handler,), {})
    server = _Server(("127.0.0.1", port), partial(handler, directory=str(root)))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    handler.origin = origin
    thread = threading.Thread(target=server.serve_forever, name="demo-server", daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()


DEFAULT_PORT = 8765
"""Where ``kuva-audit demo --serve`` serves the demo sites when no port is given or known."""
SERVER_LINE = re.compile(r"^# demo server: http://127\.0\.0\.1:(\d+)$", re.MULTILINE)
"""The line of a written demo config that names the demo server it points at."""


@contextlib.contextmanager
def serve_demo(port: int = 0) -> Iterator[str]:
    """Serve the bundled demo sites on ``port`` (0: a free one); yield the origin
    (``http://127.0.0.1:PORT``)."""
    with as_file(files("kuva_audit.demo") / "sites") as root, serve_directory(root, port) as origin:
        yield origin


def demo_port(config: Path) -> int | None:
    """The port of the demo server a written demo config points at, if it names one."""
    try:
        match = SERVER_LINE.search(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return int(match[1]) if match else None


def _header(origin: str) -> str:
    """Three lines, as many as the template's own comment, so that every line below stays
    where it is in the template (SARIF and annotations point at them)."""
    return (
        "# Written by `kuva-audit demo` (each demo writes it again); surveys are relative to it.\n"
        "# URLs are the demo server's: `kuva-audit demo --serve --workdir <this folder>` "
        "serves it.\n"
        f"# demo server: {origin}\n"
    )


def write_demo_config(target: Path, origin: str) -> Path:
    """Write the demo services.yaml with its URLs pointing at ``origin`` (named in its first
    lines as the demo server's, with how to serve it again), and copy the sample survey
    exports beside it (``surveys/``)."""
    template = (files("kuva_audit.demo") / "services.yaml").read_text(encoding="utf-8")
    body = "".join(line for line in template.splitlines(keepends=True)[_comment_lines(template) :])
    with as_file(files("kuva_audit.demo") / "surveys") as surveys:
        shutil.copytree(surveys, target.parent / "surveys", dirs_exist_ok=True)
    write_text_atomic(target, _header(origin) + body.replace(ORIGIN_PLACEHOLDER, origin))
    return target


def _comment_lines(text: str) -> int:
    """How many lines the bundled template's own leading comment takes."""
    lines = text.splitlines()
    return next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
