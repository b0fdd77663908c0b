"""Honest statistics for satisfaction scores: point estimates, 95 % intervals and changes.

Pure functions on plain numbers (counts, or a group's n/mean/sd), so a million answers can be
grouped in pandas first and scored here. Definitions follow the project's reference on
satisfaction statistics (Wilson, the NPS variance, Newcombe, Welch), with small-sample methods
where the normal approximation is not to be trusted:

* a share (CSAT "4-5") in percent with the Wilson score interval (any n; never zero width);
* NPS = 100 * (P - D) with the Wald interval from Var = 100^2 * (P + D - (P - D)^2) / n when
  the sample is large (``LARGE_N`` answers, ``MIN_COUNT`` of them outside the biggest group),
  else the adjusted Wald interval (Rocks 2016: 3/4 added to promoters and to detractors, 3 to
  n), which has width also for a unanimous group;
* a mean score with a Student t interval clipped to its scale; a unanimous group (sd 0) gets
  the bound the Wilson interval of "no answer differs" allows, not the point;
* changes between two periods: Newcombe's hybrid score interval for shares, tested with the
  pooled two-proportion z test when every expected count of the 2x2 table is at least
  ``MIN_COUNT`` (Cochran's rule), else with Fisher's exact test; for NPS the Wald z (adjusted
  Wald when either period is small); Welch's t for means.

Every interval is two-sided 95 % (``Z95`` or the t quantile at 0.975). A change may be called
significant only when ``Change.significant`` (p < 0.05) and both samples are big enough (the
caller's ``min_confident``). Empty groups are a caller error: every function raises
``ValueError`` for n == 0 (and for negative or inconsistent counts) instead of returning NaN;
for any valid input every returned number is finite.

``effective_n`` (pooled figures): answers of one respondent are not independent, so a pooled
figure's interval uses the effective sample size of its respondents (Kish's design effect
from the respondent-level variance) instead of the number of answers.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import SupportsIndex

Z95 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution (two-sided 95 %)."""

LARGE_N = 30
"""NPS: fewer answers than this use the adjusted Wald interval and test."""
MIN_COUNT = 5
"""Counts a normal approximation needs: NPS answers outside the biggest group; expected
counts of a 2x2 table (else Fisher's exact test)."""

_ALPHA = 0.05
_NPS_ADD = 0.75  # Rocks (2016): 3/4 promoter and 3/4 detractor added ...
_NPS_ADD_N = 3.0  # ... to a sample 3 answers bigger


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its 95 % interval, in the metric's own units."""

    value: float
    """The point estimate."""
    low: float
    """Lower end of the 95 % interval (never above ``value``)."""
    high: float
    """Upper end of the 95 % interval (never below ``value``)."""
    n: int
    """Number of answers behind the estimate."""
    method: str = field(default="", compare=False)
    """How the interval was computed (``wilson``, ``wald``, ``adjusted wald``, ``t``,
    ``unanimous bound``, ``whole scale``)."""


@dataclass(frozen=True)
class Change:
    """This period minus the previous one, with a 95 % interval and a two-sided test."""

    delta: float
    """This period minus the previous one, in the metric's units (percentage points for
    shares, NPS points, scale points for means)."""
    low: float
    """Lower end of the 95 % interval of the difference."""
    high: float
    """Upper end of the 95 % interval of the difference."""
    z: float
    """Test statistic: z for shares and NPS, Welch's t for means."""
    p: float
    """Two-sided p value."""
    significant: bool
    """``p < 0.05``; only then may a report call the change significant."""
    method: str = field(default="", compare=False)
    """The test: ``pooled z``, ``fisher exact``, ``wald z``, ``adjusted wald z``,
    ``welch t``, ``student t``."""


# --------------------------------------------------------------------------------------------
# helpers


def _count(value: SupportsIndex, name: str) -> int:
    """An answer count as a Python int (numpy integers welcome), never negative."""
    count = operator.index(value)
    if count < 0:
        raise ValueError(f"{name} must be a count >= 0, got {count}")
    return count


def _size(value: SupportsIndex, name: str) -> int:
    """A group size: at least one answer (callers never score empty groups)."""
    size = _count(value, name)
    if size == 0:
        raise ValueError(f"{name} is 0: an empty group has no score (do not score it)")
    return size


def _finite(value: float, name: str) -> float:
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return result


def _clip(value: float, lo: float, hi: float) -> float:
    return min(max(value, lo), hi)


def _normal_p(z: float) -> float:
    """Two-sided p value of a standard normal statistic: 2 * (1 - Phi(|z|)) = erfc(|z|/sqrt 2)."""
    return math.erfc(abs(z) / math.sqrt(2.0))


def _t_p(t: float, df: float) -> float:
    """Two-sided p value of a Student t statistic with ``df`` degrees of freedom."""
    from scipy import stats  # imported on first use: a report without surveys never loads it

    return float(2.0 * stats.t.sf(abs(t), df))


def _t_quantile(df: float) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom."""
    from scipy import stats

    return float(stats.t.ppf(1.0 - _ALPHA / 2.0, df))


def _change(delta: float, low: float, high: float, z: float, p: float, method: str) -> Change:
    # The interval always contains the point even after rounding or clipping.
    return Change(
        delta=delta,
        low=min(low, delta),
        high=max(high, delta),
        z=z,
        p=min(max(p, 0.0), 1.0),
        significant=p < _ALPHA,
        method=method,
    )


def _no_change(delta: float, method: str) -> Change:
    """Zero variance and zero difference: nothing to test (z = 0, p = 1), interval the point."""
    return Change(delta, delta, delta, 0.0, 1.0, False, method)


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson score interval for successes/n as proportions 0..1 (see ``share``)."""
    return _wilson_at(successes / n, float(n), successes == 0, successes == n)


def _wilson_at(p: float, n: float, none: bool, every: bool) -> tuple[float, float]:
    """Wilson interval of a proportion ``p`` observed on ``n`` (possibly effective) answers."""
    z2 = Z95 * Z95
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = Z95 * math.sqrt(max(p * (1.0 - p), 0.0) / n + z2 / (4.0 * n * n)) / denominator
    low = 0.0 if none else _clip(centre - half, 0.0, p)
    high = 1.0 if every else _clip(centre + half, p, 1.0)
    return low, high


def _effective(n: int, effective_n: float | None) -> float:
    """The sample size an interval uses: ``effective_n`` (0 < it <= n) or n."""
    if effective_n is None:
        return float(n)
    value = _finite(effective_n, "effective_n")
    if not 0.0 < value <= n * (1.0 + 1e-12):
        raise ValueError(f"effective_n must be in (0, n = {n}], got {value}")
    return min(value, float(n))


def _nps_unit_variance(promoters: int, detractors: int, n: int) -> float:
    """Per-respondent variance of the NPS score variable (+100 / 0 / -100), ddof 0.

    100^2 * (P + D - (P - D)^2) computed from integers as
    100^2 * ((pr + de) * n - (pr - de)^2) / n^2, so it is exact and never negative.
    """
    numerator = (promoters + detractors) * n - (promoters - detractors) ** 2
    return 10_000.0 * numerator / (n * n)


def _nps_counts(counts: tuple[int, int, int], name: str) -> tuple[int, int, int]:
    if len(counts) != 3:
        raise ValueError(f"{name} must be (promoters, passives, detractors), got {counts!r}")
    promoters = _count(counts[0], f"{name} promoters")
    passives = _count(counts[1], f"{name} passives")
    detractors = _count(counts[2], f"{name} detractors")
    _size(promoters + passives + detractors, f"{name} total answers")
    return promoters, passives, detractors


# --------------------------------------------------------------------------------------------
# one period


def share(successes: int, n: int, *, effective_n: float | None = None) -> Estimate:
    """A share in percent (CSAT: answers 4-5; see metrics.py) with its Wilson score interval.

    Wilson (1927), "Probable inference, the law of succession, and statistical inference",
    JASA 22: with p = successes / n and z = ``Z95``, the interval is

        (p + z^2/2n +- z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n)

    (the same as statsmodels ``proportion_confint(method="wilson")`` and scipy
    ``binomtest(...).proportion_ci(method="wilson")``), returned as percent 0..100. It is
    well defined for p = 0 and p = 1 (the far end is then exactly 0 or 100).

    With ``effective_n`` the interval is the Wilson interval of the same share observed on
    that many answers (a pooled figure's respondents, see the module docstring).

    Raises ``ValueError`` if n == 0 (callers never score empty groups) or the counts are
    negative or ``successes > n``.
    """
    size = _size(n, "n")
    hits = _count(successes, "successes")
    if hits > size:
        raise ValueError(f"successes ({hits}) cannot exceed n ({size})")
    used = _effective(size, effective_n)
    low, high = _wilson_at(hits / size, used, hits == 0, hits == size)
    return Estimate(100.0 * hits / size, 100.0 * low, 100.0 * high, size, "wilson")


def nps(
    promoters: int, passives: int, detractors: int, *, effective_n: float | None = None
) -> Estimate:
    """Net Promoter Score 100 * (P - D) with its 95 % interval.

    P and D are the shares of promoters (9-10) and detractors (0-6) among n answers.
    Large samples (``nps_is_large``): the Wald interval value +- Z95 * sqrt(Var),
    Var = 100^2 * (P + D - (P - D)^2) / n, the variance of the mean of a score that is +100
    for a promoter, 0 for a passive and -100 for a detractor (cybaea.net 2016, "NPS
    confidence intervals"). Small samples, and groups (nearly) all in one category, where
    that variance is 0 or unreliable: the adjusted Wald interval of Rocks (2016, "Interval
    estimation for the Net Promoter Score", The American Statistician 70:365-372), the same
    formula on counts with 3/4 promoter and 3/4 detractor added to a sample 3 answers bigger.
    Clipped to [-100, 100]; it always contains the value. ``effective_n``: see ``share``.

    Raises ``ValueError`` if there are no answers or a count is negative.
    """
    pro, pas, det = _nps_counts((promoters, passives, detractors), "nps")
    size = pro + pas + det
    value = 100.0 * (pro - det) / size
    used = _effective(size, effective_n)
    centre, variance, method = _nps_variance(pro, pas, det, used)
    margin = Z95 * math.sqrt(variance)
    low = _clip(centre - margin, -100.0, value)
    high = _clip(centre + margin, value, 100.0)
    return Estimate(value, low, high, size, method)


def nps_is_large(promoters: float, passives: float, detractors: float) -> bool:
    """Whether the Wald interval and test are trusted: at least ``LARGE_N`` answers, and at
    least ``MIN_COUNT`` of them outside the biggest of the three groups."""
    size = promoters + passives + detractors
    return size >= LARGE_N and size - max(promoters, passives, detractors) >= MIN_COUNT


def _nps_variance(pro: int, pas: int, det: int, used: float) -> tuple[float, float, str]:
    """(the interval's centre, its variance, the method) for counts observed on ``used``
    (effective) answers: Wald on the observed shares when large, else adjusted Wald."""
    size = pro + pas + det
    scale = used / size
    p_, a_, d_ = pro * scale, pas * scale, det * scale
    if nps_is_large(p_, a_, d_):
        centre = 100.0 * (pro - det) / size
        return centre, _nps_unit_variance(pro, det, size) / used, "wald"
    n_adj = used + _NPS_ADD_N
    pa, da = (p_ + _NPS_ADD) / n_adj, (d_ + _NPS_ADD) / n_adj
    variance = 10_000.0 * max(pa + da - (pa - da) ** 2, 0.0) / n_adj
    return 100.0 * (pa - da), variance, "adjusted wald"


def mean(
    n: int, mean: float, sd: float, lo: float, hi: float, *, effective_n: float | None = None
) -> Estimate:
    """A mean score with its Student t 95 % interval, from a group's sufficient statistics.

    ``mean`` +- t(0.975, n - 1) * sd / sqrt(n), with ``sd`` the sample standard deviation
    (ddof = 1, pandas' default), clipped to the answer scale [lo, hi] (1..5, 4..10, 1..7...).
    With sd = 0 (all n answers identical, v) the t interval would be the point; the interval is
    then what the Wilson upper bound u = z^2 / (n + z^2) on the share of differing answers
    allows: [v - u * (v - lo), v + u * (hi - v)]. With n == 1 there is no spread estimate: the
    interval is the whole scale [lo, hi] and ``sd`` is ignored (pandas gives NaN for the std of
    one row, which is accepted here). ``effective_n``: see ``share``.

    Raises ``ValueError`` if n == 0, if lo >= hi, if ``mean`` is not within [lo, hi] or if
    (for n >= 2) ``sd`` is negative or not finite.
    """
    size = _size(n, "n")
    scale_lo = _finite(lo, "lo")
    scale_hi = _finite(hi, "hi")
    if not scale_lo < scale_hi:
        raise ValueError(f"the scale must have lo < hi, got [{lo}, {hi}]")
    value = _finite(mean, "mean")
    if not scale_lo <= value <= scale_hi:
        raise ValueError(f"mean {value} is outside the scale [{scale_lo}, {scale_hi}]")
    if size == 1:
        return Estimate(value, scale_lo, scale_hi, size, "whole scale")
    spread = _finite(sd, "sd")
    if spread < 0.0:
        raise ValueError(f"sd must be >= 0, got {spread}")
    used = _effective(size, effective_n)
    if spread == 0.0:
        bound = Z95 * Z95 / (used + Z95 * Z95)
        low, high = value - bound * (value - scale_lo), value + bound * (scale_hi - value)
        method = "unanimous bound"
    else:
        margin = _t_quantile(max(used - 1.0, 1.0)) * spread / math.sqrt(used)
        low, high, method = value - margin, value + margin, "t"
    return Estimate(value, _clip(low, scale_lo, value), _clip(high, value, scale_hi), size, method)


# --------------------------------------------------------------------------------------------
# change between two periods


def share_change(x1: int, n1: int, x2: int, n2: int) -> Change:
    """Change of a share, current (x1/n1) minus previous (x2/n2), in percentage points.

    Interval: Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for the
    difference between independent proportions", Stat. Med. 17:873-890, method 10). With
    d = p1 - p2 and [l_i, u_i] the Wilson intervals of the two shares:

        low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2)
        high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2)

    Test: the pooled two-proportion z test, z = (p1 - p2) / sqrt(p(1 - p)(1/n1 + 1/n2)) with
    p = (x1 + x2) / (n1 + n2) (equivalent to the uncorrected chi-square test of the 2x2
    table), when every expected count of the table is at least ``MIN_COUNT`` (Cochran's
    rule); otherwise p is that of Fisher's exact test (two-sided, as scipy's
    ``fisher_exact``): 2/5 -> 5/5 gives z = 2.07 but p = 0.167. z is always the pooled z.
    Its variance is 0 only when both periods are all-yes or all-no, i.e. d = 0: then
    z = 0 and p = 1, while the interval stays Newcombe's (not the point: 0/10 vs 0/10 gives
    -27.8..+27.8 points, an honest "cannot tell"). The interval and the test are different
    methods, so in rare borderline cases the interval may exclude 0 while p >= 0.05 or vice
    versa; ``significant`` follows p.

    Raises ``ValueError`` if n1 or n2 is 0 or a count is invalid.
    """
    size1, size2 = _size(n1, "n1"), _size(n2, "n2")
    hits1, hits2 = _count(x1, "x1"), _count(x2, "x2")
    if hits1 > size1 or hits2 > size2:
        raise ValueError(f"successes cannot exceed n: {hits1}/{size1}, {hits2}/{size2}")
    p1, p2 = hits1 / size1, hits2 / size2
    l1, u1 = _wilson(hits1, size1)
    l2, u2 = _wilson(hits2, size2)
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    delta = 100.0 * diff
    pooled = (hits1 + hits2) / (size1 + size2)
    variance = pooled * (1.0 - pooled) * (1.0 / size1 + 1.0 / size2)
    # Zero pooled variance means both periods are all-yes or all-no, hence diff == 0.
    z = diff / math.sqrt(variance) if variance > 0.0 else 0.0
    total, hits = size1 + size2, hits1 + hits2
    expected = min(size1, size2) * min(hits, total - hits) / total
    if expected >= MIN_COUNT or variance <= 0.0:
        p, method = _normal_p(z), "pooled z"
    else:
        # Rows in a fixed order: the same p to the last bit whichever period comes first.
        table = sorted([[hits1, size1 - hits1], [hits2, size2 - hits2]])
        from scipy import stats

        p, method = float(stats.fisher_exact(table).pvalue), "fisher exact"
    return _change(
        delta,
        _clip(100.0 * low, -100.0, 100.0),
        _clip(100.0 * high, -100.0, 100.0),
        z,
        p,
        method,
    )


def nps_change(a: tuple[int, int, int], b: tuple[int, int, int]) -> Change:
    """Change of NPS, current ``a`` minus previous ``b``; each is (promoters, passives, detractors).

    Wald test on independent samples (cybaea.net 2016): with N_i the two scores and
    Var_i = 100^2 * (P_i + D_i - (P_i - D_i)^2) the per-respondent variances,

        z = (N1 - N2) / sqrt(Var1/n1 + Var2/n2),   interval (N1 - N2) +- Z95 * sqrt(...)

    clipped to [-200, 200]. When either period is small (see ``nps_is_large``), both scores
    and variances are Rocks' adjusted ones (3/4 promoter and 3/4 detractor added, n + 3), in
    the spirit of Agresti & Caffo's (2000) adjusted interval for two proportions: the
    variance is then never 0, and a unanimous small group is not "infinitely significant"
    (1 promoter vs 1 detractor: z = 0.94, p = 0.35). ``delta`` is always the observed change.

    Raises ``ValueError`` if a period has no answers or a count is negative.
    """
    pro1, pas1, det1 = _nps_counts(a, "a")
    pro2, pas2, det2 = _nps_counts(b, "b")
    size1, size2 = pro1 + pas1 + det1, pro2 + pas2 + det2
    delta = 100.0 * (pro1 - det1) / size1 - 100.0 * (pro2 - det2) / size2
    if nps_is_large(pro1, pas1, det1) and nps_is_large(pro2, pas2, det2):
        centre = delta
        variance = (
            _nps_unit_variance(pro1, det1, size1) / size1
            + _nps_unit_variance(pro2, det2, size2) / size2
        )
        method = "wald z"
    else:
        n1, n2 = size1 + _NPS_ADD_N, size2 + _NPS_ADD_N
        p1, d1 = (pro1 + _NPS_ADD) / n1, (det1 + _NPS_ADD) / n1
        p2, d2 = (pro2 + _NPS_ADD) / n2, (det2 + _NPS_ADD) / n2
        centre = 100.0 * (p1 - d1) - 100.0 * (p2 - d2)
        variance = 10_000.0 * ((p1 + d1 - (p1 - d1) ** 2) / n1 + (p2 + d2 - (p2 - d2) ** 2) / n2)
        method = "adjusted wald z"
    if variance <= 0.0:  # both large and unanimous in the same way is impossible; guard
        return _no_change(delta, method)
    se = math.sqrt(variance)
    z = centre / se
    margin = Z95 * se
    return _change(
        delta,
        _clip(centre - margin, -200.0, 200.0),
        _clip(centre + margin, -200.0, 200.0),
        z,
        _normal_p(z),
        method,
    )


def mean_change(n1: int, m1: float, sd1: float, n2: int, m2: float, sd2: float) -> Change:
    """Change of a mean score, current (n1, m1, sd1) minus previous (n2, m2, sd2).

    Welch's unequal-variances t test (Welch 1947, Biometrika 34:28-35) with the
    Welch-Satterthwaite degrees of freedom, as scipy ``ttest_ind_from_stats(equal_var=False)``:

        se^2 = sd1^2/n1 + sd2^2/n2
        df   = se^4 / ((sd1^2/n1)^2/(n1 - 1) + (sd2^2/n2)^2/(n2 - 1))
        t    = (m1 - m2) / se,   interval (m1 - m2) +- t(0.975, df) * se

    sd is the sample standard deviation (ddof = 1). The interval is not clipped (the scale is
    not known here; |delta| <= hi - lo holds for the point). Degenerate cases, all finite:

    * a period with n == 1 has no spread estimate (its sd is ignored, NaN accepted): Welch's df
      is undefined, so Student's pooled-variance t test is used (df = n1 + n2 - 2, variance
      from the other period; for n = 1 vs a sample this is Crawford & Howell's 1998 test);
    * no spread in either period (all sd 0, or n == 1 both times): if the means are equal,
      z = 0, p = 1 and the interval is the point; otherwise t and the interval use the
      combined-sample variance of both periods (the variance under "no change", which
      includes the difference itself) with df = max(n1 + n2 - 2, 1).

    Raises ``ValueError`` if n1 or n2 is 0, a mean is not finite, or (for n >= 2) an sd is
    negative or not finite.
    """
    size1, size2 = _size(n1, "n1"), _size(n2, "n2")
    mean1, mean2 = _finite(m1, "m1"), _finite(m2, "m2")
    var1 = _sample_variance(size1, sd1, "sd1")
    var2 = _sample_variance(size2, sd2, "sd2")
    delta = mean1 - mean2
    if size1 >= 2 and size2 >= 2:
        # Welch: both spreads are estimated.
        w1, w2 = var1 / size1, var2 / size2
        variance = w1 + w2
        df = (
            # The usual formula divided through by se^4, so it cannot overflow.
            1.0 / ((w1 / variance) ** 2 / (size1 - 1) + (w2 / variance) ** 2 / (size2 - 1))
            if variance > 0.0
            else 0.0
        )
    else:
        # Student's pooled t: a period with a single answer, the spread from the other one.
        df = float(size1 + size2 - 2)
        within = (size1 - 1) * var1 + (size2 - 1) * var2
        variance = within / df * (1.0 / size1 + 1.0 / size2) if df > 0.0 else 0.0
    method = "welch t" if size1 >= 2 and size2 >= 2 else "student t"
    if not variance > 0.0:  # no spread in either period (or it underflowed)
        if delta == 0.0:
            return _no_change(delta, method)
        # Combined-sample variance (ddof 1) of both periods together, S^2 =
        # n1*n2/(n1 + n2) * delta^2 / (n1 + n2 - 1); then se^2 = S^2 * (1/n1 + 1/n2)
        # = delta^2 / (n1 + n2 - 1), so t = +-sqrt(n1 + n2 - 1) (no squaring, no underflow).
        df = float(max(size1 + size2 - 2, 1))
        t = math.copysign(math.sqrt(size1 + size2 - 1), delta)
        se = abs(delta) / math.sqrt(size1 + size2 - 1)
    else:
        se = math.sqrt(variance)
        t = delta / se
    margin = _t_quantile(df) * se
    return _change(delta, delta - margin, delta + margin, t, _t_p(t, df), method)


def _sample_variance(n: int, sd: float, name: str) -> float:
    """sd^2 for a group of n >= 2; 0 for a single answer (no spread estimate, sd ignored)."""
    if n == 1:
        return 0.0
    spread = _finite(sd, name)
    if spread < 0.0:
        raise ValueError(f"{name} must be >= 0, got {spread}")
    return spread * spread
