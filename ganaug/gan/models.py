"""The DCGAN generator and discriminator (Radford et al. 2015), for 28 x 28 x 3 images.

Both follow the TensorFlow DCGAN tutorial's sizes. Passing ``num_classes`` makes them
class-conditional: the generator gets a label embedding appended to its noise, and the
discriminator gets an auxiliary classification head (ACGAN, Odena et al. 2017).
"""

from __future__ import annotations

import keras

from ganaug.common.seeding import layer_seeds

#: Size of the conditional generator's label embedding, appended to the noise. (Multiplying
#: the noise by a small embedding, as some ACGAN examples do, scaled the noise down until the
#: generator ignored it and drew one image per class.)
LABEL_EMBEDDING = 16

#: Momentum of the generator's batch normalisation. Keras' 0.99 lets the moving variance lag
#: the batches for hundreds of steps; a generator sampled in inference mode before it has caught
#: up turns every noise vector into the same image (the conditional GAN, whose noise is scaled
#: by a small label embedding, showed it after 10 epochs). 0.9 catches up within ~50 steps, as
#: the chapter 2 CNN does.
BATCHNORM_MOMENTUM = 0.9


def _glorot(seed: int | None) -> keras.initializers.Initializer:
    return keras.initializers.GlorotUniform(seed=seed)


def build_generator(
    latent_dim: int = 100,
    base_filters: int = 128,
    num_classes: int | None = None,
    seed: int | None = 0,
) -> keras.Model:
    """Noise ``(None, latent_dim)`` -> images ``(None, 28, 28, 3)`` in [-1, 1] (tanh).

    Layer by layer: Dense to 7x7x(2*base) -> Conv2DTranspose stride 1 (7x7xbase)
    -> stride 2 (14x14x(base/2)) -> stride 2 (28x28x3), with batch normalisation and
    LeakyReLU between them. With ``num_classes``, the model takes ``[noise, label]``.
    ``seed`` fixes the initial weights through each layer's own seed (the global random state
    is never touched); ``None`` draws fresh weights.

    Examples
    --------
    >>> build_generator(latent_dim=16, base_filters=8).output_shape
    (None, 28, 28, 3)
    >>> build_generator(latent_dim=16, base_filters=8, num_classes=3).input_shape
    [(None, 16), (None,)]
    """
    if latent_dim < 1 or base_filters < 2:
        raise ValueError("latent_dim must be >= 1 and base_filters >= 2")
    seeds = iter(layer_seeds(seed, 5))
    noise = keras.Input((latent_dim,), name="noise")
    inputs: list = [noise]
    x = noise
    if num_classes is not None:
        label = keras.Input((), dtype="int32", name="label")
        inputs.append(label)
        embedding = keras.layers.Embedding(
            num_classes,
            LABEL_EMBEDDING,
            embeddings_initializer=keras.initializers.RandomNormal(0.0, 1.0, seed=next(seeds)),
        )
        x = keras.layers.Concatenate()([x, embedding(label)])
    x = keras.layers.Dense(
        7 * 7 * base_filters * 2, use_bias=False, kernel_initializer=_glorot(next(seeds))
    )(x)
    x = keras.layers.BatchNormalization(momentum=BATCHNORM_MOMENTUM)(x)
    x = keras.layers.LeakyReLU(0.2)(x)
    x = keras.layers.Reshape((7, 7, base_filters * 2))(x)
    for filters, strides in ((base_filters, 1), (base_filters // 2, 2)):
        x = keras.layers.Conv2DTranspose(
            filters,
            5,
            strides,
            padding="same",
            use_bias=False,
            kernel_initializer=_glorot(next(seeds)),
        )(x)
        x = keras.layers.BatchNormalization(momentum=BATCHNORM_MOMENTUM)(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    images = keras.layers.Conv2DTranspose(
        3, 5, 2, padding="same", activation="tanh", kernel_initializer=_glorot(next(seeds))
    )(x)
    return keras.Model(inputs if num_classes else noise, images, name="generator")


def build_discriminator(
    input_shape: tuple[int, int, int] = (28, 28, 3),
    base_filters: int = 64,
    num_classes: int | None = None,
    seed: int | None = 0,
) -> keras.Model:
    """Images -> one logit per image (real > 0 > fake); no sigmoid, the loss applies it.

    Two stride-2 5x5 convolutions (14x14xbase, 7x7x(2*base)) with LeakyReLU and dropout,
    then a dense logit. With ``num_classes`` it also returns class logits (ACGAN). ``seed``
    fixes the initial weights and the dropout draws, as in :func:`build_generator`.

    Examples
    --------
    >>> build_discriminator(base_filters=8).output_shape
    (None, 1)
    >>> [s for s in build_discriminator(base_filters=8, num_classes=3).output_shape]
    [(None, 1), (None, 3)]
    """
    seeds = iter(layer_seeds(seed, 6))
    images = keras.Input(input_shape, name="images")
    x = images
    for filters in (base_filters, base_filters * 2):
        x = keras.layers.Conv2D(
            filters, 5, 2, padding="same", kernel_initializer=_glorot(next(seeds))
        )(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Dropout(0.3, seed=next(seeds))(x)
    x = keras.layers.Flatten()(x)
    real_or_fake = keras.layers.Dense(
        1, name="real_or_fake", kernel_initializer=_glorot(next(seeds))
    )(x)
    if num_classes is None:
        return keras.Model(images, real_or_fake, name="discriminator")
    label_logits = keras.layers.Dense(
        num_classes, name="label", kernel_initializer=_glorot(next(seeds))
    )(x)
    return keras.Model(images, [real_or_fake, label_logits], name="discriminator")
