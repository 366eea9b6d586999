"""How big the chapter 4 study is in each profile: seeds, CNN budget, GAN budget."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ganaug.config import get_profile
from ganaug.data.core import REPORT_CLASSES, LesionData, select_classes
from ganaug.data.source import describe_run, load_data
from ganaug.experiment.gans import GanPlan


@dataclass(frozen=True)
class StudyPlan:
    """The sizes of one profile's study.

    Every arm of a seed gets the same CNN (``cnn_filters``, initial weights from the seed) and
    the same budget: at most ``cnn_epochs`` epochs with early stopping after ``cnn_patience``
    epochs without a better validation loss.
    """

    profile: str
    seeds: int
    cnn_epochs: int
    cnn_patience: int
    cnn_filters: tuple[int, ...]
    batch_size: int
    gan: GanPlan


#: smoke: every arm in seconds (tests, CI). book: 3 seeds on the real data within 90 minutes
#: on a 2-core CPU (half-width CNN and GANs). full: 10 seeds, chapter 2's CNN and chapter 3's
#: GAN sizes, for a GPU.
STUDY_PLANS: dict[str, StudyPlan] = {
    "smoke": StudyPlan(
        "smoke",
        2,
        cnn_epochs=1,
        cnn_patience=1,
        cnn_filters=(4, 8),
        batch_size=16,
        gan=GanPlan(1, 1, 16, latent_dim=8, generator_filters=8, discriminator_filters=4),
    ),
    "book": StudyPlan(
        "book",
        3,
        cnn_epochs=30,
        cnn_patience=6,
        cnn_filters=(16, 32, 64),
        batch_size=64,
        gan=GanPlan(150, 40, 64, latent_dim=64, generator_filters=64, discriminator_filters=32),
    ),
    "full": StudyPlan(
        "full",
        10,
        cnn_epochs=200,
        cnn_patience=20,
        cnn_filters=(32, 64, 128),
        batch_size=64,
        gan=GanPlan(2000, 300, 64),
    ),
}


#: Share of each class's images a profile's study keeps: smoke thins the data to a few percent
#: but keeps the classes' proportions, so bcc stays the smallest; other profiles keep all.
STUDY_FRACTION: dict[str, float] = {"smoke": 0.06}

#: Fewest images per class a thinned study keeps, so that the report's split still gives every
#: part (validation is 10 %) an image of every class.
MIN_PER_CLASS = 30


def study_plan(profile: str) -> StudyPlan:
    """The study plan of the profile called ``profile``.

    Examples
    --------
    >>> study_plan("book").seeds >= 3, study_plan("full").seeds >= 10
    (True, True)
    """
    return STUDY_PLANS[get_profile(profile).name]


def study_data(profile: str, seed: int = 0) -> LesionData:
    """The study's data: the report's three classes of the best data available (see
    :func:`ganaug.data.load_data`), thinned to the plan's ``fraction`` of each class.

    Prints one line naming the profile and the data, as every lesson does.
    """
    plan = study_plan(profile)
    fraction = STUDY_FRACTION.get(plan.profile, 1.0)
    synthetic = get_profile(plan.profile).synthetic_per_class
    data = select_classes(load_data(synthetic_per_class=synthetic), REPORT_CLASSES)
    if fraction < 1:
        rng = np.random.default_rng(seed)
        keep = [
            rng.permutation(np.flatnonzero(data.dx == code))[
                : max(MIN_PER_CLASS, int(round(fraction * np.sum(data.dx == code))))
            ]
            for code in data.classes
        ]
        data = data.subset(np.sort(np.concatenate(keep)))
    print(describe_run(data, plan.profile))
    return data
