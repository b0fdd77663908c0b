"""Complementary suppression: no published figure lets a reader work out a suppressed one.

A question row with fewer than ``min_shown`` answers is suppressed (its n stays). The only
published figures that are sums of other rows are the roll-ups: a pooled figure minus the
shown figures of its group is the total of the suppressed ones (their n's are public). So a
roll-up's pooled figure is shown only when that difference protects each suppressed row:

* at least two suppressed rows hide behind it (one alone would be recovered exactly);
* together they have at least ``min_shown`` answers (the difference is itself a figure);
* no suppressed row's figure is pinned down by it: with the hidden total of satisfied
  answers, of promoters and detractors, or of answer values (and their spread) that a reader
  can derive, each suppressed row must still have more than one possible figure.

Otherwise the pooled figure is suppressed too ("complementary"); the roll-up row keeps its n
and ``services_mean``, which averages shown figures only. Changes are only computed between
shown figures, so a difference of two periods reveals nothing either.
"""

from __future__ import annotations

from collections.abc import Sequence

from kuva_audit.surveys.metrics import METRICS
from kuva_audit.surveys.tally import Tally

_TINY = 1e-9


def pooled_is_safe(
    parts: Sequence[tuple[Tally, bool]], metric: str, scale: tuple[float, float], min_shown: int
) -> bool:
    """Whether a pooled figure over ``parts`` ((tally, shown) of each row) may be shown."""
    hidden = [t for t, shown in parts if not shown and t.n > 0]
    if not hidden:
        return True
    if len(hidden) < 2:
        return False
    total = Tally()
    for t in hidden:
        total += t
    if total.n < min_shown:
        return False
    return not any(_pinned(t, total, metric, scale) for t in hidden)


def _pinned(part: Tally, hidden: Tally, metric: str, scale: tuple[float, float]) -> bool:
    """Whether ``part``'s figure is the only one consistent with the hidden totals."""
    rest = hidden.n - part.n
    kind = METRICS[metric].kind
    if kind == "share":
        return max(0, hidden.top - rest) == min(part.n, hidden.top)
    if kind == "net":
        return len(_possible_nets(part.n, hidden)) == 1
    lo, hi = scale
    least = max(lo, (hidden.total - hi * rest) / part.n)
    most = min(hi, (hidden.total - lo * rest) / part.n)
    spread = hidden.total_sq - hidden.total**2 / hidden.n
    return most - least <= _TINY * max(1.0, abs(hi)) or spread <= _TINY * hidden.n


def _possible_nets(size: int, hidden: Tally) -> set[int]:
    """Every promoters-minus-detractors a row of ``size`` answers can have, given the hidden
    counts of promoters, passives and detractors (the rest fall to the other hidden rows)."""
    nets: set[int] = set()
    for promoters in range(min(size, hidden.promoters) + 1):
        for detractors in range(min(size - promoters, hidden.detractors) + 1):
            if size - promoters - detractors <= hidden.passives:
                nets.add(promoters - detractors)
    return nets
