"""Checks for the statistical toolbox's exercises (appendix): McNemar's test, a bootstrap
interval and a paired verdict over seeds."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import stats

from ganaug.metrics import (
    bootstrap_balanced_accuracy,
    mcnemar_from_table,
    paired_seed_difference,
)
from ganaug.teaching.exercises import fail, passed, require_answer, require_array, require_close

#: 2x2 tables [[both right, only A right], [only B right, both wrong]] the McNemar check uses.
MCNEMAR_TABLES = (
    [[794, 150], [86, 570]],
    [[120, 4], [13, 63]],
    [[50, 7], [7, 36]],
    [[9, 0], [5, 1]],
)


def check_mcnemar(student: Callable[[np.ndarray], float]) -> None:
    """Exercise A.1: McNemar's exact two-sided p-value from a 2x2 table.

    Examples
    --------
    >>> check_mcnemar(lambda table: mcnemar_from_table(table)["p_value"])
    Exercise A.1 passed: your p-values match McNemar's exact test on 4 tables
    """
    require_answer("A.1", student, "mcnemar_p")
    for table in MCNEMAR_TABLES:
        table = np.array(table)
        value = require_answer("A.1", student(table.copy()), f"mcnemar_p({table.tolist()})")
        (a, b), (c, d) = table
        expected = mcnemar_from_table(table)["p_value"]
        chi2 = mcnemar_from_table(table, exact=False, correction=False)["p_value"]
        mistakes = {
            "that is one-sided; the question is whether either model is better, so count both "
            "tails (double the smaller one, at most 1)": min(expected, 1.0) / 2,
            "only the images on which the two models disagree count (the off-diagonal cells), "
            "not those both got right or both got wrong": stats.binomtest(min(a, d), a + d).pvalue,
            "that is the chi-square approximation; the exact test is a binomial test of the "
            "smaller discordant count out of both, with probability 1/2": chi2,
        }
        hint = "p = 2 * P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2), capped at 1"
        require_close(
            "A.1",
            value,
            expected,
            f"mcnemar_p({table.tolist()})",
            atol=1e-6,
            hint=hint,
            mistakes=mistakes,
        )
    passed("A.1", f"your p-values match McNemar's exact test on {len(MCNEMAR_TABLES)} tables")


def bootstrap_exercise_data() -> tuple[np.ndarray, np.ndarray]:
    """The test set of exercise A.2: 300 images, bcc rare and often missed."""
    rng = np.random.default_rng(52)
    y_true = np.repeat(["bcc", "bkl", "mel"], [45, 125, 130])
    recall = np.repeat([0.4, 0.7, 0.75], [45, 125, 130])
    others = {"bcc": "mel", "bkl": "mel", "mel": "bkl"}
    wrong = np.array([others[code] for code in y_true])
    return y_true, np.where(rng.random(len(y_true)) < recall, y_true, wrong)


def check_bootstrap_interval(student: Callable[[np.ndarray, np.ndarray], Sequence[float]]) -> None:
    """Exercise A.2: a 95 % bootstrap interval for balanced accuracy.

    The check runs ``student(y_true, y_pred)`` on its own test set and compares the interval
    with :func:`ganaug.metrics.bootstrap_balanced_accuracy`. Bootstrap intervals vary a little
    with the resamples and the method (percentile or BCa), so each end may be off by 0.012 and
    the width by about 10 %.

    Examples
    --------
    >>> from ganaug.metrics import bootstrap_balanced_accuracy as library
    >>> check_bootstrap_interval(lambda t, p: library(t, p, ["bcc", "bkl", "mel"])[1:])
    ... # doctest: +ELLIPSIS
    Exercise A.2 passed: ...
    """
    require_answer("A.2", student, "bootstrap_interval")
    y_true, y_pred = bootstrap_exercise_data()
    answer = require_answer("A.2", student(y_true.copy(), y_pred.copy()), "the interval")
    low, high = require_array("A.2", answer, "the interval (low, high)", shape=(2,))
    estimate, want_low, want_high = bootstrap_balanced_accuracy(
        y_true, y_pred, ["bcc", "bkl", "mel"], n_resamples=4000
    )
    accuracy = float(np.mean(y_true == y_pred))
    if not low <= high:
        fail("A.2", f"low ({low:.4f}) must not be above high ({high:.4f})")
    if low <= accuracy <= high and not low <= estimate <= high:
        fail(
            "A.2",
            f"your interval is around the accuracy ({accuracy:.3f}), not the balanced "
            f"accuracy ({estimate:.3f}): average the recall of each class",
        )
    width, want_width = high - low, want_high - want_low
    if width < 0.5 * want_width:
        fail(
            "A.2",
            f"your interval is far too narrow ({width:.4f} wide): draw each resample "
            "with replacement, as many images as the test set has",
        )
    if not 0.91 <= width / want_width <= 1.12:
        fail(
            "A.2",
            f"your interval is {width:.4f} wide, a 95 % interval is about {want_width:.4f}: "
            "take the 2.5th and 97.5th percentiles of at least 1000 resampled balanced accuracies",
        )
    hint = "resample (y_true, y_pred) pairs together, compute the balanced accuracy of each"
    require_close("A.2", [low, high], [want_low, want_high], "the interval", atol=0.012, hint=hint)
    passed("A.2", f"({low:.3f}, {high:.3f}) around a balanced accuracy of {estimate:.3f}")


def _paired_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(53)
    cases = []
    for n, gain in ((8, 0.01), (5, 0.0), (12, 0.02)):
        seed_effect = rng.normal(0.6, 0.03, n)  # shared by both arms of one seed
        cases.append(
            (seed_effect + rng.normal(0, 0.01, n), seed_effect + gain + rng.normal(0, 0.01, n))
        )
    return cases


def check_paired_seeds(
    student: Callable[[np.ndarray, np.ndarray], Sequence[float]],
    helps: Mapping[str, bool],
    baseline: Sequence[float],
    arms: Mapping[str, Sequence[float]],
) -> None:
    """Exercise A.3: the paired 95 % t-interval of ``b - a`` over seeds, and what it says.

    ``student(a, b)`` returns ``(mean, low, high)``; ``helps`` says, for each arm in ``arms``,
    whether it beats ``baseline`` (the interval lies above 0).

    Examples
    --------
    >>> def interval(a, b):
    ...     result = paired_seed_difference(a, b)
    ...     return result["mean"], result["low"], result["high"]
    >>> check_paired_seeds(interval, {"x": False}, [0.6, 0.62, 0.58], {"x": [0.61, 0.61, 0.6]})
    Exercise A.3 passed: your intervals are right, and so is your verdict on each arm
    """
    require_answer("A.3", student, "paired_interval")
    require_answer("A.3", helps, "helps")
    for a, b in _paired_cases() + [
        (np.asarray(baseline, float), np.asarray(v, float)) for v in arms.values()
    ]:
        value = require_answer("A.3", student(a.copy(), b.copy()), "paired_interval(a, b)")
        right = paired_seed_difference(a, b)
        n, difference = len(a), b - a
        z_half = stats.norm.ppf(0.975) * difference.std(ddof=1) / np.sqrt(n)
        welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval()
        mistakes = {
            "that interval treats the two arms as independent samples; pair them: one "
            "difference per seed, then a one-sample t-interval of the differences": (
                right["mean"],
                welch.low,
                welch.high,
            ),
            "use Student's t with n - 1 degrees of freedom, not 1.96: with few seeds the "
            "interval must be wider": (
                right["mean"],
                right["mean"] - z_half,
                right["mean"] + z_half,
            ),
        }
        require_close(
            "A.3",
            value,
            (right["mean"], right["low"], right["high"]),
            f"paired_interval on {n} seeds",
            atol=1e-6,
            mistakes=mistakes,
            hint="mean of b - a +- t(0.975, n - 1) * sd / sqrt(n)",
        )
    if not isinstance(helps, Mapping) or set(helps) != set(arms):
        fail("A.3", f"helps must be a dict with one True/False per arm: {sorted(arms)}")
    for arm, values in arms.items():
        result = paired_seed_difference(baseline, values)
        truth = bool(result["low"] > 0)
        if bool(helps[arm]) != truth:
            interval = f"({result['low']:+.4f}, {result['high']:+.4f})"
            verdict = (
                "lies above 0: that is evidence of a gain"
                if truth
                else "includes 0 (or lies below it): no evidence that it helps, whatever the mean"
            )
            fail("A.3", f"{arm}: its interval {interval} {verdict}")
    passed("A.3", "your intervals are right, and so is your verdict on each arm")
