"""Years of nightly runs: report time and memory, output sizes, and what a night adds.

    python bench/history_growth.py --years 3 --pages 200 --viewports 2

Generates, in a temporary folder, the history the nightly job would leave for the seven
services of the repository's services.yaml:

- one full result per service for the last night (``audits/<date>/<service>.json``, the
  latest full run kept locally): PAGES pages x VIEWPORTS viewports, each page with about 80
  rules run, 3 to 6 failing rules, shared components (header, navigation, footer: the same
  fingerprint on every page) and page-specific issues (about 1.5 a page);
- the compact history of every night of YEARS years before it
  (``audits/history/<YYYY>/<date>.jsonl``), made from that run with issues appearing and
  being fixed from night to night and one axe-core upgrade half-way.

With ``--statements``, every service then gets its statement drafts as the nightly job leaves
them (``kuva-audit statements``); with ``--publish`` too, the statements of the copied
services.yaml are said to be reviewed a month before and every draft then ready for review is
published (``statements --publish``), so that the report also checks a published statement.

Then runs ``kuva-audit report`` on it in its own process and prints: its wall time and peak
RSS (of that process alone); the sizes of progress.html and progress.md; and for the last
night, the bytes the compact history adds to the repository (the night file, zlib-compressed
as git stores a new object) beside the size of the full results (raw and compressed) that go
to the CI artifact instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

from kuva_audit.audit.results import (
    EngineInfo,
    Finding,
    Node,
    PageResult,
    ServiceInfo,
    ServiceRun,
)
from kuva_audit.audit.writer import ServiceRunWriter
from kuva_audit.history.compact import CompactRun, grouped
from kuva_audit.history.store import night_file, record

REPO = Path(__file__).resolve().parent.parent
RULES = [f"rule-{n:02d}" for n in range(80)]
FAILING = [
    ("color-contrast", "serious", ["1.4.3"]),
    ("image-alt", "critical", ["1.1.1"]),
    ("link-name", "serious", ["2.4.4", "4.1.2"]),
    ("label", "critical", ["1.3.1", "4.1.2"]),
    ("button-name", "critical", ["4.1.2"]),
    ("list", "serious", ["1.3.1"]),
    ("region", "moderate", []),
]
SHARED = ["header > nav a.logo", "nav ul > li:nth-child(3) > a", "footer .social a", "#cookie"]


def _fingerprint(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def full_run(service: str, pages: int, viewports: list[str], day: str, seed: int) -> ServiceRun:
    rng = random.Random(seed)
    shared = {selector: _fingerprint(rng) for selector in SHARED}
    writer = ServiceRunWriter(viewports)
    for position in range(pages):
        url = f"https://{service}.hel.fi/fi/sivu/{position}"
        for viewport in viewports:
            findings = []
            for rule, impact, wcag in rng.sample(FAILING, rng.randint(3, 6)):
                nodes = [
                    Node(
                        selector=selector,
                        target=[selector],
                        html=f'<a class="x" href="/p/{position}">{rule} {selector}</a>',
                        failure_summary="Fix any of the following: ...",
                        fingerprint=fp,
                    )
                    for selector, fp in rng.sample(list(shared.items()), 1)
                ]
                if rng.random() < 0.3:
                    nodes.append(
                        Node(
                            selector=f"main p:nth-child({position % 9})",
                            target=[f"main p:nth-child({position % 9})"],
                            html=f"<p>Sivun {position} teksti</p>",
                            failure_summary="Fix any of the following: ...",
                            fingerprint=_fingerprint(random.Random(f"{service}{position}{rule}")),
                        )
                    )
                findings.append(
                    Finding(
                        rule=rule,
                        impact=impact,  # type: ignore[arg-type]
                        wcag=wcag,
                        level="AA" if wcag else None,
                        legal=bool(wcag),
                        tags=["wcag2a"],
                        description=f"{rule} description",
                        help=f"{rule} help",
                        help_url=f"https://dequeuniversity.com/rules/axe/4.12/{rule}",
                        nodes=nodes,
                    )
                )
            writer.add(
                PageResult(
                    url=url,
                    viewport=viewport,
                    position=position,
                    status="ok",
                    title=f"Sivu {position}",
                    frames_audited=1,
                    violations=findings,
                    passes=40,
                    inapplicable=40,
                    passed_rules=RULES[:40],
                    inapplicable_rules=RULES[40:],
                )
            )
    engine = EngineInfo(
        kuva_audit="0.1.0",
        axe_core="4.12.1",
        playwright="1.55.0",
        browser="chromium",
        browser_version="140.0",
    )
    header = {
        "service": ServiceInfo(id=service, name={"fi": service}, url=f"https://{service}.hel.fi/"),
        "date": day,
        "started_at": f"{day}T01:00:00+02:00",
        "finished_at": f"{day}T01:20:00+02:00",
        "duration_s": 1200.0,
        "engine": engine,
        "settings": {"viewports": [{"name": v, "width": 1280, "height": 800} for v in viewports]},
    }
    folder = Path(tempfile.mkdtemp())
    path = folder / f"{service}.json"
    writer.finish(path, json.loads(json.dumps({k: _plain(v) for k, v in header.items()})))
    run = ServiceRun.model_validate_json(path.read_text(encoding="utf-8"))
    shutil.rmtree(folder)
    return run


def _plain(value: object) -> object:
    return value.model_dump() if hasattr(value, "model_dump") else value


def earlier(
    record_: CompactRun, day: str, n: int, rng: random.Random, upgraded: bool
) -> CompactRun:
    """The last night's record moved to ``day``, ``n`` nights back: some of tonight's issues
    not there yet, some since fixed there instead."""
    issues = list(record_.issues)
    keep = [i for i in issues if rng.random() > min(0.3, n / 3000)]
    extra = [
        dataclasses.replace(rng.choice(issues), id=_fingerprint(rng))
        for _ in range(rng.randint(0, 20))
    ]
    chosen = keep + extra
    totals = record_.totals.model_copy(
        update={
            "issues_by_impact": {
                impact: sum(1 for i in chosen if i.legal and i.impact == impact)
                for impact in ("critical", "serious", "moderate", "minor")
            }
        }
    )
    return dataclasses.replace(
        record_,
        date=day,
        axe_core="4.12.1" if upgraded else "4.11.0",
        totals=totals,
        **grouped(chosen),
    )


def generate(root: Path, years: int, pages: int, viewports: int) -> tuple[str, list[ServiceRun]]:
    from ruamel.yaml import YAML

    shutil.copy(REPO / "services.yaml", root / "services.yaml")
    config = YAML(typ="safe").load((REPO / "services.yaml").read_text(encoding="utf-8"))
    services = [s["id"] for s in config["services"]]
    names = ["desktop", "mobile"][:viewports] + [f"v{n}" for n in range(2, viewports)]
    last = dt.date(2026, 11, 30)
    nights = 365 * years + years // 4
    runs = [full_run(s, pages, names, last.isoformat(), n) for n, s in enumerate(services)]
    audits = root / "audits"
    for run in runs:
        path = audits / last.isoformat() / f"{run.service.id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(run.model_dump_json(), encoding="utf-8")
    compact = [CompactRun.of(run) for run in runs]
    rng = random.Random(17)
    for back in range(nights - 1, 0, -1):
        day = (last - dt.timedelta(days=back)).isoformat()
        lines = [earlier(c, day, back, rng, back < nights // 2).to_line() for c in compact]
        path = night_file(audits, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record(audits, runs)
    return last.isoformat(), runs


def kuva_audit(*args: str) -> subprocess.CompletedProcess[str]:
    """Run kuva-audit in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "kuva_audit", *args], capture_output=True, text=True
    )


def write_statements(root: Path, day: str, publish: bool) -> list[str]:
    """Drafts for every service; with ``publish``, every statement of the copied services.yaml
    is first said to be reviewed 30 days before ``day`` and every draft then ready for review
    is published (a refusal is printed and leaves the draft). The services published."""
    path = root / "services.yaml"
    if publish:
        reviewed = (dt.date.fromisoformat(day) - dt.timedelta(days=30)).isoformat()
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(r"(\n\s+reviewed: )\S+", rf"\g<1>{reviewed}", text), encoding="utf-8"
        )
    config = str(path)
    drafts = kuva_audit("statements", "--config", config, "--as-of", day)
    if drafts.returncode != 0:
        raise SystemExit(drafts.stderr.strip())
    if not publish:
        return []
    ready = re.findall(r"/drafts/([^/\s]+)/ \([^)]*\): draft, ready for review", drafts.stdout)
    published = []
    for service in ready:
        done = kuva_audit(
            "statements", "--config", config, "--publish", service, "--by", "bench", "--as-of", day
        )
        if done.returncode == 0:
            published.append(service)
        else:
            print(f"not published: {done.stderr.strip().splitlines()[-1]}")
    return published


def timed(*args: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of kuva-audit run with ``args``, measured
    for that one process."""
    began = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "kuva_audit", *args], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"kuva-audit {' '.join(args)}: exit {child.returncode}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--viewports", type=int, default=2)
    parser.add_argument(
        "--statements",
        action="store_true",
        help="write every service's statement drafts first (as the nightly job leaves them)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="with --statements: review every statement a month ago and publish each draft "
        "then ready for review",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        last, runs = generate(root, args.years, args.pages, args.viewports)
        print(
            f"generated {args.years} year(s) x {len(runs)} services x {args.pages} pages x "
            f"{args.viewports} viewports in {time.perf_counter() - started:.0f} s"
        )
        if args.statements:
            published = write_statements(root, last, args.publish)
            print(
                f"statement drafts for {len(runs)} services, published: "
                f"{', '.join(published) or 'none'}"
            )
        seconds, cpu, peak_mb = timed(
            "report", "--config", str(root / "services.yaml"), "--as-of", last
        )
        reports = root / "reports"
        night = night_file(root / "audits", last).read_bytes()
        full = b"".join(p.read_bytes() for p in (root / "audits" / last).glob("*.json"))
        fingerprints = sum(len(r.fingerprints) for r in runs)
        history = sum(p.stat().st_size for p in (root / "audits" / "history").rglob("*.jsonl"))
        print(f"report: {seconds:.2f} s wall, {cpu:.2f} s CPU, peak RSS {peak_mb:.0f} MB")
        shown = json.loads((reports / "progress.json").read_text(encoding="utf-8"))
        print(
            "statement states: "
            + "; ".join(f"{s['id']} {s['state']} ({s['detail']})" for s in shown["statements"])
        )
        for name in ("progress.html", "progress.md"):
            print(f"{name}: {(reports / name).stat().st_size / 1024:.0f} KB")
        print(
            f"a night in the repository (compact history, {fingerprints} issues): "
            f"{len(night) / 1024:.0f} KB, {len(zlib.compress(night)) / 1024:.1f} KB compressed"
        )
        print(
            f"a night's full results (CI artifact): {len(full) / 1024:.0f} KB, "
            f"{len(zlib.compress(full)) / 1024:.0f} KB compressed"
        )
        print(f"compact history of all nights: {history / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
