"""Checks for chapter 5's exercises (augmentation with synthetic images)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ganaug.data import LesionData, report_split, synthetic_lesions
from ganaug.data.splits import Splits
from ganaug.experiment.arms import ARMS, synthetic_count
from ganaug.teaching.exercises import fail, passed, require_answer

#: Class counts the checks try, each with bcc the smallest (as in the report's data).
COUNTS = (
    {"bcc": 323, "bkl": 692, "mel": 701},
    {"bcc": 10, "bkl": 25, "mel": 30},
    {"bcc": 7, "bkl": 7, "mel": 9},
)


def check_images_to_balance(student: Callable[[dict[str, int]], int]) -> None:
    """Exercise 5.1: ``images_to_balance(counts)`` is how many generated bcc images bring bcc up
    to the largest class (the report's ``dcgan`` arm).

    Examples
    --------
    >>> check_images_to_balance(lambda counts: max(counts.values()) - counts["bcc"])
    Exercise 5.1 passed: right for all 3 training sets
    """
    require_answer("5.1", student, "images_to_balance")
    for counts in COUNTS:
        train = synthetic_lesions(counts, size=8, seed=0)
        answer = require_answer("5.1", student(dict(counts)), "images_to_balance(counts)")
        expected = synthetic_count(ARMS["dcgan"], train)
        if answer == expected:
            continue
        total = sum(counts.values())
        if answer == round(total / len(counts)) - counts["bcc"]:
            fail(
                "5.1",
                f"for {counts} you balanced bcc to the mean class size; the report "
                "filled it up to the largest class",
            )
        if answer == max(counts.values()):
            fail(
                "5.1",
                f"for {counts} you gave the largest class's size; subtract the real "
                "bcc images already there",
            )
        fail("5.1", f"for {counts} you said {answer}, expected {expected}")
    passed("5.1", f"right for all {len(COUNTS)} training sets")


def check_oversample(student: Callable[[LesionData, int], LesionData]) -> None:
    """Exercise 5.2: ``oversample(train, seed)`` repeats random real bcc training images until
    bcc matches the largest class, and changes nothing else.

    Examples
    --------
    >>> from ganaug.experiment import ARMS, training_set
    >>> check_oversample(lambda train, seed: training_set(ARMS["oversample"], train, seed=seed))
    Exercise 5.2 passed: bcc 10 -> 30 by repeating real training images; other classes untouched
    """
    require_answer("5.2", student, "oversample")
    train = synthetic_lesions({"bcc": 10, "bkl": 25, "mel": 30}, size=8, seed=1)
    result = require_answer("5.2", student(train, 0), "oversample(train, 0)")
    if not isinstance(result, LesionData):
        fail("5.2", f"return a LesionData (e.g. train.subset(rows)), got {type(result).__name__}")
    counts, before = result.class_counts(), train.class_counts()
    if counts.get("bcc") != max(before.values()):
        fail(
            "5.2",
            f"bcc has {counts.get('bcc')} images; it should match the largest class "
            f"({max(before.values())})",
        )
    for code in ("bkl", "mel"):
        if counts.get(code) != before[code]:
            fail(
                "5.2",
                f"{code} changed from {before[code]} to {counts.get(code)}: only "
                "bcc is oversampled",
            )
    real_bcc = set(train.image_id[train.dx == "bcc"].tolist())
    added = result.image_id[result.dx == "bcc"].tolist()
    if not set(added) <= real_bcc:
        fail("5.2", "some bcc images are not from the training set: repeat real bcc images")
    if set(real_bcc) - set(added):
        fail("5.2", "some real bcc images were dropped: keep all of them and add repeats")
    again = student(train, 0).image_id
    if not np.array_equal(again, result.image_id):
        fail(
            "5.2",
            "two calls with the same seed gave different sets: use the seed "
            "(np.random.default_rng(seed))",
        )
    passed(
        "5.2",
        f"bcc {before['bcc']} -> {counts['bcc']} by repeating real training images; "
        "other classes untouched",
    )


def leaky_gan_images(data: LesionData, seed: int = 0) -> np.ndarray:
    """A deliberately wrong pipeline: the GAN's training images taken before the split.

    Exercise 5.3 asks what is wrong and for a version without the leak.

    Examples
    --------
    >>> len(leaky_gan_images(synthetic_lesions(30))) == 30
    True
    """
    bcc = data.subset(data.dx == "bcc")  # every bcc image, test images included
    _ = report_split(data, seed)  # the split comes too late to protect the test set
    return bcc.images


def check_gan_training_images(student: Callable[[Splits], np.ndarray]) -> None:
    """Exercise 5.3: ``gan_training_images(splits)`` returns the images a bcc GAN may train on:
    every bcc image of the training part, and none from validation or test.

    Examples
    --------
    >>> def right(splits):
    ...     return splits.train.images[splits.train.dx == "bcc"]
    >>> check_gan_training_images(right)
    Exercise 5.3 passed: the GAN sees the 17 training bcc images and no held-out image
    """
    require_answer("5.3", student, "gan_training_images")
    data = synthetic_lesions({"bcc": 30, "bkl": 30, "mel": 30}, size=8, seed=2)
    splits = report_split(data, seed=0)
    images = np.asarray(require_answer("5.3", student(splits), "gan_training_images(splits)"))
    if images.ndim != 4:
        fail("5.3", f"return an (N, H, W, 3) image array, got shape {images.shape}")
    if len(images) == (data.dx == "bcc").sum():
        fail("5.3", "that is every bcc image, test ones too: the leak of leaky_gan_images")
    flat = {image.tobytes() for image in images}
    for name in ("val", "test"):
        part = getattr(splits, name)
        if flat & {image.tobytes() for image in part.images}:
            fail(
                "5.3", f"some images come from the {name} part: a GAN may only see training images"
            )
    wanted = splits.train.images[splits.train.dx == "bcc"]
    if flat != {image.tobytes() for image in wanted} or len(images) != len(wanted):
        fail(
            "5.3",
            f"expected the {len(wanted)} bcc images of splits.train, got {len(images)} "
            "images (other classes, or some missing)",
        )
    passed("5.3", f"the GAN sees the {len(wanted)} training bcc images and no held-out image")
