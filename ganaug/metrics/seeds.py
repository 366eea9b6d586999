"""Comparing arms across units (chapter 6): paired differences, t-intervals, Wilcoxon, Holm.

Each unit (the ``seed`` column of a results table) trains every arm on the same split, so the
arms of one unit share whatever made that unit easy or hard. Comparing arm B with arm A unit by
unit (the paired difference) removes that shared part; what remains is the effect of the arm
plus noise. Which p-values are corrected together, and how, is decided in one place:
:func:`ganaug.experiment.primary_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

#: With fewer units than this, the two-sided Wilcoxon signed-rank test cannot reach p < 0.05
#: (its smallest p-value is 2 / 2**n, 0.0625 for 5 units), so its p-value is not reported.
MIN_SEEDS_WILCOXON = 6


def _paired_values(a, b) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if set(a.index) != set(b.index):
            raise ValueError(
                f"the two arms have different units: {sorted(a.index)} and "
                f"{sorted(b.index)}; compare only the units both have"
            )
        b = b.loc[a.index]
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            f"a and b must be 1-D with one value per unit, the same units in the "
            f"same order; got shapes {a.shape} and {b.shape}"
        )
    if len(a) < 2:
        raise ValueError(
            f"at least 2 units are needed for a paired comparison (got {len(a)}): "
            "one unit says nothing about unit-to-unit variation; run more units"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must not contain NaN or infinite values")
    return a, b


def paired_seed_difference(a, b, confidence: float = 0.95) -> dict:
    """Compare arm ``b`` with arm ``a`` over the same units: ``b - a`` unit by unit.

    Parameters
    ----------
    a, b : array-like or pandas.Series
        One value per unit (such as balanced accuracy). Arrays must list the units in the same
        order; two Series are aligned on their index (the units).
    confidence : float
        Confidence level of the t-interval.

    Returns
    -------
    dict
        ``differences``, ``units``, ``mean``, ``sd`` (of the differences), ``low``/``high``
        (t-interval of the mean difference), ``p_ttest`` (``scipy.stats.ttest_rel``),
        ``p_wilcoxon`` (``scipy.stats.wilcoxon``; NaN below :data:`MIN_SEEDS_WILCOXON` units)
        and ``note`` (why a p-value is NaN, else empty).

    Examples
    --------
    >>> result = paired_seed_difference([0.60, 0.62, 0.58], [0.61, 0.64, 0.59])
    >>> round(result["mean"], 4), result["low"] < result["mean"] < result["high"]
    (0.0133, True)
    >>> result["note"]
    'Wilcoxon needs at least 6 units to be able to reach p < 0.05'
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (such as 0.95), got {confidence}")
    a, b = _paired_values(a, b)
    differences = b - a
    n, mean, sd = len(differences), float(differences.mean()), float(differences.std(ddof=1))
    notes = []
    if sd <= 1e-12 * max(1.0, abs(mean)):  # equal differences, up to rounding
        sd = 0.0
        low = high = mean
        p_ttest = np.nan
        notes.append("all differences are equal: no spread to test against")
    else:
        test = stats.ttest_rel(b, a)
        low, high = (float(v) for v in test.confidence_interval(confidence))
        p_ttest = float(test.pvalue)
    if n < MIN_SEEDS_WILCOXON:
        p_wilcoxon = np.nan
        notes.append(
            f"Wilcoxon needs at least {MIN_SEEDS_WILCOXON} units to be able to reach p < 0.05"
        )
    elif np.all(differences == 0):
        p_wilcoxon = 1.0
    else:
        p_wilcoxon = float(stats.wilcoxon(b, a).pvalue)
    return {
        "differences": differences,
        "units": n,
        "mean": mean,
        "sd": sd,
        "low": low,
        "high": high,
        "p_ttest": p_ttest,
        "p_wilcoxon": p_wilcoxon,
        "note": "; ".join(notes),
    }


def sd_interval(sd: float, units: int, confidence: float = 0.95) -> tuple[float, float]:
    """The chi-square confidence interval of a standard deviation ``sd`` measured on ``units``
    values (normal data): ``sd * sqrt((J - 1) / q)`` for ``q`` the chi-square quantiles on
    ``J - 1`` degrees of freedom at ``1 - (1 - confidence)/2`` (low end) and
    ``(1 - confidence)/2`` (high end). With 10 units it runs from 0.69 to 1.83 times ``sd``:
    a power calculation built on one study's sd inherits that spread.

    Examples
    --------
    >>> [round(v, 3) for v in sd_interval(1.0, 10)]
    [0.688, 1.826]
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (such as 0.95), got {confidence}")
    if not (sd >= 0 and np.isfinite(sd)) or units < 2:
        raise ValueError(f"need sd >= 0 and at least 2 units, got sd={sd}, units={units}")
    df = units - 1
    tail = (1 - confidence) / 2
    return (
        float(sd * np.sqrt(df / stats.chi2.ppf(1 - tail, df))),
        float(sd * np.sqrt(df / stats.chi2.ppf(tail, df))),
    )


def holm_correction(p_values) -> np.ndarray:
    """Holm's step-down adjustment of p-values for several comparisons (statsmodels).

    With several arms each compared against one baseline, one of them will look "significant"
    by luck far more often than 5 % of the time. Holm's method multiplies the smallest p-value
    by the number of tests, the next by one less, and so on (keeping the order), which holds
    the chance of any false alarm at 5 %. NaN p-values are left out and stay NaN.

    Examples
    --------
    >>> holm_correction([0.01, 0.04, 0.03]).round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or len(p) == 0:
        raise ValueError(f"p_values must be a non-empty 1-D list, got shape {p.shape}")
    known = ~np.isnan(p)
    if np.any((p[known] < 0) | (p[known] > 1)):
        raise ValueError(f"p-values must lie between 0 and 1, got {p[known].tolist()}")
    adjusted = np.full(len(p), np.nan)
    if known.any():
        adjusted[known] = multipletests(p[known], method="holm")[1]
    return adjusted


def seed_table(results: pd.DataFrame, metric: str = "balanced_accuracy") -> pd.DataFrame:
    """One row per unit (``seed``), one column per arm: ``metric`` from a long results table.

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", "dcgan"] * 2, "seed": [0, 0, 1, 1],
    ...                      "metric": "balanced_accuracy", "value": [0.6, 0.61, 0.58, 0.6]})
    >>> seed_table(long).to_numpy().tolist()
    [[0.6, 0.61], [0.58, 0.6]]
    """
    missing = {"arm", "seed", "metric", "value"} - set(results.columns)
    if missing:
        raise ValueError(
            f"results must be the long table (arm, seed, metric, value); "
            f"missing column(s) {sorted(missing)}"
        )
    rows = results[results["metric"] == metric]
    if rows.empty:
        raise ValueError(
            f"no rows for metric {metric!r}; metrics present: {sorted(results['metric'].unique())}"
        )
    if rows.duplicated(["arm", "seed"]).any():
        raise ValueError(f"several values of {metric!r} for one arm and seed")
    table = rows.pivot(index="seed", columns="arm", values="value")
    return table[list(dict.fromkeys(rows["arm"]))]
