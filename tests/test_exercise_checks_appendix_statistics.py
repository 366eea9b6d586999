"""The statistical toolbox's checks (appendix) accept right answers however they are written
and reject near misses."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import balanced_accuracy_score

from ganaug.metrics import (
    bootstrap_balanced_accuracy,
    mcnemar_from_table,
    paired_seed_difference,
)
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.appendix_statistics import (
    check_bootstrap_interval,
    check_mcnemar,
    check_paired_seeds,
)


def _discordant(table):
    return int(table[0][1]), int(table[1][0])


def test_mcnemar_check_accepts_right_answers():
    check_mcnemar(lambda table: mcnemar_from_table(table)["p_value"])
    check_mcnemar(
        lambda table: stats.binomtest(_discordant(table)[0], sum(_discordant(table))).pvalue
    )


def test_mcnemar_check_names_the_mistake():
    def one_sided(table):
        b, c = _discordant(table)
        return stats.binom.cdf(min(b, c), b + c, 0.5)

    def chi_square(table):
        b, c = _discordant(table)
        return stats.chi2.sf((b - c) ** 2 / (b + c), df=1)

    def concordant(table):
        return stats.binomtest(
            int(min(table[0][0], table[1][1])), int(table[0][0] + table[1][1])
        ).pvalue

    with pytest.raises(ExerciseCheckError, match="one-sided"):
        check_mcnemar(one_sided)
    with pytest.raises(ExerciseCheckError, match="chi-square"):
        check_mcnemar(chi_square)
    with pytest.raises(ExerciseCheckError, match="disagree"):
        check_mcnemar(concordant)
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_mcnemar(lambda table: None)


def _percentile_bootstrap(y_true, y_pred, n_resamples=1000, seed=1, q=(2.5, 97.5), stat=None):
    stat = stat or balanced_accuracy_score
    rng = np.random.default_rng(seed)
    samples = [rng.integers(0, len(y_true), len(y_true)) for _ in range(n_resamples)]
    return tuple(np.percentile([stat(y_true[i], y_pred[i]) for i in samples], q))


def test_bootstrap_check_accepts_right_answers():
    labels = ["bcc", "bkl", "mel"]
    check_bootstrap_interval(lambda t, p: bootstrap_balanced_accuracy(t, p, labels)[1:])
    check_bootstrap_interval(_percentile_bootstrap)  # percentile method, other resamples


def test_bootstrap_check_names_the_mistake():
    def accuracy(t, p):
        return np.mean(t == p)

    with pytest.raises(ExerciseCheckError, match="not the balanced accuracy"):
        check_bootstrap_interval(lambda t, p: _percentile_bootstrap(t, p, stat=accuracy))
    with pytest.raises(ExerciseCheckError, match="a 95 % interval is about"):
        check_bootstrap_interval(lambda t, p: _percentile_bootstrap(t, p, q=(5, 95)))

    def without_replacement(t, p):
        rng = np.random.default_rng(0)
        values = []
        for _ in range(200):
            i = rng.permutation(len(t))
            values.append(balanced_accuracy_score(t[i], p[i]))
        return tuple(np.percentile(values, [2.5, 97.5]))

    with pytest.raises(ExerciseCheckError, match="with replacement"):
        check_bootstrap_interval(without_replacement)
    with pytest.raises(ExerciseCheckError, match="shape"):
        check_bootstrap_interval(lambda t, p: 0.6)


BASELINE = [0.61, 0.59, 0.63, 0.57, 0.60, 0.62]
ARMS = {
    "A": [0.622, 0.598, 0.641, 0.579, 0.613, 0.630],
    "B": [0.64, 0.58, 0.655, 0.562, 0.62, 0.623],
}
HELPS = {"A": True, "B": False}


def _library_interval(a, b):
    result = paired_seed_difference(a, b)
    return result["mean"], result["low"], result["high"]


def _scipy_interval(a, b):
    interval = stats.ttest_rel(b, a).confidence_interval()
    return np.mean(np.subtract(b, a)), interval.low, interval.high


def test_paired_seeds_check_accepts_right_answers():
    assert paired_seed_difference(BASELINE, ARMS["A"])["low"] > 0  # the data mean what HELPS says
    assert paired_seed_difference(BASELINE, ARMS["B"])["low"] < 0
    check_paired_seeds(_library_interval, HELPS, BASELINE, ARMS)
    check_paired_seeds(_scipy_interval, HELPS, BASELINE, ARMS)


def test_paired_seeds_check_names_the_mistake():
    def unpaired(a, b):
        interval = stats.ttest_ind(b, a, equal_var=False).confidence_interval()
        return np.mean(b) - np.mean(a), interval.low, interval.high

    def normal(a, b):
        d = np.subtract(b, a)
        half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
        return d.mean(), d.mean() - half, d.mean() + half

    with pytest.raises(ExerciseCheckError, match="independent"):
        check_paired_seeds(unpaired, HELPS, BASELINE, ARMS)
    with pytest.raises(ExerciseCheckError, match="degrees of freedom"):
        check_paired_seeds(normal, HELPS, BASELINE, ARMS)
    with pytest.raises(ExerciseCheckError, match="B: .* no evidence"):
        check_paired_seeds(_library_interval, {"A": True, "B": True}, BASELINE, ARMS)
    with pytest.raises(ExerciseCheckError, match="A: .* evidence of a gain"):
        check_paired_seeds(_library_interval, {"A": False, "B": False}, BASELINE, ARMS)
    with pytest.raises(ExerciseCheckError, match="one True/False per arm"):
        check_paired_seeds(_library_interval, {"A": True}, BASELINE, ARMS)
