"""Uncertainty on one test set (chapter 6): a bootstrap interval and McNemar's test.

Both work on the predictions of one trained model (or two, for McNemar) on one test set. What
varies from one training run to the next is in :mod:`ganaug.metrics.seeds`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import balanced_accuracy_score
from statsmodels.stats.contingency_tables import mcnemar

from ganaug.metrics.classification import _check_labels


class Interval(NamedTuple):
    """An estimate with the ends of its confidence interval."""

    estimate: float
    low: float
    high: float


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (such as 0.95), got {confidence}")


def _group_counts(
    y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[str], groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per group and class: how many test images, and how many of them were predicted right."""
    _, group_index = np.unique(groups, return_inverse=True)
    class_index = np.searchsorted(np.array(sorted(labels)), y_true)
    shape = (group_index.max() + 1, len(labels))
    total, correct = np.zeros(shape), np.zeros(shape)
    np.add.at(total, (group_index, class_index), 1)
    np.add.at(correct, (group_index, class_index), y_true == y_pred)
    return total, correct


def bootstrap_balanced_accuracy(
    y_true,
    y_pred,
    labels: Sequence[str],
    groups=None,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    method: str = "BCa",
    seed: int = 0,
) -> Interval:
    """Balanced accuracy on one test set with a bootstrap confidence interval.

    The estimate is scikit-learn's ``balanced_accuracy_score`` (mean recall over the classes
    present in ``y_true``). The interval comes from ``scipy.stats.bootstrap``, which redraws
    the test set with replacement ``n_resamples`` times. When a lesion has several test images
    they are not independent evidence: pass ``groups`` (one lesion id per image) and whole
    lesions are redrawn instead (a cluster bootstrap), which gives an honest, wider interval.

    Parameters
    ----------
    y_true, y_pred : array-like of str
        True and predicted class codes of each test image.
    labels : sequence of str
        Every class code that may occur.
    groups : array-like, optional
        The lesion (or other cluster) of each test image.
    confidence : float
        Confidence level of the interval.
    n_resamples : int
        Number of bootstrap resamples (at least 100).
    method : str
        ``"BCa"`` (bias-corrected and accelerated, scipy's default) or ``"percentile"``.
    seed : int
        Seed of the resampling.

    Returns
    -------
    Interval
        ``(estimate, low, high)``.

    Examples
    --------
    >>> y_true = ["bcc"] * 20 + ["mel"] * 80
    >>> y_pred = ["bcc"] * 10 + ["mel"] * 90
    >>> result = bootstrap_balanced_accuracy(y_true, y_pred, ["bcc", "mel"])
    >>> result.estimate, result.low < 0.75 < result.high
    (0.75, True)
    """
    y_true, y_pred = _check_labels(y_true, y_pred, labels)
    _check_confidence(confidence)
    if n_resamples < 100:
        raise ValueError(
            f"n_resamples should be at least 100 (1000+ for a report), got {n_resamples}"
        )
    groups = np.arange(len(y_true)) if groups is None else np.asarray(groups)
    if groups.shape != y_true.shape:
        raise ValueError(
            f"groups must give one group per test image: {len(groups)} groups for "
            f"{len(y_true)} images"
        )
    total, correct = _group_counts(y_true, y_pred, labels, groups)
    if len(total) < 2:
        raise ValueError("need at least 2 test images (or groups) to bootstrap")

    def statistic(index: np.ndarray, axis: int = -1) -> np.ndarray:
        # index: group numbers of one resample per row; sum their counts class by class.
        seen, right = total[index].sum(axis=-2), correct[index].sum(axis=-2)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.nanmean(np.where(seen > 0, right / seen, np.nan), axis=-1)

    with warnings.catch_warnings():  # classes predicted but absent from y_true are ignored
        warnings.filterwarnings("ignore", "y_pred contains classes not in y_true")
        estimate = float(balanced_accuracy_score(y_true, y_pred))
    if np.all(correct == total) or not np.any(correct):
        return Interval(estimate, estimate, estimate)  # every resample gives the same value
    result = stats.bootstrap(
        (np.arange(len(total)),),
        statistic,
        n_resamples=n_resamples,
        vectorized=True,
        confidence_level=confidence,
        method=method,
        rng=np.random.default_rng(seed),
    )
    low, high = result.confidence_interval
    return Interval(estimate, float(low), float(high))


def mcnemar_table(y_true, pred_a, pred_b) -> pd.DataFrame:
    """The 2x2 table of McNemar's test: which test images each of two models got right.

    Rows: model A right / wrong; columns: model B right / wrong. So the cells are: both right,
    only A right (top right), only B right (bottom left), both wrong.

    Examples
    --------
    >>> mcnemar_table(["a", "b", "a"], ["a", "b", "b"], ["a", "a", "b"]).to_numpy().tolist()
    [[1, 1], [0, 1]]
    """
    y_true, pred_a, pred_b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    if not (y_true.ndim == pred_a.ndim == pred_b.ndim == 1) or len(y_true) == 0:
        raise ValueError("y_true, pred_a and pred_b must be non-empty 1-D arrays")
    if not len(y_true) == len(pred_a) == len(pred_b):
        raise ValueError(
            f"y_true, pred_a and pred_b must have the same length (the same test "
            f"images), got {len(y_true)}, {len(pred_a)} and {len(pred_b)}"
        )
    a_right, b_right = pred_a == y_true, pred_b == y_true
    cells = [
        [np.sum(a_right & b_right), np.sum(a_right & ~b_right)],
        [np.sum(~a_right & b_right), np.sum(~a_right & ~b_right)],
    ]
    names = pd.Index(["right", "wrong"])
    return pd.DataFrame(cells, index=names.rename("A"), columns=names.rename("B")).astype(int)


def mcnemar_from_table(table, exact: bool = True, correction: bool = True) -> dict:
    """McNemar's test on a 2x2 table ``[[both right, only A], [only B, both wrong]]``.

    Only the discordant cells count: if the two models were equally good, an image that one
    gets right and the other wrong is equally likely to favour either. The exact test is a
    two-sided binomial test of ``only A`` out of ``only A + only B`` at 1/2 (statsmodels'
    ``mcnemar``); otherwise the chi-square statistic ``(|b - c| - 1)^2 / (b + c)``, without
    the ``- 1`` when ``correction`` is False.

    Returns
    -------
    dict
        ``table`` (2x2 array), ``only_a``, ``only_b``, ``statistic``, ``p_value``.

    Examples
    --------
    >>> result = mcnemar_from_table([[50, 2], [10, 38]])
    >>> round(result["p_value"], 4)  # 2 * P(X <= 2) for X ~ Binomial(12, 1/2)
    0.0386
    """
    table = np.asarray(table)
    if table.shape != (2, 2):
        raise ValueError(
            f"the table must be 2x2 [[both right, only A], [only B, both wrong]], "
            f"got shape {table.shape}"
        )
    if np.any(table < 0) or not np.all(table == np.round(table)):
        raise ValueError("the table must hold counts: whole numbers, none negative")
    table = table.astype(int)
    result = mcnemar(table, exact=exact, correction=correction)
    return {
        "table": table,
        "only_a": int(table[0, 1]),
        "only_b": int(table[1, 0]),
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
    }


def mcnemar_test(y_true, pred_a, pred_b, exact: bool = True, ids_a=None, ids_b=None) -> dict:
    """McNemar's test of two models on the same test images (for instance two arms of one seed).

    Pass the image ids each prediction belongs to (``ids_a``, ``ids_b``) to make sure the two
    really are the same test images in the same order; a paired test on different images is
    meaningless.

    Returns
    -------
    dict
        As :func:`mcnemar_from_table`, plus ``n`` (test images), ``accuracy_a``, ``accuracy_b``.

    Examples
    --------
    >>> y_true = ["mel"] * 6 + ["bcc"] * 6
    >>> pred_a = ["mel"] * 6 + ["mel"] * 6
    >>> pred_b = ["mel"] * 6 + ["bcc"] * 6
    >>> result = mcnemar_test(y_true, pred_a, pred_b)
    >>> result["only_a"], result["only_b"], round(result["p_value"], 4)
    (0, 6, 0.0312)
    """
    if (ids_a is None) != (ids_b is None):
        raise ValueError(
            "pass both ids_a and ids_b (the image ids of each model's predictions), or neither"
        )
    if ids_a is not None:
        ids_a, ids_b = np.asarray(ids_a), np.asarray(ids_b)
        if ids_a.shape != ids_b.shape or not np.array_equal(ids_a, ids_b):
            raise ValueError(
                "the two predictions are on different test images (or in a different "
                "order): McNemar needs both models on the same images; align them "
                "by image id first"
            )
        if len(ids_a) != len(np.asarray(y_true)):
            raise ValueError(f"{len(ids_a)} image ids for {len(np.asarray(y_true))} predictions")
    table = mcnemar_table(y_true, pred_a, pred_b)
    result = mcnemar_from_table(table.to_numpy(), exact=exact)
    n = int(table.to_numpy().sum())
    result.update(
        n=n,
        accuracy_a=float(table.loc["right"].sum() / n),
        accuracy_b=float(table["right"].sum() / n),
    )
    return result
