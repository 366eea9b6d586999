"""Checks for chapter 1's exercises (the data)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ganaug.data import Splits, synthetic_lesions
from ganaug.exercises import fail, passed, require_answer, require_close
from ganaug.stats import compare_distributions, grey_means


def check_grey_means(student_grey_means: Callable[[np.ndarray], np.ndarray]) -> None:
    """Exercise 1.1: ``grey_means(images)`` returns each image's mean grey level (BT.601).

    Examples
    --------
    >>> check_grey_means(grey_means)
    Exercise 1.1 passed: your grey means match ganaug.stats.grey_means on 30 images
    """
    require_answer("1.1", student_grey_means, "grey_means")
    images = synthetic_lesions(n_per_class=10, size=12, seed=11).images
    result = require_answer("1.1", student_grey_means(images), "grey_means(images)")
    hint = (
        "Average over height and width first, then weight R, G, B by 0.299, 0.587, 0.114 "
        "(or weight first and average after: the result is the same). Keep the 0-255 scale."
    )
    require_close("1.1", result, grey_means(images), "grey_means(images)", atol=1e-6, hint=hint)
    passed("1.1", f"your grey means match ganaug.stats.grey_means on {len(images)} images")


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
        fail("1.2", f"return a boolean array of shape {lesion_ids.shape} (True = test image), "
                    f"got dtype {mask.dtype} and shape {mask.shape}")  # fmt: skip
    both = set(lesion_ids[mask]) & set(lesion_ids[~mask])
    if both:
        fail("1.2", f"{len(both)} lesion(s) are in both parts, e.g. {sorted(both)[0]}: put all "
                    "images of a lesion on the same side (choose lesions, not images)")  # fmt: skip
    share = mask.mean()
    if abs(share - test_fraction) > 0.05:
        fail("1.2", f"{share:.1%} of the images are in test; aim for {test_fraction:.0%} "
                    "(within 5 points)")  # fmt: skip
    other = np.asarray(student_split(lesion_ids, test_fraction, 1))
    if np.array_equal(other, mask):
        fail("1.2", "seed 0 and seed 1 give the same split: use the seed for the shuffle")
    passed("1.2", f"no lesion is shared and {share:.1%} of the images are in test")


def check_most_different(answer: str, table: pd.DataFrame) -> None:
    """Exercise 1.3: the class whose grey-mean distribution is furthest (KS) from the rest."""
    require_answer("1.3", answer, "most_different")
    expected = compare_distributions(table, "grey").index[0]
    if answer != expected:
        fail("1.3", f"{answer!r} is not the class with the largest KS statistic against the "
                    "other classes; compare each class with all the others together")  # fmt: skip
    passed("1.3", f"{expected} differs most (compare it with the figure of grey means)")


def check_leaked_fraction(answer: float, splits: Splits) -> None:
    """Exercise 1.4: the share of test images whose lesion is also in the training part."""
    require_answer("1.4", answer, "leaked")
    hint = "count test images whose lesion_id is among the training lesion ids, divide by len(test)"
    expected = np.isin(splits.test.lesion_id, splits.train.lesion_id).mean()
    require_close("1.4", answer, expected, "leaked", atol=1e-9, hint=hint)
    passed("1.4", f"{answer:.1%} of the test images have a sibling photograph in training")
