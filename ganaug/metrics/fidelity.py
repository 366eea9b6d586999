"""Fidelity and variety of generated images, separately: improved precision and recall
(Kynkäänniemi et al. 2019) on features, and the share of near-duplicate pairs in pixels.

A single distance (FID, KID) mixes two failures: images that look wrong, and images that look
right but cover only part of the real variety (mode collapse). Precision asks "how many
generated images fall where real images are?", recall "how much of the real images' spread do
the generated ones reach?". Near-duplicates catch the plainest collapse: the same image drawn
again and again.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import pdist
from sklearn.metrics import pairwise_distances

from ganaug.metrics.memorisation import nearest_neighbours

#: Rows of a distance matrix computed at once (bounds memory for large sets).
_BLOCK = 1024


def _features(values, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or not np.all(np.isfinite(values)):
        raise ValueError(
            f"{name} must be a finite 2-D array (images x features), got {values.shape}"
        )
    return values


def knn_radii(features, k: int = 3) -> np.ndarray:
    """Distance from each row of ``features`` to its ``k``-th nearest other row.

    Examples
    --------
    >>> knn_radii(np.array([[0.0], [1.0], [3.0]]), k=1).tolist()
    [1.0, 1.0, 2.0]
    """
    points = _features(features, "features")
    if not 1 <= k < len(points):
        raise ValueError(
            f"k must be between 1 and the number of rows - 1 ({len(points) - 1}), got {k}"
        )
    radii = np.empty(len(points))
    for start in range(0, len(points), _BLOCK):
        block = pairwise_distances(points[start : start + _BLOCK], points)
        # column 0 after sorting is the point itself (distance 0); k-th other is column k
        radii[start : start + _BLOCK] = np.partition(block, k, axis=1)[:, k]
    return radii


def _covered(queries: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Which queries lie within the radius of at least one centre."""
    inside = np.empty(len(queries), dtype=bool)
    for start in range(0, len(queries), _BLOCK):
        block = pairwise_distances(queries[start : start + _BLOCK], centres)
        inside[start : start + _BLOCK] = (block <= radii[None, :]).any(axis=1)
    return inside


def precision_recall(real_features, generated_features, k: int = 3) -> dict[str, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019).

    Each real point gets a ball reaching its ``k``-th nearest real neighbour; their union
    estimates where real images lie. **Precision** is the share of generated points inside that
    union; **recall** the share of real points inside the union of the generated points' balls
    (built the same way). Identical sets give 1 and 1; a generator that draws one of two
    equally common kinds of image well gives precision near 1 and recall near 0.5.

    Use features that separate what matters (the book uses its classifier's,
    :func:`ganaug.metrics.classifier_features`) and sets of similar size: the radii shrink as
    sets grow.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(200, 2))
    >>> precision_recall(real, real)
    {'precision': 1.0, 'recall': 1.0}
    >>> far = precision_recall(real, real + 10)
    >>> far["precision"], far["recall"]
    (0.0, 0.0)
    """
    real = _features(real_features, "real_features")
    generated = _features(generated_features, "generated_features")
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            f"real and generated features differ in length: {real.shape[1]} != {generated.shape[1]}"
        )
    precision = _covered(generated, real, knn_radii(real, k)).mean()
    recall = _covered(real, generated, knn_radii(generated, k)).mean()
    return {"precision": float(precision), "recall": float(recall)}


def _flat_pixels(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4 or len(images) < 2:
        raise ValueError(f"images must be (N, H, W, C) with N >= 2, got shape {images.shape}")
    return images.reshape(len(images), -1).astype(np.float64) / 255.0


def duplicate_threshold(real_images, quantile: float = 0.01) -> float:
    """The distance below which two images count as near-duplicates, set by real images: the
    ``quantile`` (default the 1st percentile) of the distances from each real image to its
    nearest other real image (pixels scaled to [0, 1], Euclidean, as
    :func:`ganaug.metrics.nearest_neighbours`).

    Two real lesion photographs are this close only rarely (1 % of them have a neighbour this
    near, often a second photograph of the same lesion), so generated pairs this close are
    copies of each other rather than two plausible lesions.

    Examples
    --------
    >>> images = np.stack([np.full((2, 2, 3), v, np.uint8) for v in (0, 51, 153)])
    >>> round(duplicate_threshold(images, quantile=0.0), 6)  # 0 and 51: sqrt(12) * 0.2
    0.69282
    """
    if not 0.0 <= quantile <= 1.0:
        raise ValueError(f"quantile must be between 0 and 1, got {quantile}")
    distances, _ = nearest_neighbours(real_images, real_images, exclude_identical_index=True)
    return float(np.quantile(distances, quantile))


def near_duplicate_share(images, threshold: float) -> float:
    """Share of the pairs of ``images`` (uint8) closer than ``threshold`` in pixels (scaled to
    [0, 1], Euclidean).

    It is the chance that two images drawn from the set are near-copies: about 1 for a
    collapsed generator, 1/m for one that draws m distinct images equally often, and 0 for a
    varied set. Take ``threshold`` from real images (:func:`duplicate_threshold`).

    Examples
    --------
    >>> same = np.zeros((5, 4, 4, 3), np.uint8)
    >>> near_duplicate_share(same, threshold=0.1)
    1.0
    >>> varied = np.random.default_rng(0).integers(0, 256, (5, 4, 4, 3), dtype=np.uint8)
    >>> near_duplicate_share(varied, threshold=0.1)
    0.0
    """
    if not threshold >= 0:
        raise ValueError(f"threshold must be zero or positive, got {threshold}")
    return float(np.mean(pdist(_flat_pixels(images)) < threshold))
