"""Compare two tools case by case on ACT corpora: what does A catch that B misses, and at what
cost in false alarms?

    python bench/compare_cases.py A.json B.json [--names A,B]

A and B are ``--cases-out`` files of ``bench/ibm_ace_eval.py`` or ``bench/engine_agreement.py``:
per corpus, the cases where the tool reports a failure on the case's criteria, each with its
``outcome`` (failed, passed, inapplicable) and the rules (``rules``) or engines and checks
(``sources``) that reported it. For every corpus in both files this prints, per rule of A: the
failed cases it catches that B does not (with their ACT rule ids), its false alarms on passed
cases and its failures on inapplicable cases, and whether it is a candidate to adopt (at least
one unique catch and no false alarm); then how many failed cases each tool catches alone and
what adopting all candidates would add to B; last, the same per rule over all corpora
together (a candidate there has no false alarm on any corpus).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Cases = dict[str, dict[str, Any]]


@dataclass
class RuleRow:
    """One rule of tool A on one corpus."""

    unique: list[str] = field(default_factory=list)  # failed cases B misses
    caught: int = 0  # failed cases it catches in all
    false_alarms: list[str] = field(default_factory=list)  # passed cases
    inapplicable: list[str] = field(default_factory=list)

    @property
    def candidate(self) -> bool:
        return bool(self.unique) and not self.false_alarms


def rules_of(case: dict[str, Any]) -> list[str]:
    """The rules (ace) or sources (kuva-audit) that reported a case."""
    return list(case.get("rules", case.get("sources", [])))


def act_rule(path: str) -> str:
    """The ACT rule id of a case path such as ``cases/5f99a7/failed-1.html``."""
    parts = path.split("/")
    return parts[-2] if len(parts) >= 2 else path


def compare(a: Cases, b: Cases) -> dict[str, RuleRow]:
    """Per rule of A: its unique catches against B, its catches, false alarms and more."""
    rows: dict[str, RuleRow] = defaultdict(RuleRow)
    for path, case in sorted(a.items()):
        for rule in rules_of(case):
            row = rows[rule]
            if case["outcome"] == "failed":
                row.caught += 1
                if b.get(path, {}).get("outcome") != "failed":
                    row.unique.append(path)
            elif case["outcome"] == "passed":
                row.false_alarms.append(path)
            else:
                row.inapplicable.append(path)
    return dict(rows)


def merge(per_corpus: dict[str, dict[str, RuleRow]]) -> dict[str, RuleRow]:
    """One row per rule over all corpora (case paths prefixed with their corpus), so that a
    rule is a candidate only if it has no false alarm on any corpus."""
    rows: dict[str, RuleRow] = defaultdict(RuleRow)
    for corpus, corpus_rows in per_corpus.items():
        for rule, row in corpus_rows.items():
            total = rows[rule]
            total.unique += [f"{corpus}/{p}" for p in row.unique]
            total.caught += row.caught
            total.false_alarms += [f"{corpus}/{p}" for p in row.false_alarms]
            total.inapplicable += [f"{corpus}/{p}" for p in row.inapplicable]
    return dict(rows)


def caught(cases: Cases) -> set[str]:
    """Failed cases a tool catches."""
    return {p for p, c in cases.items() if c["outcome"] == "failed"}


def adopted_gain(rows: dict[str, RuleRow]) -> set[str]:
    """Failed cases B would gain by adopting every candidate rule of A."""
    return {p for row in rows.values() if row.candidate for p in row.unique}


def _acts(paths: list[str]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for path in paths:
        counts[act_rule(path)] += 1
    return ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in sorted(counts.items())) or "-"


def print_corpus(name: str, a: Cases, b: Cases, names: tuple[str, str]) -> dict[str, RuleRow]:
    rows = compare(a, b)
    only_a, only_b = caught(a) - caught(b), caught(b) - caught(a)
    print(f"\n## {name}\n")
    print(
        f"failed cases caught: {names[0]} {len(caught(a))}, {names[1]} {len(caught(b))}, both "
        f"{len(caught(a) & caught(b))}; {names[0]} only {len(only_a)}, {names[1]} only "
        f"{len(only_b)}; false alarms on passed cases: {names[0]} "
        f"{sum(c['outcome'] == 'passed' for c in a.values())}, {names[1]} "
        f"{sum(c['outcome'] == 'passed' for c in b.values())}\n"
    )
    print(
        f"| {names[0]} rule | caught | not caught by {names[1]} (ACT rules) | false alarms "
        "(passed) | failures on inapplicable | candidate |"
    )
    print("|---|---:|---|---:|---:|---|")
    for rule, row in sorted(rows.items(), key=lambda kv: (-len(kv[1].unique), kv[0])):
        print(
            f"| {rule} | {row.caught} | {len(row.unique)}: {_acts(row.unique)} | "
            f"{len(row.false_alarms)} | {len(row.inapplicable)} | "
            f"{'yes' if row.candidate else 'no'} |"
        )
    gain = adopted_gain(rows)
    print(
        f"\nadopting the candidate rules of {names[0]} would add {len(gain)} failed cases to "
        f"{names[1]} ({_acts(sorted(gain))})"
    )
    for rule, row in sorted(rows.items()):
        if row.unique and row.false_alarms:
            print(f"- {rule}: false alarms on {', '.join(row.false_alarms)}")
    if only_b:
        print(f"- {names[1]} only: {_acts(sorted(only_b))}")
    return rows


def print_overall(rows: dict[str, RuleRow], names: tuple[str, str]) -> None:
    print(f"\n## all corpora: {names[0]} rules with a failed case {names[1]} misses\n")
    print("| rule | not caught by B | false alarms (passed) | candidate |".replace("B", names[1]))
    print("|---|---:|---:|---|")
    for rule, row in sorted(rows.items(), key=lambda kv: (-len(kv[1].unique), kv[0])):
        if row.unique:
            print(
                f"| {rule} | {len(row.unique)} | {len(row.false_alarms)} | "
                f"{'yes' if row.candidate else 'no'} |"
            )
    gain = adopted_gain(rows)
    print(f"\ncandidates (no false alarm on any corpus) would add {len(gain)} failed cases")
    for path in sorted(gain):
        print(f"- {path}")


def load(path: Path) -> dict[str, Cases]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"{path}: cannot read ({exc}); give a --cases-out JSON file") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise SystemExit(f"{path}: not a --cases-out file (corpus -> case path -> outcome)")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path, help="--cases-out JSON of the tool to evaluate")
    parser.add_argument("b", type=Path, help="--cases-out JSON of the tool to compare with")
    parser.add_argument("--names", default="A,B", help="names of the two tools, e.g. ace,kuva")
    args = parser.parse_args()
    names = tuple(args.names.split(",", 1)) if "," in args.names else ("A", "B")
    a, b = load(args.a), load(args.b)
    common = [c for c in a if c in b]
    if not common:
        raise SystemExit(f"{args.a} and {args.b} share no corpus; run both on the same corpora")
    per_corpus = {c: print_corpus(c, a[c], b[c], (names[0], names[1])) for c in common}
    print_overall(merge(per_corpus), (names[0], names[1]))


if __name__ == "__main__":
    main()
