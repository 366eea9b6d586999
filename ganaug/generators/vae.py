"""A small variational autoencoder (Kingma & Welling 2014) that implements the generator
interface (:mod:`ganaug.generators.interface`): chapter 7's example of a generator that is not
a GAN.

An encoder maps an image to a Gaussian over a small latent space, a decoder maps a latent
vector back to an image, and training trades reconstruction (each image from its own noisy
code) against keeping the codes close to a standard normal. Sampling decodes fresh standard
normal vectors. The images come out blurry, since a blurred mean is what minimises the
reconstruction error over the codes near one, but varied, since nothing rewards collapsing onto
a few images: a fair contrast to the DCGAN.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ganaug.common.seeding import layer_seeds

#: Optimizer steps (batches) of one fit, per profile: the book's takes about a minute on a
#: 2-core CPU for a unit's ~350 training bcc images.
VAE_STEPS = {"smoke": 8, "book": 1500, "full": 4000}

#: Latent size and the encoder's two convolution widths (the decoder mirrors them).
VAE_SIZES = {"smoke": (4, (4, 8)), "book": (16, (32, 64)), "full": (32, (32, 64))}


def _glorot(seed: int) -> keras.initializers.Initializer:
    return keras.initializers.GlorotUniform(seed=seed)


def build_vae(latent_dim: int, widths: tuple[int, int], seed: int) -> tuple[keras.Model, ...]:
    """The encoder (image in [0, 1] -> mean and log-variance of its code) and the decoder
    (code -> image in [0, 1]) for 28 x 28 x 3 images, their weights fixed by ``seed``.

    Examples
    --------
    >>> encoder, decoder = build_vae(4, (4, 8), seed=0)
    >>> [tuple(out.shape) for out in encoder.outputs], decoder.output_shape
    ([(None, 4), (None, 4)], (None, 28, 28, 3))
    """
    seeds = iter(layer_seeds(seed, 7))
    narrow, wide = widths
    image = keras.Input((28, 28, 3))
    x = keras.layers.Conv2D(
        narrow, 3, 2, "same", activation="relu", kernel_initializer=_glorot(next(seeds))
    )(image)
    x = keras.layers.Conv2D(
        wide, 3, 2, "same", activation="relu", kernel_initializer=_glorot(next(seeds))
    )(x)
    x = keras.layers.Flatten()(x)
    mean = keras.layers.Dense(latent_dim, kernel_initializer=_glorot(next(seeds)))(x)
    log_var = keras.layers.Dense(latent_dim, kernel_initializer=_glorot(next(seeds)))(x)
    encoder = keras.Model(image, [mean, log_var], name="encoder")
    code = keras.Input((latent_dim,))
    y = keras.layers.Dense(
        7 * 7 * wide, activation="relu", kernel_initializer=_glorot(next(seeds))
    )(code)
    y = keras.layers.Reshape((7, 7, wide))(y)
    y = keras.layers.Conv2DTranspose(
        narrow, 3, 2, "same", activation="relu", kernel_initializer=_glorot(next(seeds))
    )(y)
    y = keras.layers.Conv2DTranspose(
        3, 3, 2, "same", activation="sigmoid", kernel_initializer=_glorot(next(seeds))
    )(y)
    return encoder, keras.Model(code, y, name="decoder")


class VAEGenerator:
    """A variational autoencoder as a generator: ``fit(images, seed)``, ``sample(n, seed)``.

    Parameters
    ----------
    profile : str
        Sizes its budget (:data:`VAE_STEPS`) and networks (:data:`VAE_SIZES`).
    steps : int, optional
        Optimizer steps of a fit, instead of the profile's.

    Examples
    --------
    >>> from ganaug.generators import fit_and_sample
    >>> images = np.random.default_rng(0).integers(0, 256, (20, 28, 28, 3), np.uint8)
    >>> samples = fit_and_sample(VAEGenerator("smoke"), images, 6, seed=0)
    >>> samples.shape, samples.dtype
    ((6, 28, 28, 3), dtype('uint8'))
    """

    def __init__(self, profile: str = "book", steps: int | None = None, batch_size: int = 64):
        if profile not in VAE_STEPS:
            raise ValueError(f"unknown profile {profile!r}: use one of {', '.join(VAE_STEPS)}")
        self.steps = VAE_STEPS[profile] if steps is None else int(steps)
        self.latent_dim, self.widths = VAE_SIZES[profile]
        self.batch_size = batch_size
        self.losses: list[float] = []
        self.decoder: keras.Model | None = None

    def fit(self, images: np.ndarray, seed: int) -> VAEGenerator:
        """Train on uint8 ``images`` for :attr:`steps` batches; the loss of each step is kept
        in :attr:`losses` (per image: reconstruction plus KL divergence, in nats)."""
        encoder, self.decoder = build_vae(self.latent_dim, self.widths, seed)
        optimizer = keras.optimizers.Adam(1e-3)
        weights = encoder.trainable_variables + self.decoder.trainable_variables
        data = tf.constant(np.asarray(images, np.float32) / 255.0)
        batch = min(self.batch_size, len(images))
        order = np.random.default_rng(seed)

        @tf.function
        def step(x, noise_seed):
            with tf.GradientTape() as tape:
                mean, log_var = encoder(x, training=True)
                noise = tf.random.stateless_normal(tf.shape(mean), noise_seed)
                decoded = self.decoder(mean + tf.exp(0.5 * log_var) * noise, training=True)
                decoded = tf.clip_by_value(decoded, 1e-6, 1 - 1e-6)
                pixels = x * tf.math.log(decoded) + (1 - x) * tf.math.log(1 - decoded)
                reconstruction = -tf.reduce_sum(pixels, axis=[1, 2, 3])
                kl = -0.5 * tf.reduce_sum(1 + log_var - mean**2 - tf.exp(log_var), axis=1)
                loss = tf.reduce_mean(reconstruction + kl)
            optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights, strict=True))
            return loss

        self.losses = []
        for number in range(self.steps):
            rows = order.choice(len(images), batch, replace=False)
            noise_seed = tf.constant([seed, number], tf.int32)
            self.losses.append(float(step(tf.gather(data, rows), noise_seed)))
        return self

    def sample(self, n: int, seed: int) -> np.ndarray:
        """``n`` uint8 images decoded from standard normal codes drawn with ``seed``."""
        if self.decoder is None:
            raise ValueError("fit the VAE before sampling from it")
        codes = np.random.default_rng(seed).standard_normal((n, self.latent_dim), np.float32)
        decoded = self.decoder.predict(codes, batch_size=256, verbose=0)
        return np.clip(np.rint(decoded * 255.0), 0, 255).astype(np.uint8)
