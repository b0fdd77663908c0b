"""Honest statistics for satisfaction scores: point estimates, 95 % intervals and changes.

Pure functions on plain numbers (counts, or a group's n/mean/sd), so a million answers can be
grouped in pandas first and scored here. Definitions follow
``/work/shared/reference/satisfaction.md``:

* a share (CSAT "4-5", CES "5-7") in percent with the Wilson score interval;
* NPS = 100 * (P - D) with the Wald interval from Var = 100^2 * (P + D - (P - D)^2) / n;
* a mean score with a Student t interval clipped to its scale;
* changes between two periods: Newcombe's hybrid score interval with the pooled two-proportion
  z test for shares, the unpooled Wald z for NPS, Welch's t for means.

Every interval is two-sided 95 % (``Z95`` or the t quantile at 0.975). A change may be called
significant only when ``Change.significant`` (p < 0.05). Empty groups are a caller error: every
function raises ``ValueError`` for n == 0 (and for negative or inconsistent counts) instead of
returning NaN; for any valid input every returned number is finite.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import SupportsIndex

from scipy import stats as _sps

Z95 = 1.959963984540054
"""The 0.975 quantile of the standard normal distribution (two-sided 95 %)."""

_ALPHA = 0.05


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
    return float(2.0 * _sps.t.sf(abs(t), df))


def _t_quantile(df: float) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom."""
    return float(_sps.t.ppf(1.0 - _ALPHA / 2.0, df))


def _change(delta: float, low: float, high: float, z: float, p: float) -> Change:
    # The interval always contains the point even after rounding or clipping.
    return Change(
        delta=delta,
        low=min(low, delta),
        high=max(high, delta),
        z=z,
        p=p,
        significant=p < _ALPHA,
    )


def _no_change(delta: float) -> Change:
    """Zero variance and zero difference: nothing to test (z = 0, p = 1), interval the point."""
    return Change(delta=delta, low=delta, high=delta, z=0.0, p=1.0, significant=False)


def _wilson(successes: int, n: int) -> tuple[float, float]:
    """Wilson score interval for successes/n as proportions 0..1 (see ``share``)."""
    p = successes / n
    z2 = Z95 * Z95
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = Z95 * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    low = 0.0 if successes == 0 else _clip(centre - half, 0.0, p)
    high = 1.0 if successes == n else _clip(centre + half, p, 1.0)
    return low, high


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


def share(successes: int, n: int) -> Estimate:
    """A share in percent (CSAT: answers 4-5; CES: answers 5-7) with its Wilson score interval.

    Wilson (1927), "Probable inference, the law of succession, and statistical inference",
    JASA 22: with p = successes / n and z = ``Z95``, the interval is

        (p + z^2/2n +- z * sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n)

    (the same as statsmodels ``proportion_confint(method="wilson")`` and scipy
    ``binomtest(...).proportion_ci(method="wilson")``), returned as percent 0..100. It is
    well defined for p = 0 and p = 1 (the far end is then exactly 0 or 100).

    Raises ``ValueError`` if n == 0 (callers never score empty groups) or the counts are
    negative or ``successes > n``.
    """
    size = _size(n, "n")
    hits = _count(successes, "successes")
    if hits > size:
        raise ValueError(f"successes ({hits}) cannot exceed n ({size})")
    low, high = _wilson(hits, size)
    return Estimate(value=100.0 * hits / size, low=100.0 * low, high=100.0 * high, n=size)


def nps(promoters: int, passives: int, detractors: int) -> Estimate:
    """Net Promoter Score 100 * (P - D) with its Wald (normal-approximation) 95 % interval.

    P and D are the shares of promoters (9-10) and detractors (0-6) among n answers.
    Var = 100^2 * (P + D - (P - D)^2) / n is the variance of the mean of a score that is
    +100 for a promoter, 0 for a passive and -100 for a detractor (cybaea.net 2016, "NPS
    confidence intervals"); the interval is value +- Z95 * sqrt(Var), clipped to [-100, 100].
    When every answer is in one group (Var = 0) the interval is the point itself: the normal
    approximation has nothing to say then, which is why small groups are flagged by callers.

    Raises ``ValueError`` if there are no answers or a count is negative.
    """
    pro, pas, det = _nps_counts((promoters, passives, detractors), "nps")
    size = pro + pas + det
    value = 100.0 * (pro - det) / size
    margin = Z95 * math.sqrt(_nps_unit_variance(pro, det, size) / size)
    low = _clip(value - margin, -100.0, value)
    high = _clip(value + margin, value, 100.0)
    return Estimate(value=value, low=low, high=high, n=size)


def mean(n: int, mean: float, sd: float, lo: float, hi: float) -> Estimate:
    """A mean score with its Student t 95 % interval, from a group's sufficient statistics.

    ``mean`` +- t(0.975, n - 1) * sd / sqrt(n), with ``sd`` the sample standard deviation
    (ddof = 1, pandas' default), clipped to the answer scale [lo, hi] (1..5, 4..10, 1..7...).
    With sd = 0 (all answers identical) the interval is the point. With n == 1 there is no
    spread estimate: the interval is the whole scale [lo, hi] and ``sd`` is ignored (pandas
    gives NaN for the std of one row, which is accepted here).

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
        return Estimate(value=value, low=scale_lo, high=scale_hi, n=size)
    spread = _finite(sd, "sd")
    if spread < 0.0:
        raise ValueError(f"sd must be >= 0, got {spread}")
    margin = _t_quantile(size - 1) * spread / math.sqrt(size)
    return Estimate(
        value=value,
        low=_clip(value - margin, scale_lo, value),
        high=_clip(value + margin, value, scale_hi),
        n=size,
    )


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
    table). Its variance is 0 only when both periods are all-yes or all-no, i.e. d = 0: then
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
    return _change(
        delta,
        _clip(100.0 * low, -100.0, 100.0),
        _clip(100.0 * high, -100.0, 100.0),
        z,
        _normal_p(z),
    )


def nps_change(a: tuple[int, int, int], b: tuple[int, int, int]) -> Change:
    """Change of NPS, current ``a`` minus previous ``b``; each is (promoters, passives, detractors).

    Wald test on independent samples (cybaea.net 2016): with N_i the two scores and
    Var_i = 100^2 * (P_i + D_i - (P_i - D_i)^2) the per-respondent variances,

        z = (N1 - N2) / sqrt(Var1/n1 + Var2/n2),   interval (N1 - N2) +- Z95 * sqrt(...)

    clipped to [-200, 200]. Degenerate case: when both periods are unanimous (every answer in
    one group, e.g. all promoters now, all passives before) the standard error is 0. If the
    scores are equal then z = 0, p = 1 and the interval is the point; otherwise z and the
    interval use the combined-sample variance (both periods pooled, the variance under "no
    change", as in the pooled two-proportion test), which is positive and keeps tiny unanimous
    groups from looking infinitely significant (1 promoter vs 1 detractor: z = 1.41, p = 0.16).

    Raises ``ValueError`` if a period has no answers or a count is negative.
    """
    pro1, pas1, det1 = _nps_counts(a, "a")
    pro2, pas2, det2 = _nps_counts(b, "b")
    size1, size2 = pro1 + pas1 + det1, pro2 + pas2 + det2
    delta = 100.0 * (pro1 - det1) / size1 - 100.0 * (pro2 - det2) / size2
    variance = (
        _nps_unit_variance(pro1, det1, size1) / size1
        + _nps_unit_variance(pro2, det2, size2) / size2
    )
    if variance <= 0.0:
        if delta == 0.0:
            return _no_change(delta)
        pooled = _nps_unit_variance(pro1 + pro2, det1 + det2, size1 + size2)
        variance = pooled * (1.0 / size1 + 1.0 / size2)
    se = math.sqrt(variance)
    z = delta / se
    margin = Z95 * se
    return _change(
        delta,
        _clip(delta - margin, -200.0, 200.0),
        _clip(delta + margin, -200.0, 200.0),
        z,
        _normal_p(z),
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
    if not variance > 0.0:  # no spread in either period (or it underflowed)
        if delta == 0.0:
            return _no_change(delta)
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
    return _change(delta, delta - margin, delta + margin, t, _t_p(t, df))


def _sample_variance(n: int, sd: float, name: str) -> float:
    """sd^2 for a group of n >= 2; 0 for a single answer (no spread estimate, sd ignored)."""
    if n == 1:
        return 0.0
    spread = _finite(sd, name)
    if spread < 0.0:
        raise ValueError(f"{name} must be >= 0, got {spread}")
    return spread * spread
