"""Engine and check agreement with the W3C ACT test cases, and what each costs.

    python bench/engine_agreement.py --corpus CORPUS_DIR [--corpus CORPUS_DIR]...
        [--concurrency 4] [--limit N] [--rule ACT_ID]... [--cases-out FILE.json]

Each corpus folder holds ``cases.json`` (``path``, ``outcome``, ``sc``: WCAG criteria,
``axe_rules``) and the pages; it is served on 127.0.0.1 as web root. ``kuva-audit audit`` runs
twice on every page, each in its own process: axe-core alone (``checks:`` all off) and
everything on. For each engine (axe-core, htmlcs) and each interaction check, from the
everything-on run:

- *caught*: ``failed`` cases where it reports a failure for one of the case's criteria (for
  axe-core on a corpus with ``axe_rules``: a violation of one of the case's axe rules, as in
  ``bench/audit_throughput.py``); *review*: ``failed`` cases it only lists for review;
- *false alarms*: ``passed`` cases where it reports a failure for the case's criteria, listed
  separately from ``inapplicable`` cases with such a failure;
- *seconds*: the sum of its time over the pages (``timings.engines_s``; axe-core: ``axe_s``).

Then kuva-audit as a whole (any engine or check) beside axe-core alone: failed cases caught,
false alarms on passed cases, and the wall time of both runs with their ratio; and per ACT rule
that an engine or check other than axe-core reports on: failed cases such an engine or check
caught (whether or not axe did too) or only listed for review, and passed cases where it
raised a false alarm. ``--cases-out`` writes, per corpus, every case with a failure on its
criteria: its outcome and the engines and checks reporting it (everything on), to compare case
by case with another tool (``bench/ibm_ace_eval.py --cases-out``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kuva_audit.audit.checks import rule_checks
from kuva_audit.config.engines import ENGINE_NAMES
from kuva_audit.demo.server import serve_directory

TIMEOUT_S = 20


@dataclass
class Tally:
    caught: int = 0
    review: int = 0
    false_alarms: list[str] = field(default_factory=list)
    inapplicable_alarms: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_audit(urls: list[str], work: Path, concurrency: int, everything: bool) -> tuple[float, Any]:
    """Audit ``urls`` with axe alone or everything on; (wall seconds, result JSON)."""
    config = work / "services.yaml"
    pages = "\n".join(f"      - {json.dumps(u)}" for u in urls)
    switches = ", ".join(f"{name}: {'true' if everything else 'false'}" for name in ENGINE_NAMES)
    config.write_text(
        "services:\n  - id: act\n    name: {fi: ACT, sv: ACT, en: ACT}\n"
        f"    url: {urls[0]}\n    allow_blank: true\n    timeout_s: {TIMEOUT_S}\n"
        f"    checks: {{{switches}}}\n    pages:\n{pages}\n",
        encoding="utf-8",
    )
    out = work / "audits"
    command = [sys.executable, "-m", "kuva_audit", "audit", "--config", str(config)]
    command += ["--out-dir", str(out), "--fail-on", "none", "--concurrency", str(concurrency)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1, 2):
        raise SystemExit(f"kuva-audit failed ({done.returncode}): {done.stderr[-2000:]}")
    (result,) = out.glob("*/act.json")
    return wall, json.loads(result.read_text(encoding="utf-8"))


def source_of(finding: dict[str, Any]) -> str:
    """axe-core, htmlcs, or the check's name (the rule id's part before its own name)."""
    if finding.get("engine") != "check":
        return str(finding.get("engine", "axe-core"))
    return CHECK_OF.get(finding["rule"], finding["rule"])


CHECK_OF: dict[str, str] = rule_checks()


def score(
    cases: list[dict[str, Any]], origin: str, data: Any
) -> tuple[dict[str, Tally], dict[str, set[str]]]:
    """Per source: its tally; and per case URL: the sources reporting a failure there."""
    pages = {p["url"]: p for p in data["pages"] if p["status"] == "ok"}
    tallies: dict[str, Tally] = defaultdict(Tally)
    failing: dict[str, set[str]] = {}
    for page in pages.values():
        tallies["axe-core"].seconds += page["timings"]["axe_s"]
        for name, seconds in page["timings"].get("engines_s", {}).items():
            tallies[name.removeprefix("check:")].seconds += seconds
    for case in cases:
        url = f"{origin}/{case['path']}"
        page = pages.get(url)
        if page is None:
            continue
        sc, axe_rules = set(case["sc"]), set(case.get("axe_rules") or ())
        failed_by: set[str] = set()
        review_by: set[str] = set()
        for finding in page["violations"]:
            source = source_of(finding)
            if source == "axe-core" and axe_rules:
                hit = finding["rule"] in axe_rules
            else:
                hit = bool(sc & set(finding["wcag"]))
            if hit:
                failed_by.add(source)
        for finding in page["needs_review"]:
            if sc & set(finding["wcag"]):
                review_by.add(source_of(finding))
        failing[url] = failed_by
        for source in failed_by:
            if case["outcome"] == "failed":
                tallies[source].caught += 1
            elif case["outcome"] == "passed":
                tallies[source].false_alarms.append(case["path"])
            else:
                tallies[source].inapplicable_alarms.append(case["path"])
        if case["outcome"] == "failed":
            for source in review_by - failed_by:
                tallies[source].review += 1
    return tallies, failing


def report(corpus: Path, concurrency: int, limit: int | None, rules: list[str]) -> dict[str, Any]:
    """Print the tables for one corpus; return its cases with a failure (see --cases-out)."""
    cases = json.loads((corpus / "cases.json").read_text(encoding="utf-8"))
    if rules:
        cases = [c for c in cases if c["act_id"] in rules]
    if limit:
        cases = cases[:limit]
    failed = sum(c["outcome"] == "failed" for c in cases)
    passed = sum(c["outcome"] == "passed" for c in cases)
    with serve_directory(corpus) as origin, tempfile.TemporaryDirectory() as tmp:
        urls = [f"{origin}/{c['path']}" for c in cases]
        (Path(tmp) / "axe").mkdir()
        (Path(tmp) / "all").mkdir()
        axe_wall, axe_data = run_audit(urls, Path(tmp) / "axe", concurrency, everything=False)
        all_wall, all_data = run_audit(urls, Path(tmp) / "all", concurrency, everything=True)
        _, axe_failing = score(cases, origin, axe_data)
        tallies, failing = score(cases, origin, all_data)
    print(f"\n## {corpus.name}: {len(cases)} cases ({failed} failed, {passed} passed)\n")
    print(
        "| engine or check | caught (failure) | caught for review | false alarms (passed) "
        "| failures on inapplicable | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for source in sorted(tallies, key=lambda s: (s != "axe-core", s != "htmlcs", s)):
        t = tallies[source]
        print(
            f"| {source} | {t.caught} | {t.review} | {len(t.false_alarms)} | "
            f"{len(t.inapplicable_alarms)} | {t.seconds:.1f} |"
        )
    by_case = {f"{origin}/{c['path']}": c for c in cases}

    def whole(fails: dict[str, set[str]], outcome: str) -> int:
        return sum(bool(s) and by_case[u]["outcome"] == outcome for u, s in fails.items())

    print(
        f"\naxe-core alone: caught {whole(axe_failing, 'failed')}/{failed}, false alarms "
        f"{whole(axe_failing, 'passed')}, {axe_wall:.1f} s"
    )
    print(
        f"kuva-audit, everything on: caught {whole(failing, 'failed')}/{failed}, false alarms "
        f"{whole(failing, 'passed')}, {all_wall:.1f} s ({all_wall / axe_wall:.2f}x axe alone)"
    )
    for source, t in sorted(tallies.items()):
        if t.false_alarms:
            print(f"- false alarms of {source}: {', '.join(sorted(t.false_alarms))}")
    _per_rule(cases, origin, failing, review_of(cases, origin, all_data))
    return {
        path: {"outcome": by_case[url]["outcome"], "sources": sorted(sources)}
        for url, sources in failing.items()
        if sources and (path := url.removeprefix(origin + "/"))
    }


def review_of(cases: list[dict[str, Any]], origin: str, data: Any) -> dict[str, set[str]]:
    """Per case URL: the sources (not axe-core) listing an item for review on its criteria."""
    pages = {p["url"]: p for p in data["pages"] if p["status"] == "ok"}
    out: dict[str, set[str]] = {}
    for case in cases:
        url = f"{origin}/{case['path']}"
        page = pages.get(url)
        if page is not None:
            out[url] = {
                source_of(f)
                for f in page["needs_review"]
                if set(case["sc"]) & set(f["wcag"]) and source_of(f) != "axe-core"
            }
    return out


def _per_rule(
    cases: list[dict[str, Any]],
    origin: str,
    failing: dict[str, set[str]],
    review: dict[str, set[str]],
) -> None:
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for case in cases:
        url = f"{origin}/{case['path']}"
        others = failing.get(url, set()) - {"axe-core"}
        reviewed = review.get(url, set())
        row = rows[(case["act_id"], case["name"])]
        if case["outcome"] == "failed":
            row[0] += 1
            row[1] += bool(others)
            row[2] += bool(reviewed - others) and not others
        elif case["outcome"] == "passed":
            row[3] += 1
            row[4] += bool(others)
    shown = {k: v for k, v in rows.items() if v[1] or v[2] or v[4]}
    if not shown:
        return
    print(
        "\n| ACT rule | failed cases | caught by others | for review only | passed cases "
        "| false alarms by others |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for (act_id, name), (failed, caught, reviewed, passed, alarms) in sorted(shown.items()):
        print(f"| {act_id} {name} | {failed} | {caught} | {reviewed} | {passed} | {alarms} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--limit", type=int, default=None, help="first N cases of each corpus")
    parser.add_argument("--rule", action="append", default=[], help="only this ACT rule id")
    parser.add_argument("--cases-out", type=Path, default=None, help="JSON of cases with failures")
    args = parser.parse_args()
    for corpus in args.corpus:
        if not (corpus / "cases.json").is_file():
            raise SystemExit(f"{corpus}: no cases.json; give an ACT corpus folder")
    out = {c.name: report(c, args.concurrency, args.limit, args.rule) for c in args.corpus}
    if args.cases_out is not None:
        args.cases_out.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
