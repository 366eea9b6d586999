"""Train / validation / test splits: by lesion (honest) and by image (the report's, which leaks)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganaug.data.core import LesionData

#: Pairs of HAM10000 lesion ids that show the same lesion (Abhishek, Jain & Hamarneh 2024).
#: These six (all bkl) are the pairs in the report's three classes; grouping treats each pair as
#: one lesion. The other twelve published pairs are nv, outside the report's classes, and are
#: not listed here.
SAME_LESION_PAIRS: tuple[tuple[str, str], ...] = (
    ("HAM_0000955", "HAM_0007604"),
    ("HAM_0001310", "HAM_0002096"),
    ("HAM_0001186", "HAM_0000825"),
    ("HAM_0000106", "HAM_0006346"),
    ("HAM_0004905", "HAM_0003881"),
    ("HAM_0002984", "HAM_0003021"),
)


@dataclass
class Splits:
    """Three disjoint parts of one :class:`LesionData`."""

    train: LesionData
    val: LesionData
    test: LesionData

    def parts(self) -> dict[str, LesionData]:
        """``{"train": ..., "val": ..., "test": ...}``."""
        return {"train": self.train, "val": self.val, "test": self.test}

    def summary(self) -> pd.DataFrame:
        """Images per class in each split, plus totals and lesions."""
        rows = {}
        for name, part in self.parts().items():
            row = dict(part.class_counts())
            row["images"] = len(part)
            row["lesions"] = len(set(part.lesion_id.tolist()))
            rows[name] = row
        return pd.DataFrame(rows).T.fillna(0).astype(int)

    def shared_lesions(self) -> set[str]:
        """Lesion groups (see :func:`lesion_groups`) found in more than one split."""
        groups = [set(lesion_groups(part).tolist()) for part in self.parts().values()]
        return (groups[0] & groups[1]) | (groups[0] & groups[2]) | (groups[1] & groups[2])

    def leaked_test_fraction(self) -> float:
        """Share of test images whose lesion also has an image in the training part."""
        if len(self.test) == 0:
            raise ValueError("the test part is empty")
        seen = set(lesion_groups(self.train).tolist())
        return float(np.mean([g in seen for g in lesion_groups(self.test).tolist()]))


def lesion_groups(data: LesionData) -> np.ndarray:
    """Each image's lesion group: its lesion id, with each :data:`SAME_LESION_PAIRS` pair merged."""
    rename = {second: first for first, second in SAME_LESION_PAIRS}
    return np.array([rename.get(lesion, lesion) for lesion in data.lesion_id.tolist()], dtype=str)


def _check_fractions(val_fraction: float, test_fraction: float) -> None:
    if not (0 <= val_fraction < 1 and 0 < test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(
            "need 0 <= val_fraction, 0 < test_fraction and val_fraction + test_fraction < 1, got "
            f"val_fraction={val_fraction}, test_fraction={test_fraction}"
        )


def split_by_lesion(
    data: LesionData, val_fraction: float = 0.15, test_fraction: float = 0.15, seed: int = 0
) -> Splits:
    """Split so that no lesion is in two parts, stratified by class.

    Within each class the lesion groups are shuffled and taken whole until the test part, then
    the validation part, holds about its fraction of that class's images.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> splits = split_by_lesion(synthetic_lesions(n_per_class=40), 0.2, 0.2, seed=1)
    >>> splits.shared_lesions()
    set()
    >>> sum(len(p) for p in splits.parts().values())
    120
    """
    _check_fractions(val_fraction, test_fraction)
    if not data.has_lesion_ids:
        warnings.warn(
            f"{data.description}: lesion ids are unknown, so each image is treated as its own "
            "lesion and images of one lesion may land in different splits (leakage).",
            stacklevel=2,
        )
    groups = lesion_groups(data)
    rng = np.random.default_rng(seed)
    part_of = np.empty(len(data), dtype="<U5")
    for code in data.classes:
        rows = np.flatnonzero(data.dx == code)
        names, sizes = np.unique(groups[rows], return_counts=True)
        order = rng.permutation(len(names))
        names, sizes = names[order], sizes[order]
        filled = np.cumsum(sizes) - sizes  # images already taken before each group
        test_cut, val_cut = test_fraction * len(rows), (test_fraction + val_fraction) * len(rows)
        assigned = np.where(filled < test_cut, "test", np.where(filled < val_cut, "val", "train"))
        lookup = dict(zip(names.tolist(), assigned.tolist(), strict=True))
        part_of[rows] = [lookup[g] for g in groups[rows].tolist()]
    return Splits(*(data.subset(part_of == name) for name in ("train", "val", "test")))


def split_by_image(
    data: LesionData, val_fraction: float = 0.15, test_fraction: float = 0.15, seed: int = 0
) -> Splits:
    """Split images at random, stratified by class, ignoring lesions (the report's way; leaks).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> splits = split_by_image(synthetic_lesions(n_per_class=40), 0.1, 0.3, seed=0)
    >>> [len(p) for p in splits.parts().values()]
    [72, 12, 36]
    """
    _check_fractions(val_fraction, test_fraction)
    rng = np.random.default_rng(seed)
    part_of = np.empty(len(data), dtype="<U5")
    for code in data.classes:
        rows = rng.permutation(np.flatnonzero(data.dx == code))
        n_test = int(round(test_fraction * len(rows)))
        n_val = int(round(val_fraction * len(rows)))
        part_of[rows[:n_test]] = "test"
        part_of[rows[n_test : n_test + n_val]] = "val"
        part_of[rows[n_test + n_val :]] = "train"
    return Splits(*(data.subset(part_of == name) for name in ("train", "val", "test")))
