"""Does a generator copy its training set? Nearest-neighbour distances in pixel space."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import pairwise_distances_argmin_min, pairwise_distances_chunked


def _flat(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"images must be (N, H, W, C), got shape {images.shape}")
    return images.reshape(len(images), -1).astype(np.float64) / 255.0


def _closest_other(block: np.ndarray, start: int) -> np.ndarray:
    """Index of the closest reference in each row of a block of distances, skipping the row's own
    image (``start`` is the block's first row)."""
    rows = np.arange(len(block))
    block[rows, start + rows] = np.inf
    return block.argmin(axis=1)


def nearest_neighbours(
    queries: np.ndarray, references: np.ndarray, exclude_identical_index: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distance (pixels scaled to [0, 1]) from each query image to its closest
    reference image, and that image's index.

    With ``exclude_identical_index`` (queries are the references), each image's match with
    itself is skipped: the leave-one-out real-to-real baseline.

    scikit-learn does the work: ``pairwise_distances_argmin_min``, or, to skip each image's own
    match, ``pairwise_distances_chunked`` (memory-bounded blocks of the distance matrix); the
    distance to the neighbour found is then measured directly.

    Examples
    --------
    >>> images = np.stack([np.zeros((2, 2, 3)), np.full((2, 2, 3), 255)]).astype(np.uint8)
    >>> distance, index = nearest_neighbours(images[:1], images)
    >>> float(distance[0]), int(index[0])
    (0.0, 0)
    >>> nearest_neighbours(images, images, exclude_identical_index=True)[1].tolist()
    [1, 0]
    """
    q, r = _flat(queries), _flat(references)
    if q.shape[1] != r.shape[1]:
        raise ValueError(f"queries and references differ in size: {q.shape[1]} != {r.shape[1]}")
    if exclude_identical_index and len(q) != len(r):
        raise ValueError("exclude_identical_index needs queries and references to be the same")
    if exclude_identical_index:
        blocks = pairwise_distances_chunked(q, r, reduce_func=_closest_other)
        indices = np.concatenate(list(blocks))
    else:
        indices = pairwise_distances_argmin_min(q, r)[0]
    # scikit-learn's fast Euclidean distances are off by up to ~1e-6 (|x|^2 + |y|^2 - 2 x.y);
    # measured directly, an exact copy is at distance 0.0.
    distances = np.linalg.norm(q - r[indices], axis=1)
    if exclude_identical_index:
        distances[indices == np.arange(len(q))] = np.inf  # a lone image has no other
    return distances, indices


def memorisation_table(generated: np.ndarray, train: np.ndarray, held_out: np.ndarray) -> dict:
    """Compare generated-to-training distances with real-to-training ones.

    ``held_out`` are real images the generator never saw (e.g. validation images of the same
    class): their distances to the training set show how close an honest new image is. A
    generator that copies has many generated images much closer than that.

    Returns a dict with the distances and ``copy_fraction``: the share of generated images
    closer to a training image than the closest 1 % of held-out real images are.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> train, held_out = rng.integers(0, 256, (2, 50, 4, 4, 3), dtype=np.uint8)
    >>> memorisation_table(train[:10], train, held_out)["copy_fraction"]  # exact copies
    1.0
    """
    generated_d, generated_i = nearest_neighbours(generated, train)
    held_out_d, _ = nearest_neighbours(held_out, train)
    threshold = float(np.quantile(held_out_d, 0.01))
    summary = pd.DataFrame(
        {
            "generated -> train": pd.Series(generated_d).describe(),
            "held-out real -> train": pd.Series(held_out_d).describe(),
        }
    )
    return {
        "generated_distance": generated_d,
        "generated_nearest": generated_i,
        "held_out_distance": held_out_d,
        "threshold": threshold,
        "copy_fraction": float(np.mean(generated_d < threshold)),
        "summary": summary,
    }


def diversity(images: np.ndarray) -> float:
    """Mean distance from each image to its nearest other image in the same set.

    Low values mean near-copies: a sign of mode collapse when the images are generated.

    Examples
    --------
    >>> same = np.zeros((4, 2, 2, 3), np.uint8)
    >>> diversity(same)
    0.0
    """
    if len(images) < 2:
        raise ValueError("need at least two images")
    return float(nearest_neighbours(images, images, exclude_identical_index=True)[0].mean())
