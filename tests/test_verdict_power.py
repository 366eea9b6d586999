"""Power in plain accuracy with the sd's interval carried through (issue 36, deliverable 5),
checked against the definitions (chi-square quantiles, statsmodels' TTestPower at these
moderate effects, the floor's formula) on the committed study."""

from __future__ import annotations

import math

import pytest
from scipy import stats
from statsmodels.stats.power import TTestPower

from ganaug.experiment import load_results, unit_sizes
from ganaug.metrics import seed_table
from ganaug.metrics.seeds import sd_interval
from ganaug.verdict.power import SD_CASES, power_display, power_table


@pytest.mark.parametrize("units", [3, 10, 30])
def test_sd_interval_inverts_the_chi_square(units):
    low, high = sd_interval(0.02, units)
    df = units - 1
    # the low end is the sd whose chi-square statistic sits at the upper 2.5 % point, and so on
    assert stats.chi2.cdf(df * 0.02**2 / low**2, df) == pytest.approx(0.975)
    assert stats.chi2.cdf(df * 0.02**2 / high**2, df) == pytest.approx(0.025)
    with pytest.raises(ValueError):
        sd_interval(0.02, 1)


def smallest_units_by_statsmodels(sd, difference):
    n = TTestPower().solve_power(effect_size=difference / sd, alpha=0.05, power=0.8)
    return math.ceil(n)


def test_power_table_of_the_committed_study():
    results = load_results("results/book")
    table = power_table(results)
    n_test, n_train = unit_sizes(results)
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    for metric in ("accuracy", "balanced_accuracy"):
        values = seed_table(results, metric)[["classic", "dcgan"]].dropna()
        sd = float((values["dcgan"] - values["classic"]).std(ddof=1))
        rows = table.loc[metric]
        assert list(rows.index) == list(SD_CASES)
        assert rows.loc["sd as measured", "sd"] == pytest.approx(sd)
        low, high = rows.loc["sd 95 % low", "sd"], rows.loc["sd 95 % high", "sd"]
        assert low < sd < high
        for _, row in rows.iterrows():
            assert row["units_needed_paired"] == smallest_units_by_statsmodels(row["sd"], 0.02)
            assert row["floor"] == pytest.approx(z * row["sd"] * math.sqrt(n_test / n_train))
        assert rows["units_needed_paired"].is_monotonic_increasing
    shown = power_display(table)
    assert shown.index.get_level_values(0)[0] == "plain accuracy"
