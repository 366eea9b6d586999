"""Checks for chapter 1's exercises (the data)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ganaug.data import Splits, lesion_groups, synthetic_lesions
from ganaug.data.stats import compare_distributions, grey_means
from ganaug.teaching.exercises import fail, passed, require_answer, require_close
from ganaug.teaching.lesion_ids import show_lesion_id_note


def check_grey_means(student_grey_means: Callable[[np.ndarray], np.ndarray]) -> None:
    """Exercise 1.1: ``grey_means(images)`` returns each image's mean grey level (BT.601).

    Examples
    --------
    >>> check_grey_means(grey_means)
    Exercise 1.1 passed: your grey means match ganaug.data.stats.grey_means on 30 images
    """
    require_answer("1.1", student_grey_means, "grey_means")
    images = synthetic_lesions(n_per_class=10, size=12, seed=11).images
    result = require_answer("1.1", student_grey_means(images), "grey_means(images)")
    hint = (
        "Average over height and width first, then weight R, G, B by 0.299, 0.587, 0.114 "
        "(or weight first and average after: the result is the same). Keep the 0-255 scale."
    )
    expected = grey_means(images)
    mistakes = {
        "you averaged R, G and B equally; weight them by 0.299, 0.587 and 0.114 (BT.601)": (
            images.astype(float).mean(axis=(1, 2, 3))
        ),
        "your values are on the 0-1 scale; keep the images' 0-255 scale": expected / 255,
    }
    require_close("1.1", result, expected, "grey_means(images)", hint=hint, mistakes=mistakes)
    passed("1.1", f"your grey means match ganaug.data.stats.grey_means on {len(images)} images")


def check_lesion_split(
    student_split: Callable[[np.ndarray, float, int], np.ndarray], test_fraction: float = 0.25
) -> None:
    """Exercise 1.2: ``lesion_split(lesion_ids, test_fraction, seed)`` returns a boolean test mask
    with no lesion on both sides and about ``test_fraction`` of the images in test.
    """
    require_answer("1.2", student_split, "lesion_split")
    lesion_ids = synthetic_lesions(n_per_class=80, seed=12).lesion_id
    mask = require_answer("1.2", student_split(lesion_ids, test_fraction, 0), "your mask")
    mask = np.asarray(mask)
    if mask.shape != lesion_ids.shape or mask.dtype != bool:
        fail(
            "1.2",
            f"return a boolean array of shape {lesion_ids.shape} (True = test image), "
            f"got dtype {mask.dtype} and shape {mask.shape}",
        )
    both = set(lesion_ids[mask]) & set(lesion_ids[~mask])
    if both:
        fail(
            "1.2",
            f"{len(both)} lesion(s) are in both parts, e.g. {sorted(both)[0]}: put all images "
            "of a lesion on the same side (choose lesions, not images)",
        )
    share = mask.mean()
    if abs(share - test_fraction) > 0.05:
        fail(
            "1.2",
            f"{share:.1%} of the images are in test; aim for {test_fraction:.0%} (within 5 points)",
        )
    other = np.asarray(student_split(lesion_ids, test_fraction, 1))
    if np.array_equal(other, mask):
        fail("1.2", "seed 0 and seed 1 give the same split: use the seed for the shuffle")
    passed("1.2", f"no lesion is shared and {share:.1%} of the images are in test")


def check_most_different(answer: str, table: pd.DataFrame) -> None:
    """Exercise 1.3: the class whose grey-mean distribution is furthest (KS) from the rest."""
    require_answer("1.3", answer, "most_different")
    expected = compare_distributions(table, "grey").index[0]
    if answer != expected:
        fail(
            "1.3",
            f"{str(answer)!r} is not the class with the largest KS statistic against the other "
            "classes; compare each class with all the others together",
        )
    passed("1.3", f"{expected} differs most (compare it with the figure of grey means)")


def check_leaked_fraction(answer: float, splits: Splits) -> None:
    """Exercise 1.4: the share of test images whose lesion is also in the training part.

    A lesion is a lesion group (:func:`ganaug.data.lesion_groups`): HAM10000 lists a few lesions
    under two ids, so the answer is :meth:`ganaug.data.Splits.leaked_test_fraction`.

    Examples
    --------
    >>> from ganaug.data import split_by_image
    >>> splits = split_by_image(synthetic_lesions(n_per_class=20), 0.1, 0.3, seed=0)
    >>> check_leaked_fraction(splits.leaked_test_fraction(), splits)  # doctest: +ELLIPSIS
    Exercise 1.4 passed: ...% of the test images have a sibling photograph in training
    """
    require_answer("1.4", answer, "leaked")
    test, train = lesion_groups(splits.test), lesion_groups(splits.train)
    leaked = np.isin(test, train)
    mistakes = {
        "you compared raw lesion_id values, but HAM10000 lists some lesions under two ids "
        "(ganaug.data.SAME_LESION_PAIRS): compare lesion_groups(splits.test) with "
        "lesion_groups(splits.train) (from ganaug.data)": np.isin(
            splits.test.lesion_id, splits.train.lesion_id
        ).mean(),
        "divide by the number of test images, not training images": leaked.sum() / len(train),
        "count test images whose lesion is in training, not training images whose lesion is in "
        "test": np.isin(train, test).mean(),
    }
    hint = (
        "count test images whose lesion group (ganaug.data.lesion_groups) is among the training "
        "groups, and divide by the number of test images"
    )
    expected = splits.leaked_test_fraction()
    require_close("1.4", answer, expected, "leaked", atol=1e-9, hint=hint, mistakes=mistakes)
    passed("1.4", f"{float(answer):.1%} of the test images have a sibling photograph in training")
    # on images without lesion ids (DermaMNIST) that number is 0 by construction: say so
    show_lesion_id_note(splits.test, {"leak_by_image": float(answer)})
