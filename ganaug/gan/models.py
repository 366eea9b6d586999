"""The DCGAN generator and discriminator (Radford et al. 2015), for 28 x 28 x 3 images.

Both follow the TensorFlow DCGAN tutorial's sizes. Passing ``num_classes`` makes them
class-conditional: the generator gets a label embedding appended to its noise, and the
discriminator gets an auxiliary classification head (ACGAN, Odena et al. 2017) or, with
``head="projection"``, a class projection (Miyato & Koyama 2018).

Options against small-data failures, all off by default: resize-convolution upsampling in the
generator (``upsampling="resize"``, against checkerboard artefacts, Odena et al. 2016) and
spectral normalisation in the discriminator (``spectral_norm=True``, Miyato et al. 2018). Each
option's extra layers take seeds after the default layers' seeds, so switching an option on
leaves the other layers' initial weights as they were.
"""

from __future__ import annotations

import keras

from ganaug.common.seeding import layer_seeds
from ganaug.gan.spectral import spectral_norm as wrap_spectral_norm

#: How the generator doubles its resolution: ``transpose`` (strided transposed convolution, the
#: DCGAN's), ``resize`` (nearest-neighbour upsampling then a convolution, Odena et al.'s
#: remedy for checkerboards) or ``bilinear`` (bilinear upsampling then a convolution).
UPSAMPLING = ("transpose", "resize", "bilinear")

#: The discriminator's class heads: ``acgan`` (an auxiliary classifier) or ``projection``.
HEADS = ("acgan", "projection")

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
    upsampling: str = "transpose",
) -> keras.Model:
    """Noise ``(None, latent_dim)`` -> images ``(None, 28, 28, 3)`` in [-1, 1] (tanh).

    Layer by layer: Dense to 7x7x(2*base) -> Conv2DTranspose stride 1 (7x7xbase)
    -> stride 2 (14x14x(base/2)) -> stride 2 (28x28x3), with batch normalisation and
    LeakyReLU between them. With ``num_classes``, the model takes ``[noise, label]``.
    ``seed`` fixes the initial weights through each layer's own seed (the global random state
    is never touched); ``None`` draws fresh weights.

    ``upsampling`` (see :data:`UPSAMPLING`) chooses how each stride-2 step is made: a 5x5
    kernel moved two pixels at a time overlaps unevenly, so a transposed convolution paints
    every other pixel differently (a checkerboard); ``"resize"`` enlarges first and then
    convolves with stride 1, which cannot.

    Examples
    --------
    >>> build_generator(latent_dim=16, base_filters=8).output_shape
    (None, 28, 28, 3)
    >>> build_generator(latent_dim=16, base_filters=8, upsampling="resize").output_shape
    (None, 28, 28, 3)
    >>> build_generator(latent_dim=16, base_filters=8, num_classes=3).input_shape
    [(None, 16), (None,)]
    """
    if latent_dim < 1 or base_filters < 2:
        raise ValueError("latent_dim must be >= 1 and base_filters >= 2")
    if upsampling not in UPSAMPLING:
        raise ValueError(f"unknown upsampling {upsampling!r}: use one of {', '.join(UPSAMPLING)}")
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
        x = _upsample(x, filters, strides, upsampling, next(seeds), use_bias=False)
        x = keras.layers.BatchNormalization(momentum=BATCHNORM_MOMENTUM)(x)
        x = keras.layers.LeakyReLU(0.2)(x)
    images = _upsample(x, 3, 2, upsampling, next(seeds), activation="tanh")
    return keras.Model(inputs if num_classes else noise, images, name="generator")


def _upsample(x, filters: int, strides: int, upsampling: str, seed, **options):
    """A 5x5 convolution that enlarges ``x`` ``strides`` times, as ``upsampling`` says."""
    if upsampling == "transpose" or strides == 1:
        return keras.layers.Conv2DTranspose(
            filters, 5, strides, padding="same", kernel_initializer=_glorot(seed), **options
        )(x)
    interpolation = "nearest" if upsampling == "resize" else "bilinear"
    x = keras.layers.UpSampling2D(strides, interpolation=interpolation)(x)
    return keras.layers.Conv2D(
        filters, 5, padding="same", kernel_initializer=_glorot(seed), **options
    )(x)


def build_discriminator(
    input_shape: tuple[int, int, int] = (28, 28, 3),
    base_filters: int = 64,
    num_classes: int | None = None,
    seed: int | None = 0,
    spectral_norm: bool = False,
    head: str = "acgan",
) -> keras.Model:
    """Images -> one logit per image (real > 0 > fake); no sigmoid, the loss applies it.

    Two stride-2 5x5 convolutions (14x14xbase, 7x7x(2*base)) with LeakyReLU and dropout,
    flattened into features ``phi(x)``, then a dense logit ``psi(phi(x))``. ``seed`` fixes the
    initial weights and the dropout draws, as in :func:`build_generator`.

    With ``num_classes`` the ``head`` (see :data:`HEADS`) makes it class-aware:

    - ``"acgan"``: it also returns class logits (ACGAN); it reads images only.
    - ``"projection"``: it reads ``[images, label]`` and returns one logit
      ``psi(phi(x)) + <embed(y), phi(x)>``: the label's embedding projected on the features,
      so the logit says "a real image *of this class*" (Miyato & Koyama 2018).

    ``spectral_norm=True`` wraps every convolution, dense layer and the class embedding in
    spectral normalisation (:mod:`ganaug.gan.spectral`).

    Examples
    --------
    >>> build_discriminator(base_filters=8).output_shape
    (None, 1)
    >>> [s for s in build_discriminator(base_filters=8, num_classes=3).output_shape]
    [(None, 1), (None, 3)]
    >>> projection = build_discriminator(base_filters=8, num_classes=3, head="projection")
    >>> projection.input_shape, projection.output_shape
    ([(None, 28, 28, 3), (None,)], (None, 1))
    """
    if head not in HEADS:
        raise ValueError(f"unknown head {head!r}: use one of {', '.join(HEADS)}")
    if num_classes is not None and num_classes < 2:
        raise ValueError(f"num_classes must be at least 2 (or None), got {num_classes}")
    seeds = iter(layer_seeds(seed, 6))
    extra_seeds = iter(layer_seeds(seed, 16)[6:])  # for the options' layers, see module doc

    def wrap(layer):
        return wrap_spectral_norm(layer, next(extra_seeds)) if spectral_norm else layer

    images = keras.Input(input_shape, name="images")
    x = images
    for filters in (base_filters, base_filters * 2):
        x = wrap(
            keras.layers.Conv2D(
                filters, 5, 2, padding="same", kernel_initializer=_glorot(next(seeds))
            )
        )(x)
        x = keras.layers.LeakyReLU(0.2)(x)
        x = keras.layers.Dropout(0.3, seed=next(seeds))(x)
    features = keras.layers.Flatten(name="features")(x)
    real_or_fake = wrap(
        keras.layers.Dense(1, name="real_or_fake", kernel_initializer=_glorot(next(seeds)))
    )(features)
    if num_classes is None:
        return keras.Model(images, real_or_fake, name="discriminator")
    if head == "projection":
        label = keras.Input((), dtype="int32", name="label")
        embedding = wrap(
            keras.layers.Embedding(
                num_classes,
                features.shape[-1],
                embeddings_initializer=_glorot(next(extra_seeds)),
                name="class_embedding",
            )
        )
        projection = keras.layers.Dot(axes=1, name="projection")([embedding(label), features])
        logit = keras.layers.Add(name="logit")([real_or_fake, projection])
        return keras.Model([images, label], logit, name="discriminator")
    label_logits = wrap(
        keras.layers.Dense(num_classes, name="label", kernel_initializer=_glorot(next(seeds)))
    )(features)
    return keras.Model(images, [real_or_fake, label_logits], name="discriminator")


def class_embedding_size(discriminator: keras.Model) -> int | None:
    """Number of classes of a projection discriminator's embedding; ``None`` if it has none.

    Examples
    --------
    >>> class_embedding_size(build_discriminator(base_filters=4, num_classes=5,
    ...                                          head="projection", spectral_norm=True))
    5
    >>> class_embedding_size(build_discriminator(base_filters=4)) is None
    True
    """
    for layer in discriminator.layers:
        inner = getattr(layer, "layer", layer)  # look inside a spectral-norm wrapper
        if isinstance(inner, keras.layers.Embedding) and inner.name == "class_embedding":
            return int(inner.input_dim)
    return None
