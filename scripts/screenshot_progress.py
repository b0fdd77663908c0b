"""Take the README's picture of the progress report (docs/progress-report.png).

    python scripts/screenshot_progress.py [--workdir DIR] [--lang en] [--out PATH]

Runs the bundled demo into DIR (a temporary folder by default; an existing demo folder with
``reports/`` is used as it is), writes its progress report in ``--lang`` as of 31.12.2026 (the
end of the demo's sample data), serves it on 127.0.0.1 and photographs the top of the page
with the local Chromium (the one kuva-audit finds) at 960 x 1100 CSS px. The picture changes
with the demo's audit date, so it is refreshed by hand, not by the tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from kuva_audit.audit.browser import CHROMIUM_FLAGS, find_browser
from kuva_audit.demo.server import serve_directory

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-12-31"
WIDTH, HEIGHT = 960, 1100


def _kuva_audit(*args: str | Path) -> None:
    command = [sys.executable, "-m", "kuva_audit", *[str(a) for a in args]]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 2):
        sys.exit(f"screenshot_progress: {' '.join(command[2:])} failed:\n{done.stderr}")


def photograph(workdir: Path, lang: str, out: Path) -> None:
    if not (workdir / "services.yaml").is_file():
        _kuva_audit("demo", "--workdir", workdir)
    reports = workdir / f"reports-{lang}"
    _kuva_audit(
        "report",
        "--config",
        workdir / "services.yaml",
        "--as-of",
        AS_OF,
        "--lang",
        lang,
        "--out-dir",
        reports,
    )
    choice = find_browser()
    if choice is None:
        sys.exit("screenshot_progress: no Chromium; run `kuva-audit browser --install`")
    out.parent.mkdir(parents=True, exist_ok=True)
    with serve_directory(reports) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=choice.path, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(f"{origin}/progress.html", wait_until="load")
            page.screenshot(path=str(out), type="png")
        finally:
            browser.close()
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, help="demo folder (default: a temporary one)")
    parser.add_argument("--lang", default="en", choices=("fi", "sv", "en"))
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "progress-report.png")
    args = parser.parse_args()
    if args.workdir:
        photograph(args.workdir.resolve(), args.lang, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="kuva-demo-") as folder:
        photograph(Path(folder), args.lang, args.out)


if __name__ == "__main__":
    main()
