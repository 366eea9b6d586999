"""The power functions at large effects (issue 36, item 9), against a reference computed by
numerical integration of scipy's noncentral t density, written out here from the definition:
the power of a two-sided t-test is the mass of the statistic's distribution beyond
``+-t(1 - alpha/2, df)``. The library integrates another representation (the normal tails
averaged over the chi-square), so a fault of either shows as a disagreement.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from ganaug.metrics.power import (
    corrected_power,
    paired_power,
    t_test_power,
    units_needed_corrected,
    units_needed_paired,
)


def reference_power(noncentrality: float, df: int, alpha: float) -> float:
    """``P(|T| > c)`` for ``T`` noncentral t, by quad over its density on both tails."""
    critical = stats.t.ppf(1 - alpha / 2, df)

    def density(t: float) -> float:
        return float(stats.nct.pdf(t, df, noncentrality))

    upper = integrate.quad(density, critical, np.inf, limit=500, epsabs=1e-13)[0]
    lower = integrate.quad(density, -np.inf, -critical, limit=500, epsabs=1e-13)[0]
    return upper + lower


def reference_paired(sd, difference, units, alpha):
    return reference_power(abs(difference) / sd * math.sqrt(units), units - 1, alpha)


def reference_corrected(sd, difference, units, n_test, n_train, alpha):
    se = sd * math.sqrt(1 / units + n_test / n_train)
    return reference_power(abs(difference) / se, units - 1, alpha)


def smallest_by_reference(power_at, power, start=2, limit=200):
    """The first number of units whose reference power reaches ``power``."""
    for units in range(start, limit):
        if power_at(units) >= power:
            return units
    raise AssertionError("no number of units up to the limit reaches the power")


@pytest.mark.parametrize(
    "noncentrality, df, alpha",
    [(0.0, 4, 0.05), (1.5, 3, 0.05), (7.4, 3, 0.01), (11.3, 1, 0.05), (13.9, 2, 0.05),
     (2.9, 33, 0.05), (25.0, 5, 0.01), (0.3, 60, 0.10)],
)  # fmt: skip
def test_t_test_power_matches_the_integrated_density(noncentrality, df, alpha):
    assert t_test_power(noncentrality, df, alpha) == pytest.approx(
        reference_power(noncentrality, df, alpha), abs=1e-9
    )


def test_paired_case_that_raised():
    """``units_needed_paired(0.005, 0.04)`` raised ValueError (statsmodels' root finder got NaN)."""
    needed = units_needed_paired(0.005, 0.04)
    assert needed == smallest_by_reference(lambda j: reference_paired(0.005, 0.04, j, 0.05), 0.8)


def test_paired_case_that_returned_too_few():
    """``units_needed_paired(1.0, 3.7, alpha=0.01, power=0.9)`` returned 4 (power 0.796 there)."""
    needed = units_needed_paired(1.0, 3.7, alpha=0.01, power=0.9)
    expected = smallest_by_reference(lambda j: reference_paired(1.0, 3.7, j, 0.01), 0.9)
    assert needed == expected
    assert (
        reference_paired(1.0, 3.7, needed - 1, 0.01) < 0.9 <= paired_power(1.0, 3.7, needed, 0.01)
    )


def test_corrected_power_that_was_nan():
    """``corrected_power(0.005951, 0.038237, J, 322, 2017)`` was NaN for J = 2, 3, 5, 6."""
    for units in range(2, 7):
        found = corrected_power(0.005951, 0.038237, units, 322, 2017)
        assert math.isfinite(found)
        assert found == pytest.approx(
            reference_corrected(0.005951, 0.038237, units, 322, 2017, 0.05), abs=1e-9
        )


def test_corrected_units_that_were_too_many():
    """``units_needed_corrected(0.008202, 0.037091, 70, 1028, alpha=0.01, power=0.5)`` gave 16
    where 4 units already have power 0.853."""
    args = (0.008202, 0.037091, 70, 1028)
    needed = units_needed_corrected(*args, alpha=0.01, power=0.5)
    expected = smallest_by_reference(
        lambda j: reference_corrected(*args[:2], j, *args[2:], 0.01), 0.5
    )
    assert needed == expected


@pytest.mark.parametrize(
    "sd, difference, alpha, power",
    [(0.04, 0.02, 0.05, 0.8), (0.022, 0.02, 0.05, 0.8), (0.03, 0.01, 0.05, 0.9),
     (0.05, 0.03, 0.01, 0.8)],
)  # fmt: skip
def test_units_needed_paired_at_ordinary_effects(sd, difference, alpha, power):
    needed = units_needed_paired(sd, difference, alpha, power)
    assert reference_paired(sd, difference, needed, alpha) >= power
    assert reference_paired(sd, difference, needed - 1, alpha) < power
