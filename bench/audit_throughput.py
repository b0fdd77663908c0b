"""Audit throughput and ACT conformance: kuva-audit beside a naive axe loop, in one run.

    python bench/audit_throughput.py --corpus ../shared/act-rules [--concurrency 4] [--limit N]
                                     [--without NAME]... [--skip-naive]

The corpus folder holds ``cases.json`` (W3C ACT rules test cases: ``path``, ``outcome``,
``axe_rules``) and the pages; it is served on 127.0.0.1 as web root. Both tools audit the same
pages at the same concurrency, each in its own process (so each one's peak memory is its own
process tree: Python plus Chromium), one after the other:

- kuva-audit: ``kuva-audit audit`` on a generated services.yaml (one service, every page,
  default settings: pages settle as in production, and the conformance cases that are
  deliberately empty documents are audited with a ``blank page`` warning; ``--without htmlcs``
  switches the second engine off, to time axe's audit alone as the naive loop does);
- naive reference: one Chromium, a new tab per URL, ``goto`` until ``load``, axe injected into
  every frame, top-frame ``axe.run`` (violations only), N tabs at once.

ACT agreement: a ``failed`` case is right when the tool reports a violation of one of the case's
axe rules on that page; a ``passed`` or ``inapplicable`` case is right when it reports none.
``--scale K`` also audits the corpus K times over with kuva-audit (distinct query strings) to
show that its memory stays flat as pages grow.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from kuva_audit.audit.browser import CHROMIUM_FLAGS, find_browser
from kuva_audit.config.engines import ENGINE_NAMES
from kuva_audit.demo.server import serve_directory

NAIVE_TIMEOUT_S = 20


@dataclass
class Measure:
    name: str
    pages: int
    audited: int
    wall_s: float
    peak_mb: float
    violations: dict[str, set[str]]
    """URL -> rule ids violated, for audited pages only."""
    detail: str = ""
    """What else the tool says about the run (kuva-audit: warnings and settle time)."""


def peak_tree_rss(proc: subprocess.Popen[bytes], stop: threading.Event, out: list[float]) -> None:
    """Sample the memory of ``proc`` and all its descendants every 50 ms; keep the peak.

    PSS (proportional set size) where the system reports it, so memory that Chromium's
    processes share is counted once, not once per process; RSS elsewhere.
    """
    peak = 0
    try:
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            total = 0
            for p in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += _footprint(p)
            peak = max(peak, total)
            time.sleep(0.05)
    except psutil.Error:
        pass
    out.append(peak / 2**20)


def _footprint(process: psutil.Process) -> int:
    try:
        return int(process.memory_full_info().pss)
    except (AttributeError, psutil.AccessDenied):
        return int(process.memory_info().rss)


def timed(command: list[str]) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak MB of its process tree)."""
    stop = threading.Event()
    peak: list[float] = []
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = threading.Thread(target=peak_tree_rss, args=(proc, stop, peak))
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if code not in (0, 1, 2):
        raise SystemExit(f"{command[:4]} failed with exit code {code}")
    return wall, peak[0]


def run_kuva(
    urls: list[str], concurrency: int, browser: str | None, work: Path, without: list[str]
) -> Measure:
    config = work / "services.yaml"
    pages = "\n".join(f"      - {json.dumps(u)}" for u in urls)
    checks = f"    checks: {{{', '.join(f'{n}: false' for n in without)}}}\n" if without else ""
    config.write_text(
        "services:\n  - id: act\n    name: {fi: ACT, sv: ACT, en: ACT}\n"
        f"    url: {urls[0]}\n    timeout_s: {NAIVE_TIMEOUT_S}\n{checks}"
        f"    pages:\n{pages}\n",
        encoding="utf-8",
    )
    out = work / "audits"
    command = [
        sys.executable,
        "-m",
        "kuva_audit",
        "audit",
        "--config",
        str(config),
        "--out-dir",
        str(out),
        "--fail-on",
        "none",
        "--concurrency",
        str(concurrency),
    ]
    if browser:
        command += ["--browser", browser]
    wall, peak = timed(command)
    (result,) = out.glob("*/act.json")
    data = json.loads(result.read_text(encoding="utf-8"))
    violations = {
        p["url"]: {v["rule"] for v in p["violations"]} for p in data["pages"] if p["status"] == "ok"
    }
    return Measure("kuva-audit", len(urls), len(violations), wall, peak, violations, _detail(data))


def _detail(data: dict[str, Any]) -> str:
    """Warnings by kind, and how long pages waited to settle."""
    kinds: dict[str, int] = {}
    for page in data["pages"]:
        for warning in page["warnings"]:
            kind = warning.split(":", 1)[0]
            kinds[kind] = kinds.get(kind, 0) + 1
    settle = sorted(p["timings"].get("settle_s", 0.0) for p in data["pages"])
    waited = [s for s in settle if s >= 0.05]
    warnings = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    return (
        f"warnings: {warnings}; settling: {sum(settle):.1f} s in all, "
        f"{len(waited)} page(s) waited 50 ms or more (longest {settle[-1] if settle else 0:.2f} s)"
    )


def _engine_seconds(work: Path) -> str:
    """axe-core's and each other engine's and check's seconds, summed over the pages."""
    (result,) = (work / "audits").glob("*/act.json")
    data = json.loads(result.read_text(encoding="utf-8"))
    totals: dict[str, float] = {"axe-core": 0.0}
    for page in data["pages"]:
        timings = page.get("timings") or {}
        totals["axe-core"] += timings.get("axe_s", 0.0)
        for name, seconds in (timings.get("engines_s") or {}).items():
            totals[name] = totals.get(name, 0.0) + seconds
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in totals.items())


def run_naive(urls: list[str], concurrency: int, browser: str | None, work: Path) -> Measure:
    urls_file, out_file = work / "naive-urls.json", work / "naive-out.json"
    urls_file.write_text(json.dumps(urls))
    command = [
        sys.executable,
        __file__,
        "--naive-worker",
        str(urls_file),
        str(out_file),
        "--concurrency",
        str(concurrency),
    ]
    if browser:
        command += ["--browser", browser]
    wall, peak = timed(command)
    found = {u: set(rules) for u, rules in json.loads(out_file.read_text()).items()}
    return Measure("naive reference", len(urls), len(found), wall, peak, found)


async def naive_worker(
    urls: list[str], out_file: Path, concurrency: int, browser: str | None
) -> None:
    """The reference loop: what a straightforward axe + Playwright script does."""
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.async_api import async_playwright

    results: dict[str, list[str]] = {}
    gate = asyncio.Semaphore(concurrency)
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=browser, args=list(CHROMIUM_FLAGS))
        context = await chromium.new_context()

        async def one(url: str) -> None:
            async with gate:
                page = await context.new_page()
                try:
                    await page.goto(url, wait_until="load", timeout=NAIVE_TIMEOUT_S * 1000)
                    for frame in page.frames:
                        with contextlib.suppress(Exception):
                            await frame.evaluate(AXE_SCRIPT)
                    raw = await asyncio.wait_for(
                        page.evaluate("axe.run({resultTypes: ['violations']})"), NAIVE_TIMEOUT_S
                    )
                    results[url] = [v["id"] for v in raw["violations"]]
                except Exception:
                    pass  # not loaded: counted as not audited
                finally:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(page.close(), 5)

        await asyncio.gather(*(one(u) for u in urls))
        await chromium.close()
    out_file.write_text(json.dumps(results))


def agreement(cases: list[dict[str, Any]], origin: str, m: Measure) -> tuple[int, int]:
    """(cases the tool got right, cases whose page it audited)."""
    right = loaded = 0
    for case in cases:
        url = f"{origin}/{case['path']}"
        if url not in m.violations:
            continue
        loaded += 1
        hit = bool(m.violations[url] & set(case["axe_rules"]))
        right += hit == (case["outcome"] == "failed")
    return right, loaded


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--corpus", type=Path, help="folder with cases.json (e.g. ../shared/act-rules)"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--limit", type=int, default=0, help="only the first N cases")
    parser.add_argument("--scale", type=int, default=0, help="also audit the corpus K times over")
    parser.add_argument("--browser", default=None, help="Chromium binary (default: as kuva-audit)")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=ENGINE_NAMES,
        help="switch off the second engine or a check in kuva-audit's run (repeatable)",
    )
    parser.add_argument(
        "--skip-naive", action="store_true", help="time kuva-audit only (no naive reference loop)"
    )
    parser.add_argument("--naive-worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    choice = find_browser(args.browser)
    browser = choice.path if choice else None

    if args.naive_worker:
        urls = json.loads(args.naive_worker[0].read_text())
        asyncio.run(naive_worker(urls, args.naive_worker[1], args.concurrency, browser))
        return
    if args.corpus is None:
        parser.error("--corpus DIR is required")
    cases = json.loads((args.corpus / "cases.json").read_text(encoding="utf-8"))
    if args.limit:
        cases = cases[: args.limit]

    with serve_directory(args.corpus.resolve()) as origin, tempfile.TemporaryDirectory() as tmp:
        urls = list(dict.fromkeys(f"{origin}/{c['path']}" for c in cases))
        work = Path(tmp)
        (work / "kuva").mkdir()
        (work / "naive").mkdir()
        print(f"{len(urls)} pages, concurrency {args.concurrency}, Chromium {browser or 'bundled'}")
        if args.without:
            print(f"kuva-audit without: {', '.join(args.without)}")
        measures = [run_kuva(urls, args.concurrency, browser, work / "kuva", args.without)]
        if not args.skip_naive:
            measures.append(run_naive(urls, args.concurrency, browser, work / "naive"))
        print(
            f"\n{'tool':<16} {'audited':>9} {'wall s':>8} {'pages/s':>8} {'peak MB':>8}"
            "  ACT agreement"
        )
        for m in measures:
            right, loaded = agreement(cases, origin, m)
            print(
                f"{m.name:<16} {m.audited:>4}/{m.pages:<4} {m.wall_s:>8.1f} "
                f"{m.audited / m.wall_s:>8.2f} {m.peak_mb:>8.0f}  "
                f"{right}/{loaded} loaded cases ({right}/{len(cases)} of all)"
            )
        kuva = measures[0]
        print(f"\nkuva-audit {kuva.detail}")
        print(f"kuva-audit seconds per engine and check: {_engine_seconds(work / 'kuva')}")
        if args.skip_naive:
            return
        naive = measures[1]
        print(f"\nwall time ratio kuva-audit / naive: {kuva.wall_s / naive.wall_s:.2f}")
        differences = [
            (
                c,
                sorted(kuva.violations.get(u, {"(not audited)"})),
                sorted(naive.violations.get(u, {"(not audited)"})),
            )
            for c in cases
            for u in [f"{origin}/{c['path']}"]
            if kuva.violations.get(u) != naive.violations.get(u)
        ]
        print(f"pages where the two differ: {len(differences)}")
        for case, k, n in differences:
            print(f"  {case['path']} ({case['outcome']}, {case['axe_rules']}): kuva {k} naive {n}")
        if args.scale > 1:
            many = [f"{u}?copy={k}" for k in range(args.scale) for u in urls]
            scaled_dir = work / "scaled"
            scaled_dir.mkdir()
            scaled = run_kuva(many, args.concurrency, browser, scaled_dir, args.without)
            print(
                f"memory as pages grow: {len(urls)} pages -> {kuva.peak_mb:.0f} MB; "
                f"{len(many)} pages -> {scaled.peak_mb:.0f} MB ({scaled.wall_s:.1f} s)"
            )


if __name__ == "__main__":
    main()
