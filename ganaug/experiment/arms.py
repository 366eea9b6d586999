"""The arms of the chapter 5 study: each says how one seed's training set is formed.

Arms are data, not code paths: an :class:`Arm` names its ingredients (classic augmentation,
class weights, oversampling, synthetic images from which GAN and how many), and one function,
:func:`training_set`, turns a seed's split and that seed's generated images into the training
set. Every arm of a seed shares the split, the CNN and the training budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ganaug.data.core import LesionData, from_arrays

#: The class that the report filled with GAN images (the smallest of its three).
MINORITY = "bcc"


@dataclass(frozen=True)
class Arm:
    """One way of forming the training set.

    Attributes
    ----------
    name, description : str
        Short name (the ``arm`` column of ``results.csv``) and one line for tables.
    augment : bool
        Classic augmentation (chapter 2) on the fly.
    class_weight : str or None
        ``"balanced"`` weighs the loss so each class counts equally.
    oversample : bool
        Repeat random real bcc training images until bcc matches the largest class.
    generator : str or None
        ``"dcgan"`` (trained on bcc alone), ``"cgan"`` (one conditional GAN for all classes), or
        either with the fixes chapter 4's rule chose (:data:`ganaug.experiment.gans.PLUS_CHOICE`:
        a moving average, EMA, of the generator's weights): ``"dcgan_plus"``, ``"cgan_plus"``
        (the conditional one with a projection discriminator), or ``"chosen"``, the generator
        search's choice (:data:`ganaug.experiment.gans.SEARCH_CHOICE`); see
        :mod:`ganaug.experiment.gans`. Chapter 4's curve measured an earlier kind with all four
        small-data fixes, which the book calls ``dcgan_four_fixes``.
    synthetic_factor : float or None
        Generated bcc images as a multiple of the real bcc training count; ``None`` adds just
        enough to match the largest class (the report's method).
    split : str
        ``"lesion"`` (the named protocol) or ``"image"`` (the report's split; leaks).
    """

    name: str
    description: str
    augment: bool = True
    class_weight: str | None = None
    oversample: bool = False
    generator: str | None = None
    synthetic_factor: float | None = None
    split: str = "lesion"


def _registry(*arms: Arm) -> dict[str, Arm]:
    return {arm.name: arm for arm in arms}


#: Every arm of the study, in the order tables list them.
ARMS: dict[str, Arm] = _registry(
    Arm("none", "real images only, no augmentation", augment=False),
    Arm("classic", "classic augmentation (the report's baseline)"),
    Arm("class_weight", "classic + balanced class weights", class_weight="balanced"),
    Arm("oversample", "classic + bcc oversampled to the largest class", oversample=True),
    Arm("dcgan", "classic + DCGAN bcc up to the largest class (the report)", generator="dcgan"),
    Arm(
        "dcgan_no_classic",
        "DCGAN bcc up to the largest class, no classic augmentation",
        augment=False,
        generator="dcgan",
    ),
    Arm("cgan", "classic + conditional-GAN bcc up to the largest class", generator="cgan"),
    Arm(
        "dcgan_plus",
        "classic + DCGAN sampled from an EMA of its generator, bcc up to the largest class",
        generator="dcgan_plus",
    ),
    Arm(
        "cgan_plus",
        "classic + projection conditional GAN with an EMA generator, bcc up to the largest class",
        generator="cgan_plus",
    ),
    Arm(
        "chosen",
        "classic + bcc from the generator search's choice (best of K GANs on validation), "
        "up to the largest class",
        generator="chosen",
    ),
    Arm(
        "chosen_no_classic",
        "bcc from the generator search's choice up to the largest class, no classic augmentation",
        augment=False,
        generator="chosen",
    ),
    Arm(
        "dcgan_x0.5",
        "classic + DCGAN bcc, 0.5x the real bcc count",
        generator="dcgan",
        synthetic_factor=0.5,
    ),
    Arm(
        "dcgan_x1",
        "classic + DCGAN bcc, 1x the real bcc count",
        generator="dcgan",
        synthetic_factor=1.0,
    ),
    Arm(
        "dcgan_x2",
        "classic + DCGAN bcc, 2x the real bcc count",
        generator="dcgan",
        synthetic_factor=2.0,
    ),
    Arm(
        "dcgan_x4",
        "classic + DCGAN bcc, 4x the real bcc count",
        generator="dcgan",
        synthetic_factor=4.0,
    ),
    Arm("classic_by_image", "classic, but split by image as the report did (leaks)", split="image"),
)

#: The sweep over the number of synthetic images, as multiples of the real bcc training count.
SWEEP: tuple[str, ...] = ("classic", "dcgan_x0.5", "dcgan_x1", "dcgan_x2", "dcgan_x4")


def get_arms(names: list[str] | tuple[str, ...] | None = None) -> list[Arm]:
    """The arms called ``names`` (all of :data:`ARMS` for ``None``), in registry order.

    Examples
    --------
    >>> [arm.name for arm in get_arms(["dcgan", "none"])]
    ['none', 'dcgan']
    >>> get_arms(["gan"])
    Traceback (most recent call last):
    ...
    ValueError: unknown arm(s) 'gan': choose from none, classic, class_weight, oversample, dcgan, dcgan_no_classic, cgan, dcgan_plus, cgan_plus, chosen, chosen_no_classic, dcgan_x0.5, dcgan_x1, dcgan_x2, dcgan_x4, classic_by_image
    """  # noqa: E501
    if names is None:
        return list(ARMS.values())
    unknown = [name for name in names if name not in ARMS]
    if unknown:
        raise ValueError(
            f"unknown arm(s) {', '.join(map(repr, unknown))}: choose from {', '.join(ARMS)}"
        )
    if not names:
        raise ValueError(f"no arms chosen: name at least one of {', '.join(ARMS)}")
    return [arm for arm in ARMS.values() if arm.name in names]


def synthetic_count(arm: Arm, train: LesionData) -> int:
    """How many generated bcc images ``arm`` adds to ``train``.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> train = synthetic_lesions({"bcc": 10, "bkl": 25, "mel": 30})
    >>> synthetic_count(ARMS["dcgan"], train), synthetic_count(ARMS["dcgan_x0.5"], train)
    (20, 5)
    >>> synthetic_count(ARMS["classic"], train)
    0
    """
    if arm.generator is None:
        return 0
    counts = train.class_counts()
    if MINORITY not in counts:
        raise ValueError(f"the training set has no {MINORITY} images to add generated ones to")
    if arm.synthetic_factor is None:
        return max(counts.values()) - counts[MINORITY]
    return int(round(arm.synthetic_factor * counts[MINORITY]))


def is_generated(data: LesionData) -> np.ndarray:
    """Boolean mask: which images of ``data`` a GAN made (the ``generated`` metadata flag).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> bool(is_generated(synthetic_lesions(2)).any())
    False
    """
    if "generated" not in data.metadata:
        return np.zeros(len(data), dtype=bool)
    return data.metadata["generated"].fillna(False).to_numpy(dtype=bool)


def generated_data(images: np.ndarray, like: LesionData, generator: str) -> LesionData:
    """Wrap generated bcc ``images`` as a LesionData flagged ``generated`` (never real)."""
    ids = [f"{generator}_{index:05d}" for index in range(len(images))]
    flags = pd.DataFrame({"image_id": ids, "generated": True, "generator": generator})
    return from_arrays(
        images, [MINORITY] * len(images), ids, ids, like.source, like.has_lesion_ids, flags
    )


def concatenate(*parts: LesionData) -> LesionData:
    """One LesionData holding the images of ``parts`` in order (same source and image size)."""
    parts = tuple(part for part in parts if len(part))
    if len({part.images.shape[1:] for part in parts}) != 1:
        raise ValueError("cannot combine images of different sizes")
    metadata = pd.concat([part.metadata for part in parts], ignore_index=True)
    if "generated" in metadata:
        metadata["generated"] = metadata["generated"].fillna(False).astype(bool)
    return LesionData(
        images=np.concatenate([part.images for part in parts]),
        dx=np.concatenate([part.dx for part in parts]),
        image_id=np.concatenate([part.image_id for part in parts]),
        lesion_id=np.concatenate([part.lesion_id for part in parts]),
        metadata=metadata,
        source=parts[0].source,
        has_lesion_ids=parts[0].has_lesion_ids,
    )


def training_set(
    arm: Arm, train: LesionData, generated: dict[str, np.ndarray] | None = None, seed: int = 0
) -> LesionData:
    """The training set ``arm`` forms from one seed's real ``train`` part.

    ``generated`` maps a GAN name to that seed's generated bcc images (uint8); the first
    :func:`synthetic_count` of them are used, so every arm of a seed shares one pool.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> train = synthetic_lesions({"bcc": 10, "bkl": 25, "mel": 30})
    >>> training_set(ARMS["oversample"], train).class_counts()
    {'bcc': 30, 'bkl': 25, 'mel': 30}
    >>> pool = {"dcgan": np.zeros((40, 28, 28, 3), np.uint8)}
    >>> grown = training_set(ARMS["dcgan_x2"], train, pool)
    >>> grown.class_counts()["bcc"], int(is_generated(grown).sum())
    (30, 20)
    """
    if arm.oversample:
        counts = train.class_counts()
        rows = np.flatnonzero(train.dx == MINORITY)
        extra = max(counts.values()) - len(rows)
        repeats = np.random.default_rng(seed).choice(rows, size=extra, replace=True)
        return train.subset(np.concatenate([np.arange(len(train)), repeats]))
    count = synthetic_count(arm, train)
    if count == 0:
        return train
    pool = (generated or {}).get(arm.generator)
    if pool is None or len(pool) < count:
        have = 0 if pool is None else len(pool)
        raise ValueError(
            f"arm {arm.name!r} needs {count} {arm.generator} images, got {have}: generate "
            "the seed's pool first (ganaug.experiment.gan_pool)"
        )
    return concatenate(train, generated_data(pool[:count], train, arm.generator))


def arm_table(train: LesionData, arms: list[Arm] | None = None) -> pd.DataFrame:
    """What each arm trains on, formed from one training part (counts only, no images).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> table = arm_table(synthetic_lesions({"bcc": 10, "bkl": 25, "mel": 30}))
    >>> table.loc["dcgan_x2", ["bcc real", "bcc added", "images"]].tolist()
    [10, 20, 85]
    """
    counts = train.class_counts()
    rows = {}
    for arm in arms or list(ARMS.values()):
        added = synthetic_count(arm, train)
        if arm.oversample:
            added = max(counts.values()) - counts[MINORITY]
        rows[arm.name] = {
            "classic augmentation": "yes" if arm.augment else "no",
            "class weights": arm.class_weight or "-",
            "bcc real": counts[MINORITY],
            "bcc added": added,
            "added from": "repeats" if arm.oversample else (arm.generator or "-"),
            "images": len(train) + added,
            "split": f"by {arm.split}",
        }
    return pd.DataFrame.from_dict(rows, orient="index")
