"""Shared fixtures: a local test web server with misbehaving routes, and a CLI runner.

Every audit test drives the real Chromium kuva-audit finds (system Chromium, or
$KUVA_AUDIT_BROWSER) against pages served on 127.0.0.1; such modules are marked ``browser``
(``pytestmark``), and ``make unit`` runs the others, which need no browser.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kuva_audit.audit.browser import find_browser
from kuva_audit.audit.results import ServiceRun
from kuva_audit.audit.store import load_run_dir
from kuva_audit.cli import app
from kuva_audit.config.loader import load_config
from kuva_audit.config.sources import Sources
from kuva_audit.triage.report import RunReport

SITES = Path(__file__).parent / "sites"
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).resolve().parents[1]
FIXED_CONFIG = FIXTURES / "run" / "services.yaml"
"""The demo's services.yaml as it was for the fixed run (origin http://127.0.0.1:8000)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, text)``: compare ``text`` with tests/golden/<name>, or rewrite it."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path}; if the change is intended, run pytest --update-golden"
        )

    return check


def fixed_sources() -> Sources:
    """services.yaml lines of the fixed run, named from the repository root."""
    return Sources.of(load_config(FIXED_CONFIG), root=REPO)


@pytest.fixture(scope="session")
def fixed_report() -> RunReport:
    """The fixed run (tests/fixtures/run/2026-11-27) every format's golden file comes from."""
    return RunReport(
        date="2026-11-27",
        services=load_run_dir(FIXTURES / "run" / "2026-11-27"),
        sources=fixed_sources(),
    )


class TestSiteHandler(SimpleHTTPRequestHandler):
    """Static test pages plus routes that fail in the ways real sites do."""

    cross_origin = ""
    refused = ""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            self._send(code, f"<!doctype html><title>{code}</title><p>status {code}</p>")
        elif path == "/download.csv":
            data = b"service,pages\nkukkuu,2\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Disposition", 'attachment; filename="pages.csv"')
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/slow":
            time.sleep(12)  # longer than the tests' time limits (FAST: 8 s)
            self._send(200, "<!doctype html><html lang=en><title>slow</title><p>late</p></html>")
        elif path.startswith("/delayed/"):  # /delayed/<ms>/<file>: <file> after <ms> ms
            _, _, ms, rest = path.split("/", 3)
            time.sleep(int(ms) / 1000)
            self.path = "/" + rest
            super().do_GET()
        elif path == "/frames/outer.html":
            html = (SITES / "frames" / "outer.html").read_text()
            self._send(200, html.replace("CROSS_ORIGIN", self.cross_origin))
        elif path == "/frames/broken.html":
            html = (SITES / "frames" / "broken.html").read_text()
            self._send(200, html.replace("REFUSED", self.refused))
        elif path == "/defects/refresh-away.html":
            html = (SITES / "defects" / "refresh-away.html").read_text()
            self._send(200, html.replace("REFUSED", self.refused))
        elif path == "/defects/csp.html":
            body = (SITES / "defects" / "csp.html").read_text()
            self._send(200, body, csp="default-src 'none'; img-src data:; style-src 'none'")
        else:
            super().do_GET()

    def _send(self, code: int, body: str, csp: str | None = None) -> None:
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass(frozen=True)
class Site:
    origin: str
    """http://127.0.0.1:PORT"""
    cross_origin: str
    """The same server as http://localhost:PORT: another origin, another site."""
    refused: str
    """A URL on a port where nothing listens."""


@contextlib.contextmanager
def _serve() -> Iterator[Site]:
    handler: type[TestSiteHandler] = type("Handler", (TestSiteHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(SITES)))
    server.daemon_threads = True
    port = server.server_address[1]
    handler.cross_origin = f"http://localhost:{port}"
    with ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler) as closed:
        refused_port = closed.server_address[1]
    handler.refused = f"http://127.0.0.1:{refused_port}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(
            f"http://127.0.0.1:{port}", handler.cross_origin, f"http://127.0.0.1:{refused_port}/"
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    with _serve() as served:
        yield served


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives the real Chromium (a module marks itself with pytestmark); "
        "`pytest -m 'not browser'` runs the rest without one",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") and find_browser() is None:
        pytest.fail("no Chromium: run `make test` (it installs one) or set KUVA_AUDIT_BROWSER")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def write_config(path: Path, services_yaml: str, defaults: str = "") -> Path:
    text = ""
    if defaults:
        text += "defaults:\n" + defaults
    text += "services:\n" + services_yaml
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def audit(
    tmp_path: Path, services_yaml: str, *args: str, defaults: str = ""
) -> tuple[CliResult, dict[str, ServiceRun]]:
    """Run `kuva-audit audit` on a config; return the CLI result and the service results."""
    config = write_config(tmp_path / "services.yaml", services_yaml, defaults)
    out = tmp_path / "audits"
    result = run_cli("audit", "--config", config, "--out-dir", out, *args)
    runs = {
        path.stem: ServiceRun.model_validate_json(path.read_text(encoding="utf-8"))
        for path in sorted(out.glob("*/*.json"))
    }
    return result, runs


def service(service_id: str, url: str, pages: list[str], extra: str = "") -> str:
    """A service entry for a test config."""
    text = (
        f"  - id: {service_id}\n"
        f"    name: {{fi: {service_id}, sv: {service_id}, en: {service_id}}}\n"
        f"    url: {url}\n"
        f"    pages: [{', '.join(repr(p) for p in pages)}]\n"
    )
    return text + "".join(f"    {line}\n" for line in extra.splitlines() if line)


def interruptible() -> None:
    """``preexec_fn`` of a child the test stops with Ctrl-C (SIGINT): the child takes SIGINT's
    default action even when the test run itself was started in the background, where the
    shell ignores SIGINT and every child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
