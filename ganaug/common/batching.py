"""Running a Keras model over many inputs, batch by batch."""

from __future__ import annotations

import keras
import numpy as np


def call_in_batches(
    model: keras.Model, inputs: np.ndarray | list[np.ndarray], batch_size: int = 256
) -> np.ndarray:
    """``model``'s outputs for ``inputs`` (an array, or a list of equally long arrays for a
    model with several inputs), computed eagerly ``batch_size`` rows at a time.

    ``model.predict`` traces a new graph for every model it meets and every new last-batch
    size, which makes TensorFlow warn about retracing in a notebook that builds several models;
    direct calls in inference mode (``training=False``) do not.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    >>> model.set_weights([np.ones((2, 1))])
    >>> call_in_batches(model, np.arange(10.0).reshape(5, 2), batch_size=2).ravel().tolist()
    [1.0, 5.0, 9.0, 13.0, 17.0]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    several = isinstance(inputs, list | tuple)
    rows = len(inputs[0]) if several else len(inputs)
    outputs = []
    for start in range(0, rows, batch_size):
        window = slice(start, start + batch_size)
        chunk = [array[window] for array in inputs] if several else inputs[window]
        outputs.append(keras.ops.convert_to_numpy(model(chunk, training=False)))
    return np.concatenate(outputs)
