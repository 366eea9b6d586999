"""Seeds are explicit: building or training one thing never changes another's randomness."""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from ganaug.classifier import build_cnn
from ganaug.common.seeding import layer_seeds
from ganaug.gan import build_discriminator, build_generator


def global_draws() -> tuple[float, float]:
    return float(np.random.random()), float(tf.random.uniform(()))


def draws_after(call) -> tuple[float, float]:
    np.random.seed(123)
    tf.random.set_seed(123)
    call()
    return global_draws()


def test_builders_leave_the_global_random_state_alone():
    baseline = draws_after(lambda: None)
    assert draws_after(lambda: build_cnn(3, filters=(4,), seed=5)) == baseline
    assert draws_after(lambda: build_generator(8, 4, seed=5)) == baseline
    assert draws_after(lambda: build_discriminator(base_filters=4, seed=5)) == baseline


def test_the_augmentation_figure_leaves_the_global_random_state_alone():
    from ganaug.classifier.augment import classic_augmentation
    from ganaug.plots import plot_augmented_grid

    image = np.full((28, 28, 3), 120, np.uint8)
    layer = classic_augmentation(seed=0)
    baseline = draws_after(lambda: None)
    assert draws_after(lambda: plot_augmented_grid(image, layer, n=2)) == baseline


def test_same_seed_same_weights_other_seed_other_weights():
    def first_kernel(model):
        return model.get_weights()[0]

    assert np.array_equal(
        first_kernel(build_generator(8, 4, seed=1)), first_kernel(build_generator(8, 4, seed=1))
    )
    assert not np.array_equal(
        first_kernel(build_generator(8, 4, seed=1)), first_kernel(build_generator(8, 4, seed=2))
    )
    cnn_a, cnn_b = build_cnn(3, filters=(4, 8), seed=3), build_cnn(3, filters=(4, 8), seed=3)
    for a, b in zip(cnn_a.get_weights(), cnn_b.get_weights(), strict=True):
        assert np.array_equal(a, b)
    # A model built in between does not shift the next model's weights.
    build_cnn(3, filters=(4, 8), seed=None)
    for a, b in zip(
        cnn_a.get_weights(), build_cnn(3, filters=(4, 8), seed=3).get_weights(), strict=True
    ):
        assert np.array_equal(a, b)


def test_layer_seeds_are_distinct_and_repeatable():
    assert layer_seeds(7, 20) == layer_seeds(7, 20)
    assert len(set(layer_seeds(7, 20))) == 20
    assert layer_seeds(7, 3) != layer_seeds(8, 3)
