"""An exponential moving average (EMA) of the generator's weights, for sampling.

A GAN's generator keeps moving: the discriminator's last few batches pull it around, so the
images of the last step are noisier than those of a weight average over the last hundred steps
(Yazici et al. 2019; Karras et al. 2018 sample from such an average). The average is a second
generator, never trained, whose weights follow

``ema <- d * ema + (1 - d) * weights``  after every generator update,

with ``d = min(decay, (1 + n) / (10 + n))`` at the ``n``-th update (the warm-up of TensorFlow's
``ExponentialMovingAverage``): early on, when the weights change fastest, the average forgets
quickly, so a short run is not dragged back to its random start. Batch-normalisation statistics
(non-trainable weights) are copied, not averaged.
"""

from __future__ import annotations

import keras
import tensorflow as tf


def ema_decay_at(update: int | tf.Tensor, decay: float) -> tf.Tensor:
    """The decay used at the ``update``-th generator update (1 for the first).

    Examples
    --------
    >>> [round(float(ema_decay_at(n, 0.999)), 4) for n in (1, 10, 100000)]
    [0.1818, 0.55, 0.999]
    """
    n = tf.cast(update, tf.float32)
    return tf.minimum(tf.constant(decay, tf.float32), (1.0 + n) / (10.0 + n))


def check_decay(decay: float | None) -> float | None:
    """Raise ``ValueError`` unless ``decay`` is ``None`` or in (0, 1).

    Examples
    --------
    >>> check_decay(1.0)
    Traceback (most recent call last):
    ...
    ValueError: ema_decay must be between 0 and 1 (e.g. 0.999) or None, got 1.0
    """
    if decay is not None and not 0.0 < decay < 1.0:
        raise ValueError(f"ema_decay must be between 0 and 1 (e.g. 0.999) or None, got {decay}")
    return decay


def averaged_copy(generator: keras.Model) -> keras.Model:
    """A frozen copy of ``generator`` with the same weights: the EMA's starting point.

    Examples
    --------
    >>> from ganaug.gan.models import build_generator
    >>> generator = build_generator(8, 4)
    >>> copy = averaged_copy(generator)
    >>> copy.name, copy.trainable, copy.get_weights()[0].tolist() == generator.get_weights()[0].tolist()
    ('ema_generator', False, True)
    """  # noqa: E501
    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    copy.trainable = False
    copy.name = "ema_generator"
    return copy


def update_ema(average: keras.Model, generator: keras.Model, decay: tf.Tensor) -> None:
    """One EMA step: average the trainable weights with ``decay``, copy the others.

    ``average`` must be :func:`averaged_copy` of ``generator`` (its weights in the same order).

    Examples
    --------
    >>> from ganaug.gan.models import build_generator
    >>> generator = build_generator(8, 4)
    >>> average = averaged_copy(generator)
    >>> kernel = generator.weights[0]  # the dense kernel, trainable
    >>> start = kernel.numpy()
    >>> kernel.assign(start + 1.0)  # doctest: +ELLIPSIS
    <...>
    >>> update_ema(average, generator, tf.constant(0.75))
    >>> float(abs(average.weights[0].numpy() - (start + 0.25)).max()) < 1e-6
    True
    """
    decay = tf.cast(decay, tf.float32)
    for shadow, weight in zip(average.weights, generator.weights, strict=True):
        if weight.trainable:
            shadow.assign(decay * shadow + (1.0 - decay) * weight)
        else:
            shadow.assign(weight)
