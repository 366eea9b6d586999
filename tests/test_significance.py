"""Tests on one test set: McNemar against a published table, the bootstrap's coverage."""

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import balanced_accuracy_score

from ganaug.metrics import (
    bootstrap_balanced_accuracy,
    mcnemar_from_table,
    mcnemar_table,
    mcnemar_test,
    wilson_interval,
)

# Agresti (2002), Categorical Data Analysis, Table 10.1: approval of the prime minister in two
# surveys of the same 1600 people. 794 approve both times, 150 only the first, 86 only the
# second, 570 neither; the book gives McNemar's z^2 = 17.36.
AGRESTI = [[794, 150], [86, 570]]


def test_mcnemar_matches_the_published_example():
    chi2 = mcnemar_from_table(AGRESTI, exact=False, correction=False)
    assert chi2["statistic"] == pytest.approx((150 - 86) ** 2 / (150 + 86))
    assert round(chi2["statistic"], 2) == 17.36
    assert chi2["p_value"] == pytest.approx(stats.chi2.sf(chi2["statistic"], df=1))
    corrected = mcnemar_from_table(AGRESTI, exact=False)
    assert corrected["statistic"] == pytest.approx((150 - 86 - 1) ** 2 / (150 + 86))
    exact = mcnemar_from_table(AGRESTI)
    assert exact["p_value"] == pytest.approx(stats.binomtest(86, 236, 0.5).pvalue)
    assert exact["p_value"] == pytest.approx(2 * stats.binom.cdf(86, 236, 0.5))
    assert (exact["only_a"], exact["only_b"]) == (150, 86)


def test_mcnemar_ignores_the_concordant_cells():
    few = mcnemar_from_table([[0, 9], [3, 0]])["p_value"]
    many = mcnemar_from_table([[500, 9], [3, 400]])["p_value"]
    assert few == many == pytest.approx(stats.binomtest(3, 12).pvalue)
    assert mcnemar_from_table([[10, 4], [4, 10]])["p_value"] == 1.0


def test_mcnemar_test_counts_the_right_images():
    # 5 images both right, 3 only A, 1 only B, 2 both wrong.
    y_true = np.array(["mel"] * 11)
    pred_a = np.array(["mel"] * 5 + ["mel"] * 3 + ["bcc"] * 1 + ["bcc"] * 2)
    pred_b = np.array(["mel"] * 5 + ["bkl"] * 3 + ["mel"] * 1 + ["bkl"] * 2)
    table = mcnemar_table(y_true, pred_a, pred_b)
    assert table.to_numpy().tolist() == [[5, 3], [1, 2]]
    result = mcnemar_test(y_true, pred_a, pred_b, ids_a=range(11), ids_b=range(11))
    assert result["p_value"] == pytest.approx(stats.binomtest(1, 4).pvalue)
    assert (result["n"], result["accuracy_a"], result["accuracy_b"]) == (11, 8 / 11, 6 / 11)


def test_mcnemar_rejects_unpaired_predictions():
    with pytest.raises(ValueError, match="same length"):
        mcnemar_test(["a", "b"], ["a", "b"], ["a"])
    with pytest.raises(ValueError, match="different test images"):
        mcnemar_test(["a", "b"], ["a", "b"], ["a", "a"], ids_a=["x", "y"], ids_b=["x", "z"])
    with pytest.raises(ValueError, match="different test images"):
        mcnemar_test(["a", "b"], ["a", "b"], ["a", "a"], ids_a=["x", "y"], ids_b=["y", "x"])
    with pytest.raises(ValueError, match="both ids_a and ids_b"):
        mcnemar_test(["a"], ["a"], ["a"], ids_a=["x"])
    with pytest.raises(ValueError, match="2x2"):
        mcnemar_from_table([1, 2, 3, 4])
    with pytest.raises(ValueError, match="counts"):
        mcnemar_from_table([[1, -2], [3, 4]])


def _simulated_predictions(rng, counts, recalls):
    y_true = np.repeat(["bcc", "mel"], counts)
    right = rng.random(len(y_true)) < np.repeat(recalls, counts)
    wrong = np.where(y_true == "bcc", "mel", "bcc")
    return y_true, np.where(right, y_true, wrong)


def test_bootstrap_estimate_is_scikit_learns_balanced_accuracy():
    rng = np.random.default_rng(3)
    y_true, y_pred = _simulated_predictions(rng, [40, 120], [0.5, 0.8])
    result = bootstrap_balanced_accuracy(y_true, y_pred, ["bcc", "mel"], n_resamples=500)
    assert result.estimate == pytest.approx(balanced_accuracy_score(y_true, y_pred))
    assert result.low < result.estimate < result.high


def test_bootstrap_covers_a_known_balanced_accuracy_about_95_percent_of_the_time():
    rng = np.random.default_rng(5)
    truth = (0.5 + 0.8) / 2
    hits = []
    for repeat in range(200):
        y_true, y_pred = _simulated_predictions(rng, [60, 140], [0.5, 0.8])
        result = bootstrap_balanced_accuracy(
            y_true, y_pred, ["bcc", "mel"], n_resamples=400, seed=repeat
        )
        hits.append(result.low <= truth <= result.high)
    assert 0.89 <= np.mean(hits) <= 0.99


def test_bootstrap_of_one_class_agrees_with_the_wilson_interval():
    y_true = np.array(["mel"] * 200)
    y_pred = np.where(np.arange(200) < 118, "mel", "bcc")  # 59 % right
    result = bootstrap_balanced_accuracy(y_true, y_pred, ["bcc", "mel"], n_resamples=4000)
    low, high = wilson_interval(118, 200)
    assert result.estimate == 0.59
    assert result.low == pytest.approx(low, abs=0.015)
    assert result.high == pytest.approx(high, abs=0.015)


def test_resampling_whole_lesions_widens_the_interval():
    rng = np.random.default_rng(8)
    y_true, y_pred = _simulated_predictions(rng, [30, 60], [0.5, 0.8])
    # Every lesion photographed three times, with the same outcome each time.
    y_true, y_pred = np.repeat(y_true, 3), np.repeat(y_pred, 3)
    lesions = np.repeat(np.arange(90), 3)
    plain = bootstrap_balanced_accuracy(y_true, y_pred, ["bcc", "mel"], method="percentile")
    grouped = bootstrap_balanced_accuracy(
        y_true, y_pred, ["bcc", "mel"], groups=lesions, method="percentile"
    )
    assert grouped.estimate == plain.estimate
    assert grouped.high - grouped.low > 1.4 * (plain.high - plain.low)  # about sqrt(3) times
    singletons = bootstrap_balanced_accuracy(
        y_true, y_pred, ["bcc", "mel"], groups=np.arange(270), method="percentile"
    )
    assert singletons == plain


def test_bootstrap_of_a_perfect_classifier_has_no_width():
    result = bootstrap_balanced_accuracy(["a", "b"], ["a", "b"], ["a", "b"])
    assert tuple(result) == (1.0, 1.0, 1.0)


def test_bootstrap_rejects_bad_input():
    with pytest.raises(ValueError, match="same length"):
        bootstrap_balanced_accuracy(["a", "b"], ["a"], ["a", "b"])
    with pytest.raises(ValueError, match="one group per test image"):
        bootstrap_balanced_accuracy(["a", "b"], ["a", "a"], ["a", "b"], groups=[1])
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_balanced_accuracy(["a", "b"], ["a", "a"], ["a", "b"], confidence=95)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_balanced_accuracy(["a", "b"], ["a", "a"], ["a", "b"], n_resamples=10)
    with pytest.raises(ValueError, match="not in labels"):
        bootstrap_balanced_accuracy(["a", "c"], ["a", "a"], ["a", "b"])
