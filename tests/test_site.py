"""The folder the nightly job publishes: reports and statements, and an index at its root."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.errors import KuvaError
from kuva_audit.reports.site import MARKER, build_site

from .conftest import FIXED_CONFIG, FIXTURES, run_cli


def _sources(tmp_path: Path) -> tuple[Path, Path]:
    reports, statements = tmp_path / "reports", tmp_path / "statements"
    (reports).mkdir()
    (reports / "index.html").write_text("<p>index</p>", encoding="utf-8")
    (reports / "progress.html").write_text("<p>progress</p>", encoding="utf-8")
    (statements / "kukkuu").mkdir(parents=True)
    (statements / "kukkuu" / "fi.html").write_text("<p>seloste</p>", encoding="utf-8")
    return reports, statements


def test_the_site_holds_reports_statements_and_a_front_page(tmp_path: Path) -> None:
    reports, statements = _sources(tmp_path)
    site = tmp_path / "out" / "site"
    pages = build_site(site, reports, statements, "<p>front</p>")
    assert [p.relative_to(site).as_posix() for p in pages] == [
        "index.html",
        "reports/index.html",
        "reports/progress.html",
        "statements/kukkuu/fi.html",
    ]
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>front</p>"
    # Written again (the next night): replaced, nothing of the old one left.
    (reports / "progress.html").unlink()
    build_site(site, reports, statements, "<p>front 2</p>")
    assert not (site / "reports" / "progress.html").exists()
    assert (site / MARKER).exists()
    assert [p.name for p in site.parent.iterdir()] == ["site"]  # no staging folder left


def test_the_site_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    reports, statements = _sources(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(KuvaError, match="not a site kuva-audit wrote"):
        build_site(mine, reports, statements, "")
    assert (mine / "thesis.txt").read_text(encoding="utf-8") == "keep"
    with pytest.raises(KuvaError, match="outside"):
        build_site(reports / "site", reports, statements, "")


def test_run_writes_the_site_with_links_into_it(tmp_path: Path) -> None:
    import shutil

    from kuva_audit.demo.server import write_demo_config

    config = write_demo_config(tmp_path / "services.yaml", "http://127.0.0.1:8000")
    assert config.read_text(encoding="utf-8") == FIXED_CONFIG.read_text(encoding="utf-8")
    run_dir = tmp_path / "audits" / "2026-11-27"
    shutil.copytree(FIXTURES / "run" / "2026-11-27", run_dir)
    site = tmp_path / "site"
    result = run_cli(
        "run", "--config", config, "--audited", run_dir, "--as-of", "2026-12-31", "--lang", "en",
        "--site", site, "--site-url", "https://city.example/a11y/",
    )  # fmt: skip
    assert result.exit_code == 1, result.stderr  # the fixed run has a page not audited
    assert result.stdout.splitlines()[-1].startswith("kuva-audit: exit 1: 1 of 23 pages")
    front = (site / "index.html").read_text(encoding="utf-8")
    for href in ("reports/progress.html", "reports/run.html", "statements/drafts/kukkuu/en.html"):
        assert f'href="{href}"' in front, href
        assert (site / href).is_file(), href
    assert len(list(site.glob("statements/drafts/*/*.html"))) == 21  # 7 services, 3 languages
