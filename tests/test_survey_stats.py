"""kuva_audit.surveys.stats: hand-computed values, independent cross-checks, properties.

Hand arithmetic uses z = Z95 = 1.959964, z^2 = 3.841459.
"""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy import stats as sps
from statsmodels.stats import proportion as sm_proportion

from kuva_audit.surveys.stats import (
    Z95,
    Change,
    Estimate,
    mean,
    mean_change,
    nps,
    nps_change,
    nps_is_large,
    share,
    share_change,
)

A4 = 1e-4  # "to 4 decimals"


def approx4(value: float) -> object:
    return pytest.approx(value, abs=A4)


def width(e: Estimate | Change) -> float:
    return e.high - e.low


# ------------------------------------------------------------------------------------------
# hand-computed values


def test_z95_is_the_normal_quantile() -> None:
    assert pytest.approx(sps.norm.ppf(0.975), abs=1e-15) == Z95


def test_share_wilson_by_hand() -> None:
    e = share(40, 50)
    assert e.n == 50
    assert e.value == approx4(80.0)
    # p = 0.8, z^2/n = 3.841459/50 = 0.076829, denominator 1 + 0.076829 = 1.076829
    # centre = (0.8 + 0.038415) / 1.076829 = 0.778596
    # half = 1.959964 * sqrt(0.8*0.2/50 + 3.841459/(4*2500)) / 1.076829
    #      = 1.959964 * sqrt(0.0032 + 0.000384) / 1.076829 = 1.959964 * 0.059868 / 1.076829
    #      = 0.108967
    assert e.low == approx4(66.9629)  # 100 * (0.778596 - 0.108967)
    assert e.high == approx4(88.7562)  # 100 * (0.778596 + 0.108967)


def test_share_extremes_are_finite_and_reach_the_scale_end() -> None:
    zero = share(0, 10)
    # p = 0: high = 2 * (z^2/2n) / (1 + z^2/n) = 0.384146 / 1.384146 = 0.277533
    assert (zero.value, zero.low) == (0.0, 0.0)
    assert zero.high == approx4(27.7533)
    full = share(10, 10)
    assert (full.value, full.high) == (100.0, 100.0)
    assert full.low == approx4(100 - 27.7533)


def test_nps_by_hand() -> None:
    e = nps(50, 30, 20)
    assert e.n == 100
    assert e.value == approx4(30.0)  # 100 * (0.5 - 0.2)
    # Var = 100^2 * (0.5 + 0.2 - 0.3^2) / 100 = 10000 * 0.61 / 100 = 61
    # margin = 1.959964 * sqrt(61) = 1.959964 * 7.810250 = 15.307808
    assert e.value - e.low == approx4(15.3078)
    assert e.low == approx4(14.6922)
    assert e.high == approx4(45.3078)


def test_nps_unanimous_has_an_interval_not_a_point() -> None:
    # Small or one-sided samples use Rocks' adjusted Wald: 3/4 promoter and 3/4 detractor
    # added to a sample 3 answers bigger. 7 promoters: n' = 10, P' = 0.775, D' = 0.075,
    # centre 0.7, Var = (0.85 - 0.49) / 10 = 0.036, margin = 1.959964 * 0.189737 = 0.371877
    e = nps(7, 0, 0)
    assert (e.value, e.high, e.method) == (100.0, 100.0, "adjusted wald")
    assert e.low == approx4(32.8123)  # 70 - 37.1877
    # 7 passives: P' = D' = 0.075, Var = 0.15 / 10 = 0.015, margin = 0.240046
    e = nps(0, 7, 0)
    assert e.value == 0.0
    assert (e.low, e.high) == (approx4(-24.0046), approx4(24.0046))
    assert nps(0, 0, 7).high == approx4(-32.8123)
    # 9 promoters, 1 detractor: n' = 13, P' = 0.75, D' = 0.134615, centre 0.615385,
    # Var = (0.884615 - 0.378698) / 13 = 0.038917, margin = 0.386652 -> 100.2 clipped to 100
    e = nps(9, 0, 1)
    assert e.value == approx4(80.0)
    assert e.low == approx4(22.8736)
    assert e.high == 100.0
    # 40 promoters: large, but nobody outside one group -> adjusted, not [100, 100]
    e = nps(40, 0, 0)
    assert e.method == "adjusted wald" and e.low < 90.0 and e.high == 100.0


def test_nps_is_large() -> None:
    assert nps_is_large(50, 30, 20)
    assert not nps_is_large(20, 5, 4)  # 29 answers
    assert not nps_is_large(40, 0, 0)  # unanimous
    assert not nps_is_large(36, 4, 0)  # only 4 outside the promoters
    assert nps_is_large(35, 5, 0)
    assert nps(50, 30, 20).method == "wald"


def test_mean_by_hand() -> None:
    e = mean(n=10, mean=3.5, sd=1.2, lo=1, hi=5)
    # se = 1.2 / sqrt(10) = 0.379473; t(0.975, 9) = 2.262157; margin = 0.858428
    assert sps.t.ppf(0.975, 9) == approx4(2.262157)
    assert e.low == approx4(2.6416)  # 3.5 - 0.858428
    assert e.high == approx4(4.3584)  # 3.5 + 0.858428
    assert (e.value, e.n) == (3.5, 10)


def test_mean_clipped_to_scale_and_degenerate_cases() -> None:
    # n = 3, mean 4.8, sd 0.4: t(0.975, 2) = 4.302653, se = 0.230940, margin 0.993640
    e = mean(3, 4.8, 0.4, 1, 5)
    assert e.low == approx4(3.8064)  # 4.8 - 0.993640
    assert e.high == 5.0  # 5.793640 clipped to the scale
    # sd 0 (8 answers of 4): not the point, but the Wilson bound u = z^2 / (n + z^2) on the
    # share of differing answers: u = 3.841459 / 11.841459 = 0.324407, high = 4 + 6u
    e = mean(8, 4.0, 0.0, 4, 10)
    assert (e.value, e.low, e.method) == (4.0, 4.0, "unanimous bound")
    assert e.high == approx4(5.9464)
    e = mean(40, 5.0, 0.0, 1, 5)  # 40 answers of 5: u = 0.087626, low = 5 - 4u
    assert (e.low, e.high) == (approx4(4.6495), 5.0)
    assert mean(1, 7.0, float("nan"), 4, 10) == Estimate(7.0, 4.0, 10.0, 1)  # n 1 -> the scale
    assert mean(1, 2.0, 0.0, 1, 5) == Estimate(2.0, 1.0, 5.0, 1)


def test_mean_matches_scipy_t_interval() -> None:
    low, high = sps.t.interval(0.95, 24, loc=6.3, scale=1.7 / math.sqrt(25))
    e = mean(25, 6.3, 1.7, 0, 10)
    assert e.low == pytest.approx(low, abs=1e-12)
    assert e.high == pytest.approx(high, abs=1e-12)


def test_share_change_significant_by_hand() -> None:
    # Newcombe (1998) Table II example (a): 56/70 vs 48/80, method 10: 0.0524 .. 0.3339.
    c = share_change(56, 70, 48, 80)
    assert c.delta == approx4(20.0)  # 80 % - 60 %
    # Wilson 56/70 = [0.691834, 0.876953]; Wilson 48/80 = [0.490455, 0.700382]
    # low  = 0.2 - sqrt((0.8 - 0.691834)^2 + (0.700382 - 0.6)^2) = 0.2 - 0.147569 = 0.052431
    # high = 0.2 + sqrt((0.876953 - 0.8)^2 + (0.6 - 0.490455)^2) = 0.2 + 0.133873 = 0.333873
    assert c.low == approx4(5.2431)
    assert c.high == approx4(33.3873)
    # pooled p = 104/150 = 0.693333; var = 0.693333 * 0.306667 * (1/70 + 1/80)
    #   = 0.212622 * 0.026786 = 0.005695; se = 0.075467; z = 0.2 / 0.075467 = 2.650172
    assert c.z == approx4(2.6502)
    assert c.p == approx4(0.0080)  # 2 * (1 - Phi(2.650172)) = 0.008045
    assert c.significant


def test_share_change_not_significant_by_hand() -> None:
    # Newcombe (1998) Table II example (d): 5/56 vs 0/29, method 10: -0.0381 .. 0.1926.
    c = share_change(5, 56, 0, 29)
    assert c.delta == approx4(8.9286)  # 100 * 5/56
    assert c.low == approx4(-3.8137)
    assert c.high == approx4(19.2560)
    # pooled p = 5/85 = 0.058824; var = 0.058824 * 0.941176 * (1/56 + 1/29) = 0.0028977
    # se = 0.053830; z = 0.089286 / 0.053830 = 1.658649
    assert c.z == approx4(1.6586)
    # smallest expected count 29 * 5 / 85 = 1.7 < 5: Fisher's exact test, not the z test.
    # P(table) = C(56,5) C(29,0) / C(85,5); two-sided: every table no likelier than it.
    assert c.method == "fisher exact"
    assert c.p == pytest.approx(sps.fisher_exact([[5, 51], [0, 29]]).pvalue, rel=1e-12)
    assert c.p == approx4(0.1606)
    assert not c.significant


def test_small_share_change_is_tested_exactly() -> None:
    # The case: 2/5 -> 5/5. The pooled z (2.07, p = 0.038) would call it
    # significant; Fisher's exact test gives p = 1/6 (hypergeometric: P(5 of the 7 satisfied
    # in the group of 5) = C(5,5) C(5,2) / C(10,7) = 10/120, two-sided twice that).
    c = share_change(5, 5, 2, 5)
    assert c.z == approx4(2.0702)
    assert c.p == pytest.approx(1 / 6, rel=1e-12)
    assert (c.method, c.significant) == ("fisher exact", False)
    assert share_change(56, 70, 48, 80).method == "pooled z"


@pytest.mark.parametrize(
    ("counts", "low", "high"),
    [
        # Newcombe (1998), Stat. Med. 17:873-890, Table II, method 10 (published to 4 places)
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
        ((6, 7, 2, 7), 0.0582, 0.8062),
        ((5, 56, 0, 29), -0.0381, 0.1926),
        ((0, 10, 0, 20), -0.1611, 0.2775),
        ((0, 10, 0, 10), -0.2775, 0.2775),
        ((10, 10, 0, 20), 0.6791, 1.0000),
        ((10, 10, 0, 10), 0.6075, 1.0000),
    ],
)
def test_share_change_matches_newcombe_table(
    counts: tuple[int, int, int, int], low: float, high: float
) -> None:
    c = share_change(*counts)
    assert c.low == pytest.approx(100 * low, abs=0.01)
    assert c.high == pytest.approx(100 * high, abs=0.01)


def test_share_change_zero_variance() -> None:
    # All "no" in both periods: pooled variance 0 and delta 0 -> z 0, p 1; the interval stays
    # Newcombe's -27.7533 .. 27.7533 (each side is the other period's Wilson upper end).
    c = share_change(0, 10, 0, 10)
    assert (c.delta, c.z, c.p, c.significant) == (0.0, 0.0, 1.0, False)
    assert c.low == approx4(-27.7533)
    assert c.high == approx4(27.7533)
    c = share_change(20, 20, 30, 30)
    assert (c.delta, c.z, c.p, c.significant) == (0.0, 0.0, 1.0, False)


def test_nps_change_not_significant_by_hand() -> None:
    c = nps_change((50, 30, 20), (40, 30, 30))
    assert c.delta == approx4(20.0)  # 30 - 10
    # Var1 = 10000 * (0.7 - 0.3^2) = 6100; Var2 = 10000 * (0.7 - 0.1^2) = 6900
    # se = sqrt(6100/100 + 6900/100) = sqrt(130) = 11.401754; z = 20 / 11.401754 = 1.754116
    assert c.z == approx4(1.7541)
    assert c.p == approx4(0.0794)  # 2 * (1 - Phi(1.754116)) = 0.079411
    assert c.low == approx4(-2.3470)  # 20 - 1.959964 * 11.401754 = 20 - 22.347028
    assert c.high == approx4(42.3470)
    assert not c.significant


def test_nps_change_significant_by_hand() -> None:
    c = nps_change((60, 25, 15), (40, 30, 30))
    assert c.delta == approx4(35.0)  # 45 - 10
    # Var1 = 10000 * (0.75 - 0.45^2) = 5475; Var2 = 6900
    # se = sqrt(54.75 + 69) = sqrt(123.75) = 11.124298; z = 35 / 11.124298 = 3.146266
    assert c.z == approx4(3.1463)
    assert c.p == approx4(0.0017)  # 0.001654
    assert c.low == approx4(13.1968)  # 35 - 1.959964 * 11.124298 = 35 - 21.803223
    assert c.high == approx4(56.8032)
    assert c.significant


def test_nps_change_small_samples_use_adjusted_wald() -> None:
    # 1 promoter now, 1 detractor before: each period adjusted (n' = 4; P' = 0.4375,
    # D' = 0.1875 and the reverse): centre 0.25 - (-0.25) = 0.5, Var_i = (0.625 - 0.0625) / 4
    # = 0.140625, se = 100 * sqrt(0.28125) = 53.033009; z = 50 / 53.033009 = 0.942809
    c = nps_change((1, 0, 0), (0, 0, 1))
    assert c.delta == 200.0
    assert c.method == "adjusted wald z"
    assert c.z == approx4(0.9428)
    assert c.p == approx4(0.3458)
    assert c.low == approx4(-53.9428)  # 50 - 1.959964 * 53.033009
    assert c.high == 200.0
    assert not c.significant
    # unanimous but different sizes: observed delta 0, an interval around it, not a point
    same = nps_change((5, 0, 0), (9, 0, 0))
    assert same.delta == 0.0 and same.low < 0.0 < same.high and not same.significant


def test_mean_change_not_significant_by_hand() -> None:
    c = mean_change(10, 3.5, 1.2, 12, 3.0, 0.9)
    assert c.delta == approx4(0.5)
    # w1 = 1.44/10 = 0.144, w2 = 0.81/12 = 0.0675; se = sqrt(0.2115) = 0.459891
    # t = 0.5 / 0.459891 = 1.087213
    # df = 0.2115^2 / (0.144^2/9 + 0.0675^2/11) = 0.044732 / 0.002718 = 16.4565
    # t(0.975, 16.4565) = 2.115136; margin = 2.115136 * 0.459891 = 0.972732
    assert c.z == approx4(1.0872)
    assert c.p == approx4(0.2926)
    assert c.low == approx4(-0.4727)
    assert c.high == approx4(1.4727)
    assert not c.significant


def test_mean_change_significant_by_hand() -> None:
    c = mean_change(40, 4.2, 0.8, 50, 3.7, 0.9)
    assert c.delta == approx4(0.5)
    # w1 = 0.64/40 = 0.016, w2 = 0.81/50 = 0.0162; se = sqrt(0.0322) = 0.179444
    # t = 0.5 / 0.179444 = 2.786391
    # df = 0.0322^2 / (0.016^2/39 + 0.0162^2/49) = 0.00103684 / 0.00001192 = 86.9831
    # t(0.975, 86.9831) = 1.987614; margin = 1.987614 * 0.179444 = 0.356665
    assert c.z == approx4(2.7864)
    assert c.p == approx4(0.0065)
    assert c.low == approx4(0.1433)
    assert c.high == approx4(0.8567)
    assert c.significant


def test_mean_change_matches_scipy_welch() -> None:
    res = sps.ttest_ind_from_stats(3.5, 1.2, 10, 3.0, 0.9, 12, equal_var=False)
    c = mean_change(10, 3.5, 1.2, 12, 3.0, 0.9)
    assert c.z == pytest.approx(res.statistic, rel=1e-12)
    assert c.p == pytest.approx(res.pvalue, rel=1e-12)


def test_mean_change_degenerate_cases() -> None:
    assert mean_change(5, 4.0, 0.0, 7, 4.0, 0.0) == Change(0.0, 0.0, 0.0, 0.0, 1.0, False)
    # no spread, means differ (five 5s vs five 4s): combined-sample variance
    # between = 5*5/10 * 1^2 = 2.5, variance = 2.5 / 9 = 0.277778, se^2 = 0.277778 * 0.4
    # = 0.111111, se = 0.333333, t = 3.0 with df 8: p = 0.017072
    c = mean_change(5, 5.0, 0.0, 5, 4.0, 0.0)
    assert c.z == approx4(3.0)
    assert c.p == approx4(2 * sps.t.sf(3.0, 8))
    assert c.low == approx4(1.0 - sps.t.ppf(0.975, 8) / 3)
    # one answer now: Student's pooled t (Crawford & Howell), variance from the other period
    # se = sqrt(1 * (1/1 + 1/5)) = 1.095445, t = 1 / 1.095445 = 0.912871, df = 4
    c = mean_change(1, 5.0, float("nan"), 5, 4.0, 1.0)
    assert c.z == approx4(0.9129)
    assert c.p == approx4(2 * sps.t.sf(1 / math.sqrt(1.2), 4))
    sample = np.array([4.0, 3.0, 5.0, 4.0, 4.0])  # mean 4, sd sqrt(0.5)
    ref = sps.ttest_ind([5.0], sample, equal_var=True)
    c = mean_change(1, 5.0, 0.0, 5, 4.0, float(sample.std(ddof=1)))
    assert c.z == pytest.approx(ref.statistic)
    assert c.p == pytest.approx(ref.pvalue)
    # one answer in each period: no spread at all, every number still finite
    c = mean_change(1, 5.0, float("nan"), 1, 4.0, float("nan"))
    assert all(math.isfinite(v) for v in (c.delta, c.low, c.high, c.z, c.p))
    assert not c.significant
    assert mean_change(1, 3.0, float("nan"), 1, 3.0, float("nan")).p == 1.0
    # spreads and differences at the edge of floating point: still finite, never a crash
    for args in [
        (2, 1.0, 1e-160, 10**6, 1.0, 1e-170),
        (1, 1.0, 0.0, 10**6, 1.0 + 1e-15, 1e-165),
        (3, 5e-324, 0.0, 4, 0.0, 0.0),
    ]:
        c = mean_change(*args)
        assert all(math.isfinite(v) for v in (c.delta, c.low, c.high, c.z, c.p)), args


# ------------------------------------------------------------------------------------------
# invalid input


@pytest.mark.parametrize(
    "call",
    [
        lambda: share(0, 0),
        lambda: share(-1, 5),
        lambda: share(6, 5),
        lambda: nps(0, 0, 0),
        lambda: nps(-1, 2, 3),
        lambda: mean(0, 3.0, 1.0, 1, 5),
        lambda: mean(5, 6.0, 1.0, 1, 5),
        lambda: mean(5, 3.0, -1.0, 1, 5),
        lambda: mean(5, 3.0, float("nan"), 1, 5),
        lambda: mean(5, 3.0, 1.0, 5, 1),
        lambda: share_change(1, 0, 1, 5),
        lambda: share_change(1, 5, 0, 0),
        lambda: share_change(6, 5, 1, 5),
        lambda: nps_change((0, 0, 0), (1, 1, 1)),
        lambda: nps_change((1, 1, 1), (0, 0, 0)),
        lambda: mean_change(0, 3.0, 1.0, 5, 3.0, 1.0),
        lambda: mean_change(5, 3.0, -1.0, 5, 3.0, 1.0),
        lambda: mean_change(5, 3.0, 1.0, 5, float("inf"), 1.0),
    ],
)
def test_invalid_input_raises_value_error(call: object) -> None:
    assert callable(call)
    with pytest.raises(ValueError):
        call()


def test_numpy_integers_are_accepted() -> None:
    # pandas hands over numpy integers; they are typed int in the API but work at run time
    i64: Any = np.int64
    assert share(i64(40), i64(50)) == share(40, 50)
    assert nps(i64(50), np.int32(30), i64(20)) == nps(50, 30, 20)  # type: ignore[arg-type]
    assert type(share(i64(1), i64(2)).n) is int


# ------------------------------------------------------------------------------------------
# independent cross-checks


def test_wilson_matches_scipy_binomtest_for_random_cases() -> None:
    rng = random.Random(20240617)
    for _ in range(1000):
        n = rng.choice([rng.randint(1, 30), rng.randint(1, 1000), rng.randint(1, 200_000)])
        x = rng.randint(0, n)
        ci = sps.binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
        e = share(x, n)
        assert e.low == pytest.approx(100 * ci.low, abs=1e-9), (x, n)
        assert e.high == pytest.approx(100 * ci.high, abs=1e-9), (x, n)


def test_methods_match_statsmodels_and_scipy_on_3000_cases() -> None:
    """Wilson (statsmodels proportion_confint), Newcombe's hybrid score interval (statsmodels
    confint_proportions_2indep "newcomb"), the pooled z test (statsmodels proportions_ztest)
    or else Fisher's exact test (scipy), the t interval and Welch's t test (scipy)."""
    rng = np.random.default_rng(3000)
    n1, n2 = rng.integers(1, 3001, 3000), rng.integers(1, 3001, 3000)
    x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    w_low, w_high = sm_proportion.proportion_confint(x1, n1, method="wilson")
    d_low, d_high = sm_proportion.confint_proportions_2indep(
        x1, n1, x2, n2, method="newcomb", compare="diff"
    )
    m1, m2 = rng.uniform(1, 5, 3000), rng.uniform(1, 5, 3000)
    sd1, sd2 = rng.uniform(0.1, 2, 3000), rng.uniform(0.1, 2, 3000)
    welch = sps.ttest_ind_from_stats(m1, sd1, n1, m2, sd2, n2, equal_var=False)
    t_low, t_high = sps.t.interval(0.95, n1 - 1, loc=m1, scale=sd1 / np.sqrt(n1))
    for i in range(3000):
        e = share(int(x1[i]), int(n1[i]))
        assert e.low == pytest.approx(100 * w_low[i], abs=1e-10)
        assert e.high == pytest.approx(100 * w_high[i], abs=1e-10)
        c = share_change(int(x1[i]), int(n1[i]), int(x2[i]), int(n2[i]))
        assert c.low == pytest.approx(max(100 * d_low[i], -100), abs=1e-10)
        assert c.high == pytest.approx(min(100 * d_high[i], 100), abs=1e-10)
        if c.method == "fisher exact":
            table = [[x1[i], n1[i] - x1[i]], [x2[i], n2[i] - x2[i]]]
            assert c.p == pytest.approx(sps.fisher_exact(table).pvalue, rel=1e-10)
        elif i % 10 == 0 and 0 < c.p < 1:  # proportions_ztest takes one case a call
            z, p = sm_proportion.proportions_ztest([x1[i], x2[i]], [n1[i], n2[i]])
            assert c.z == pytest.approx(z, rel=1e-10)
            assert c.p == pytest.approx(p, rel=1e-9, abs=1e-300)
        if n1[i] >= 2 and n2[i] >= 2:
            t = mean_change(int(n1[i]), m1[i], sd1[i], int(n2[i]), m2[i], sd2[i])
            assert t.z == pytest.approx(welch.statistic[i], rel=1e-10)
            assert t.p == pytest.approx(welch.pvalue[i], rel=1e-8, abs=1e-300)
            m = mean(int(n1[i]), m1[i], sd1[i], -1e9, 1e9)
            assert m.low == pytest.approx(t_low[i], abs=1e-10)
            assert m.high == pytest.approx(t_high[i], abs=1e-10)


def test_wilson_is_the_inverted_score_test() -> None:
    """The Wilson ends are the p0 where the score statistic |x/n - p0| / sqrt(p0(1-p0)/n) = z."""
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 5000)
        x = rng.randint(0, n)
        phat = x / n

        def excess(p0: float, phat: float = phat, n: int = n) -> float:
            return (phat - p0) ** 2 - Z95**2 * p0 * (1 - p0) / n

        e = share(x, n)
        # excess < 0 strictly inside the interval, > 0 outside; p0 = phat is a root only at
        # phat = 0 or 1, so step just inside there.
        inside_low, inside_high = min(phat, 1 - 1e-12), max(phat, 1e-12)
        low = 0.0 if x == 0 else optimize.brentq(excess, 1e-300, inside_low, xtol=1e-15)
        high = 1.0 if x == n else optimize.brentq(excess, inside_high, 1 - 1e-16, xtol=1e-15)
        assert e.low == pytest.approx(100 * low, abs=1e-8), (x, n)
        assert e.high == pytest.approx(100 * high, abs=1e-8), (x, n)


def test_share_change_test_matches_scipy() -> None:
    """Chi-square (= pooled z) when every expected count is >= 5, else Fisher's exact test."""
    rng = random.Random(11)
    for _ in range(300):
        n1, n2 = rng.randint(2, 500), rng.randint(2, 500)
        x1, x2 = rng.randint(1, n1 - 1), rng.randint(1, n2 - 1)
        table = [[x1, n1 - x1], [x2, n2 - x2]]
        chi2, p, _, expected = sps.chi2_contingency(table, correction=False)
        c = share_change(x1, n1, x2, n2)
        assert c.z**2 == pytest.approx(chi2, rel=1e-9)
        if expected.min() >= 5:
            assert c.method == "pooled z"
            assert c.p == pytest.approx(p, rel=1e-7, abs=1e-300)
        else:
            assert c.method == "fisher exact"
            assert c.p == pytest.approx(sps.fisher_exact(table).pvalue, rel=1e-9)


def test_nps_variance_is_that_of_the_score_variable() -> None:
    rng = np.random.default_rng(3)
    for _ in range(100):
        pro, pas, det = (int(v) for v in rng.integers(0, 60, size=3))
        if pro + pas + det == 0:
            continue
        scores = np.repeat([100.0, 0.0, -100.0], [pro, pas, det])
        e = nps(pro, pas, det)
        assert e.value == pytest.approx(scores.mean(), abs=1e-9)
        if nps_is_large(pro, pas, det):
            centre, n = scores.mean(), scores.size
            margin = Z95 * math.sqrt(scores.var(ddof=0) / n)
        else:  # the same on the adjusted sample: 3/4 promoter and 3/4 detractor more
            n = scores.size + 3
            p_, d_ = (pro + 0.75) / n, (det + 0.75) / n
            centre = 100 * (p_ - d_)
            margin = Z95 * 100 * math.sqrt((p_ + d_ - (p_ - d_) ** 2) / n)
        assert e.low == pytest.approx(min(max(centre - margin, -100), e.value), abs=1e-9)
        assert e.high == pytest.approx(max(min(centre + margin, 100), e.value), abs=1e-9)


def test_welch_matches_scipy_on_raw_data() -> None:
    rng = np.random.default_rng(5)
    for _ in range(100):
        a = rng.integers(1, 6, size=int(rng.integers(2, 80))).astype(float)
        b = rng.integers(1, 6, size=int(rng.integers(2, 80))).astype(float)
        if a.std() == 0 and b.std() == 0:
            continue
        ref = sps.ttest_ind(a, b, equal_var=False)
        ci = ref.confidence_interval(0.95)
        c = mean_change(a.size, a.mean(), a.std(ddof=1), b.size, b.mean(), b.std(ddof=1))
        assert c.z == pytest.approx(ref.statistic, rel=1e-9)
        assert c.p == pytest.approx(ref.pvalue, rel=1e-7)
        assert c.low == pytest.approx(ci.low)
        assert c.high == pytest.approx(ci.high)


# ------------------------------------------------------------------------------------------
# properties

counts = st.integers(min_value=0, max_value=100_000)
SCALES = [(1.0, 5.0), (4.0, 10.0), (1.0, 7.0), (1.0, 4.0), (0.0, 100.0), (0.0, 10.0)]


@st.composite
def share_counts(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=1_000_000))
    return draw(st.integers(min_value=0, max_value=n)), n


@st.composite
def nps_counts(draw: st.DrawFn) -> tuple[int, int, int]:
    c = (draw(counts), draw(counts), draw(counts))
    return c if sum(c) else (0, 1, 0)


@st.composite
def mean_stats(draw: st.DrawFn) -> tuple[int, float, float, float, float]:
    lo, hi = draw(st.sampled_from(SCALES))
    n = draw(st.integers(min_value=1, max_value=1_000_000))
    m = draw(st.floats(min_value=lo, max_value=hi))
    sd = draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=hi - lo), st.just(1e-160)))
    return n, m, sd, lo, hi


def finite(obj: Estimate | Change) -> bool:
    values = [obj.low, obj.high]
    values += [obj.value] if isinstance(obj, Estimate) else [obj.delta, obj.z, obj.p]
    return all(math.isfinite(v) for v in values)


@given(share_counts())
def test_share_interval_within_scale_and_contains_point(xn: tuple[int, int]) -> None:
    e = share(*xn)
    assert finite(e)
    assert 0.0 <= e.low <= e.value <= e.high <= 100.0


@given(nps_counts())
def test_nps_interval_within_scale_and_contains_point(c: tuple[int, int, int]) -> None:
    e = nps(*c)
    assert finite(e)
    assert -100.0 <= e.low <= e.value <= e.high <= 100.0
    assert e.n == sum(c)


@given(mean_stats())
def test_mean_interval_within_scale_and_contains_point(
    s: tuple[int, float, float, float, float],
) -> None:
    n, m, sd, lo, hi = s
    e = mean(n, m, sd, lo, hi)
    assert finite(e)
    assert lo <= e.low <= e.value <= e.high <= hi


@given(share_counts())
def test_share_narrows_with_more_answers(xn: tuple[int, int]) -> None:
    x, n = xn
    assert width(share(4 * x, 4 * n)) < width(share(x, n))


@given(nps_counts())
def test_nps_narrows_with_more_answers(c: tuple[int, int, int]) -> None:
    small, big = nps(*c), nps(*(4 * v for v in c))
    assert width(small) > 0.0  # never a point, even for a unanimous group
    if width(big) < 100.0:  # not clipped at both ends of the scale
        assert width(big) < width(small)


@given(mean_stats())
def test_mean_narrows_with_more_answers(s: tuple[int, float, float, float, float]) -> None:
    n, m, sd, lo, hi = s
    small, big = mean(n, m, sd, lo, hi), mean(4 * n, m, sd, lo, hi)
    assert width(big) <= width(small)
    unclipped = lo < small.low and small.high < hi
    if width(small) > 1e-9 and unclipped:  # n >= 2 and sd well above rounding noise
        assert width(big) < width(small)


def check_change(c: Change, swapped: Change, bound: float | None) -> None:
    assert finite(c)
    assert c.significant == (c.p < 0.05)
    assert 0.0 <= c.p <= 1.0
    assert c.low <= c.delta <= c.high
    if bound is not None:
        assert -bound <= c.low and c.high <= bound
    assert swapped.delta == -c.delta
    assert (swapped.low, swapped.high) == (-c.high, -c.low)
    assert swapped.z == -c.z
    assert swapped.p == c.p
    assert swapped.significant == c.significant


@given(share_counts(), share_counts())
def test_share_change_properties(a: tuple[int, int], b: tuple[int, int]) -> None:
    c = share_change(*a, *b)
    check_change(c, share_change(*b, *a), 100.0)


@given(nps_counts(), nps_counts())
def test_nps_change_properties(a: tuple[int, int, int], b: tuple[int, int, int]) -> None:
    c = nps_change(a, b)
    check_change(c, nps_change(b, a), 200.0)


@st.composite
def mean_groups(draw: st.DrawFn) -> tuple[int, float, float]:
    lo, hi = 1.0, 5.0
    n = draw(st.integers(min_value=1, max_value=100_000))
    m = draw(st.floats(min_value=lo, max_value=hi))
    sd = draw(st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=hi - lo)))
    return n, m, (float("nan") if n == 1 else sd)


@settings(max_examples=200)
@given(mean_groups(), mean_groups())
def test_mean_change_properties(a: tuple[int, float, float], b: tuple[int, float, float]) -> None:
    c = mean_change(*a, *b)
    check_change(c, mean_change(*b, *a), None)
