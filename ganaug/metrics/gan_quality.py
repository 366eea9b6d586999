"""How close are generated images to real ones? Fréchet distance and KID on CNN features.

The usual FID and KID use an ImageNet Inception network. That needs a download and says little
about 28 px dermoscopy thumbnails, so chapter 4 uses the features of the book's own classifier
(:func:`classifier_features`): the distances then measure what that CNN can tell apart. Their
numbers only mean something next to references on the same features, such as two halves of real
images (as good as it gets) and blurred real images (:func:`blur_images`, a poor generator).
"""

from __future__ import annotations

import warnings

import keras
import numpy as np
from scipy import linalg
from scipy.ndimage import gaussian_filter
from sklearn.metrics.pairwise import polynomial_kernel

from ganaug.common.batching import call_in_batches


def _check_features(features_a, features_b, min_rows: int = 2) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(features_a, dtype=float), np.asarray(features_b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(
            f"features must be 2-D (images x features) with the same number of "
            f"features, got shapes {a.shape} and {b.shape}"
        )
    if len(a) < min_rows or len(b) < min_rows:
        raise ValueError(f"need at least {min_rows} images in each set, got {len(a)} and {len(b)}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("features must not contain NaN or infinite values")
    return a, b


def frechet_distance_from_moments(mean_a, cov_a, mean_b, cov_b) -> float:
    """Fréchet distance between two Gaussians N(mean_a, cov_a) and N(mean_b, cov_b):
    ``|mean_a - mean_b|^2 + tr(cov_a + cov_b - 2 (cov_a cov_b)^(1/2))``.

    The matrix square root comes from ``scipy.linalg.sqrtm``. Rounding can leave it with tiny
    imaginary parts (or, for singular covariances, make it fail); tiny imaginary parts are
    dropped, and a failed root is retried with 1e-6 added to both diagonals.

    Examples
    --------
    >>> float(frechet_distance_from_moments([0, 0], np.eye(2), [3, 4], 4 * np.eye(2)))
    27.0
    """
    mean_a, mean_b = (
        np.atleast_1d(np.asarray(mean_a, float)),
        np.atleast_1d(np.asarray(mean_b, float)),
    )
    cov_a, cov_b = np.atleast_2d(np.asarray(cov_a, float)), np.atleast_2d(np.asarray(cov_b, float))
    d = len(mean_a)
    if (
        mean_a.shape != (d,)
        or mean_b.shape != (d,)
        or cov_a.shape != (d, d)
        or cov_b.shape != (d, d)
    ):
        raise ValueError(
            f"means must have length d and covariances shape (d, d); got "
            f"{mean_a.shape}, {cov_a.shape}, {mean_b.shape}, {cov_b.shape}"
        )
    with warnings.catch_warnings():
        # scipy warns when the product is singular (fewer images than features); the root is
        # checked below instead (finite, nearly real), so the warning says nothing more.
        warnings.simplefilter("ignore", linalg.LinAlgWarning)
        root = linalg.sqrtm(cov_a @ cov_b)
        if not np.all(np.isfinite(root)):
            offset = 1e-6 * np.eye(d)
            root = linalg.sqrtm((cov_a + offset) @ (cov_b + offset))
    if np.iscomplexobj(root):
        scale = max(1.0, float(np.abs(root).max()))
        if np.abs(root.imag).max() > 1e-3 * scale:
            raise ValueError(
                "the covariance square root is far from real: the covariances are "
                "badly estimated; use more images than features"
            )
        root = root.real
    difference = mean_a - mean_b
    return float(difference @ difference + np.trace(cov_a) + np.trace(cov_b) - 2 * np.trace(root))


def frechet_distance(features_a, features_b) -> float:
    """Fréchet distance between two sets of features (the FID formula, on any features).

    Fits a Gaussian to each set (mean and covariance) and returns
    :func:`frechet_distance_from_moments`. It is biased upwards for small sets: compare only
    distances computed from sets of the same sizes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(500, 3))
    >>> frechet_distance(real, real)  # doctest: +ELLIPSIS
    0.0...
    >>> round(frechet_distance(real, real + [2, 0, 0]), 6)  # a shifted mean: |shift|^2
    4.0
    """
    a, b = _check_features(features_a, features_b)
    return max(
        0.0,
        frechet_distance_from_moments(
            a.mean(axis=0), np.cov(a, rowvar=False), b.mean(axis=0), np.cov(b, rowvar=False)
        ),
    )


def _unbiased_mmd2(a: np.ndarray, b: np.ndarray, degree: int) -> float:
    m, n, d = len(a), len(b), a.shape[1]
    kernel = {"degree": degree, "gamma": 1.0 / d, "coef0": 1.0}
    k_aa, k_bb = polynomial_kernel(a, a, **kernel), polynomial_kernel(b, b, **kernel)
    k_ab = polynomial_kernel(a, b, **kernel)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2 * k_ab.mean())


def kernel_inception_distance(
    features_a,
    features_b,
    degree: int = 3,
    n_subsets: int = 1,
    subset_size: int | None = None,
    seed: int = 0,
) -> float:
    """Kernel inception distance (KID): the unbiased squared maximum mean discrepancy with the
    polynomial kernel ``k(x, y) = (x . y / d + 1)^degree`` (d features), as in Binkowski et al.
    (2018), on any features.

    Unlike the Fréchet distance it has no bias from small sets: on two samples of one
    distribution its expected value is 0, so small negative values occur. With ``n_subsets >
    1`` it is averaged over random subsets of ``subset_size`` images of each set (drawn without
    replacement), which bounds the cost for large sets.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(2, 200, 4))
    >>> abs(kernel_inception_distance(a, b)) < 0.05, kernel_inception_distance(a, b + 1) > 0.5
    (True, True)
    """
    a, b = _check_features(features_a, features_b)
    if degree < 1:
        raise ValueError(f"degree must be a positive whole number, got {degree}")
    if n_subsets < 1:
        raise ValueError(f"n_subsets must be at least 1, got {n_subsets}")
    if n_subsets == 1 and subset_size is None:
        return _unbiased_mmd2(a, b, degree)
    size = min(len(a), len(b)) if subset_size is None else subset_size
    if not 2 <= size <= min(len(a), len(b)):
        raise ValueError(
            f"subset_size must be between 2 and the smaller set's size "
            f"{min(len(a), len(b))}, got {subset_size}"
        )
    rng = np.random.default_rng(seed)
    values = [
        _unbiased_mmd2(
            a[rng.choice(len(a), size, replace=False)],
            b[rng.choice(len(b), size, replace=False)],
            degree,
        )
        for _ in range(n_subsets)
    ]
    return float(np.mean(values))


def _check_uint8_images(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"images must be uint8 RGB (N, H, W, 3) with values 0-255, got "
            f"{images.dtype} of shape {images.shape}"
        )
    return images


def classifier_features(
    model: keras.Model, images_uint8, layer: str | None = None, batch_size: int = 256
) -> np.ndarray:
    """Features of ``images_uint8`` from a layer of a trained classifier.

    By default the output of the ``GlobalAveragePooling2D`` layer of a CNN from
    :func:`ganaug.classifier.build_cnn`: the penultimate layer, one number per channel of the
    last convolution. Images are divided by 255, as the classifier expects.

    Examples
    --------
    >>> from ganaug.classifier import build_cnn
    >>> images = np.zeros((5, 28, 28, 3), np.uint8)
    >>> classifier_features(build_cnn(3, filters=(4, 8)), images).shape
    (5, 8)
    """
    images = _check_uint8_images(images_uint8)
    if layer is None:
        pooling = [
            lay for lay in model.layers if isinstance(lay, keras.layers.GlobalAveragePooling2D)
        ]
        if not pooling:
            raise ValueError(
                "the model has no GlobalAveragePooling2D layer: build it with "
                "ganaug.classifier.build_cnn or name a layer"
            )
        output = pooling[-1].output
    else:
        names = [lay.name for lay in model.layers]
        if layer not in names:
            raise ValueError(f"no layer named {layer!r}; the model's layers: {names}")
        output = model.get_layer(layer).output
    extractor = keras.Model(model.input, output)
    features = call_in_batches(extractor, images.astype(np.float32) / 255.0, batch_size)
    return features.reshape(len(images), -1)


def blur_images(images_uint8, sigma: float) -> np.ndarray:
    """Images blurred with a Gaussian filter of ``sigma`` pixels, channel by channel.

    Blurred real images are a stand-in for a poor generator: right colours and layout, no
    detail. They give the distances a "clearly worse" reference.

    Examples
    --------
    >>> image = np.zeros((1, 5, 5, 3), np.uint8)
    >>> image[0, 2, 2] = 255
    >>> blurred = blur_images(image, 1.0)
    >>> blurred.dtype, int(blurred[0, 2, 2, 0]) < 255, int(blurred[0, 2, 1, 0]) > 0
    (dtype('uint8'), True, True)
    """
    images = _check_uint8_images(images_uint8)
    if not sigma >= 0:
        raise ValueError(f"sigma must be zero or positive (pixels), got {sigma}")
    blurred = gaussian_filter(images.astype(float), sigma=(0, sigma, sigma, 0), mode="reflect")
    return np.clip(np.round(blurred), 0, 255).astype(np.uint8)
