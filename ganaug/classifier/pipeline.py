"""The classifier's input pipeline: labels as integers, images as tf.data batches."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from ganaug.data.core import LesionData


def encode_labels(dx: np.ndarray, classes: Sequence[str]) -> np.ndarray:
    """Integer label of each code, its position in ``classes``.

    Examples
    --------
    >>> encode_labels(np.array(["mel", "bcc"]), ["bcc", "bkl", "mel"]).tolist()
    [2, 0]
    """
    lookup = {code: index for index, code in enumerate(classes)}
    unknown = sorted(set(np.asarray(dx).tolist()) - set(lookup))
    if unknown:
        raise ValueError(f"class(es) {unknown} not among the model's classes {list(classes)}")
    return np.array([lookup[code] for code in np.asarray(dx).tolist()], dtype=np.int32)


def make_dataset(
    data: LesionData,
    classes: Sequence[str],
    batch_size: int = 64,
    training: bool = False,
    augmentation: keras.Layer | None = None,
    seed: int = 0,
) -> tf.data.Dataset:
    """A tf.data pipeline of ``(images / 255, labels)`` batches.

    Training pipelines shuffle (anew each epoch) and apply ``augmentation`` on the fly after
    batching, one batch at a time so a seed gives one stream; all pipelines prefetch.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(n_per_class=4, seed=0)
    >>> images, labels = next(iter(make_dataset(data, data.classes, batch_size=5)))
    >>> tuple(images.shape), float(images.numpy().max()) <= 1.0, labels.numpy().tolist()
    ((5, 28, 28, 3), True, [0, 0, 0, 0, 1])
    """
    if len(data) == 0:
        raise ValueError("no images to make a dataset from")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    labels = encode_labels(data.dx, classes)
    dataset = tf.data.Dataset.from_tensor_slices((data.images, labels))
    if training:
        dataset = dataset.shuffle(len(data), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size).map(
        lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE
    )
    if training and augmentation is not None:
        # One batch at a time: the augmentation layers keep one random state, which parallel
        # calls would share in a race (two runs of one seed would differ, two batches could
        # get the same draws).
        dataset = dataset.map(lambda x, y: (augmentation(x, training=True), y))
    return dataset.prefetch(tf.data.AUTOTUNE)
