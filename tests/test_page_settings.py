"""A `pages:` entry may be a mapping with its own wait, viewports and allow_blank."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.config.models import WaitSettings, page_settings

from .conftest import Site, audit, run_cli, write_config

SERVICE = "  - id: app\n    name: {fi: a, sv: a, en: a}\n    url: URL\n"
MOBILE = "{name: mobile, width: 390, height: 844, mobile: true}"


def test_a_page_mapping_sets_its_own_wait_viewports_and_allow_blank(tmp_path: Path) -> None:
    text = SERVICE.replace("URL", "https://x.hel.fi/app/") + (
        "    wait: {until: load}\n"
        "    pages:\n"
        "      - /\n"
        f"      - {{path: /print, viewports: [{MOBILE}], allow_blank: true}}\n"
        "      - path: /offers\n"
        "        wait: {selector: '#offers li', settle_limit_ms: 20000}\n"
    )
    loaded = load_config(write_config(tmp_path / "services.yaml", text))
    service = loaded.config.services[0]
    assert [p.path for p in service.pages] == ["/", "/print", "/offers"]
    settings = loaded.config.settings_for(service)
    own = page_settings(service, settings)
    assert set(own) == {"https://x.hel.fi/app/print", "https://x.hel.fi/app/offers"}
    printed = own["https://x.hel.fi/app/print"]
    assert [v.name for v in printed.viewports] == ["mobile"]
    assert (printed.allow_blank, printed.wait) == (True, settings.wait)
    offers = own["https://x.hel.fi/app/offers"]
    assert type(offers.wait) is WaitSettings  # the same model as the service's wait
    assert (offers.wait.selector, offers.wait.settle_limit_ms) == ("#offers li", 20000)
    assert offers.viewports == settings.viewports


def test_a_bad_page_mapping_is_one_line_naming_its_line(tmp_path: Path) -> None:
    text = SERVICE.replace("URL", "https://x.hel.fi/") + (
        "    pages:\n      - /\n      - path: /x\n        wait: {until: settled}\n"
        "      - {path: /y, viewport: [desktop]}\n"
    )
    config = write_config(tmp_path / "services.yaml", text)
    result = run_cli("validate", "--config", config)
    assert result.exit_code == 1
    errors = [row for row in result.stderr.splitlines() if row.strip()]
    assert errors[0].startswith(f"{config}:8: services[0].pages[1].wait.until: ")
    assert errors[1] == (
        f"{config}:9: services[0].pages[2].viewport: unknown key; check its spelling and "
        "indentation"
    )


@pytest.mark.browser
def test_pages_with_their_own_settings_in_one_service(tmp_path: Path, site: Site) -> None:
    entry = SERVICE.replace("URL", site.origin + "/") + (
        "    wait: {blank: error}\n"
        "    pages:\n"
        "      - clean/index.html\n"
        f"      - {{path: defects/spa.html, viewports: [{MOBILE}],\n"
        "         wait: {selector: '.late-field'}}\n"
        "      - {path: defects/blank.html, allow_blank: true}\n"
        "      - defects/blank.html\n"
    )
    _, runs = audit(tmp_path, entry)
    run = runs["app"]
    seen = {(p.url.removeprefix(site.origin + "/"), p.viewport): p for p in run.pages}
    assert set(seen) == {
        ("clean/index.html", "desktop"),
        ("defects/spa.html", "mobile"),
        ("defects/blank.html", "desktop"),
    }
    spa = seen[("defects/spa.html", "mobile")]
    assert spa.status == "ok", spa.error
    assert "label" in {f.rule for f in spa.violations}  # waited for its own selector
    assert seen[("defects/blank.html", "desktop")].status == "ok"  # its own allow_blank
    recorded = run.settings["pages"]
    assert isinstance(recorded, dict)
    assert set(recorded) == {site.origin + "/defects/spa.html", site.origin + "/defects/blank.html"}
