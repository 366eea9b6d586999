"""Classification metrics and intervals: agreement with scikit-learn and coverage properties."""

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score

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


@pytest.mark.parametrize("k, n, c", [(1, 0, 0.95), (5, 3, 0.95), (1, 3, 1.5)])
def test_wilson_rejects_bad_input(k, n, c):
    with pytest.raises(ValueError):
        wilson_interval(k, n, c)


def test_accuracy_with_interval():
    result = accuracy_with_interval(Y_TRUE, Y_PRED)
    assert result["n"] == 300 and result["low"] < result["accuracy"] < result["high"]


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
