"""Generator-quality checks with known answers: improved precision and recall, near-duplicate
pairs, checkerboard energy, and GAN-test / GAN-train."""

import keras
import numpy as np
import pytest

from ganaug.data import report_split, synthetic_lesions
from ganaug.experiment.plan import study_plan
from ganaug.experiment.quality import gan_test, gan_train, gan_train_set
from ganaug.metrics import (
    checkerboard_range,
    checkerboard_score,
    checkerboard_scores,
    duplicate_threshold,
    knn_radii,
    near_duplicate_share,
    precision_recall,
)

REAL = synthetic_lesions(n_per_class=20, seed=0).images  # 60 varied uint8 images


def test_identical_sets_have_full_precision_and_recall():
    features = np.random.default_rng(0).normal(size=(150, 5))
    assert precision_recall(features, features) == {"precision": 1.0, "recall": 1.0}


def test_a_generator_covering_one_of_two_modes_is_precise_but_recalls_half():
    rng = np.random.default_rng(1)
    mode_a, mode_b = rng.normal(size=(2, 300, 4))
    real = np.concatenate([mode_a, mode_b + 20.0])
    only_a = rng.normal(size=(600, 4))
    scores = precision_recall(real, only_a)
    assert scores["precision"] > 0.9
    assert scores["recall"] == pytest.approx(0.5, abs=0.06)
    reversed_roles = precision_recall(only_a, real)  # swapping the sets swaps the two
    assert reversed_roles["recall"] > 0.9 and reversed_roles["precision"] < 0.6


def test_knn_radii_and_bad_inputs():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    assert knn_radii(points, k=2).tolist() == [10.0, 5.0, 10.0]
    with pytest.raises(ValueError, match="k must be between 1 and"):
        knn_radii(points, k=3)
    with pytest.raises(ValueError, match="differ in length"):
        precision_recall(points, np.zeros((3, 3)))


def test_a_collapsed_set_is_all_near_duplicates_and_a_varied_one_none():
    threshold = duplicate_threshold(REAL)  # 1st percentile of real nearest-neighbour distances
    rng = np.random.default_rng(2)
    one = np.repeat(REAL[:1].astype(int), 40, axis=0)
    collapsed = np.clip(one + rng.integers(-1, 2, one.shape), 0, 255).astype(np.uint8)
    assert near_duplicate_share(collapsed, threshold) > 0.99
    varied = synthetic_lesions(n_per_class=14, seed=5).images
    assert near_duplicate_share(varied, threshold) < 0.01
    two_modes = np.concatenate([collapsed[:20], np.repeat(REAL[1:2], 20, axis=0)])
    assert near_duplicate_share(two_modes, threshold) == pytest.approx(19 / 39, abs=0.02)
    with pytest.raises(ValueError, match="N >= 2"):
        near_duplicate_share(REAL[:1], threshold)


def test_a_checkerboard_scores_one_and_smooth_images_zero():
    rows, cols = np.indices((28, 28))
    board = np.repeat(((rows + cols) % 2 * 255).astype(np.uint8)[None, ..., None], 3, axis=3)
    gradient = np.repeat((rows * 4 + cols * 4).astype(np.uint8)[None, ..., None], 3, axis=3)
    assert checkerboard_score(board) == pytest.approx(1.0)
    assert checkerboard_score(gradient) < 0.01
    stripes = np.repeat((cols % 2 * 255).astype(np.uint8)[None, ..., None], 3, axis=3)
    assert checkerboard_score(stripes) == pytest.approx(1.0)  # period 2 along one axis
    period_four = np.repeat((cols // 2 % 2 * 255).astype(np.uint8)[None, ..., None], 3, axis=3)
    assert checkerboard_score(period_four) < 0.01 < checkerboard_score(period_four, (2, 4))


def test_real_images_give_the_range_a_checkered_generator_leaves():
    low, high = checkerboard_range(REAL)
    assert 0 <= low <= high < 0.1
    rows, cols = np.indices((28, 28))
    pattern = ((rows + cols) % 2 * 2 - 1)[None, ..., None] * 12  # +-12 grey levels
    checkered = np.clip(REAL.astype(int) + pattern, 0, 255).astype(np.uint8)
    assert checkerboard_scores(checkered).min() > high
    with pytest.raises(ValueError, match="divide the image size"):
        checkerboard_scores(REAL[:, :27], (2,))


def constant_classifier(favourite: int) -> keras.Model:
    """A 'classifier' that calls every image class ``favourite`` of bcc, bkl, mel."""
    inputs = keras.Input((28, 28, 3))
    pooled = keras.layers.GlobalAveragePooling2D()(inputs)
    bias = np.full(3, -5.0, "float32")
    bias[favourite] = 5.0
    dense = keras.layers.Dense(3, activation="softmax", kernel_initializer="zeros")
    model = keras.Model(inputs, dense(pooled))
    dense.set_weights([np.zeros((3, 3), "float32"), bias])
    model.class_names = ["bcc", "bkl", "mel"]
    return model


def test_gan_test_is_the_share_called_bcc():
    assert gan_test(constant_classifier(0), REAL[:10]) == 1.0
    assert gan_test(constant_classifier(2), REAL[:10]) == 0.0
    with pytest.raises(ValueError, match="class_names"):
        gan_test(keras.Sequential([keras.Input((28, 28, 3))]), REAL[:2])


def test_gan_train_swaps_the_real_bcc_and_scores_on_real_test_images():
    data = synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=3)
    splits = report_split(data, seed=0)
    bcc = int((splits.train.dx == "bcc").sum())
    generated = np.zeros((bcc + 5, 28, 28, 3), np.uint8)
    swapped = gan_train_set(splits.train, generated)
    assert swapped.class_counts() == splits.train.class_counts()
    assert not set(swapped.image_id) & set(splits.train.image_id[splits.train.dx == "bcc"])
    score = gan_train(splits, generated, study_plan("smoke"), seed=0)
    assert 0.0 <= score <= 1.0
    with pytest.raises(ValueError, match="needs .* generated bcc"):
        gan_train_set(splits.train, generated[:2])
