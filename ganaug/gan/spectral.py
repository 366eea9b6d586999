"""Spectral normalisation (Miyato et al. 2018) with an explicit seed.

``keras.layers.SpectralNormalization`` divides a layer's kernel by an estimate of its largest
singular value, refined by one power iteration per training call, so the layer can stretch no
input by more than about 1 and the discriminator stays smooth (Lipschitz). Its power-iteration
vector starts from an unseeded draw, which reads Keras' global seed; this subclass gives it a
seed like every other random layer of the book, and lets it wrap an ``Embedding`` too (the
projection discriminator's class embedding: integer inputs, float outputs).
"""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="ganaug")
class SeededSpectralNormalization(keras.layers.SpectralNormalization):
    """``keras.layers.SpectralNormalization`` whose power-iteration vector is drawn from ``seed``.

    Examples
    --------
    >>> import numpy as np
    >>> layer = SeededSpectralNormalization(keras.layers.Dense(3), seed=0)
    >>> tuple(layer(np.ones((2, 4), "float32"), training=True).shape)
    (2, 3)
    """

    def __init__(self, layer, power_iterations: int = 1, seed: int | None = None, **kwargs):
        super().__init__(layer, power_iterations=power_iterations, **kwargs)
        self.seed = seed

    def build(self, input_shape) -> None:
        keras.layers.Wrapper.build(self, input_shape)
        self.input_spec = keras.layers.InputSpec(min_ndim=1)
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} has no kernel or embeddings to normalise"
            )
        self.kernel_shape = self.kernel.shape
        self.vector_u = self.add_weight(
            shape=(1, self.kernel_shape[-1]),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02, seed=self.seed),
            trainable=False,
            name="vector_u",
            dtype=self.kernel.dtype,
        )

    def call(self, inputs, training=False):
        if training:  # as Keras does, but without casting the output to the input's dtype
            new_vector_u, new_kernel = keras.ops.cond(
                keras.ops.all(keras.ops.equal(self.kernel.value, 0)),
                lambda: (self.vector_u.value, self.kernel.value),
                self.normalized_weights,
            )
            self.vector_u.assign(new_vector_u)
            self.kernel.assign(new_kernel)
        return self.layer(inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed}


def spectral_norm(layer: keras.layers.Layer, seed: int | None) -> keras.layers.Layer:
    """``layer`` wrapped in :class:`SeededSpectralNormalization` (one power iteration a call).

    Examples
    --------
    >>> type(spectral_norm(keras.layers.Conv2D(4, 3), seed=1)).__name__
    'SeededSpectralNormalization'
    """
    return SeededSpectralNormalization(layer, power_iterations=1, seed=seed)
