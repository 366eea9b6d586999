"""Tests for units with overlapping training sets, each against a known answer.

No published example with exact numbers is used. The known answers are: scipy's one-sample t
(the corrected test is that t, rescaled by a known factor), hand arithmetic, and simulations
from models whose truth is known exactly (see each test).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ganaug.metrics import (
    corrected_half_width,
    corrected_resampled_t,
    five_by_two_cv_t,
    holm_correction,
    smallest_resolvable_effect,
)

#: Sizes of one unit of 5-fold cross-validation with 10 % validation: test 20 %, train 70 %.
N_TEST, N_TRAIN = 2, 7


def test_the_correction_rescales_the_plain_t_by_a_known_factor():
    d = np.array([0.012, -0.004, 0.020, 0.007, 0.015, 0.001])
    result = corrected_resampled_t(d, N_TEST, N_TRAIN)
    plain = stats.ttest_1samp(d, 0)
    factor = math.sqrt(1 + len(d) * N_TEST / N_TRAIN)  # (1/J + r) / (1/J) = 1 + J r
    assert result["t"] == pytest.approx(plain.statistic / factor)
    assert result["df"] == plain.df == len(d) - 1
    assert result["p"] == pytest.approx(2 * stats.t.sf(abs(plain.statistic) / factor, len(d) - 1))
    low, high = plain.confidence_interval(0.95)
    assert result["high"] - result["low"] == pytest.approx((high - low) * factor)
    assert result["estimate"] == pytest.approx(d.mean())


def test_by_hand():
    # d = 1, 2, 3, 4, 5 (points): mean 3, sd sqrt(2.5); r = 1/4, so the variance of the mean is
    # 2.5 * (1/5 + 1/4) = 1.125 and t = 3 / sqrt(1.125) = 2.8284 on 4 degrees of freedom.
    result = corrected_resampled_t([1, 2, 3, 4, 5], n_test=1, n_train=4)
    assert result["t"] == pytest.approx(3 / math.sqrt(1.125))
    assert result["high"] - 3 == pytest.approx(2.7764451 * math.sqrt(1.125), rel=1e-6)


def overlapping_differences(rng, draws, units, rho, sigma=0.03, mu=0.01):
    """Per-unit differences whose units share a part: every pair correlates by ``rho``.

    ``d_j = mu + sigma * (sqrt(rho) * z_0 + sqrt(1 - rho) * z_j)``. The spread within a study
    has expectation ``sigma**2 (1 - rho)``, but the mean moves with variance
    ``sigma**2 (rho + (1 - rho)/J)``. With ``rho = n_test / (n_test + n_train)`` (Nadeau &
    Bengio's model of the overlap), ``rho / (1 - rho) = n_test / n_train`` and the corrected
    statistic is exactly t with J - 1 degrees of freedom, so its interval covers ``mu`` in
    95 % of studies, while the plain t's covers far less often.
    """
    shared = rng.standard_normal((draws, 1))
    own = rng.standard_normal((draws, units))
    return mu + sigma * (math.sqrt(rho) * shared + math.sqrt(1 - rho) * own)


def test_the_corrected_interval_covers_while_the_plain_one_does_not():
    rng, mu, units = np.random.default_rng(2003), 0.01, 10
    studies = overlapping_differences(rng, 3000, units, rho=N_TEST / (N_TEST + N_TRAIN), mu=mu)
    corrected = plain = 0
    for d in studies:
        result = corrected_resampled_t(d, N_TEST, N_TRAIN)
        corrected += result["low"] <= mu <= result["high"]
        low, high = stats.ttest_1samp(d, 0).confidence_interval(0.95)
        plain += low <= mu <= high
    # 3000 studies: the standard error of a 95 % coverage is 0.4 points.
    assert corrected / len(studies) == pytest.approx(0.95, abs=0.015)
    assert plain / len(studies) < 0.80  # about 72 % in this model


def test_five_by_two_cv_by_hand():
    # s_i^2 = (p_i1 - p_i2)^2 / 2 = 2, 2, 2, 0, 2; t = p_11 / sqrt(8 / 5) = 1 / sqrt(1.6).
    result = five_by_two_cv_t([[1, -1], [2, 0], [0, 2], [1, 1], [3, 1]])
    assert result["t"] == pytest.approx(1 / math.sqrt(1.6))
    assert result["p"] == pytest.approx(2 * stats.t.sf(1 / math.sqrt(1.6), 5))
    assert result["df"] == 5 and result["mean"] == pytest.approx(1.0)


def test_five_by_two_cv_under_a_known_null():
    # Ten independent N(0, sigma^2) differences: each s_i^2 / sigma^2 is chi-square with 1
    # degree of freedom, so the denominator's sum(s_i^2) / sigma^2 is chi-square with 5.
    rng, sigma = np.random.default_rng(1998), 0.02
    tables = sigma * rng.standard_normal((4000, 5, 2))
    results = [five_by_two_cv_t(table) for table in tables]
    sums = np.array([5 * (r["numerator"] / r["t"]) ** 2 for r in results]) / sigma**2
    for q in (0.5, 0.9):
        assert np.quantile(sums, q) == pytest.approx(stats.chi2.ppf(q, 5), rel=0.06)
    # Dietterich compares t with t(5). That is exact only if p_11 were independent of s_1^2;
    # here they share p_11, which makes the test conservative (about 3 % false alarms at the
    # 5 % level in this model, never more than 5 %).
    alarms = np.mean([r["p"] < 0.05 for r in results])
    assert 0.015 < alarms <= 0.05
    median = np.median(np.abs([r["t"] for r in results]))
    assert median == pytest.approx(stats.t.ppf(0.75, 5), rel=0.1)


def test_holm_by_hand():
    # m = 4. Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04 -> 0.06
    # (step-down: never below the one before). Back in the original order:
    p = [0.01, 0.04, 0.03, 0.005]
    by_hand = [0.03, 0.06, 0.06, 0.02]
    assert holm_correction(p) == pytest.approx(by_hand)
    assert multipletests(p, method="holm")[1] == pytest.approx(by_hand)


def test_the_floor_is_the_limit_of_the_corrected_half_width():
    sd = 0.04
    floor = smallest_resolvable_effect(sd, n_test=1, n_train=4)
    assert floor == pytest.approx(stats.norm.ppf(0.975) * sd * 0.5)
    widths = [corrected_half_width(sd, units, 1, 4) for units in (3, 10, 100, 10_000)]
    assert widths == sorted(widths, reverse=True) and min(widths) > floor
    assert corrected_half_width(sd, 1_000_000, 1, 4) == pytest.approx(floor, rel=1e-3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: corrected_resampled_t([0.1], 1, 4), "at least 2"),
        (lambda: corrected_resampled_t([0.1, np.nan], 1, 4), "NaN"),
        (lambda: corrected_resampled_t([0.1, 0.2], 0, 4), "positive"),
        (lambda: corrected_resampled_t([0.1, 0.2], 1, 4, confidence=95), "confidence"),
        (lambda: five_by_two_cv_t(np.zeros((2, 5))), "5 x 2"),
        (lambda: five_by_two_cv_t(np.ones((5, 2))), "no spread"),
        (lambda: smallest_resolvable_effect(-1, 1, 4), "non-negative"),
        (lambda: corrected_half_width(0.1, 1, 1, 4), "at least 2 units"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_equal_differences_have_no_p_value():
    result = corrected_resampled_t([0.02, 0.02, 0.02], 1, 4)
    assert result["low"] == result["high"] == pytest.approx(0.02)
    assert math.isnan(result["p"])
