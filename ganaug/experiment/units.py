"""One unit of the study: its splits, the generators trained on its training part, and one
cell (an arm on that unit). Both engines, in-process and Ray, run these functions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ganaug.data.core import LesionData
from ganaug.data.folds import fold_splits
from ganaug.data.splits import Splits, report_split
from ganaug.experiment.arms import Arm, synthetic_count
from ganaug.experiment.cells import CellResult, run_cell
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.gans import gan_pool
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.quality import gan_quality_rows

#: How units split the data. ``resampled``: unit ``s`` draws a new random split with the
#: report's proportions (:func:`ganaug.data.report_split`, seed ``s``), so the units' test parts
#: overlap. ``kfold``: repeated lesion-grouped k-fold (:func:`ganaug.data.fold_splits`), unit
#: ``s`` = repeat ``s // k``, fold ``s % k``, so each repeat tests every image once.
PROTOCOLS = ("resampled", "kfold")


def check_protocol(protocol: str, k: int = 5) -> None:
    """Raise a ``ValueError`` unless ``protocol`` is one of :data:`PROTOCOLS` (and ``k >= 2``).

    Examples
    --------
    >>> check_protocol("kfold", 5)
    >>> check_protocol("bootstrap")
    Traceback (most recent call last):
    ...
    ValueError: unknown protocol 'bootstrap': use one of resampled, kfold
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    if protocol == "kfold" and (isinstance(k, bool) or not isinstance(k, int) or k < 2):
        raise ValueError(f"k must be an integer of at least 2 (such as 5), got {k!r}")


def seed_splits(
    data: LesionData, seed: int, protocol: str = "resampled", k: int = 5
) -> dict[str, Splits]:
    """The unit's split by lesion (every arm but one) and by image (``classic_by_image``).

    ``seed`` is the unit. Under ``protocol="kfold"`` the split by image is the same repeat and
    fold of the same k-fold with every image its own group: test parts of the same size and a
    training part of the same share, so ``classic_by_image`` minus ``classic`` compares the two
    protocols on equal footing, unit by unit. Its test images differ from the lesion split's,
    since a test part that keeps whole lesions cannot leak; the leak on one model's own test
    images is measured by :func:`ganaug.experiment.leak.leak_gap`.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> splits = seed_splits(synthetic_lesions(n_per_class=40), 3, protocol="kfold", k=5)
    >>> len(splits["lesion"].test) == len(splits["image"].test) == 24
    True
    """
    check_protocol(protocol, k)
    if protocol == "kfold":
        return {
            "lesion": fold_splits(data, seed, k),
            "image": fold_splits(data, seed, k, by="image"),
        }
    return {"lesion": report_split(data, seed), "image": report_split(data, seed, by="image")}


def seed_pools(
    splits: Splits, arms: Sequence[Arm], plan: StudyPlan, seed: int, cache: Path
) -> dict[str, np.ndarray]:
    """Each generator the seed's arms need, trained once on the seed's training part."""
    pools = {}
    for generator in sorted({arm.generator for arm in arms if arm.generator}):
        count = max(
            synthetic_count(arm, splits.train) for arm in arms if arm.generator == generator
        )
        count = max(count, len(splits.val) + len(splits.test))  # enough for the quality check
        pools[generator] = gan_pool(
            generator, splits.train, count, plan.gan, seed, cache / f"seed{seed}"
        )
    return pools


def study_cell(
    arm: Arm,
    seed: int,
    splits: dict[str, Splits],
    plan: StudyPlan,
    pools: dict[str, np.ndarray],
    cache: Path | None = None,
) -> CellResult:
    """One cell on the seed's split of the arm's kind. The ``classic`` cell of a unit with
    generators also measures them (:func:`ganaug.experiment.quality.gan_quality_rows`) on the
    features of the unit's extractor (:func:`ganaug.experiment.extractor.unit_extractor`,
    cached in ``cache``, the same one the quality curve and the ablation use), and records its
    key. Both engines run this."""
    part = splits[arm.split]
    result = run_cell(arm, seed, part, plan, pools)
    if arm.name == "classic" and pools:
        if cache is None:
            raise ValueError("measuring the generators needs the cache folder of the extractors")
        extractor, key = unit_extractor(splits["lesion"], plan, seed, cache)
        result.gan_quality = gan_quality_rows(extractor, part, pools, seed)
        result.extractor = key
    return result
