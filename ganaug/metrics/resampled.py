"""Tests for units whose training sets overlap (chapter 6): Nadeau & Bengio's corrected
resampled t-test, Dietterich's 5x2cv paired t-test, and the smallest effect a data set resolves.

When every unit trains on a share of ONE data set (random resplits, k-fold), two units' training
sets overlap, so their scores are correlated and the spread of the per-unit differences
understates how much the mean difference would move on a new data set. The plain paired t over
units is then too narrow. Nadeau & Bengio (2003, *Machine Learning* 52:239-281) widen its
variance from ``s**2 / J`` to ``s**2 * (1/J + n_test/n_train)``; Dietterich (1998, *Neural
Computation* 10:1895-1923) instead builds five independent 2-fold splits.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import stats


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (such as 0.95), got {confidence}")


def _check_sizes(n_test: float, n_train: float) -> float:
    if not (n_test > 0 and n_train > 0 and math.isfinite(n_test) and math.isfinite(n_train)):
        raise ValueError(
            f"n_test and n_train must be positive image counts per unit, got {n_test}, {n_train}"
        )
    return n_test / n_train


def _check_differences(differences) -> np.ndarray:
    d = np.asarray(differences, dtype=float)
    if d.ndim != 1 or len(d) < 2:
        raise ValueError(f"need a 1-D list of at least 2 per-unit differences, got shape {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("the differences must not contain NaN or infinite values")
    return d


def corrected_resampled_t(
    differences, n_test: float, n_train: float, confidence: float = 0.95
) -> dict:
    """Nadeau & Bengio's corrected resampled t-test of the mean of per-unit differences.

    For ``J`` paired differences ``d_j`` (arm B minus arm A on unit ``j``) with mean ``m`` and
    standard deviation ``s``, the variance of ``m`` is taken as ``s**2 * (1/J + n_test/n_train)``
    instead of ``s**2 / J``; ``t = m / sqrt(that)`` with ``J - 1`` degrees of freedom. The
    extra ``n_test/n_train`` does not shrink with more units: it is what the units share.

    Parameters
    ----------
    differences : array-like
        One difference per unit.
    n_test, n_train : float
        Test and (real) training images of one unit.
    confidence : float
        Confidence level of the interval.

    Returns
    -------
    dict
        ``estimate`` (the mean difference), ``low``/``high`` (corrected t-interval), ``t``,
        ``p`` (two-sided), ``df`` (``J - 1``), ``se`` (corrected standard error), ``units``.

    Examples
    --------
    >>> result = corrected_resampled_t([0.01, 0.03, 0.02, 0.00, 0.04], n_test=1, n_train=4)
    >>> round(result["estimate"], 3), result["df"], result["low"] < 0 < result["high"]
    (0.02, 4, True)
    """
    _check_confidence(confidence)
    d = _check_differences(differences)
    ratio = _check_sizes(n_test, n_train)
    units, mean, sd = len(d), float(d.mean()), float(d.std(ddof=1))
    se = sd * math.sqrt(1 / units + ratio)
    df = units - 1
    half = float(stats.t.ppf(0.5 + confidence / 2, df)) * se
    if se <= 1e-12 * max(1.0, abs(mean)):  # equal differences: no spread to test against
        t, p = math.nan, math.nan
    else:
        t = mean / se
        p = float(2 * stats.t.sf(abs(t), df))
    return {
        "estimate": mean,
        "low": mean - half,
        "high": mean + half,
        "t": t,
        "p": p,
        "df": df,
        "se": se,
        "units": units,
    }


def five_by_two_cv_t(table) -> dict:
    """Dietterich's 5x2cv paired t-test from its 5 x 2 table of differences.

    Row ``i`` holds the differences ``p_i1, p_i2`` (arm B minus arm A) on the two folds of
    replication ``i`` (each fold trains on one half and tests on the other). With
    ``s_i**2 = (p_i1 - pbar_i)**2 + (p_i2 - pbar_i)**2``::

        t = p_11 / sqrt(sum(s_i**2) / 5),   compared with t on 5 degrees of freedom.

    Returns
    -------
    dict
        ``t``, ``p`` (two-sided), ``df`` (5), ``numerator`` (``p_11``), ``mean`` (of all ten
        differences, for reporting).

    Examples
    --------
    >>> table = [[1, -1], [2, 0], [0, 2], [1, 1], [3, 1]]
    >>> round(five_by_two_cv_t(table)["t"], 4)  # 1 / sqrt((2 + 2 + 2 + 0 + 2) / 5)
    0.7906
    """
    p = np.asarray(table, dtype=float)
    if p.shape != (5, 2):
        raise ValueError(
            f"the table must be 5 x 2 (five replications of 2-fold cross-validation), "
            f"got shape {p.shape}"
        )
    if not np.all(np.isfinite(p)):
        raise ValueError("the table must not contain NaN or infinite values")
    variances = ((p - p.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    denominator = math.sqrt(variances.sum() / 5)
    if denominator == 0:
        raise ValueError("every replication's two differences are equal: no spread to test")
    t = float(p[0, 0] / denominator)
    return {
        "t": t,
        "p": float(2 * stats.t.sf(abs(t), 5)),
        "df": 5,
        "numerator": float(p[0, 0]),
        "mean": float(p.mean()),
    }


def corrected_half_width(
    sd: float, units: int, n_test: float, n_train: float, confidence: float = 0.95
) -> float:
    """Half-width of the corrected interval for ``units`` units with differences of spread ``sd``.

    Examples
    --------
    >>> round(corrected_half_width(0.04, 10, n_test=1, n_train=4), 4)  # 2.262*0.04*sqrt(.35)
    0.0535
    """
    _check_confidence(confidence)
    ratio = _check_sizes(n_test, n_train)
    if not sd >= 0 or units < 2:
        raise ValueError(f"need sd >= 0 and at least 2 units, got sd={sd}, units={units}")
    return float(stats.t.ppf(0.5 + confidence / 2, units - 1) * sd * math.sqrt(1 / units + ratio))


def smallest_resolvable_effect(
    sd: float, n_test: float, n_train: float, confidence: float = 0.95
) -> float:
    """The half-width the corrected interval never goes below, however many units are run.

    As ``J`` grows, ``t(J-1) * sd * sqrt(1/J + n_test/n_train)`` falls to
    ``z * sd * sqrt(n_test/n_train)``: a mean difference smaller than this can never be told
    from zero on this data set with this protocol. Only more data (or a new data set) helps.
    ``sd`` is the standard deviation of the per-unit differences.

    Examples
    --------
    >>> round(smallest_resolvable_effect(0.04, n_test=1, n_train=4), 4)  # 1.96 * 0.04 * 0.5
    0.0392
    """
    _check_confidence(confidence)
    ratio = _check_sizes(n_test, n_train)
    if not (sd >= 0 and math.isfinite(sd)):
        raise ValueError(f"sd must be a non-negative number, got {sd}")
    return float(stats.norm.ppf(0.5 + confidence / 2) * sd * math.sqrt(ratio))


def units_for_half_width(
    sd: float,
    n_test: float,
    n_train: float,
    target: float,
    confidence: float = 0.95,
    max_units: int = 10**9,
) -> int | None:
    """The fewest units whose corrected interval is at most ``target`` wide on each side.

    The corrected half-width ``t(J-1) * sd * sqrt(1/J + n_test/n_train)``
    (:func:`corrected_half_width`) falls as the number of units ``J`` grows, but never below
    :func:`smallest_resolvable_effect`. So a ``target`` at or under that floor is reached by no
    number of units, and the answer is ``None``: only a design with another ``n_test/n_train``
    or a smaller spread (more data) gets there.

    Parameters
    ----------
    sd : float
        Standard deviation of the per-unit differences (as observed in a study).
    n_test, n_train : float
        Test and (real) training images of one unit.
    target : float
        The half-width wanted, in the units of ``sd`` (0.015 for 1.5 points of accuracy).
    confidence : float
        Confidence level of the interval.
    max_units : int
        Give up (``None``) beyond this many units; a target a hair above the floor needs
        astronomically many.

    Returns
    -------
    int or None
        The smallest ``J >= 2`` with ``corrected_half_width(sd, J, ...) <= target``, or
        ``None`` when no ``J`` up to ``max_units`` reaches it.

    Examples
    --------
    >>> units_for_half_width(0.04, n_test=1, n_train=4, target=0.05)  # floor 0.0392
    13
    >>> [round(corrected_half_width(0.04, units, 1, 4), 4) for units in (12, 13)]
    [0.0508, 0.0498]
    >>> units_for_half_width(0.04, n_test=1, n_train=4, target=0.035) is None  # under the floor
    True
    """
    _check_confidence(confidence)
    _check_sizes(n_test, n_train)
    if not (target > 0 and math.isfinite(target)):
        raise ValueError(f"target must be a positive half-width, got {target}")
    if not (sd >= 0 and math.isfinite(sd)):
        raise ValueError(f"sd must be a non-negative number, got {sd}")
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 2:
        raise ValueError(f"max_units must be an integer of at least 2, got {max_units!r}")

    def reaches(units: int) -> bool:
        return corrected_half_width(sd, units, n_test, n_train, confidence) <= target

    if target <= smallest_resolvable_effect(sd, n_test, n_train, confidence):
        return None
    return smallest_units(reaches, max_units)


def smallest_units(reaches: Callable[[int], bool], max_units: int) -> int | None:
    """The smallest number of units ``J >= 2`` for which ``reaches(J)`` holds, where
    ``reaches`` turns true at some ``J`` and stays true above it (a half-width that falls, a
    power that grows); ``None`` when it does not hold up to ``max_units``. Doubles ``J`` until
    it holds, then bisects.

    Examples
    --------
    >>> smallest_units(lambda units: units * units >= 50, 100), smallest_units(bool, 100)
    (8, 2)
    >>> smallest_units(lambda units: units > 1000, 100) is None
    True
    """
    high = 2
    while not reaches(high):
        if high >= max_units:
            return None
        high = min(2 * high, max_units)
    low = high // 2  # does not reach (or is below 2)
    while high - low > 1:
        middle = (low + high) // 2
        if middle >= 2 and reaches(middle):
            high = middle
        else:
            low = middle
    return high
