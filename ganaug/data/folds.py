"""Repeated lesion-grouped, class-stratified k-fold: a protocol that tests on every image.

A study of ``repeats x k`` units: repeat ``r`` shuffles the lesion groups with random state
``r`` and cuts them into ``k`` folds with scikit-learn's ``StratifiedGroupKFold``; unit
``r * k + f`` tests on fold ``f`` and trains on the other ``k - 1`` folds, less a validation
part carved out of them by lesion group (:func:`ganaug.data.splits.split_by_lesion`). Within one
repeat every image is tested exactly once, and no lesion group is in two parts of a unit.

``by="image"`` is the same protocol with each image its own group (the report's way, which
leaks): the same ``k``, repeat and fold, so the same sizes; only the lesions are ignored.
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from ganaug.data.core import LesionData
from ganaug.data.splits import (
    REPORT_PROTOCOL,
    Splits,
    _check_one_diagnosis,
    lesion_groups,
    split_by_image,
    split_by_lesion,
)


def fold_of(unit: int, k: int) -> tuple[int, int]:
    """The ``(repeat, fold)`` of ``unit``: ``(unit // k, unit % k)``.

    Examples
    --------
    >>> fold_of(7, 5)
    (1, 2)
    """
    if isinstance(unit, bool) or not isinstance(unit, int | np.integer) or unit < 0:
        raise ValueError(f"unit must be a non-negative integer, got {unit!r}")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 2:
        raise ValueError(f"k must be an integer of at least 2 (such as 5), got {k!r}")
    return int(unit) // int(k), int(unit) % int(k)


def repeat_folds(data: LesionData, repeat: int, k: int = 5, by: str = "lesion") -> list[np.ndarray]:
    """The ``k`` test parts (row indices into ``data``) of one repeat: disjoint, covering
    every image once, each class spread over the folds by lesion group (``by="lesion"``) or
    by image (``by="image"``).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(n_per_class=20)
    >>> folds = repeat_folds(data, repeat=0, k=4)
    >>> sorted(np.concatenate(folds).tolist()) == list(range(len(data)))
    True
    """
    if by not in ("lesion", "image"):
        raise ValueError(f"unknown split {by!r}: use 'lesion' or 'image'")
    fold_of(repeat, k)  # checks both
    groups = lesion_groups(data) if by == "lesion" else np.arange(len(data))
    if by == "lesion":
        _check_one_diagnosis(data, groups)
    for code in data.classes:
        count = len(set(groups[data.dx == code].tolist()))
        if count < k:
            raise ValueError(
                f"class {code!r} has {count} {by}(s), too few for k={k} folds with every class "
                "in every fold: lower k or leave the class out with select_classes"
            )
    folds = StratifiedGroupKFold(n_splits=int(k), shuffle=True, random_state=int(repeat))
    return [test for _, test in folds.split(np.zeros(len(data)), data.dx, groups)]


def _check_every_class(splits: Splits, unit: int, k: int) -> None:
    for name, part in splits.parts().items():
        missing = sorted(set(splits.train.classes) - set(part.dx.tolist()))
        if missing:
            raise ValueError(
                f"unit {unit} (k={k}) has no image of class(es) {', '.join(missing)} in its "
                f"{name} part: those classes have too few lesions for {k} folds; lower k or "
                "leave them out with select_classes"
            )


def fold_splits(
    data: LesionData,
    unit: int,
    k: int = 5,
    val_fraction: float = REPORT_PROTOCOL.val_fraction,
    by: str = "lesion",
) -> Splits:
    """The train / validation / test parts of ``unit`` (repeat ``unit // k``, fold ``unit % k``).

    The test part is fold ``unit % k`` of repeat ``unit // k`` (:func:`repeat_folds`). The other
    folds give a validation part of about ``val_fraction`` of ALL images, class-stratified and
    by lesion group (by image for ``by="image"``), and the rest trains. The same unit always
    gives the same split.

    Raises
    ------
    ValueError
        For a negative unit, ``k < 2``, a ``val_fraction`` outside ``(0, 1 - 1/k)``, a lesion
        group of two diagnoses, or a part left without some class.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(n_per_class=40)
    >>> splits = fold_splits(data, unit=6, k=5)
    >>> [len(part) for part in splits.parts().values()], splits.shared_lesions()
    ([82, 14, 24], set())
    """
    repeat, fold = fold_of(unit, k)
    if not 0 < val_fraction < 1 - 1 / k:
        raise ValueError(
            f"val_fraction must lie in (0, {1 - 1 / k:.3g}) so that k={k} folds leave a "
            f"validation and a training part, got {val_fraction}"
        )
    test_rows = repeat_folds(data, repeat, k, by)[fold]
    is_test = np.zeros(len(data), dtype=bool)
    is_test[test_rows] = True
    rest = data.subset(np.flatnonzero(~is_test))
    # The validation share of the training folds that makes val_fraction of all images.
    share = val_fraction * len(data) / len(rest)
    carve = split_by_lesion if by == "lesion" else split_by_image
    inner = carve(rest, val_fraction=0, test_fraction=share, seed=int(unit))
    splits = Splits(inner.train, inner.test, data.subset(np.sort(test_rows)))
    _check_every_class(splits, int(unit), int(k))
    return splits
