"""Repeated lesion-grouped k-fold: every image tested once per repeat, lesions never split."""

from __future__ import annotations

import numpy as np
import pytest

from ganaug.data import fold_splits, lesion_groups, repeat_folds, synthetic_lesions
from ganaug.experiment.units import seed_splits

K = 5


@pytest.fixture(scope="module")
def data():
    # Imbalanced like the report's classes, with lesions of one to three images.
    return synthetic_lesions({"bcc": 30, "bkl": 45, "mel": 50}, seed=3)


def groups_of(part) -> set[str]:
    return set(lesion_groups(part).tolist())


@pytest.mark.parametrize("repeat", [0, 1])
def test_the_test_parts_of_one_repeat_cover_every_image_once(data, repeat):
    tested = np.concatenate(
        [fold_splits(data, repeat * K + fold, K).test.image_id for fold in range(K)]
    )
    assert len(tested) == len(data)
    assert sorted(tested.tolist()) == sorted(data.image_id.tolist())


@pytest.mark.parametrize("unit", range(2 * K))
def test_a_unit_keeps_lesions_whole_and_every_class_in_every_part(data, unit):
    splits = fold_splits(data, unit, K)
    parts = splits.parts()
    assert splits.shared_lesions() == set()
    for a in parts:
        for b in parts:
            if a < b:
                assert not groups_of(parts[a]) & groups_of(parts[b]), (a, b)
                assert not set(parts[a].image_id) & set(parts[b].image_id), (a, b)
    assert sum(len(part) for part in parts.values()) == len(data)
    for name, part in parts.items():
        assert set(part.dx.tolist()) == set(data.classes), name


def test_the_validation_part_is_about_its_share_of_all_images(data):
    sizes = [len(fold_splits(data, unit, K, val_fraction=0.1).val) for unit in range(K)]
    assert 0.05 * len(data) <= np.mean(sizes) <= 0.2 * len(data)


def test_the_same_unit_gives_the_same_split(data):
    first, again = fold_splits(data, 7, K), fold_splits(data, 7, K)
    for name in ("train", "val", "test"):
        assert np.array_equal(getattr(first, name).image_id, getattr(again, name).image_id)


def test_repeats_partition_differently(data):
    def partition(repeat):
        return {frozenset(data.image_id[rows].tolist()) for rows in repeat_folds(data, repeat, K)}

    assert partition(0) == partition(0)
    assert partition(0) != partition(1) != partition(2)


def test_by_image_folds_ignore_lesions_but_keep_the_sizes(data):
    tested = np.concatenate([fold_splits(data, f, K, by="image").test.image_id for f in range(K)])
    assert sorted(tested.tolist()) == sorted(data.image_id.tolist())
    leaks = [fold_splits(data, f, K, by="image").leaked_test_fraction() for f in range(K)]
    assert max(leaks) > 0  # lesions of several images do land in two parts
    units = seed_splits(data, 2, protocol="kfold", k=K)
    assert abs(len(units["image"].test) - len(units["lesion"].test)) <= 3
    assert units["lesion"].shared_lesions() == set()


def test_the_default_protocol_is_unchanged(data):
    from ganaug.data import report_split

    units = seed_splits(data, 1)
    assert np.array_equal(units["lesion"].test.image_id, report_split(data, 1).test.image_id)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"unit": -1}, "non-negative"),
        ({"unit": 0, "k": 1}, "at least 2"),
        ({"unit": 0, "val_fraction": 0.9}, "val_fraction must lie"),
        ({"unit": 0, "val_fraction": 0}, "val_fraction must lie"),
        ({"unit": 0, "by": "patient"}, "unknown split"),
        ({"unit": 0, "k": 40}, "too few for k=40 folds"),
    ],
)
def test_bad_arguments_are_refused(data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fold_splits(data, **kwargs)


def test_an_unknown_protocol_is_refused(data):
    with pytest.raises(ValueError, match="unknown protocol"):
        seed_splits(data, 0, protocol="bootstrap")
