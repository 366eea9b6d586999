"""Classification metrics and intervals: agreement with scikit-learn and coverage properties."""

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score
from statsmodels.stats.proportion import proportion_confint

from ganaug.metrics import (
    accuracy_with_interval,
    classification_metrics,
    classification_report_table,
    confusion_table,
    wilson_interval,
)

LABELS = ["bcc", "bkl", "mel"]
RNG = np.random.default_rng(0)
Y_TRUE = RNG.choice(LABELS, 300, p=[0.2, 0.4, 0.4])
Y_PRED = np.where(RNG.random(300) < 0.6, Y_TRUE, RNG.choice(LABELS, 300))


def test_metrics_agree_with_scikit_learn():
    result = classification_metrics(Y_TRUE, Y_PRED, LABELS)
    assert result["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(Y_TRUE, Y_PRED))
    assert result["accuracy"] == pytest.approx(np.mean(Y_TRUE == Y_PRED))
    table = confusion_table(Y_TRUE, Y_PRED, LABELS)
    assert table.to_numpy().sum() == 300
    for code in LABELS:
        assert result["recall"][code] == pytest.approx(
            table.loc[code, code] / table.loc[code].sum()
        )
    report = classification_report_table(Y_TRUE, Y_PRED, LABELS)
    assert report.loc["bcc", "recall"] == pytest.approx(result["recall"]["bcc"])


def test_majority_guess_has_high_accuracy_but_chance_balanced_accuracy():
    y_true = np.array(["mel"] * 80 + ["bcc"] * 20)
    result = classification_metrics(y_true, np.full(100, "mel"), ["bcc", "mel"])
    assert result["accuracy"] == 0.8 and result["balanced_accuracy"] == 0.5


def test_bad_labels_and_shapes_are_rejected():
    with pytest.raises(ValueError, match="not in labels"):
        classification_metrics(["mel"], ["nv"], LABELS)
    with pytest.raises(ValueError, match="same length"):
        confusion_table(["mel"], ["mel", "bcc"], LABELS)


def test_wilson_interval_contains_the_estimate_and_narrows_with_n():
    for k, n in [(0, 10), (5, 10), (10, 10), (590, 1000)]:
        low, high = wilson_interval(k, n)
        assert 0 <= low <= k / n <= high <= 1
    assert np.diff(wilson_interval(59, 100)) > np.diff(wilson_interval(590, 1000))


def test_wilson_interval_covers_about_95_percent():
    rng = np.random.default_rng(1)
    p, n = 0.6, 200
    hits = [
        wilson_interval(k, n)[0] <= p <= wilson_interval(k, n)[1] for k in rng.binomial(n, p, 2000)
    ]
    assert 0.93 <= np.mean(hits) <= 0.97


@pytest.mark.parametrize("n", [1, 2, 7, 20, 100, 263, 739, 10000])
@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.9, 0.95, 0.99, 0.999])
def test_wilson_interval_agrees_with_statsmodels(n, confidence):
    # The hand-written formula is what exercise 2.4 teaches; statsmodels is the reference.
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        expected = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
        assert wilson_interval(k, n, confidence) == pytest.approx(expected, abs=1e-12), (k, n)


@pytest.mark.parametrize(
    "k, n, low, high",
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_wilson_interval_matches_published_examples(k, n, low, high):
    assert wilson_interval(k, n) == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize("k, n, c", [(1, 0, 0.95), (5, 3, 0.95), (1, 3, 1.5)])
def test_wilson_rejects_bad_input(k, n, c):
    with pytest.raises(ValueError):
        wilson_interval(k, n, c)


def test_accuracy_with_interval():
    result = accuracy_with_interval(Y_TRUE, Y_PRED)
    correct = int(np.sum(Y_TRUE == Y_PRED))
    assert result["n"] == 300 and result["accuracy"] == correct / 300
    expected = proportion_confint(correct, 300, alpha=0.05, method="wilson")
    assert (result["low"], result["high"]) == pytest.approx(expected, abs=1e-12)
    # 59 of 100 right: the 95 % Wilson interval is 0.4920 to 0.6813.
    hits = accuracy_with_interval(["a"] * 100, ["a"] * 59 + ["b"] * 41)
    assert hits["accuracy"] == 0.59
    assert (hits["low"], hits["high"]) == pytest.approx((0.4920, 0.6813), abs=5e-5)
    at_90 = accuracy_with_interval(["a"] * 100, ["a"] * 59 + ["b"] * 41, confidence=0.9)
    assert (at_90["low"], at_90["high"]) == pytest.approx(
        proportion_confint(59, 100, alpha=0.1, method="wilson"), abs=1e-12
    )


def test_balanced_accuracy_is_scikit_learns_when_a_class_is_absent():
    from sklearn.metrics import balanced_accuracy_score

    from ganaug.metrics import balanced_accuracy, classification_metrics

    y_true = ["a", "a", "b", "b"]  # class "c" has no test image
    perfect = classification_metrics(y_true, y_true, ["a", "b", "c"])
    assert perfect["balanced_accuracy"] == 1.0 == balanced_accuracy_score(y_true, y_true)
    y_pred = ["a", "c", "b", "a"]
    assert classification_metrics(y_true, y_pred, ["a", "b", "c"])["balanced_accuracy"] == (
        pytest.approx(balanced_accuracy_score(y_true, y_pred))
    )
    assert balanced_accuracy(y_true, y_pred) == pytest.approx(0.5)
