"""Across-seed comparisons and power: analytic cases, published values, error rates."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import TTestPower

from ganaug.metrics import (
    MIN_SEEDS_WILCOXON,
    holm_correction,
    paired_seed_difference,
    seed_table,
    units_needed_paired,
)
from ganaug.metrics import test_images_needed as images_needed


def test_t_interval_of_two_seeds_is_the_analytic_one():
    # Differences -1 and +1: mean 0, sd sqrt(2), standard error 1, so mean +- t(0.975, 1).
    result = paired_seed_difference([0.0, 0.0], [-1.0, 1.0])
    t = stats.t.ppf(0.975, df=1)
    assert (result["mean"], result["sd"]) == (0.0, pytest.approx(np.sqrt(2)))
    assert (result["low"], result["high"]) == (pytest.approx(-t), pytest.approx(t))
    assert result["p_ttest"] == pytest.approx(1.0)


def test_t_interval_matches_the_formula_and_pairs_by_seed():
    a = np.array([0.60, 0.55, 0.63, 0.58, 0.61])
    differences = np.array([0.01, 0.02, 0.03, 0.04, 0.05])
    result = paired_seed_difference(a, a + differences)
    half = stats.t.ppf(0.975, 4) * differences.std(ddof=1) / np.sqrt(5)
    assert result["low"] == pytest.approx(0.03 - half)
    assert result["high"] == pytest.approx(0.03 + half)
    assert result["differences"] == pytest.approx(differences)
    # Series are matched by seed, whatever their order.
    seeds = [3, 1, 4, 0, 2]
    shuffled = pd.Series(a + differences, index=seeds).iloc[::-1]
    again = paired_seed_difference(pd.Series(a, index=seeds), shuffled)
    assert again["low"] == pytest.approx(result["low"])


def test_wilcoxon_needs_enough_seeds():
    small = paired_seed_difference(np.zeros(5), np.ones(5))
    assert np.isnan(small["p_wilcoxon"]) and "at least 6" in small["note"]
    assert MIN_SEEDS_WILCOXON == 6
    # Six seeds, all better: the exact two-sided p is 2 / 2**6.
    six = paired_seed_difference(np.zeros(6), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert six["p_wilcoxon"] == pytest.approx(2 / 2**6)
    assert stats.wilcoxon(np.ones(5)).pvalue > 0.05  # why 5 seeds are not enough


def test_equal_differences_have_no_spread_to_test():
    # b - a is 1/3 on both seeds, up to rounding: a t-test would divide by rounding noise.
    result = paired_seed_difference([0.1, 0.7], [0.1 + 1 / 3, 0.7 + 1 / 3])
    assert result["sd"] == 0 and result["low"] == result["high"] == pytest.approx(1 / 3)
    assert np.isnan(result["p_ttest"]) and "no spread" in result["note"]


def test_paired_difference_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2 units"):
        paired_seed_difference([0.6], [0.61])
    with pytest.raises(ValueError, match="same units"):
        paired_seed_difference([0.6, 0.6], [0.61, 0.62, 0.6])
    with pytest.raises(ValueError, match="different units"):
        paired_seed_difference(pd.Series([0.6, 0.6], [0, 1]), pd.Series([0.6, 0.6], [0, 2]))
    with pytest.raises(ValueError, match="NaN"):
        paired_seed_difference([0.6, np.nan], [0.6, 0.6])


def test_holm_correction():
    # Sorted: 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04 raised to 0.06 to keep the order.
    assert holm_correction([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    adjusted = holm_correction([0.2, np.nan, 0.01])
    assert np.isnan(adjusted[1]) and adjusted[[0, 2]] == pytest.approx([0.2, 0.02])
    with pytest.raises(ValueError, match="between 0 and 1"):
        holm_correction([0.5, 1.5])
    with pytest.raises(ValueError, match="non-empty"):
        holm_correction([])


def test_holm_correction_follows_the_step_down_rule():
    # The i-th smallest of m p-values is multiplied by m - i (i from 0), then made
    # non-decreasing along that order, and capped at 1.
    rng = np.random.default_rng(0)
    for size in (2, 5, 11):
        p = rng.uniform(0, 0.2, size)
        order = np.argsort(p)
        stepped = np.minimum(1, np.maximum.accumulate(p[order] * np.arange(size, 0, -1)))
        expected = np.empty(size)
        expected[order] = stepped
        adjusted = holm_correction(p)
        assert adjusted == pytest.approx(expected)
        assert np.all(adjusted >= p)


def _long_results(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        (arm, seed, "balanced_accuracy", v)
        for arm, series in values.items()
        for seed, v in enumerate(series)
    ]
    extra = [(arm, seed, "recall_bcc", 0.5) for arm in values for seed in range(2)]
    return pd.DataFrame(rows + extra, columns=["arm", "seed", "metric", "value"])


def test_seed_table_has_one_row_per_unit():
    results = _long_results({"classic": [0.6, 0.62], "dcgan": [0.61, 0.6]})
    assert seed_table(results).shape == (2, 2)


def test_units_needed_paired_matches_published_sample_sizes():
    # Paired t-test, two-sided alpha 0.05, power 0.8: effect size 0.5 needs 34 pairs and
    # effect size 1 needs 10 (the standard tables, e.g. G*Power).
    assert units_needed_paired(0.04, difference=0.02) == 34
    assert units_needed_paired(0.02, difference=0.02) == 10
    n = units_needed_paired(0.03, difference=0.02)
    power = TTestPower()
    assert power.power(0.02 / 0.03, n, 0.05) >= 0.8 > power.power(0.02 / 0.03, n - 1, 0.05)
    assert units_needed_paired(0.01) < n < units_needed_paired(0.06)
    with pytest.raises(ValueError, match="positive"):
        units_needed_paired(0.0)
    with pytest.raises(ValueError, match="non-zero"):
        units_needed_paired(0.02, difference=0)


def test_images_needed_for_independent_test_sets_is_the_arcsine_formula():
    h = 2 * np.arcsin(np.sqrt(0.61)) - 2 * np.arcsin(np.sqrt(0.59))
    # Each proportion's arcsine has variance 1 / n, so their difference 2 / n.
    closed_form = 2 * ((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / h) ** 2
    assert images_needed(0.59, 0.61) == int(np.ceil(closed_form))


def test_images_needed_for_mcnemar_gives_the_promised_power():
    p_only_b, p_only_a = 0.15, 0.05  # the two models disagree on 20 % of the images
    n = images_needed(0.60, 0.70, discordance=p_only_a + p_only_b)
    assert n == int(np.ceil((1.959964 * np.sqrt(0.2) + 0.841621 * np.sqrt(0.19)) ** 2 / 0.01))
    rng = np.random.default_rng(1)
    cells = rng.multinomial(n, [p_only_a, p_only_b, 1 - p_only_a - p_only_b], size=4000)
    b, c = cells[:, 0], cells[:, 1]
    p = stats.chi2.sf((b - c) ** 2 / (b + c), df=1)
    assert 0.76 <= np.mean(p < 0.05) <= 0.84
    assert images_needed(0.60, 0.70, discordance=0.12) < n  # less disagreement, fewer images
    with pytest.raises(ValueError, match="discordance"):
        images_needed(0.60, 0.70, discordance=0.05)
    with pytest.raises(ValueError, match="different proportions"):
        images_needed(0.6, 0.6)
