"""Tests for :func:`ganaug.metrics.resampled.units_for_half_width`, against a brute-force search.

The known answer is the definition itself: walk J = 2, 3, ... and stop at the first J whose
corrected half-width is at most the target. The half-width is computed twice, once with the
library's :func:`corrected_half_width` and once from scipy's t quantile by hand, so that a
fault shared by the two library functions would still show.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats

from ganaug.metrics.resampled import (
    corrected_half_width,
    smallest_resolvable_effect,
    units_for_half_width,
)


def half_width_by_hand(sd, units, n_test, n_train, confidence):
    """``t(J-1) * sd * sqrt(1/J + n_test/n_train)``, written out from the formula."""
    quantile = stats.t.ppf(1 - (1 - confidence) / 2, units - 1)
    return quantile * sd * math.sqrt(1 / units + n_test / n_train)


def brute_force(sd, n_test, n_train, target, confidence, limit=20_000):
    """The first J >= 2 whose half-width reaches ``target``, or None up to ``limit``."""
    for units in range(2, limit + 1):
        library = corrected_half_width(sd, units, n_test, n_train, confidence)
        assert library == pytest.approx(
            half_width_by_hand(sd, units, n_test, n_train, confidence), rel=1e-12
        )
        if library <= target:
            return units
    return None


CASES = [
    # sd, n_test, n_train, target, confidence
    (0.04, 1, 4, 0.05, 0.95),
    (0.04, 1, 4, 0.08, 0.95),
    (0.04, 1, 4, 0.5, 0.95),  # J = 2 already
    (0.024, 545.2, 1908.2, 0.03, 0.95),
    (0.024, 738.3, 1715.3, 0.035, 0.95),
    (0.01, 2, 7, 0.0125, 0.90),
    (0.01, 2, 7, 0.016, 0.99),
    (0.03, 100, 10_000, 0.015, 0.95),  # a small test share: the floor is low
    (0.03, 100, 10_000, 0.0065, 0.95),  # close to the floor (0.00588): many units
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in c))
def test_matches_a_brute_force_search(case):
    sd, n_test, n_train, target, confidence = case
    assert smallest_resolvable_effect(sd, n_test, n_train, confidence) < target
    expected = brute_force(sd, n_test, n_train, target, confidence)
    assert expected is not None
    assert units_for_half_width(sd, n_test, n_train, target, confidence) == expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(str(v) for v in c))
def test_the_answer_is_the_first_that_reaches(case):
    sd, n_test, n_train, target, confidence = case
    units = units_for_half_width(sd, n_test, n_train, target, confidence)
    assert half_width_by_hand(sd, units, n_test, n_train, confidence) <= target
    if units > 2:
        assert half_width_by_hand(sd, units - 1, n_test, n_train, confidence) > target


@pytest.mark.parametrize("share", [1.0, 0.999, 0.5])
def test_none_at_or_under_the_floor(share):
    sd, n_test, n_train = 0.024, 738.3, 1715.3
    floor = smallest_resolvable_effect(sd, n_test, n_train)
    assert units_for_half_width(sd, n_test, n_train, share * floor) is None
    # No J of a long walk gets there either.
    assert brute_force(sd, n_test, n_train, share * floor, 0.95, limit=5_000) is None


def test_just_above_the_floor_needs_many_units_but_finitely_many():
    sd, n_test, n_train = 0.03, 1, 4
    target = 1.01 * smallest_resolvable_effect(sd, n_test, n_train)
    units = units_for_half_width(sd, n_test, n_train, target)
    assert units is not None and units > 100
    assert corrected_half_width(sd, units, n_test, n_train) <= target
    assert corrected_half_width(sd, units - 1, n_test, n_train) > target


def test_max_units_gives_up():
    sd, n_test, n_train, target = 0.04, 1, 4, 0.05  # needs 13 units
    assert units_for_half_width(sd, n_test, n_train, target, max_units=12) is None
    assert units_for_half_width(sd, n_test, n_train, target, max_units=13) == 13


def test_no_spread_needs_the_fewest_units():
    assert units_for_half_width(0.0, 1, 4, 0.01) == 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"target": 0},
        {"target": -0.01},
        {"target": math.nan},
        {"sd": -0.01},
        {"sd": math.inf},
        {"confidence": 95},
        {"n_test": 0},
        {"n_train": -5},
        {"max_units": 1},
        {"max_units": 2.5},
    ],
)
def test_refuses_bad_input(kwargs):
    arguments = {"sd": 0.03, "n_test": 1, "n_train": 4, "target": 0.05} | kwargs
    with pytest.raises(ValueError):
        units_for_half_width(**arguments)


def test_the_chapter_table_agrees_with_the_brute_force_search():
    from ganaug.verdict import resolution_table

    designs = {"resampled": (738.3, 1715.3), "5-fold": (545.2, 1908.2), "small test": (1, 9)}
    table = resolution_table(0.024, designs, difference=0.03)
    for name, (n_test, n_train) in designs.items():
        assert table.loc[name, "half_width_floor"] == pytest.approx(
            1.959964 * 0.024 * math.sqrt(n_test / n_train), rel=1e-6
        )
        assert table.loc[name, "floor"] == pytest.approx(  # at 80 % power
            (1.959964 + 0.841621) * 0.024 * math.sqrt(n_test / n_train), rel=1e-6
        )
        got = table.loc[name, "units_needed"]
        assert (got is pd.NA) == (0.03 <= table.loc[name, "floor"])
