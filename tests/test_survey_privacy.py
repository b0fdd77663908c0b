"""Privacy: no published row lets a reader recover a suppressed score.

The attacker reads only the published rows (satisfaction.json's fields): every n, every shown
value, the roll-ups (their pooled value over ``answers``) and the changes. For each suppressed
row it derives what the sums allow (a roll-up minus its shown rows is the total of the
suppressed ones) and checks that more than one figure stays possible.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from kuva_audit.config.loader import load_config
from kuva_audit.surveys.entry import ROLL_UP
from kuva_audit.surveys.score import ScoreRow, score

SERVICES = ("kukkuu", "kultus", "ahti", "jassari", "venepaikat")
QUARTERS = {"2026Q1": "15.02.2026", "2026Q2": "15.05.2026", "2026Q3": "15.08.2026"}


def write_case(folder: Path, seed: int) -> Path:
    """A shared export: per service and quarter 0-4 answers (suppressed) or 5-12 (shown);
    some groups unanimous, so that a pooled 100 % would give everyone away."""
    rng = random.Random(seed)
    lines = ["Vastausaika;Palvelu;Tyytyväisyys;Suositus;Arvosana"]
    for service in SERVICES:
        for date in QUARTERS.values():
            n = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12])
            unanimous = rng.random() < 0.3
            for _ in range(n):
                csat = 5 if unanimous else rng.randint(1, 5)
                nps = 10 if unanimous else rng.randint(0, 10)
                grade = 10 if unanimous else rng.choice([4, 5, 6, 7, 7.5, 8, 8.5, 9, 10])
                lines.append(f"{date} 12.00;{service};{csat};{nps};{str(grade).replace('.', ',')}")
    (folder / "answers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = folder / "services.yaml"
    config.write_text(
        "services:\n"
        + "".join(
            f"  - id: {s}\n    name: {{fi: {s}, sv: {s}, en: {s}}}\n"
            f"    url: https://example.org/{s}/\n    pages: [/]\n"
            "    surveys:\n"
            "      - file: answers.csv\n"
            "        date_column: Vastausaika\n"
            f"        where: {{Palvelu: {s}}}\n"
            "        questions:\n"
            "          - {column: Tyytyväisyys, metric: csat}\n"
            "          - {column: Suositus, metric: nps}\n"
            "          - {column: Arvosana, metric: mean, min: 4, max: 10}\n"
            for s in SERVICES
        ),
        encoding="utf-8",
    )
    return config


def possible_figures(
    metric: str, scale: tuple[float, float], size: int, hidden_n: int, hidden_total: float
) -> tuple[float, float]:
    """The least and most a suppressed row of ``size`` answers can score, given the total
    (satisfied answers, promoters minus detractors, or answer values) of all hidden answers."""
    rest = hidden_n - size
    if metric == "csat":
        top = round(hidden_total)
        return max(0, top - rest) / size, min(size, top) / size
    if metric == "nps":
        net = round(hidden_total)
        return max(-size, net - rest) / size, min(size, net + rest) / size
    lo, hi = scale
    return max(lo, (hidden_total - hi * rest) / size), min(hi, (hidden_total - lo * rest) / size)


def unit_total(metric: str, value: float, answers: int) -> float:
    """A shown figure back to the total behind it."""
    return value / 100 * answers if metric in ("csat", "nps") else value * answers


def attack(rows: list[ScoreRow]) -> list[str]:
    """Every suppressed score the published rows give away (empty: none)."""
    found: list[str] = []
    groups: dict[tuple[str, tuple[float, float], str], list[ScoreRow]] = defaultdict(list)
    for r in rows:
        if r.service != ROLL_UP and r.n and r.period != "not scored":
            groups[(r.metric, r.scale, r.period)].append(r)
    for pooled in (r for r in rows if r.service == ROLL_UP and r.value is not None):
        members = groups[(pooled.metric, pooled.scale, pooled.period)]
        hidden = [m for m in members if m.value is None]
        if not hidden:
            continue
        assert pooled.answers == sum(m.n for m in members)
        total = unit_total(pooled.metric, pooled.value, pooled.answers)
        total -= sum(unit_total(m.metric, m.value, m.n) for m in members if m.value is not None)
        hidden_n = sum(m.n for m in hidden)
        for m in hidden:
            least, most = possible_figures(m.metric, m.scale, m.n, hidden_n, total)
            if most - least < 1e-9:
                found.append(f"{m.service} {m.period} {m.metric}: {least} from the roll-up")
    shown = {(r.service, r.question, r.period) for r in rows if r.value is not None}
    for r in rows:
        if r.change is not None and (r.service, r.question, r.change.previous_period) not in shown:
            found.append(f"{r.service} {r.change.previous_period} {r.metric}: from a change")
    return found


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_score_can_be_recovered(tmp_path: Path, seed: int) -> None:
    rows, _ = score(load_config(write_case(tmp_path, seed)))
    assert any(r.suppressed and r.n for r in rows if r.service != ROLL_UP)
    assert attack(rows) == []


def test_the_issues_case_a_single_small_service_hides_the_pooled_figure(tmp_path: Path) -> None:
    """kukkuu 40 answers shown, kultus 3 suppressed: pooled minus shown would be kultus."""
    lines = ["Vastausaika;Palvelu;Tyytyväisyys;Suositus;Arvosana"]
    lines += [f"01.10.2026 10.00;kukkuu;{4 + i % 2};9;8" for i in range(40)]
    lines += ["01.10.2026 10.00;kultus;1;2;4"] * 3
    config = write_case(tmp_path, 0)
    (tmp_path / "answers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, _ = score(load_config(config))
    pooled = next(r for r in rows if r.service == ROLL_UP and r.metric == "csat")
    assert (pooled.n, pooled.value, pooled.suppressed) == (43, None, True)
    assert pooled.suppressed_reason == "complementary: it would reveal a suppressed score"
    assert pooled.services_mean == 100.0  # the mean of the shown services' figures only
    assert attack(rows) == []


def test_the_attack_finds_what_an_unprotected_roll_up_would_give_away() -> None:
    """The attacker itself works: with the pooled figure published it recovers kultus."""
    kukkuu = ScoreRow(
        "kukkuu", "2026Q4", "q", "csat", 40, 50.0, 35.0, 65.0, False, False, {}, (1, 5)
    )
    kultus = ScoreRow("kultus", "2026Q4", "q", "csat", 3, None, None, None, True, True, {}, (1, 5))
    pooled = ScoreRow(
        ROLL_UP, "2026Q4", "all", "csat", 43, 100 * 21 / 43, 30.0, 60.0, False, False, {}, (1, 5)
    )
    pooled = pooled.__class__(**{**pooled.__dict__, "answers": 43})
    assert attack([kukkuu, kultus, pooled]) == [
        "kultus 2026Q4 csat: 0.3333333333333333 from the roll-up"
    ]
