"""Nearest-neighbour memorisation check: it finds copies and clears fresh images."""

import numpy as np
import pytest

from ganaug.data import synthetic_lesions
from ganaug.metrics import memorisation_table, nearest_neighbours

TRAIN = synthetic_lesions(n_per_class=30, seed=0).images
HELD_OUT = synthetic_lesions(n_per_class=10, seed=1).images


def test_brute_force_agreement():
    distance, index = nearest_neighbours(HELD_OUT[:5], TRAIN)
    flat = TRAIN.reshape(len(TRAIN), -1) / 255.0
    for d, i, query in zip(distance, index, HELD_OUT[:5], strict=True):
        brute = np.linalg.norm(flat - query.reshape(-1) / 255.0, axis=1)
        assert i == brute.argmin() and d == pytest.approx(brute.min(), abs=1e-4)


def test_copies_are_caught_and_fresh_images_are_not():
    copies = memorisation_table(TRAIN[:20], TRAIN, HELD_OUT)
    assert copies["copy_fraction"] == 1.0 and np.allclose(
        copies["generated_distance"], 0, atol=1e-3
    )
    fresh = memorisation_table(synthetic_lesions(n_per_class=10, seed=2).images, TRAIN, HELD_OUT)
    assert fresh["copy_fraction"] < 0.2


def test_leave_one_out_skips_self():
    distance, index = nearest_neighbours(TRAIN, TRAIN, exclude_identical_index=True)
    assert (index != np.arange(len(TRAIN))).all() and (distance >= 0).all()


def test_mismatched_sizes_are_rejected():
    with pytest.raises(ValueError, match="differ in size"):
        nearest_neighbours(TRAIN[:, :14], TRAIN)
