"""The metric registry: one object per metric says what its figure is and how it is computed,
shown and charted. The tally, the scores, the privacy rule and the charts look a metric up
here instead of testing its name.

Three kinds of figure:

- a **share** (CSAT): the percentage of answers at or above ``positive_from`` (4-5 of 1-5),
  with a Wilson interval; charted on 0-100 %;
- a **net** score (NPS): promoters (9-10) minus detractors (0-6) in points, -100..100;
- a **mean** of the answers on their own scale (CES 1-7, smiley 1-4, a ``mean`` question's
  min-max), with a t interval; charted on that scale. CES is a mean, not a share: its
  "effort" figure is where the answers sit on 1-7, as its authors define it.

Importing this module imports neither pandas nor numpy (the charts need only the labels and
axes); ``unit_values`` imports numpy when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kuva_audit.surveys import stats

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from kuva_audit.surveys.tally import Tally

Kind = Literal["share", "net", "mean"]

NPS_PROMOTERS_FROM = 9.0
NPS_PASSIVES_FROM = 7.0


@dataclass(frozen=True)
class Metric:
    id: str
    """As services.yaml names it; also the key of its name in texts/data/reports.yaml."""
    kind: Kind
    positive_from: float | None
    """Answers at or above this count as positive (a share's satisfied, a net score's
    promoters); None for a mean."""

    @property
    def unit(self) -> str:
        return "%" if self.kind == "share" else ""

    def axis(self, scale: tuple[float, float]) -> tuple[float, float]:
        """The value axis a chart of this metric uses: its figure's own range."""
        if self.kind == "share":
            return 0.0, 100.0
        if self.kind == "net":
            return -100.0, 100.0
        return scale

    def estimate(
        self, t: Tally, scale: tuple[float, float], effective_n: float | None = None
    ) -> stats.Estimate:
        if self.kind == "share":
            return stats.share(t.top, t.n, effective_n=effective_n)
        if self.kind == "net":
            return stats.nps(t.promoters, t.passives, t.detractors, effective_n=effective_n)
        return stats.mean(t.n, t.mean, t.sd, *scale, effective_n=effective_n)

    def change(self, now: Tally, before: Tally) -> stats.Change:
        if self.kind == "share":
            return stats.share_change(now.top, now.n, before.top, before.n)
        if self.kind == "net":
            return stats.nps_change(
                (now.promoters, now.passives, now.detractors),
                (before.promoters, before.passives, before.detractors),
            )
        return stats.mean_change(now.n, now.mean, now.sd, before.n, before.mean, before.sd)

    def unit_values(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The per-answer variable a pooled figure averages: 1/0 for a share (positive or
        not), +1/0/-1 for a net score, the answer itself for a mean; NaN stays NaN."""
        import numpy as np

        if self.kind == "share":
            assert self.positive_from is not None
            return np.where(np.isnan(values), np.nan, (values >= self.positive_from) * 1.0)
        if self.kind == "net":
            return np.select(
                [values >= NPS_PROMOTERS_FROM, values >= NPS_PASSIVES_FROM, values >= 0],
                [1.0, 0.0, -1.0],
                np.nan,
            )
        return values

    def unit_sum(self, t: Tally) -> float:
        """The sum of ``unit_values`` over a tally's answers."""
        if self.kind == "share":
            return float(t.top)
        if self.kind == "net":
            return float(t.promoters - t.detractors)
        return t.total

    def unit_square_sum(self, t: Tally) -> float:
        """The sum of the squared ``unit_values`` over a tally's answers."""
        if self.kind == "share":
            return float(t.top)
        if self.kind == "net":
            return float(t.promoters + t.detractors)
        return t.total_sq


METRICS: dict[str, Metric] = {
    m.id: m
    for m in (
        Metric("csat", "share", 4.0),
        Metric("nps", "net", NPS_PROMOTERS_FROM),
        Metric("ces", "mean", None),
        Metric("smiley", "mean", None),
        Metric("mean", "mean", None),
    )
}
"""Every metric services.yaml may name (config.surveys.Metric), by id."""
