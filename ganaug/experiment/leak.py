"""The leak of the report's split by image, measured inside one model.

Under a split by image, some test images show a lesion that also has images in the training
part ("seen" lesions) and the rest do not ("unseen"). One model, scored on both groups of its
own test images, shows how much seeing the lesion in training flatters its score: a gap paired
within the model, free of any difference between training runs.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ganaug.data.core import LesionData
from ganaug.data.folds import fold_splits
from ganaug.data.splits import Splits, lesion_groups, report_split
from ganaug.experiment.units import check_protocol
from ganaug.metrics.classification import balanced_accuracy

LEAK_ARM = "classic_by_image"


def seen_in_training(test_lesions, train_lesions) -> np.ndarray:
    """For each test image: does its lesion group (see :func:`ganaug.data.lesion_groups`) also
    have an image among the training part's lesions?

    Examples
    --------
    >>> seen_in_training(["HAM_0007604", "HAM_0000001"], ["HAM_0000955"]).tolist()
    [True, False]
    """
    seen = set(lesion_groups(train_lesions).tolist())
    return np.array([group in seen for group in lesion_groups(test_lesions).tolist()], dtype=bool)


def leak_gap(predictions: pd.DataFrame, train_lesions) -> dict:
    """Accuracy and balanced accuracy of one model on its test images whose lesion was seen in
    training, on those whose lesion was not, and the gaps (seen minus unseen).

    Balanced accuracy is the mean recall over the classes present in each group.

    Parameters
    ----------
    predictions : pandas.DataFrame
        One model's per-image test predictions with columns ``true``, ``pred`` and
        ``lesion_group`` (or ``lesion_id``), as a results folder's predictions file.
    train_lesions : array-like of str
        The lesion ids of that model's training part.

    Returns
    -------
    dict
        ``n_seen``, ``n_unseen``, ``accuracy_seen``, ``accuracy_unseen``, ``accuracy_gap``,
        ``balanced_accuracy_seen``, ``balanced_accuracy_unseen``, ``balanced_accuracy_gap``.

    Examples
    --------
    >>> rows = pd.DataFrame({"lesion_group": ["a", "a", "b", "c"], "true": ["mel"] * 4,
    ...                      "pred": ["mel", "mel", "mel", "bcc"]})
    >>> result = leak_gap(rows, train_lesions=["a", "x"])
    >>> result["n_seen"], result["accuracy_seen"], result["accuracy_unseen"]
    (2, 1.0, 0.5)
    """
    column = "lesion_group" if "lesion_group" in predictions.columns else "lesion_id"
    missing = {column, "true", "pred"} - set(predictions.columns)
    if missing:
        raise ValueError(
            f"predictions need columns true, pred and lesion_group (or lesion_id); "
            f"missing {sorted(missing)}"
        )
    seen = seen_in_training(predictions[column].astype(str).to_numpy(), train_lesions)
    if seen.all() or not seen.any():
        raise ValueError(
            f"{int(seen.sum())} of {len(seen)} test images have a lesion seen in training: the "
            "gap needs both kinds (is this a split by image, with these training lesions?)"
        )
    true, pred = predictions["true"].to_numpy(), predictions["pred"].to_numpy()
    result = {"n_seen": int(seen.sum()), "n_unseen": int((~seen).sum())}
    for name, score in (("accuracy", _accuracy), ("balanced_accuracy", balanced_accuracy)):
        with warnings.catch_warnings():  # a group may lack a class: its recall is left out
            warnings.filterwarnings("ignore", "y_pred contains classes not in y_true")
            warnings.filterwarnings("ignore", "A single label was found")
            on_seen, on_unseen = score(true[seen], pred[seen]), score(true[~seen], pred[~seen])
        result.update(
            {
                f"{name}_seen": on_seen,
                f"{name}_unseen": on_unseen,
                f"{name}_gap": on_seen - on_unseen,
            }
        )
    return result


def _accuracy(true: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(true == pred))


def cell_leak(
    data: LesionData,
    predictions: pd.DataFrame,
    seed: int,
    protocol: str = "resampled",
    k: int = 5,
) -> dict:
    """:func:`leak_gap` of the :data:`LEAK_ARM` cell of unit ``seed``, its training lesions
    taken from the unit's split by image (:func:`ganaug.experiment.units.seed_splits`).

    ``predictions`` is that cell's predictions file (or all of a folder's, with ``arm`` and
    ``seed`` columns); its test images must be the split's, else the split (data, protocol or
    unit) is not the one the cell ran on.
    """
    if {"arm", "seed"} <= set(predictions.columns):
        predictions = predictions[(predictions["arm"] == LEAK_ARM) & (predictions["seed"] == seed)]
    split = split_by_image(data, seed, protocol, k)
    if sorted(predictions["image_id"].astype(str)) != sorted(split.test.image_id.tolist()):
        raise ValueError(
            f"the predictions are not on the test images of unit {seed}'s split by image "
            f"({protocol!r} protocol): pass the data, unit and protocol the study ran with"
        )
    return leak_gap(predictions, split.train.lesion_id)


def split_by_image(data: LesionData, seed: int, protocol: str = "resampled", k: int = 5) -> Splits:
    """Unit ``seed``'s split by image, as :func:`ganaug.experiment.units.seed_splits` gives it,
    without also building the split by lesion beside it (on the book's data that halves the
    time chapter 6's leak section takes).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> from ganaug.experiment.units import seed_splits
    >>> data = synthetic_lesions(n_per_class=40)
    >>> for protocol in ("kfold", "resampled"):
    ...     mine = split_by_image(data, 3, protocol)
    ...     theirs = seed_splits(data, 3, protocol)["image"]
    ...     print(protocol, all(a.image_id.tolist() == b.image_id.tolist()
    ...                         for a, b in zip(mine.parts().values(), theirs.parts().values())))
    kfold True
    resampled True
    """
    check_protocol(protocol, k)
    if protocol == "kfold":
        return fold_splits(data, seed, k, by="image")
    return report_split(data, seed, by="image")
