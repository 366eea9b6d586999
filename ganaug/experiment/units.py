"""One unit of the study: its splits, the generators trained on its training part, and one
cell (an arm on that unit). Both engines, in-process and Ray, run these functions."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from ganaug.data.core import LesionData
from ganaug.data.splits import Splits, report_split
from ganaug.experiment.arms import Arm, synthetic_count
from ganaug.experiment.cells import CellResult, run_cell
from ganaug.experiment.gans import gan_pool
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.quality import gan_quality_rows


def seed_splits(data: LesionData, seed: int) -> dict[str, Splits]:
    """The seed's split by lesion (every arm but one) and by image (``classic_by_image``)."""
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
    arm: Arm, seed: int, splits: dict[str, Splits], plan: StudyPlan, pools: dict[str, np.ndarray]
) -> CellResult:
    """One cell on the seed's split of the arm's kind; the ``classic`` cell also measures the
    seed's GANs on the features of the CNN it has just trained. Both engines run this."""
    part = splits[arm.split]
    quality = None
    if arm.name == "classic" and pools:
        quality = partial(gan_quality_rows, splits=part, pools=pools, seed=seed)
    return run_cell(arm, seed, part, plan, pools, quality)
