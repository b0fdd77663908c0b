"""Hostile pages and sitemaps never stop a run, nor leak what they should not."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kuva_audit.audit.safe import safe_text

from .conftest import Site, audit, run_cli, service, write_config

UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
SECRET = "hunter2secret"


@pytest.mark.browser
def test_page_strings_are_made_safe_and_the_run_goes_on(tmp_path: Path, site: Site) -> None:
    """A title holding half an emoji and markup holding control characters used to end the
    whole run with a traceback; now every output is written and readable."""
    outputs = {name: tmp_path / f"report.{name}" for name in ("sarif", "junit", "html", "md")}
    entry = service(
        "hostile", site.origin + "/hostile/", ["strings.html"], "sitemap: {url: sitemap.xml}"
    )
    result, runs = audit(
        tmp_path,
        entry + service("after", site.origin + "/clean/", ["index.html"]),
        "--sarif",
        str(outputs["sarif"]),
        "--junit",
        str(outputs["junit"]),
        "--html",
        str(outputs["html"]),
        "--markdown",
        str(outputs["md"]),
    )
    assert result.exit_code == 1, result.stderr  # the sitemap's entries were not audited
    assert "Traceback" not in result.stdout + result.stderr
    assert runs["after"].pages[0].status == "ok"  # the next service still ran
    page = next(p for p in runs["hostile"].pages if p.url.endswith("strings.html"))
    assert page.status == "ok", page.error
    assert (page.title or "").startswith("Half an emoji \ufffd and a bell")
    button = next(f for f in page.violations if f.rule == "button-name").nodes[0]
    assert "lone \ufffd low surrogate, escape \ufffd[31m, nul \ufffd" in button.html
    texts = [result.stdout, result.stderr]
    texts += [p.read_text(encoding="utf-8") for p in outputs.values()]
    texts += [p.read_text(encoding="utf-8") for p in (tmp_path / "audits").glob("*/*.json")]
    for text in texts:
        assert not UNWRITABLE.search(text.replace("\\u001b", "\x1b"))
        assert SECRET not in text


@pytest.mark.browser
def test_sitemap_entries_that_are_not_web_pages_are_errors_never_loaded(
    tmp_path: Path, site: Site
) -> None:
    entry = service("hostile", site.origin + "/hostile/", [], "sitemap: {url: sitemap.xml}")
    result, runs = audit(tmp_path, entry)
    assert result.exit_code == 1
    pages = runs["hostile"].pages
    assert [(p.error_kind, p.status, p.title) for p in pages] == [("unsafe-url", "error", None)] * 5
    assert [p.url for p in pages] == [
        "file:///etc/hostname",
        "chrome://version",
        "javascript:alert(document.cookie)",
        "data:text/html,<p>hi",
        "https://kuva-audit.invalid/admin",
    ]
    assert "sitemap entry not loaded: must be an absolute http(s) URL" in (pages[0].error or "")
    assert "credentials" in (pages[4].error or "")


class _Sitemaps(BaseHTTPRequestHandler):
    """An index that lists itself 30 times and, with a second index, forms a cycle."""

    reads: Counter[str]
    origin: str

    def do_GET(self) -> None:
        self.reads[self.path] += 1
        me = self.origin + self.path
        if self.path == "/self.xml":
            locs = [me] * 30 + [self.origin + "/other.xml", self.origin + "/pages.xml"]
            body = _index(locs)
        elif self.path == "/other.xml":
            body = _index([self.origin + "/self.xml", self.origin + "/pages.xml#again"])
        elif self.path == "/foreign.xml":
            body = (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{self.origin}/page.html</loc></url>"
                "<url><loc>https://elsewhere.example/page.html</loc></url></urlset>"
            )
        elif self.path == "/pages.xml":
            body = (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{self.origin}/page.html</loc></url></urlset>"
            )
        else:
            body = "<!doctype html><html lang=en><title>Page</title><main><p>Hi</p></main>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _index(locs: list[str]) -> str:
    items = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return (
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


@pytest.fixture
def sitemaps() -> Iterator[tuple[str, Counter[str]]]:
    reads: Counter[str] = Counter()
    handler = type("Handler", (_Sitemaps,), {"reads": reads})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.origin, reads
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_each_sitemap_is_read_once_whatever_the_cycles(
    tmp_path: Path, sitemaps: tuple[str, Counter[str]]
) -> None:
    origin, reads = sitemaps
    started = time.monotonic()
    result, runs = audit(tmp_path, service("loops", origin + "/", [], "sitemap: {url: self.xml}"))
    assert result.exit_code == 0, result.stdout
    assert [p.url for p in runs["loops"].pages] == [origin + "/page.html"]
    assert reads["/self.xml"] == reads["/other.xml"] == reads["/pages.xml"] == 1
    assert time.monotonic() - started < 120  # read 30^3 times, it ran for more than 300 s


@pytest.mark.browser
def test_a_sitemap_entry_on_another_site_is_an_error_never_loaded(
    tmp_path: Path, sitemaps: tuple[str, Counter[str]]
) -> None:
    origin, _ = sitemaps
    entry = service("maps", origin + "/", [], "sitemap: {url: foreign.xml}")
    result, runs = audit(tmp_path, entry)
    assert result.exit_code == 1, result.stdout
    pages = runs["maps"].pages
    assert [(p.url, p.status, p.error_kind) for p in pages] == [
        (origin + "/page.html", "ok", None),
        ("https://elsewhere.example/page.html", "error", "unsafe-url"),
    ]
    assert pages[1].error == (
        f"sitemap entry not loaded: not on the service's own sites ({origin}); list it under "
        "pages: to audit it"
    )


CONFIG_CASES = [
    ("pages: ['file:/etc/hostname']", 5, "pages[0].path: `file:` addresses are never loaded"),
    ("pages: ['chrome://version']", 5, "pages[0].path: `chrome:` addresses are never loaded"),
    ("pages: ['javascript:alert(1)']", 5, "pages[0].path: `javascript:` addresses are never"),
    ("pages: ['data:text/html,x']", 5, "pages[0].path: `data:` addresses are never loaded"),
    ("pages: ['https://u:hunter2secret@x.fi/']", 5, "pages[0].path: holds credentials"),
    ("actions:\n  - goto: 'file:///etc/passwd'", 6, "actions[0].goto: `file:` addresses"),
    ("sitemap: {url: 'javascript:x'}", 5, "sitemap.url: `javascript:` addresses"),
]


@pytest.mark.parametrize(("extra", "line", "message"), CONFIG_CASES)
def test_validate_refuses_addresses_that_are_not_web_pages(
    tmp_path: Path, extra: str, line: int, message: str
) -> None:
    text = "  - id: x\n    name: {fi: x, sv: x, en: x}\n    url: https://x.hel.fi/\n" + "".join(
        f"    {row}\n" for row in extra.splitlines()
    )
    if not extra.startswith("pages"):
        text += "    pages: [/]\n"
    config = write_config(tmp_path / "services.yaml", text)
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    (error,) = [row for row in result.stderr.splitlines() if row.strip()]
    assert error.startswith(f"{config}:{line}: services[0].{message}")
    assert "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_credentials_in_the_service_url_point_to_actions_and_env(tmp_path: Path) -> None:
    text = "  - id: x\n    name: {fi: x, sv: x, en: x}\n    url: https://me:pw@x.hel.fi/\n"
    config = write_config(tmp_path / "services.yaml", text + "    pages: [/]\n")
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    assert f"{config}:4: services[0].url: holds credentials" in result.stderr
    assert "`actions`" in result.stderr.replace("pre-`actions`", "`actions`")
    assert "`env:`" in result.stderr


def test_safe_text_keeps_what_is_writable() -> None:
    assert safe_text("Café 😀\ttab\nline") == "Café 😀\ttab\nline"
    assert safe_text("x\ud83dy\x00z\x9b") == "x\ufffdy\ufffdz\ufffd"
    assert safe_text("see https://a:b@h.fi/p and mailto:a@b.fi") == (
        "see https://h.fi/p and mailto:a@b.fi"
    )
