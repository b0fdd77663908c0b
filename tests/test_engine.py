"""The audit engine against small local sites, with the real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from kuva_audit.audit.results import PageResult, ServiceRun

from .conftest import Site, audit, service

pytestmark = pytest.mark.browser

FAST = "  timeout_s: 8\n  retries: 1\n"
"""Time limits far above what a local page needs even on a busy machine (tests must not depend
on the machine's speed), yet short enough for the tests that wait for them to run out."""


def page(run: ServiceRun, suffix: str) -> PageResult:
    return next(p for p in run.pages if p.url.endswith(suffix))


def rules(result: PageResult) -> dict[str, list[str]]:
    return {f.rule: [n.selector for n in f.nodes] for f in result.violations}


def test_every_frame_is_audited_nested_and_cross_origin(tmp_path: Path, site: Site) -> None:
    result, runs = audit(tmp_path, service("frames", site.origin + "/frames/", ["outer.html"]))
    outer = page(runs["frames"], "outer.html")
    assert outer.status == "ok", outer.error
    assert outer.frames_audited == 4  # top, same-origin, its nested frame, cross-origin
    assert outer.warnings == []
    found = rules(outer)
    assert found["image-alt"] == ["#same >> iframe >> img"]
    assert found["button-name"] == ["#cross >> button"]
    image_alt = next(f for f in outer.violations if f.rule == "image-alt")
    assert (image_alt.wcag, image_alt.level, image_alt.legal) == (["1.1.1"], "A", True)
    assert result.exit_code == 2  # critical findings, default --fail-on serious


def test_single_page_app_waits_for_selector(tmp_path: Path, site: Site) -> None:
    spa = service("spa", site.origin + "/defects/", ["spa.html"], "wait: {selector: '.late-field'}")
    _, runs = audit(tmp_path, spa)
    result = page(runs["spa"], "spa.html")
    assert result.status == "ok"
    assert rules(result)["label"] == ["input"]
    assert result.timings.load_s >= 1.0


def test_blank_page_after_load_gets_time_to_render(tmp_path: Path, site: Site) -> None:
    """Without a wait selector a page that starts blank and has a timer due (render in 1.2 s)
    is given time to render, not audited as an empty (and falsely clean) document."""
    _, runs = audit(tmp_path, service("spa", site.origin + "/defects/", ["spa.html"]))
    assert "label" in rules(page(runs["spa"], "spa.html"))


def test_unauditable_pages_are_recorded_and_never_clean(tmp_path: Path, site: Site) -> None:
    pages = [
        site.refused,
        "http://kuva-audit.invalid/",  # RFC 6761: never resolves
        site.origin + "/slow",
        site.origin + "/status/500",
        site.origin + "/status/404",
        site.origin + "/loop",
        site.origin + "/clean/",
    ]
    result, runs = audit(tmp_path, service("broken", site.origin + "/", pages), defaults=FAST)
    assert result.exit_code == 1
    run = runs["broken"]
    kinds = {p.url: (p.status, p.error_kind, p.attempts) for p in run.pages}
    assert kinds == {
        site.refused: ("error", "connection", 2),
        "http://kuva-audit.invalid/": ("error", "dns", 2),
        site.origin + "/slow": ("error", "timeout", 2),
        site.origin + "/status/500": ("error", "http", 2),
        site.origin + "/status/404": ("error", "http", 2),
        site.origin + "/loop": ("error", "redirect-loop", 2),
        site.origin + "/clean/": ("ok", None, 1),
    }
    assert page(run, "/status/500").http_status == 500
    assert page(run, "/status/500").error == "HTTP 500 Internal Server Error"
    assert (run.totals.pages, run.totals.ok, run.totals.errors) == (7, 1, 6)
    assert "ERROR (HTTP 500" in result.stderr  # reported in the log as it happens


def test_a_hung_tab_does_not_take_other_pages_down(tmp_path: Path, site: Site) -> None:
    pages = ["/defects/hang.html", "/clean/", "/clean/about.html", "/defects/contrast.html"]
    result, runs = audit(
        tmp_path,
        service("hang", site.origin + "/", pages, "concurrency: 2"),
        defaults="  timeout_s: 8\n  retries: 0\n",
    )
    run = runs["hang"]
    hung = page(run, "hang.html")
    assert (hung.status, hung.error_kind) == ("error", "hang")
    assert [p.status for p in run.pages[1:]] == ["ok", "ok", "ok"]
    assert "color-contrast" in rules(page(run, "contrast.html"))
    assert result.exit_code == 1


def test_strict_content_security_policy_is_audited(tmp_path: Path, site: Site) -> None:
    _, runs = audit(tmp_path, service("csp", site.origin + "/defects/", ["csp.html"]))
    csp = page(runs["csp"], "csp.html")
    assert csp.status == "ok", csp.error
    assert "image-alt" in rules(csp)


def test_clean_site_exits_zero_and_keeps_evidence(tmp_path: Path, site: Site) -> None:
    result, runs = audit(tmp_path, service("clean", site.origin + "/clean/", ["/", "about.html"]))
    assert result.exit_code == 0, result.stderr
    run = runs["clean"]
    assert [p.status for p in run.pages] == ["ok", "ok"]
    assert all(p.violations == [] for p in run.pages)
    home = run.pages[0]
    assert "document-title" in home.passed_rules and home.passes == len(home.passed_rules)
    assert home.inapplicable == len(home.inapplicable_rules) > 0
    assert run.engine.axe_core.startswith("4.")
    assert run.engine.browser_version


def test_fail_on_threshold(tmp_path: Path, site: Site) -> None:
    contrast = service("contrast", site.origin + "/defects/", ["contrast.html"])
    result, runs = audit(tmp_path / "a", contrast)
    assert runs["contrast"].totals.issues_by_impact["serious"] == 1
    assert result.exit_code == 2
    assert audit(tmp_path / "b", contrast, "--fail-on", "critical")[0].exit_code == 0
    assert audit(tmp_path / "c", contrast, "--fail-on", "none")[0].exit_code == 0


def test_viewports_and_fingerprints_across_pages(tmp_path: Path, site: Site) -> None:
    text = service(
        "multi",
        site.origin + "/defects/",
        ["contrast.html", "csp.html"],
        "viewports:\n"
        "  - {name: desktop, width: 1280, height: 800}\n"
        "  - {name: mobile, width: 390, height: 844, mobile: true}",
    )
    _, runs = audit(tmp_path, text)
    run = runs["multi"]
    assert [(p.url.rsplit("/", 1)[1], p.viewport) for p in run.pages] == [
        ("contrast.html", "desktop"),
        ("contrast.html", "mobile"),
        ("csp.html", "desktop"),
        ("csp.html", "mobile"),
    ]
    contrast = next(fp for fp in run.fingerprints if fp.rule == "color-contrast")
    assert contrast.viewports == ["desktop", "mobile"] and contrast.nodes == 2
    assert contrast.pages == [site.origin + "/defects/contrast.html"]


def test_missing_secret_for_a_login_action_is_a_config_error(tmp_path: Path, site: Site) -> None:
    text = service(
        "login",
        site.origin + "/clean/",
        ["/"],
        "actions:\n  - {fill: '#password', env: KUVA_TEST_UNSET_SECRET}",
    )
    result, runs = audit(tmp_path, text)
    assert result.exit_code == 1
    assert runs == {}
    assert result.stderr.strip() == (
        f"{tmp_path / 'services.yaml'}:7: services[0].actions[0].env: environment variable "
        "KUVA_TEST_UNSET_SECRET is not set; export it before the run"
    )


def test_failed_pre_action_marks_pages_as_errors(tmp_path: Path, site: Site) -> None:
    text = service(
        "cookie", site.origin + "/clean/", ["/"], "actions:\n  - click: '#no-such-button'"
    )
    result, runs = audit(tmp_path, text, defaults="  timeout_s: 1\n")
    home = runs["cookie"].pages[0]
    assert (home.status, home.error_kind) == ("error", "pre-action")
    assert result.exit_code == 1


def test_unreadable_sitemap_is_an_error_not_a_silent_skip(tmp_path: Path, site: Site) -> None:
    text = service("maps", site.origin + "/clean/", ["/"], "sitemap: {url: /no-sitemap.xml}")
    result, runs = audit(tmp_path, text)
    errors = [p for p in runs["maps"].pages if p.status == "error"]
    assert [(p.error_kind, p.error) for p in errors] == [("sitemap", "sitemap: HTTP 404")]
    assert result.exit_code == 1


def test_page_that_navigates_by_itself_is_followed_or_reported(tmp_path: Path, site: Site) -> None:
    """A meta refresh that lands on a page: that page is audited, and the result says so. One
    that lands nowhere: the page as served is audited on the retry, with the navigation
    blocked. Never is the browser's own error page audited as if it were the site."""
    pages = ["refresh-home.html", "refresh-away.html"]
    result, runs = audit(tmp_path, service("moves", site.origin + "/defects/", pages))
    home, away = runs["moves"].pages
    assert (home.status, home.final_url) == ("ok", site.origin + "/clean/")
    assert home.title == "Clean home" and home.violations == []
    assert home.warnings == [
        f"the page navigated by itself (meta refresh or script) to {site.origin}/clean/ "
        "before it could be audited; that page was audited"
    ]
    # The retry blocks the dead navigation and audits the page as served, saying so.
    assert (away.status, away.attempts, away.final_url) == ("ok", 2, None)
    assert away.title == "Moving" and away.violations == []
    assert away.warnings == [
        f"the page navigates by itself (meta refresh or script) to {site.refused}, which could "
        "not be loaded; that navigation was blocked and the page as served was audited"
    ]
    assert result.exit_code == 0


def test_a_crashed_tab_is_an_error_and_the_run_goes_on(tmp_path: Path, site: Site) -> None:
    pages = ["/defects/crash.html", "/clean/"]
    result, runs = audit(
        tmp_path, service("crash", site.origin + "/", pages), defaults="  retries: 0\n"
    )
    crashed, clean = runs["crash"].pages
    assert (crashed.status, crashed.error_kind, crashed.error) == (
        "error",
        "crash",
        "the browser tab crashed",
    )
    assert clean.status == "ok"
    assert result.exit_code == 1


def test_what_is_not_a_web_page_is_recorded_and_not_audited(tmp_path: Path, site: Site) -> None:
    """A PDF, an image or a download is never audited as the browser's viewer: it is
    `not-html` with what the server sent. Deterministic failures (this, a 404) are retried
    once only."""
    pages = ["files/statement.pdf", "files/logo.png", "download.csv", "status/404", "clean/"]
    result, runs = audit(
        tmp_path, service("files", site.origin + "/", pages), defaults="  retries: 2\n"
    )
    run = runs["files"]
    seen = {
        p.url.removeprefix(site.origin): (
            p.status,
            p.error_kind,
            p.http_status,
            p.content_type,
            p.attempts,
        )
        for p in run.pages
    }
    assert seen == {
        "/files/statement.pdf": ("error", "not-html", 200, "application/pdf", 2),
        "/files/logo.png": ("error", "not-html", 200, "image/png", 2),
        "/download.csv": ("error", "not-html", 200, "text/csv", 2),
        "/status/404": ("error", "http", 404, None, 2),
        "/clean/": ("ok", None, 200, None, 1),
    }
    assert page(run, "statement.pdf").error == (
        "not a web page: the server sent application/pdf (HTTP 200)"
    )
    assert page(run, "download.csv").error == (
        "not a web page: the server sent text/csv as a download (HTTP 200)"
    )
    assert (run.totals.ok, run.totals.errors) == (1, 4)
    assert result.exit_code == 1


def test_a_missing_wait_selector_is_retried_once_and_quickly(tmp_path: Path, site: Site) -> None:
    text = service("nosel", site.origin + "/clean/", ["/"], "wait: {selector: '#never-there'}")
    _, runs = audit(tmp_path, text, defaults="  timeout_s: 6\n  retries: 2\n")
    (home,) = runs["nosel"].pages
    assert (home.status, home.error_kind, home.http_status, home.attempts) == (
        "error",
        "wait-selector",
        200,
        2,
    )
    assert home.error == (
        "wait.selector '#never-there' did not appear within 6 s, nor within 5 s on a retry"
    )


def test_a_missing_optional_pre_action_is_probed_briefly(tmp_path: Path, site: Site) -> None:
    text = service(
        "banner",
        site.origin + "/clean/",
        ["/", "about.html"],
        "actions:\n  - {click: '#no-cookie-banner', optional: true}",
    )
    result, runs = audit(tmp_path, text, defaults="  timeout_s: 10\n")
    skipped = (
        "optional pre-action 1 (click '#no-cookie-banner') was skipped: not possible within 5 s"
    )
    assert [(p.status, p.warnings) for p in runs["banner"].pages] == [("ok", [skipped])] * 2
    assert result.exit_code == 0


def test_single_page_app_is_audited_once_its_data_has_arrived(tmp_path: Path, site: Site) -> None:
    """Default settings: the data call after `load` (held 1 s by the server, far below the
    settle limit) is waited for, so the contrast failure in the loaded content is found."""
    _, runs = audit(tmp_path, service("spa", site.origin + "/settle/", ["spa.html"]))
    result = page(runs["spa"], "spa.html")
    assert result.status == "ok", result.error
    assert "color-contrast" in rules(result)
    assert result.warnings == []


def test_busy_indicators_are_waited_for(tmp_path: Path, site: Site) -> None:
    """An aria-busy region and hds-react's LoadingSpinner, replaced by content after 1 s."""
    _, runs = audit(tmp_path, service("busy", site.origin + "/settle/", ["busy.html", "hds.html"]))
    for name in ("busy.html", "hds.html"):
        result = page(runs["busy"], name)
        assert result.status == "ok", result.error
        assert "color-contrast" in rules(result), name
        assert result.warnings == [], name


def test_a_page_still_loading_at_the_limit_is_audited_with_a_warning(
    tmp_path: Path, site: Site
) -> None:
    """HDS core's spinner never stops while the app keeps polling (a timeout set again and
    again; an interval): the page is audited at the settle limit and says so."""
    pages = ["polling.html", "ticking.html"]
    spinner = service("spinner", site.origin + "/settle/", pages, "wait: {settle_limit_ms: 1000}")
    result, runs = audit(tmp_path, spinner, defaults=FAST)
    for name, indicator in zip(pages, ["div.hds-loading-spinner", "section"], strict=True):
        busy = page(runs["spinner"], name)
        assert (busy.status, busy.attempts) == ("ok", 1)
        (warning,) = busy.warnings
        assert warning.startswith("audited while still loading: after wait.settle_limit_ms (1 s)")
        assert f"a busy indicator shown ({indicator})" in warning
    assert result.exit_code == 0


def test_a_busy_indicator_on_a_static_page_is_not_waited_for(tmp_path: Path, site: Site) -> None:
    """A spinner written into static HTML, with no script that could remove it, cannot clear by
    waiting: the page is audited without waiting for the (here one minute) limit, and says
    it was busy. A page whose parser-made changes reach the observer late is not "changing"."""
    spinner = service(
        "spinner",
        site.origin + "/settle/",
        ["forever.html"],
        "wait: {settle_limit_ms: 60000, quiet_ms: 500}",
    )
    _, runs = audit(tmp_path, spinner, defaults=FAST)
    forever = page(runs["spinner"], "forever.html")
    assert (forever.status, forever.attempts) == ("ok", 1)
    (warning,) = forever.warnings
    assert warning.startswith(
        "audited while still loading: a busy indicator shown (div.hds-loading-spinner) on a "
        "page that changed nothing"
    )
    assert forever.timings.settle_s < 60


def test_a_route_still_loading_over_the_network_is_waited_for(tmp_path: Path, site: Site) -> None:
    """The page's scripts look idle (no fetch, timer or change) while a lazily imported route
    is still on its way: the browser sees the request, so the page is watched until the route
    renders, and its failure (low contrast) is found."""
    lazy = service(
        "lazy", site.origin + "/settle/", ["lazy.html"], "wait: {settle_limit_ms: 30000}"
    )
    _, runs = audit(tmp_path, lazy, defaults=FAST)
    route = page(runs["lazy"], "lazy.html")
    assert (route.status, route.warnings) == ("ok", [])
    assert "color-contrast" in rules(route)


def test_a_blank_page_is_audited_with_a_warning_not_retried(tmp_path: Path, site: Site) -> None:
    pages = ["defects/blank.html", "settle/named-role.html"]
    result, runs = audit(tmp_path, service("blank", site.origin + "/", pages))
    for name in pages:
        blank = page(runs["blank"], name)
        assert (blank.status, blank.attempts) == ("ok", 1), name
        (warning,) = blank.warnings
        assert warning.startswith("blank page: nothing visible after the page settled")
    # The ACT-like page (a named role, no text, an empty title) is audited: its failure counts.
    assert "document-title" in rules(page(runs["blank"], "named-role.html"))

    error = service("blank", site.origin + "/", pages[:1], "wait: {blank: error}")
    result, runs = audit(tmp_path / "error", error)
    blank = page(runs["blank"], "blank.html")
    assert (blank.status, blank.error_kind, blank.attempts) == ("error", "blank", 1)
    assert result.exit_code == 1

    allowed = service("blank", site.origin + "/", pages[:1], "allow_blank: true")
    _, runs = audit(tmp_path / "allowed", allowed)
    assert page(runs["blank"], "blank.html").warnings == []


def test_a_frame_that_fails_to_load_is_a_warning_not_audited(tmp_path: Path, site: Site) -> None:
    """The browser's error page in a frame (refused connection) and a frame answered with 404
    are not audited as if they were the site: the page says so, naming their addresses."""
    _, runs = audit(tmp_path, service("frames", site.origin + "/frames/", ["broken.html"]))
    broken = page(runs["frames"], "broken.html")
    assert broken.status == "ok", broken.error
    assert broken.frames_audited == 2  # the page and its one frame that loaded
    assert broken.warnings == [
        f"frame {site.refused}map.html not audited: it failed to load "
        "(net::ERR_CONNECTION_REFUSED)",
        f"frame {site.origin}/status/404 not audited: it failed to load (HTTP 404 Not Found)",
    ]
    assert "image-alt" in rules(broken)  # the frame that loaded is audited


def test_an_invalid_busy_selector_is_named(tmp_path: Path, site: Site) -> None:
    bad = service("bad", site.origin + "/clean/", ["/"], "wait: {busy: ['.ok', 'div[']}")
    _, runs = audit(tmp_path, bad)
    (home,) = runs["bad"].pages
    assert (home.status, home.error_kind, home.attempts) == ("error", "engine", 1)
    assert home.error == "wait.busy: 'div[' is not a valid CSS selector"


def test_text_in_shadow_dom_is_not_blank(tmp_path: Path, site: Site) -> None:
    _, runs = audit(tmp_path, service("wc", site.origin + "/settle/", ["component.html"]))
    component = page(runs["wc"], "component.html")
    assert (component.status, component.warnings) == ("ok", [])
