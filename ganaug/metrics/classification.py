"""Classification metrics with their uncertainty (chapters 2 and 6)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics as sk


def _check_labels(y_true, y_pred, labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or len(y_true) == 0:
        raise ValueError(
            f"y_true and y_pred must be non-empty 1-D arrays of the same length, got shapes "
            f"{y_true.shape} and {y_pred.shape}"
        )
    unknown = sorted((set(y_true.tolist()) | set(y_pred.tolist())) - set(labels))
    if unknown:
        raise ValueError(f"label(s) {unknown} not in labels {list(labels)}")
    return y_true, y_pred


def balanced_accuracy(y_true, y_pred) -> float:
    """Mean recall over the classes present in ``y_true`` (scikit-learn's definition).

    A class that never occurs in ``y_true`` has no recall and is left out of the mean, so a
    perfect classifier scores 1.0 even when a class is absent from the test set.

    Examples
    --------
    >>> balanced_accuracy(["a", "a", "a", "b"], ["a", "a", "a", "a"])
    0.5
    >>> balanced_accuracy(["a", "b"], ["a", "b"])  # class "c" absent: still perfect
    1.0
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or len(y_true) == 0:
        raise ValueError("y_true and y_pred must be non-empty 1-D arrays of the same length")
    return float(sk.balanced_accuracy_score(y_true, y_pred))


def classification_metrics(y_true, y_pred, labels: Sequence[str]) -> dict:
    """Accuracy, balanced accuracy, macro-F1, and recall and precision per class.

    Balanced accuracy is scikit-learn's: the mean recall over the classes present in
    ``y_true`` (:func:`balanced_accuracy`). Recall and precision are reported for every entry
    of ``labels`` (0.0 for a class with no images); macro-F1 averages F1 over ``labels``.

    Examples
    --------
    >>> result = classification_metrics(["a", "a", "a", "b"], ["a", "a", "a", "a"], ["a", "b"])
    >>> result["accuracy"], result["balanced_accuracy"], result["recall"]
    (0.75, 0.5, {'a': 1.0, 'b': 0.0})
    """
    y_true, y_pred = _check_labels(y_true, y_pred, labels)
    labels = list(labels)
    recall = sk.recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    precision = sk.precision_score(y_true, y_pred, labels=labels, average=None, zero_division=0)
    macro_f1 = sk.f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)
    return {
        "n": len(y_true),
        "accuracy": float(np.mean(y_true == y_pred)),
        "balanced_accuracy": balanced_accuracy(y_true, y_pred),
        "macro_f1": float(macro_f1),
        "recall": {c: float(r) for c, r in zip(labels, recall, strict=True)},
        "precision": {c: float(p) for c, p in zip(labels, precision, strict=True)},
    }


def confusion_table(y_true, y_pred, labels: Sequence[str]) -> pd.DataFrame:
    """Confusion matrix as a DataFrame: rows are true classes, columns predicted ones.

    Examples
    --------
    >>> confusion_table(["a", "b", "b"], ["a", "a", "b"], ["a", "b"]).to_numpy().tolist()
    [[1, 0], [1, 1]]
    """
    y_true, y_pred = _check_labels(y_true, y_pred, labels)
    matrix = sk.confusion_matrix(y_true, y_pred, labels=list(labels))
    return pd.DataFrame(
        matrix,
        index=pd.Index(labels, name="true"),
        columns=pd.Index(labels, name="predicted"),
    )


def classification_report_table(y_true, y_pred, labels: Sequence[str]) -> pd.DataFrame:
    """scikit-learn's classification report (precision, recall, f1, support) as a DataFrame.

    Examples
    --------
    >>> report = classification_report_table(["a", "b", "b"], ["a", "a", "b"], ["a", "b"])
    >>> float(report.loc["b", "recall"]), int(report.loc["b", "support"])
    (0.5, 2)
    """
    y_true, y_pred = _check_labels(y_true, y_pred, labels)
    report = sk.classification_report(
        y_true, y_pred, labels=list(labels), output_dict=True, zero_division=0
    )
    return pd.DataFrame(report).T


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (such as accuracy on ``n`` test images).

    Written out as exercise 2.4 teaches it (its check compares the reader's answer with this);
    the tests hold it to statsmodels' ``proportion_confint(..., method="wilson")``.

    Examples
    --------
    >>> low, high = wilson_interval(59, 100)
    >>> round(low, 3), round(high, 3)
    (0.492, 0.681)
    """
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need n > 0 and 0 <= successes <= n, got successes={successes}, n={n}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    low = 0.0 if successes == 0 else float(centre - half)  # exact ends, free of rounding
    high = 1.0 if successes == n else float(centre + half)
    return low, high


def accuracy_with_interval(y_true, y_pred, confidence: float = 0.95) -> dict:
    """Accuracy, its Wilson interval and the number of test images.

    Examples
    --------
    >>> accuracy_with_interval(["a"] * 8 + ["b"] * 2, ["a"] * 10)["n"]
    10
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or len(y_true) == 0:
        raise ValueError("y_true and y_pred must be non-empty and of the same length")
    correct = int(np.sum(y_true == y_pred))
    low, high = wilson_interval(correct, len(y_true), confidence)
    return {"accuracy": correct / len(y_true), "low": low, "high": high, "n": len(y_true)}
