"""Checks for chapter 5's k-fold exercise: a lesion-grouped, class-stratified k-fold like the
study's units (:func:`ganaug.data.folds.repeat_folds`), and a leak check for any k-fold."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ganaug.data import from_arrays, lesion_groups
from ganaug.data.core import LesionData
from ganaug.teaching.exercises import fail, passed, require_answer

#: Two ids of one bkl lesion (a published pair, merged by :func:`ganaug.data.lesion_groups`).
PAIR = ("HAM_0000955", "HAM_0007604")


def fold_data(seed: int = 44) -> LesionData:
    """Lesions of 1 to 4 photographs in three classes of unequal size, one lesion filed under
    two ids (:data:`PAIR`): a small stand-in for the study's data.

    Examples
    --------
    >>> data = fold_data()
    >>> data.class_counts(), len(set(lesion_groups(data))) < len(set(data.lesion_id))
    ({'bcc': 37, 'bkl': 87, 'mel': 108}, True)
    """
    rng = np.random.default_rng(seed)
    dx, lesions = [], []
    for code, count in (("bcc", 16), ("bkl", 30), ("mel", 40)):
        for number in range(count):
            photos = int(rng.integers(1, 5))
            dx += [code] * photos
            lesions += [f"{code}_lesion_{number:03d}"] * photos
    dx += ["bkl"] * 4
    lesions += [PAIR[0], PAIR[0], PAIR[1], PAIR[1]]
    n = len(dx)
    images = np.zeros((n, 2, 2, 3), np.uint8)
    return from_arrays(images, dx, [f"ISIC_{i:07d}" for i in range(n)], lesions, "ham10000")


def image_folds(data: LesionData, k: int, seed: int) -> list[np.ndarray]:
    """A k-fold by image (each photograph on its own), which splits lesions: the leaky kind."""
    order = np.random.default_rng(seed).permutation(len(data))
    return [np.sort(part) for part in np.array_split(order, k)]


def true_leaks(folds: list[np.ndarray], data: LesionData) -> set[str]:
    """The lesion groups found in more than one of ``folds``."""
    groups = lesion_groups(data)
    where: dict[str, set[int]] = {}
    for index, rows in enumerate(folds):
        for name in set(groups[np.asarray(rows, int)].tolist()):
            where.setdefault(name, set()).add(index)
    return {name for name, found in where.items() if len(found) > 1}


def _as_folds(answer, k: int, n: int, call: str) -> list[np.ndarray]:
    answer = require_answer("5.4", answer, call)
    try:
        folds = [np.asarray(part).astype(int).ravel() for part in answer]
    except (TypeError, ValueError):
        fail("5.4", f"{call} should return a list of k arrays of row indices")
    if len(folds) != k:
        fail("5.4", f"{call} returned {len(folds)} folds, expected k = {k}")
    counts = np.bincount(np.concatenate(folds), minlength=n) if folds else np.zeros(n)
    if len(counts) > n or np.any(counts != 1):
        twice, never = np.flatnonzero(counts > 1), np.flatnonzero(counts == 0)
        fail(
            "5.4",
            f"{call}: every image must be in exactly one fold; {len(twice)} are in several "
            f"and {len(never)} in none",
        )
    return folds


def _check_stratified(folds: list[np.ndarray], data: LesionData, call: str) -> None:
    groups = lesion_groups(data)
    for code in data.classes:
        in_class = data.dx == code
        largest = max(np.sum(groups[in_class] == g) for g in set(groups[in_class]))
        wanted = in_class.sum() / len(folds)
        for index, rows in enumerate(folds):
            have = int(np.sum(data.dx[rows] == code))
            if abs(have - wanted) > largest + 1:
                fail(
                    "5.4",
                    f"{call}: fold {index} has {have} {code} images, expected about "
                    f"{wanted:.0f} (a k-th of the class): stratify, spreading each class's "
                    "lesion groups over the folds",
                )


def check_lesion_folds(
    lesion_folds: Callable[[LesionData, int, int], list],
    leaked_groups: Callable[[list, LesionData], set],
) -> None:
    """Exercise 5.4: ``lesion_folds(data, k, seed)`` and ``leaked_groups(folds, data)``.

    Examples
    --------
    >>> from ganaug.data.folds import repeat_folds
    >>> check_lesion_folds(lambda d, k, s: repeat_folds(d, s, k), true_leaks)
    Exercise 5.4 passed: 5 and 3 folds, no lesion group in two folds, every class spread evenly; your leak check found the 65 groups a k-fold by image splits
    """  # noqa: E501
    require_answer("5.4", lesion_folds, "lesion_folds")
    require_answer("5.4", leaked_groups, "leaked_groups")
    data = fold_data()
    raw_ids = {str(i) for i in data.lesion_id}
    results = {}
    for k, seed in ((5, 0), (5, 1), (3, 0)):
        call = f"lesion_folds(data, k={k}, seed={seed})"
        folds = _as_folds(lesion_folds(data, k, seed), k, len(data), call)
        leaks = true_leaks(folds, data)
        if leaks:
            if leaks <= {lesion_groups(data)[list(data.lesion_id).index(PAIR[0])]}:
                fail(
                    "5.4",
                    f"{call}: the two ids {PAIR} are one lesion, and your folds split them: "
                    "group by lesion_groups(data), not by the raw lesion_id",
                )
            fail("5.4", f"{call}: {len(leaks)} lesion groups are in more than one fold")
        _check_stratified(folds, data, call)
        results[(k, seed)] = folds
    if all(np.array_equal(a, b) for a, b in zip(results[5, 0], results[5, 1], strict=True)):
        fail("5.4", "seeds 0 and 1 gave the same folds: shuffle the lesion groups with the seed")
    leaky = image_folds(data, 5, 0)
    for folds, name in ((leaky, "a k-fold by image"), (results[5, 0], "your lesion folds")):
        found = require_answer("5.4", leaked_groups(folds, data), "leaked_groups(folds, data)")
        try:
            found = {str(g) for g in found}
        except TypeError:
            fail("5.4", "leaked_groups should return a set of lesion group names")
        wanted = true_leaks(folds, data)
        if found != wanted:
            hint = ""
            if found - wanted <= raw_ids and found != wanted and len(found) > len(wanted):
                hint = ": count lesion groups (lesion_groups(data)), not raw lesion ids"
            fail(
                "5.4",
                f"on {name}, leaked_groups found {len(found)} groups, expected {len(wanted)} "
                f"(the lesion groups with images in more than one fold){hint}",
            )
    passed(
        "5.4",
        f"5 and 3 folds, no lesion group in two folds, every class spread evenly; your leak "
        f"check found the {len(true_leaks(leaky, data))} groups a k-fold by image splits",
    )
