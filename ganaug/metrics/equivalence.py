"""Equivalence (chapter 6): can a study rule out a difference of a given size?

"No evidence of a gain" is not "evidence of no gain". Schuirmann's two one-sided tests (TOST)
ask the second question: is the mean difference significantly above ``-margin`` AND
significantly below ``+margin``? Its p-value is the larger of the two one-sided p-values; below
``alpha`` a difference of ``margin`` or more (either way) is *ruled out*, which is the same as
the ``1 - 2 alpha`` interval lying inside ``(-margin, +margin)``. The test is run over units
twice, as the study's intervals are: the plain paired t (these images) and Nadeau and Bengio's
corrected resampled t (new images from the same source,
:func:`ganaug.metrics.corrected_resampled_t`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ganaug.metrics.resampled import _check_differences, _check_sizes

#: The words of a TOST's answer about a difference of the margin or more.
RULED_OUT, NOT_RULED_OUT = "ruled out", "not ruled out"


def tost(mean: float, se: float, df: float, margin: float, alpha: float = 0.05) -> dict:
    """Two one-sided t-tests of a mean difference ``mean`` with standard error ``se`` on ``df``
    degrees of freedom against ``-margin`` and ``+margin``.

    Returns ``p_lower`` (H0: difference <= -margin), ``p_upper`` (H0: difference >= +margin),
    ``p`` (the larger: the TOST p-value), ``low``/``high`` (the ``1 - 2 alpha`` t-interval,
    which lies inside the margins exactly when ``p < alpha``) and ``ruled_out``.

    Examples
    --------
    >>> result = tost(0.002, 0.008, 9, margin=0.02)
    >>> round(result["p"], 4), result["ruled_out"]
    (0.0255, True)
    >>> tost(0.002, 0.02, 9, margin=0.02)["ruled_out"]  # too wide to rule out 2 points
    False
    """
    if not (margin > 0 and math.isfinite(margin)):
        raise ValueError(f"margin must be a positive difference (0.02 for 2 points), got {margin}")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie between 0 and 0.5, got {alpha}")
    if not (se >= 0 and df > 0 and math.isfinite(mean)):
        raise ValueError(f"need se >= 0, df > 0 and a finite mean, got {se}, {df}, {mean}")
    if se == 0:  # no spread: the difference is known exactly
        inside = abs(mean) < margin
        p_lower = 0.0 if mean > -margin else 1.0
        p_upper = 0.0 if mean < margin else 1.0
        low = high = mean
    else:
        p_lower = float(stats.t.sf((mean + margin) / se, df))
        p_upper = float(stats.t.cdf((mean - margin) / se, df))
        half = float(stats.t.ppf(1 - alpha, df)) * se
        low, high = mean - half, mean + half
        inside = max(p_lower, p_upper) < alpha
    return {
        "estimate": float(mean),
        "margin": float(margin),
        "p_lower": p_lower,
        "p_upper": p_upper,
        "p": max(p_lower, p_upper),
        "low": low,
        "high": high,
        "ruled_out": bool(inside),
    }


def tost_paired(differences, margin: float = 0.02, alpha: float = 0.05) -> dict:
    """TOST of the mean of per-unit differences with the plain paired t (``s / sqrt(J)``,
    ``J - 1`` degrees of freedom): can these images rule out a difference of ``margin``?

    Examples
    --------
    >>> d = [0.01, -0.005, 0.0, 0.012, -0.01, 0.004, 0.002, -0.003, 0.006, 0.001]
    >>> result = tost_paired(d, margin=0.02)
    >>> result["ruled_out"], result["units"]
    (True, 10)
    """
    d = _check_differences(differences)
    units = len(d)
    se = float(d.std(ddof=1)) / math.sqrt(units)
    return {**tost(float(d.mean()), se, units - 1, margin, alpha), "units": units}


def tost_corrected(
    differences, n_test: float, n_train: float, margin: float = 0.02, alpha: float = 0.05
) -> dict:
    """TOST of the mean of per-unit differences with Nadeau and Bengio's corrected standard
    error ``s * sqrt(1/J + n_test/n_train)`` (``J - 1`` degrees of freedom): can the study rule
    out a difference of ``margin`` for new images from the same source?

    Examples
    --------
    >>> d = [0.01, -0.005, 0.0, 0.012, -0.01, 0.004, 0.002, -0.003, 0.006, 0.001]
    >>> tost_corrected(d, n_test=1, n_train=4, margin=0.02)["ruled_out"]
    True
    >>> tost_corrected(d, n_test=1, n_train=4, margin=0.005)["ruled_out"]
    False
    """
    d = _check_differences(differences)
    ratio = _check_sizes(n_test, n_train)
    units = len(d)
    se = float(d.std(ddof=1)) * math.sqrt(1 / units + ratio)
    return {**tost(float(d.mean()), se, units - 1, margin, alpha), "units": units}


def equivalence_word(p: float, alpha: float = 0.05) -> str:
    """:data:`RULED_OUT` when a TOST's ``p`` is below ``alpha``, else :data:`NOT_RULED_OUT`
    (a missing p rules nothing out).

    Examples
    --------
    >>> equivalence_word(0.015), equivalence_word(0.11), equivalence_word(float("nan"))
    ('ruled out', 'not ruled out', 'not ruled out')
    """
    return RULED_OUT if float(p) < alpha and not np.isnan(p) else NOT_RULED_OUT
