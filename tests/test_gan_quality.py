"""GAN quality distances on cases with known answers, and the CNN features they use."""

import keras
import numpy as np
import pytest
from scipy import linalg

from ganaug.classifier import build_cnn
from ganaug.metrics import (
    blur_images,
    classifier_features,
    frechet_distance,
    frechet_distance_from_moments,
    kernel_inception_distance,
)


def _exact_sample(rng, n, mean, cov):
    """n points whose sample mean and (ddof=1) covariance are exactly ``mean`` and ``cov``."""
    x = rng.normal(size=(n, len(mean)))
    x -= x.mean(axis=0)
    x = x @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False))).T  # sample cov = I
    return np.asarray(mean) + x @ np.linalg.cholesky(cov).T


def test_identical_sets_are_at_distance_zero():
    features = np.random.default_rng(0).normal(size=(300, 6))
    assert frechet_distance(features, features) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_of_two_gaussians_is_the_closed_form():
    # N(0, I) against N(mu, s^2 I) in d dimensions: |mu|^2 + tr(I + s^2 I - 2 s I)
    #                                              = |mu|^2 + d (1 - s)^2.
    rng = np.random.default_rng(1)
    d, s, mu = 4, 1.5, np.array([1.0, -2.0, 0.5, 0.0])
    a = _exact_sample(rng, 200, np.zeros(d), np.eye(d))
    b = _exact_sample(rng, 300, mu, s**2 * np.eye(d))
    assert frechet_distance(a, b) == pytest.approx(mu @ mu + d * (1 - s) ** 2)
    # Large samples drawn at random get close to it too.
    a, b = rng.normal(size=(20000, d)), mu + s * rng.normal(size=(20000, d))
    assert frechet_distance(a, b) == pytest.approx(mu @ mu + d * (1 - s) ** 2, abs=0.1)


def test_frechet_distance_with_covariances_that_do_not_commute():
    rng = np.random.default_rng(2)
    cov_a = np.array([[2.0, 0.8], [0.8, 1.0]])
    cov_b = np.array([[1.0, -0.5], [-0.5, 3.0]])
    root_a = linalg.sqrtm(cov_a).real
    # tr((A B)^(1/2)) = tr((A^(1/2) B A^(1/2))^(1/2)): the eigenvalues of a symmetric matrix.
    trace_root = np.sqrt(np.linalg.eigvalsh(root_a @ cov_b @ root_a)).sum()
    expected = 1.0 + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root
    assert frechet_distance_from_moments([0, 0], cov_a, [1, 0], cov_b) == pytest.approx(expected)
    a = _exact_sample(rng, 100, [0, 0], cov_a)
    b = _exact_sample(rng, 100, [1, 0], cov_b)
    assert frechet_distance(a, b) == pytest.approx(expected)


def test_frechet_distance_survives_fewer_images_than_features():
    rng = np.random.default_rng(3)
    distance = frechet_distance(rng.normal(size=(20, 32)), rng.normal(size=(20, 32)) + 1)
    assert np.isfinite(distance) and distance > 0


def test_distances_reject_bad_features():
    with pytest.raises(ValueError, match="same number of features"):
        frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2"):
        kernel_inception_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="NaN"):
        frechet_distance(np.full((5, 3), np.nan), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="subset_size"):
        kernel_inception_distance(np.zeros((5, 3)), np.zeros((5, 3)), n_subsets=2, subset_size=9)
    with pytest.raises(ValueError, match="covariances"):
        frechet_distance_from_moments([0, 0], np.eye(3), [0, 0], np.eye(2))


def test_kid_with_a_linear_kernel_is_the_unbiased_squared_mean_difference():
    # Degree 1: k(x, y) = x.y / d + 1. The constant cancels; what remains is |mean_a - mean_b|^2
    # / d with each set's self-products (i = j) left out.
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(30, 5)), rng.normal(1, 2, size=(40, 5))

    def within(x):
        return (np.sum(x.sum(axis=0) ** 2) - np.sum(x**2)) / (len(x) * (len(x) - 1))

    expected = (within(a) + within(b) - 2 * a.mean(axis=0) @ b.mean(axis=0)) / 5
    assert kernel_inception_distance(a, b, degree=1) == pytest.approx(expected)


def test_kid_is_unbiased_on_equal_distributions_and_positive_on_different_ones():
    rng = np.random.default_rng(5)
    same = [kernel_inception_distance(*rng.normal(size=(2, 40, 8))) for _ in range(300)]
    assert abs(np.mean(same)) < 3 * np.std(same) / np.sqrt(len(same))
    assert min(same) < 0  # unbiased, so it must sometimes fall below zero
    shifted = [
        kernel_inception_distance(rng.normal(size=(40, 8)), rng.normal(0.5, 1, (40, 8)))
        for _ in range(30)
    ]
    assert min(shifted) > 0
    averaged = kernel_inception_distance(
        rng.normal(size=(100, 8)), rng.normal(0.5, 1, (100, 8)), n_subsets=5, subset_size=50
    )
    assert averaged > 0


def test_classifier_features_are_the_pooled_penultimate_layer():
    model = build_cnn(3, filters=(4, 6), seed=0)
    images = np.random.default_rng(6).integers(0, 256, (7, 28, 28, 3), dtype=np.uint8)
    features = classifier_features(model, images, batch_size=3)
    assert features.shape == (7, 6)
    pooling = next(
        lay for lay in model.layers if isinstance(lay, keras.layers.GlobalAveragePooling2D)
    )
    direct = keras.Model(model.input, pooling.output)(images.astype("float32") / 255.0)
    assert features == pytest.approx(keras.ops.convert_to_numpy(direct), abs=1e-5)
    named = classifier_features(model, images, layer=pooling.name)
    assert named == pytest.approx(features)
    with pytest.raises(ValueError, match="no layer named"):
        classifier_features(model, images, layer="nonsense")
    with pytest.raises(ValueError, match="uint8"):
        classifier_features(model, images / 255.0)
    dense = keras.Sequential([keras.Input((28, 28, 3)), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="GlobalAveragePooling2D"):
        classifier_features(dense, images)


def test_blur_keeps_flat_images_and_smooths_detail():
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, (3, 28, 28, 3), dtype=np.uint8)
    assert np.array_equal(blur_images(images, 0), images)
    flat = np.full((2, 8, 8, 3), 90, np.uint8)
    assert np.array_equal(blur_images(flat, 2.0), flat)
    blurred = blur_images(images, 1.5)
    assert blurred.shape == images.shape and blurred.dtype == np.uint8
    assert blurred.std() < 0.5 * images.std()
    assert abs(blurred.mean() - images.mean()) < 2
    # Channels are blurred separately: a red-only image stays red-only.
    red = np.zeros((1, 8, 8, 3), np.uint8)
    red[..., 0] = rng.integers(0, 256, (1, 8, 8))
    assert blur_images(red, 1.0)[..., 1:].max() == 0
    with pytest.raises(ValueError, match="sigma"):
        blur_images(images, -1)


def test_gan_quality_rows_measure_every_set_with_its_references():
    from ganaug.data import report_split, synthetic_lesions
    from ganaug.experiment.quality import gan_quality_rows

    splits = report_split(synthetic_lesions({"bcc": 30, "bkl": 30, "mel": 30}, seed=1), seed=0)
    model = build_cnn(3, filters=(4, 6), seed=0)
    model.class_names = ["bcc", "bkl", "mel"]
    rng = np.random.default_rng(8)
    collapsed = np.repeat(splits.train.images[:1], 40, axis=0)
    pools = {"noise": rng.integers(0, 256, (40, 28, 28, 3), dtype=np.uint8), "stuck": collapsed}
    rows = gan_quality_rows(model, splits, pools, seed=0)
    table = rows.pivot(index="generator", columns="metric", values="value")
    assert set(table.index) == {"noise", "stuck", "real_half", "blurred"}
    assert {"precision", "recall", "near_duplicates", "checkerboard", "gan_test"} <= set(
        table.columns
    )
    assert table.loc["stuck", "near_duplicates"] == 1.0
    assert table.loc["real_half", "near_duplicates"] < 0.1
    assert table.loc["noise", "checkerboard"] > table.loc["real_half", "checkerboard"]
    assert table.loc["stuck", "memorised_fraction"] == 1.0  # a copy of a training image
