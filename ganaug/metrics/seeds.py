"""Comparing arms across seeds (chapter 5): paired differences, t-intervals, Wilcoxon, Holm.

Each seed trains every arm on the same split, so the arms of one seed share whatever made that
seed easy or hard. Comparing arm B with arm A seed by seed (the paired difference) removes that
shared part; what remains is the effect of the arm plus noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

#: With fewer seeds than this, the two-sided Wilcoxon signed-rank test cannot reach p < 0.05
#: (its smallest p-value is 2 / 2**n, 0.0625 for 5 seeds), so its p-value is not reported.
MIN_SEEDS_WILCOXON = 6


def _paired_values(a, b) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if set(a.index) != set(b.index):
            raise ValueError(
                f"the two arms have different seeds: {sorted(a.index)} and "
                f"{sorted(b.index)}; compare only the seeds both have"
            )
        b = b.loc[a.index]
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(
            f"a and b must be 1-D with one value per seed, the same seeds in the "
            f"same order; got shapes {a.shape} and {b.shape}"
        )
    if len(a) < 2:
        raise ValueError(
            f"at least 2 seeds are needed for a paired comparison (got {len(a)}): "
            "one seed says nothing about seed-to-seed variation; run more seeds"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must not contain NaN or infinite values")
    return a, b


def paired_seed_difference(a, b, confidence: float = 0.95) -> dict:
    """Compare arm ``b`` with arm ``a`` over the same seeds: ``b - a`` seed by seed.

    Parameters
    ----------
    a, b : array-like or pandas.Series
        One value per seed (such as balanced accuracy). Arrays must list the seeds in the same
        order; two Series are aligned on their index (the seeds).
    confidence : float
        Confidence level of the t-interval.

    Returns
    -------
    dict
        ``differences``, ``n_seeds``, ``mean``, ``sd`` (of the differences), ``low``/``high``
        (t-interval of the mean difference), ``p_ttest`` (``scipy.stats.ttest_rel``),
        ``p_wilcoxon`` (``scipy.stats.wilcoxon``; NaN below :data:`MIN_SEEDS_WILCOXON` seeds)
        and ``note`` (why a p-value is NaN, else empty).

    Examples
    --------
    >>> result = paired_seed_difference([0.60, 0.62, 0.58], [0.61, 0.64, 0.59])
    >>> round(result["mean"], 4), result["low"] < result["mean"] < result["high"]
    (0.0133, True)
    >>> result["note"]
    'Wilcoxon needs at least 6 seeds to be able to reach p < 0.05'
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
            f"Wilcoxon needs at least {MIN_SEEDS_WILCOXON} seeds to be able to reach p < 0.05"
        )
    elif np.all(differences == 0):
        p_wilcoxon = 1.0
    else:
        p_wilcoxon = float(stats.wilcoxon(b, a).pvalue)
    return {
        "differences": differences,
        "n_seeds": n,
        "mean": mean,
        "sd": sd,
        "low": low,
        "high": high,
        "p_ttest": p_ttest,
        "p_wilcoxon": p_wilcoxon,
        "note": "; ".join(notes),
    }


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
    """One row per seed, one column per arm: ``metric`` from a long results table.

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


def compare_arms(
    results: pd.DataFrame,
    baseline: str = "classic",
    metric: str = "balanced_accuracy",
    arms=None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every arm against ``baseline`` on ``metric``, paired by seed, with Holm's correction.

    Parameters
    ----------
    results : pandas.DataFrame
        The long results table (columns ``arm, seed, metric, value``) of a results folder.
    baseline : str
        The arm the others are compared with.
    metric : str
        Which metric to compare.
    arms : list of str, optional
        Arms to compare (default: every other arm in the table, in its order).
    confidence : float
        Confidence level of the t-intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by arm: ``n_seeds``, ``mean_difference`` (arm minus baseline), ``low``,
        ``high``, ``p_ttest``, ``p_holm`` (Holm-adjusted over the arms compared) and
        ``p_wilcoxon``. Only seeds that both arms have are used.

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", "dcgan"] * 3, "seed": [0, 0, 1, 1, 2, 2],
    ...                      "metric": "balanced_accuracy",
    ...                      "value": [0.60, 0.61, 0.58, 0.60, 0.62, 0.62]})
    >>> table = compare_arms(long)
    >>> table.index.tolist(), round(float(table.loc["dcgan", "mean_difference"]), 4)
    (['dcgan'], 0.01)
    """
    table = seed_table(results, metric)
    if baseline not in table.columns:
        raise ValueError(
            f"baseline arm {baseline!r} not in the results; arms: {list(table.columns)}"
        )
    arms = [arm for arm in table.columns if arm != baseline] if arms is None else list(arms)
    unknown = [arm for arm in arms if arm not in table.columns]
    if unknown or not arms:
        raise ValueError(
            f"no arm(s) to compare, or unknown arm(s) {unknown}; arms: {list(table.columns)}"
        )
    rows = {}
    for arm in arms:
        both = table[[baseline, arm]].dropna()
        if len(both) < 2:
            raise ValueError(
                f"{arm!r} and {baseline!r} share {len(both)} seed(s); at least 2 are needed"
            )
        result = paired_seed_difference(both[baseline], both[arm], confidence)
        rows[arm] = {
            key: result[key] for key in ("n_seeds", "mean", "low", "high", "p_ttest", "p_wilcoxon")
        }
    frame = pd.DataFrame.from_dict(rows, orient="index").rename(columns={"mean": "mean_difference"})
    frame.insert(frame.columns.get_loc("p_ttest") + 1, "p_holm", holm_correction(frame["p_ttest"]))
    frame.index.name = "arm"
    return frame
