"""Nearest-neighbour memorisation check: it finds copies and clears fresh images."""

import numpy as np
import pytest

from ganaug.data import synthetic_lesions
from ganaug.metrics import diversity, memorisation_table, nearest_neighbours

TRAIN = synthetic_lesions(n_per_class=30, seed=0).images
HELD_OUT = synthetic_lesions(n_per_class=10, seed=1).images


def test_brute_force_agreement():
    distance, index = nearest_neighbours(HELD_OUT[:5], TRAIN)
    flat = TRAIN.reshape(len(TRAIN), -1) / 255.0
    for d, i, query in zip(distance, index, HELD_OUT[:5], strict=True):
        brute = np.linalg.norm(flat - query.reshape(-1) / 255.0, axis=1)
        assert i == brute.argmin() and d == pytest.approx(brute.min(), abs=1e-4)


def _brute_force(queries, references, skip_self=False):
    """Every distance, by numpy: (N_queries, N_references)."""
    q = queries.reshape(len(queries), -1).astype(np.float64) / 255.0
    r = references.reshape(len(references), -1).astype(np.float64) / 255.0
    distances = np.sqrt(((q[:, None, :] - r[None, :, :]) ** 2).sum(axis=2))
    if skip_self:
        np.fill_diagonal(distances, np.inf)
    return distances


def test_brute_force_agreement_on_every_query():
    queries = np.concatenate([HELD_OUT, TRAIN[5:8]])  # three exact copies among them
    distance, index = nearest_neighbours(queries, TRAIN)
    brute = _brute_force(queries, TRAIN)
    assert np.array_equal(index, brute.argmin(axis=1))
    assert np.allclose(distance, brute.min(axis=1), atol=1e-6)
    assert index[-3:].tolist() == [5, 6, 7] and np.allclose(distance[-3:], 0, atol=1e-6)


def test_leave_one_out_agrees_with_brute_force():
    images = np.concatenate([TRAIN[:40], TRAIN[3:4], TRAIN[:40:7]])  # some images twice
    distance, index = nearest_neighbours(images, images, exclude_identical_index=True)
    brute = _brute_force(images, images, skip_self=True)
    assert np.array_equal(index, brute.argmin(axis=1))  # ties go to the lowest index
    assert np.allclose(distance, brute.min(axis=1), atol=1e-6)
    assert diversity(images) == pytest.approx(brute.min(axis=1).mean(), abs=1e-6)
    lone = nearest_neighbours(TRAIN[:1], TRAIN[:1], exclude_identical_index=True)[0]
    assert lone.tolist() == [np.inf]  # no other image to be near


def test_copies_are_caught_and_fresh_images_are_not():
    copies = memorisation_table(TRAIN[:20], TRAIN, HELD_OUT)
    assert copies["copy_fraction"] == 1.0 and np.allclose(
        copies["generated_distance"], 0, atol=1e-3
    )
    fresh = memorisation_table(synthetic_lesions(n_per_class=10, seed=2).images, TRAIN, HELD_OUT)
    assert fresh["copy_fraction"] < 0.2


def test_leave_one_out_skips_self():
    _, index = nearest_neighbours(TRAIN, TRAIN, exclude_identical_index=True)
    assert (index != np.arange(len(TRAIN))).all()
    twins = np.concatenate([TRAIN[:10], TRAIN[:1]])  # image 0 twice: each other's nearest
    distance, index = nearest_neighbours(twins, twins, exclude_identical_index=True)
    assert index[0] == 10 and index[10] == 0 and distance[0] == pytest.approx(0, abs=1e-6)


def test_diversity_separates_collapsed_sets_from_varied_ones():
    rng = np.random.default_rng(0)

    def near_copies(image, n):
        return np.clip(image + rng.normal(0, 3, (n, *image.shape)), 0, 255).astype(np.uint8)

    varied = TRAIN[:40]
    repeated = np.repeat(TRAIN[:1], 40, axis=0)
    one_mode = near_copies(TRAIN[0].astype(float), 40)
    two_modes = np.concatenate(
        [near_copies(TRAIN[0].astype(float), 20), near_copies(TRAIN[-1].astype(float), 20)]
    )
    assert diversity(repeated) == pytest.approx(0, abs=1e-6)
    for collapsed in (repeated, one_mode, two_modes):
        assert diversity(collapsed) < diversity(varied) / 2
    with pytest.raises(ValueError, match="at least two"):
        diversity(TRAIN[:1])


def test_mismatched_sizes_are_rejected():
    with pytest.raises(ValueError, match="differ in size"):
        nearest_neighbours(TRAIN[:, :14], TRAIN)
