"""How big the chapter 5 study is in each profile: seeds, CNN budget, GAN budget."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ganaug.config import get_profile
from ganaug.data.core import REPORT_CLASSES, LesionData, select_classes
from ganaug.data.source import describe_run, load_data
from ganaug.experiment.gans import GanPlan


@dataclass(frozen=True)
class StudyPlan:
    """The sizes of one profile's study.

    Every arm of a unit gets the same CNN (``cnn_filters``, initial weights from the unit) and
    the same budget: at most ``cnn_epochs`` epochs with early stopping after ``cnn_patience``
    epochs without a better validation loss. ``arms`` names the arms a full run covers (``None``:
    every arm of the registry). ``seeds`` is the number of units; under the
    ``"kfold"`` protocol unit ``u`` is fold ``u % folds`` of repeat ``u // folds``
    (:func:`ganaug.data.folds.fold_splits`), under ``"resampled"`` a new random lesion split.
    ``gan_seeds`` gives K, the GANs trained per unit, for the kinds that get more than one
    (:meth:`gan_seed_count`).
    """

    profile: str
    seeds: int
    cnn_epochs: int
    cnn_patience: int
    cnn_filters: tuple[int, ...]
    batch_size: int
    gan: GanPlan
    protocol: str = "resampled"
    folds: int = 5
    arms: tuple[str, ...] | None = None
    gan_seeds: tuple[tuple[str, int], ...] = ()

    def gan_seed_count(self, generator: str) -> int:
        """K, the GANs of kind ``generator`` trained per unit (with seeds
        :func:`ganaug.experiment.pieces.gan_seed`); the one whose images are closest to the
        unit's validation bcc is kept (:mod:`ganaug.experiment.selection`). Kinds that
        ``gan_seeds`` does not name get K = 1: one GAN, kept without a choice.

        Examples
        --------
        >>> plan = study_plan("smoke")
        >>> plan.gan_seed_count("dcgan")
        1
        >>> import dataclasses
        >>> dataclasses.replace(plan, gan_seeds=(("dcgan", 3),)).gan_seed_count("dcgan")
        3
        """
        counts = dict(self.gan_seeds)
        count = counts.get(generator, 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"the plan's K for {generator!r} must be a positive integer")
        return count


#: The book plan's arms: the baselines, the report's arm and its variants, the improved DCGAN,
#: the report's split by image (for the leak), and the generator search's choice with and
#: without classic augmentation (added after the first eight).
BOOK_ARMS = (
    "none",
    "classic",
    "class_weight",
    "oversample",
    "dcgan",
    "dcgan_no_classic",
    "dcgan_plus",
    "classic_by_image",
    "chosen",
    "chosen_no_classic",
)


def _plan(profile: str, **sizes) -> StudyPlan:
    """A study plan whose CNN budget is the profile's (one registry: ``config.PROFILES``)."""
    chapter = get_profile(profile)
    budget = {
        "cnn_epochs": chapter.cnn_epochs,
        "cnn_patience": chapter.cnn_patience,
        "batch_size": chapter.batch_size,
    }
    return StudyPlan(profile, **{**budget, **sizes})


#: The CNN budget (epochs, patience, batch) is chapter 2's, from ``config.PROFILES``, except in
#: ``full``, whose chapters keep the book's sizes while its study has the report's protocol; what
#: the study changes is said on its line. GAN budgets are optimizer steps (:class:`GanPlan`), the
#: book's chosen from the quality curve (``results/gan_curve/book``: at 750 steps the DCGAN was
#: further from real bcc than blurred real bcc; by 3000 its FID, diversity and recall had come most
#: of the way its 6000-step run went); on HAM10000 a unit's training part holds ~350 bcc (5 full
#: batches of 64), so 3000 steps are ~600 epochs. full gives the DCGAN the report's ~12k steps.
STUDY_PLANS: dict[str, StudyPlan] = {
    "smoke": _plan(
        "smoke",
        seeds=2,
        cnn_filters=(4, 8),  # a toy CNN: the tests need every arm in seconds
        # a few steps per GAN, not one: TensorFlow counts the traces of every Keras model's
        # training function together, and a unit's many one-step GANs (one trace per call) made
        # it warn of retracing at the next model
        gan=GanPlan(6, 6, 16, latent_dim=8, generator_filters=8, discriminator_filters=4),
        protocol="kfold",
        folds=3,  # the thinned stand-in has too few lesions per class for 5 folds
    ),
    "book": _plan(
        "book",
        seeds=10,  # 2 repeats x 5 folds: units matter more than arms
        cnn_filters=(16, 32, 64),  # half build_cnn's default: one CNN per cell on 2 cores
        gan=GanPlan(3000, 1040, 64, latent_dim=64, generator_filters=64, discriminator_filters=32),
        protocol="kfold",
        # units before arms on 2 cores: no sweep, and of the conditional GANs none (the ACGAN
        # collapses; beside the report's dcgan: the improved one and the search's choice)
        arms=BOOK_ARMS,
        # K GANs of the search's choice per unit, one kept on validation: in the search the
        # GAN seed alone moved FID several-fold (results/gan_search/book)
        gan_seeds=(("chosen", 3),),
    ),
    "full": _plan(
        "full",
        seeds=20,  # 4 repeats x 5 folds, for a GPU
        cnn_epochs=200,  # the report's protocol: up to 200 epochs with early stopping
        cnn_patience=20,
        cnn_filters=(32, 64, 128),
        gan=GanPlan(12000, 7800, 64),
        protocol="kfold",
        gan_seeds=(("chosen", 3),),  # as in book: one GAN per unit is the luck of its seed
    ),
}


#: Share of each class's images a profile's study keeps: smoke thins the data to a few percent
#: but keeps the classes' proportions, so bcc stays the smallest; other profiles keep all.
STUDY_FRACTION: dict[str, float] = {"smoke": 0.06}

#: Fewest images per class a thinned study keeps, so that the report's split still gives every
#: part (validation is 10 %) an image of every class.
MIN_PER_CLASS = 30


#: The budgets of a lesson's live run (chapter 5's run of one unit), where they are smaller than
#: the study's so that the page builds in minutes: CNN epochs and patience, DCGAN steps.
LIVE_SIZES: dict[str, dict[str, int]] = {
    "book": {"cnn_epochs": 30, "cnn_patience": 5, "dcgan_steps": 1000},
}
#: Profiles whose live run is another profile's, networks included: on a Colab GPU (where
#: ``setup_colab`` picks ``full``) chapter 5's live run is the book's, so the lesson fits in
#: about ten minutes; the full study keeps its own plan.
LIVE_AS: dict[str, str] = {"full": "book"}


def live_plan(profile: str) -> StudyPlan:
    """The plan of a lesson's live run: the profile's study plan with the smaller budgets of
    :data:`LIVE_SIZES` (the same plan where a profile has none). Its pieces are versioned by
    it, so they are never mistaken for the study's.

    Examples
    --------
    >>> live, study = live_plan("book"), study_plan("book")
    >>> (live.cnn_epochs, live.gan.dcgan_steps) < (study.cnn_epochs, study.gan.dcgan_steps)
    True
    >>> live_plan("smoke") == study_plan("smoke")
    True
    >>> live_plan("full") == replace(live_plan("book"), profile="full")
    True
    """
    name = get_profile(profile).name
    plan = replace(study_plan(LIVE_AS.get(name, name)), profile=name)
    sizes = dict(LIVE_SIZES.get(LIVE_AS.get(name, name), {}))
    steps = sizes.pop("dcgan_steps", plan.gan.dcgan_steps)
    return replace(plan, gan=replace(plan.gan, dcgan_steps=steps), **sizes)


def study_plan(profile: str) -> StudyPlan:
    """The study plan of the profile called ``profile``.

    Examples
    --------
    >>> study_plan("book").seeds >= 3, study_plan("full").seeds >= 10
    (True, True)
    """
    return STUDY_PLANS[get_profile(profile).name]


def describe_gan_count(plan: StudyPlan, kind: str) -> str:
    """How many GANs of ``kind`` the plan trains per unit and which one it keeps, in words for a
    chapter's text (no markdown).

    Examples
    --------
    >>> describe_gan_count(study_plan("book"), "chosen")
    "3 GANs of that kind on each unit, with different seeds, and keeps the one whose images are closest to the unit's validation bcc (the lowest KID)"
    >>> describe_gan_count(study_plan("smoke"), "chosen")
    'one GAN of that kind on each unit'
    """  # noqa: E501
    count = plan.gan_seed_count(kind)
    if count == 1:
        return "one GAN of that kind on each unit"
    return (
        f"{count} GANs of that kind on each unit, with different seeds, and keeps the one whose "
        "images are closest to the unit's validation bcc (the lowest KID)"
    )


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
