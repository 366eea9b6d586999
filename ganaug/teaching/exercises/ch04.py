"""Checks for chapter 4's exercises (measuring generators): features from a trained classifier,
the Fréchet distance and KID computed by hand on them. Exercise 4.4, measuring a GAN of one's
own, is checked in :mod:`ganaug.teaching.exercises.ch04_generator`."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from scipy import linalg
from sklearn.metrics.pairwise import polynomial_kernel

from ganaug.metrics import classifier_features, frechet_distance, kernel_inception_distance
from ganaug.teaching.exercises import fail, passed, require_answer, require_array


def check_features(
    student: Callable[[keras.Model, np.ndarray], np.ndarray],
    model: keras.Model,
    images: np.ndarray,
) -> None:
    """Exercise 4.1: ``features(model, images)`` gives the output of the CNN's
    ``GlobalAveragePooling2D`` layer (named ``features``) for uint8 ``images``, scaled to
    [0, 1] as in training.

    Examples
    --------
    >>> from ganaug.classifier import build_cnn
    >>> images = np.random.default_rng(0).integers(0, 256, (6, 28, 28, 3), dtype=np.uint8)
    >>> check_features(classifier_features, build_cnn(3, filters=(4, 8)), images)
    Exercise 4.1 passed: 6 images x 8 features, as the library computes them
    """
    require_answer("4.1", student, "features")
    answer = require_answer("4.1", student(model, images), "features(model, images)")
    expected = classifier_features(model, images)
    array = require_array("4.1", np.asarray(answer), "features(model, images)")
    if array.shape != expected.shape:
        outputs = model.output_shape[-1]
        extra = (
            " That is one number per class: the model's output (its class probabilities). "
            "Stop one layer earlier, at the layer named 'features' (GlobalAveragePooling2D)."
            if array.ndim == 2 and array.shape[1] == outputs
            else " Take the output of the GlobalAveragePooling2D layer (model.get_layer("
            "'features')): one row per image, one number per channel of the last convolution."
        )
        fail("4.1", f"features(model, images) has shape {array.shape}, expected "
                    f"{expected.shape}.{extra}")  # fmt: skip
    scale = max(1e-6, float(np.abs(expected).max()))
    if not np.allclose(array, expected, atol=1e-4 * scale, rtol=1e-3):
        unscaled = classifier_features_unscaled(model, images)
        if np.allclose(array, unscaled, atol=1e-4 * max(1e-6, float(np.abs(unscaled).max()))):
            fail(
                "4.1",
                "these are the features of the raw 0-255 pixels: the CNN was trained on images "
                "divided by 255, so divide them first",
            )
        fail(
            "4.1",
            "the shape is right but the values are not those of the 'features' layer for "
            "images / 255 (is the model called with training=False, the default?)",
        )
    passed("4.1", f"{array.shape[0]} images x {array.shape[1]} features, as the library "
                  "computes them")  # fmt: skip


def classifier_features_unscaled(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The 'features' layer's output for images left at 0-255 (the mistake 4.1 names)."""
    pooling = [lay for lay in model.layers if isinstance(lay, keras.layers.GlobalAveragePooling2D)]
    extractor = keras.Model(model.input, pooling[-1].output)
    return np.asarray(extractor(np.asarray(images, np.float32), training=False))


def _gaussian_sets(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs of feature sets the distance checks try: covariances that do not commute, a
    shifted mean, and two samples of one distribution."""
    rng = np.random.default_rng(seed)
    scales = np.diag([3.0, 1.0, 0.3, 1.5, 0.6])
    rotation = np.linalg.qr(rng.normal(size=(5, 5)))[0]
    a = rng.multivariate_normal(np.zeros(5), scales, size=400)
    b = rng.multivariate_normal(np.zeros(5), rotation @ scales @ rotation.T, size=300)
    c = rng.multivariate_normal([1.5, 0, -1, 0, 0.5], scales, size=350)
    return [(a, b), (a, c), (a[:200], a[200:])]


def check_fid(student: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """Exercise 4.2: ``fid(features_a, features_b)``, the Fréchet distance between Gaussians fit
    to two sets of features (rows: images), as :func:`ganaug.metrics.frechet_distance` gives it
    (a covariance with ``ddof=0`` is accepted too).

    Examples
    --------
    >>> check_fid(frechet_distance)
    Exercise 4.2 passed: right on 3 pairs of feature sets, covariances that do not commute included
    """
    require_answer("4.2", student, "fid")
    for a, b in _gaussian_sets(42):
        value = float(require_array("4.2", student(a, b), "fid(features_a, features_b)", ()))
        expected = frechet_distance(a, b)
        if np.isclose(value, expected, rtol=1e-2, atol=1e-3):
            continue
        mean_term = float(np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2))
        cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        product_of_roots = np.trace(linalg.sqrtm(cov_a).real @ linalg.sqrtm(cov_b).real)
        commuting = mean_term + np.trace(cov_a) + np.trace(cov_b) - 2 * product_of_roots
        mistakes = {
            "you took the product of the two square roots, sqrtm(A) @ sqrtm(B): that equals "
            "sqrtm(A @ B) only when the covariances commute. Take sqrtm(cov_a @ cov_b)": commuting,
            "the mean term |mu_a - mu_b|^2 is missing": expected - mean_term,
            "the covariance term is missing: add tr(A + B - 2 sqrtm(A B))": mean_term,
            "that is the square root of the distance: FID is the squared distance": np.sqrt(
                expected
            ),
        }
        for message, wrong in mistakes.items():
            if np.isclose(value, wrong, rtol=1e-2, atol=1e-3):
                fail("4.2", message)
        fail(
            "4.2",
            f"fid gave {value:.4g} where the Fréchet distance is {expected:.4g} (sets of "
            f"{len(a)} and {len(b)} images, {a.shape[1]} features): fit a mean and a covariance "
            "to each set, then |mu_a - mu_b|^2 + tr(A + B - 2 sqrtm(A B)), real part",
        )
    passed("4.2", "right on 3 pairs of feature sets, covariances that do not commute included")


def check_kid(student: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """Exercise 4.3: ``kid(features_a, features_b)``, the unbiased squared MMD with the kernel
    ``(x . y / d + 1) ** 3``, as :func:`ganaug.metrics.kernel_inception_distance` gives it.

    Examples
    --------
    >>> check_kid(kernel_inception_distance)
    Exercise 4.3 passed: right on 3 pairs of feature sets, two samples of one distribution included
    """
    require_answer("4.3", student, "kid")
    for a, b in _gaussian_sets(43):
        a, b = a[:60], b[:45]  # small sets, where the biased estimate is far off
        value = float(require_array("4.3", student(a, b), "kid(features_a, features_b)", ()))
        expected = kernel_inception_distance(a, b)
        if np.isclose(value, expected, rtol=1e-4, atol=1e-8):
            continue
        d = a.shape[1]
        for message, kernel in {
            "divide the dot product by the number of features d: k(x, y) = (x . y / d + 1)^3":
                {"degree": 3, "gamma": 1.0, "coef0": 1.0},
            "the kernel is cubic: k(x, y) = (x . y / d + 1)^3": {
                "degree": 2, "gamma": 1.0 / d, "coef0": 1.0},
        }.items():  # fmt: skip
            if np.isclose(value, _mmd2(a, b, kernel, unbiased=True), rtol=1e-4):
                fail("4.3", message)
        biased = _mmd2(a, b, {"degree": 3, "gamma": 1.0 / d, "coef0": 1.0}, unbiased=False)
        if np.isclose(value, biased, rtol=1e-4):
            fail(
                "4.3",
                "that is the biased estimate: within each set, average k(x, x') over pairs of "
                "different images only (leave out the diagonal, divide by m (m - 1))",
            )
        fail(
            "4.3",
            f"kid gave {value:.4g} where KID is {expected:.4g} (sets of {len(a)} and {len(b)} "
            "images): mean k within a (no diagonal) + mean k within b (no diagonal) - 2 mean k "
            "between them",
        )
    passed("4.3", "right on 3 pairs of feature sets, two samples of one distribution included")


def _mmd2(a: np.ndarray, b: np.ndarray, kernel: dict, unbiased: bool) -> float:
    k_aa, k_bb = polynomial_kernel(a, a, **kernel), polynomial_kernel(b, b, **kernel)
    m, n = len(a), len(b)
    if unbiased:
        within = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
        within += (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    else:
        within = k_aa.mean() + k_bb.mean()
    return float(within - 2 * polynomial_kernel(a, b, **kernel).mean())
