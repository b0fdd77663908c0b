"""Serve the bundled demo sites on 127.0.0.1 and write a services.yaml that points at them."""

from __future__ import annotations

import contextlib
import io
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


@contextlib.contextmanager
def serve_demo() -> Iterator[str]:
    """Serve the bundled demo sites; yield the origin (``http://127.0.0.1:PORT``)."""
    with as_file(files("kuva_audit.demo") / "sites") as root, serve_directory(root) as origin:
        yield origin


def write_demo_config(target: Path, origin: str) -> Path:
    """Write the demo services.yaml with its URLs pointing at ``origin``, and copy the sample
    survey exports beside it (``surveys/``)."""
    template = (files("kuva_audit.demo") / "services.yaml").read_text(encoding="utf-8")
    with as_file(files("kuva_audit.demo") / "surveys") as surveys:
        shutil.copytree(surveys, target.parent / "surveys", dirs_exist_ok=True)
    write_text_atomic(target, template.replace(ORIGIN_PLACEHOLDER, origin))
    return target
