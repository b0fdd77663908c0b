"""Evaluate IBM's accessibility-checker-engine on ACT corpora: would it add findings without
false alarms?

    npm pack accessibility-checker-engine@4.0.34   # then: tar xzf the .tgz
    python bench/ibm_ace_eval.py --ace package/ace.js --corpus CORPUS_DIR [--corpus ...] [--limit N]
        [--cases-out FILE.json]

Each corpus folder holds ``cases.json`` (``path``, ``outcome``, ``sc``) and the pages, served on
127.0.0.1 as web root. Every page is loaded in Chromium (``load``, 20 s), ace.js is added and
``Checker.check(document, ["WCAG_2_1"])`` runs. A result counts as a failure when its policy is
VIOLATION and its outcome FAIL (POTENTIAL and MANUAL are ace's "needs review"); its criteria
are the WCAG 2.1 checkpoints whose rule lists name it. Printed per corpus: failed cases caught
(a failure on one of the case's criteria), caught for review only, false alarms on passed cases
(listed), failures on inapplicable cases, and seconds (in all and per page). ``--cases-out``
writes, per corpus, the cases where ace reports a failure on the case's criteria (path ->
outcome and ace rules), to compare with ``bench/engine_agreement.py --cases-out`` through
``bench/compare_cases.py``. This only measures: the engine is not part of kuva-audit.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from kuva_audit.audit.browser import CHROMIUM_FLAGS, find_browser
from kuva_audit.demo.server import serve_directory

TIMEOUT_MS = 20_000
RUN_ACE = """async () => {
  const checker = new ace.Checker();
  const wcag = checker.getGuidelines().find((g) => g.id === 'WCAG_2_1');
  const criteria = {};
  for (const cp of wcag.checkpoints)
    for (const r of cp.rules || []) (criteria[r.id] = criteria[r.id] || []).push(cp.num);
  const report = await checker.check(document, ['WCAG_2_1']);
  return report.results
    .filter((r) => r.value[0] === 'VIOLATION' && r.value[1] !== 'PASS')
    .map((r) => ({ rule: r.ruleId, outcome: r.value[1], sc: criteria[r.ruleId] || [] }));
}"""


def evaluate(corpus: Path, ace: Path, limit: int | None) -> dict[str, Any]:
    cases = json.loads((corpus / "cases.json").read_text(encoding="utf-8"))[: limit or None]
    caught, review, alarms, inapplicable = 0, 0, [], []
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    seconds = 0.0
    hits: dict[str, Any] = {}
    choice = find_browser()
    if choice is None:
        raise SystemExit("no Chromium: set KUVA_AUDIT_BROWSER")
    with serve_directory(corpus.resolve()) as origin, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=choice.path, args=list(CHROMIUM_FLAGS))
        page = browser.new_page(bypass_csp=True)
        loaded = 0
        for case in cases:
            try:
                page.goto(f"{origin}/{case['path']}", wait_until="load", timeout=TIMEOUT_MS)
                started = time.perf_counter()
                page.add_script_tag(path=str(ace))
                found: list[dict[str, Any]] = page.evaluate(RUN_ACE)
                seconds += time.perf_counter() - started
            except PlaywrightError:
                continue
            loaded += 1
            sc = set(case["sc"])
            fails = {f["rule"] for f in found if f["outcome"] == "FAIL" and sc & set(f["sc"])}
            maybe = {f["rule"] for f in found if f["outcome"] != "FAIL" and sc & set(f["sc"])}
            if case["outcome"] == "failed":
                caught += bool(fails)
                review += bool(maybe) and not fails
            elif fails and case["outcome"] == "passed":
                alarms.append(f"{case['path']} ({', '.join(sorted(fails))})")
            elif fails:
                inapplicable.append(case["path"])
            if fails:
                hits[case["path"]] = {"outcome": case["outcome"], "rules": sorted(fails)}
            for rule in fails:
                rules[rule][0 if case["outcome"] == "failed" else 1] += 1
        browser.close()
    failed = sum(c["outcome"] == "failed" for c in cases)
    print(f"\n## {corpus.name}: {len(cases)} cases, {loaded} loaded, {failed} failed\n")
    print(
        f"ace caught {caught}/{failed} failed cases; for review only {review}; false alarms "
        f"on passed cases {len(alarms)}; failures on inapplicable cases {len(inapplicable)}; "
        f"{seconds:.1f} s in ace ({seconds / max(loaded, 1):.2f} s per page)"
    )
    for alarm in alarms:
        print(f"- false alarm: {alarm}")
    print("\n| ace rule | failures on failed cases | on passed or inapplicable cases |")
    print("|---|---:|---:|")
    for rule, (good, bad) in sorted(rules.items()):
        print(f"| {rule} | {good} | {bad} |")
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ace", type=Path, required=True, help="ace.js from npm pack")
    parser.add_argument("--corpus", type=Path, action="append", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cases-out", type=Path, default=None, help="JSON of cases ace fails")
    args = parser.parse_args()
    if not args.ace.is_file():
        raise SystemExit(f"{args.ace}: not found; unpack accessibility-checker-engine's npm pack")
    for corpus in args.corpus:
        if not (corpus / "cases.json").is_file():
            raise SystemExit(f"{corpus}: no cases.json; give an ACT corpus folder")
    out: dict[str, Any] = {}
    for corpus in args.corpus:
        out[corpus.name] = evaluate(corpus, args.ace, args.limit)
    if args.cases_out is not None:
        args.cases_out.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
