"""``DCGAN``: a ``keras.Model`` subclass whose ``train_step`` plays the adversarial game, so
``fit()`` trains it like any Keras model (the conditional GAN is in
:mod:`ganaug.gan.conditional`).

Options for small data sets, all off by default: differentiable augmentation of what the
discriminator sees (``augment_policy``, :mod:`ganaug.gan.diffaugment`), a moving average of the
generator's weights for sampling (``ema_decay``, :mod:`ganaug.gan.ema`) and the hinge loss
(``loss="hinge"``, :mod:`ganaug.gan.losses`).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ganaug.common.seeding import layer_seeds
from ganaug.gan.diffaugment import diff_augment, parse_policy
from ganaug.gan.ema import averaged_copy, check_decay, ema_decay_at, update_ema
from ganaug.gan.losses import adversarial_losses, check_loss


def check_real_images(images, shape: tuple | None = None) -> None:
    """Raise ``ValueError`` unless ``images`` is a float batch ``(N, *shape)`` in [-1, 1].

    A ``tf.data.Dataset`` is checked for its element shape only (its values are not read).

    Examples
    --------
    >>> check_real_images(np.zeros((2, 28, 28, 3), "float32"), (28, 28, 3))
    >>> check_real_images(np.full((2, 28, 28, 3), 255.0))
    Traceback (most recent call last):
    ...
    ValueError: real images must be in [-1, 1], got 255.0 to 255.0: use to_gan_range()
    """
    if isinstance(images, tf.data.Dataset):
        spec = images.element_spec
        spec = spec[0] if isinstance(spec, tuple) else spec
        if shape is not None and not spec.shape[1:].is_compatible_with(shape):
            raise ValueError(
                f"the dataset yields {tuple(spec.shape)} batches but the discriminator reads "
                f"{tuple(shape)} images (batch the dataset)"
            )
        return
    images = np.asarray(images)
    if images.ndim != 4 or (shape is not None and images.shape[1:] != tuple(shape)):
        wanted = f"(N, {', '.join(map(str, shape))})" if shape else "(N, H, W, 3)"
        raise ValueError(f"real images must have shape {wanted}, got {images.shape}")
    if images.size and (images.min() < -1.0001 or images.max() > 1.0001):
        raise ValueError(
            f"real images must be in [-1, 1], got {images.min()} to {images.max()}: "
            "use to_gan_range()"
        )


def image_shape(discriminator: keras.Model) -> tuple:
    """The image shape a discriminator reads (its first input, for a projection discriminator).

    Examples
    --------
    >>> from ganaug.gan.models import build_discriminator
    >>> image_shape(build_discriminator(base_filters=4, num_classes=3, head="projection"))
    (28, 28, 3)
    """
    shape = discriminator.input_shape
    if isinstance(shape, list):
        shape = shape[0]
    return tuple(shape[1:])


class DCGAN(keras.Model):
    """A generator and a discriminator trained against each other by ``fit()``.

    ``fit`` takes real images scaled to [-1, 1] (an array or a ``tf.data.Dataset``) and logs
    ``d_loss``, ``g_loss``, and ``d_real`` / ``d_fake``: the discriminator's mean probability
    that real / generated images are real (the sigmoid of its logits).

    Parameters
    ----------
    generator, discriminator : keras.Model
        From :func:`ganaug.gan.build_generator` and :func:`ganaug.gan.build_discriminator`.
    latent_dim : int
        Length of the generator's noise vectors.
    seed : int
        Seeds the training noise and, with ``augment_policy``, the augmentation draws.
    augment_policy : str or None
        DiffAugment transforms, e.g. ``"color,translation,cutout"``
        (:func:`ganaug.gan.diffaugment.diff_augment`), applied to real and generated images
        before every discriminator call, in both players' steps. ``None``: no augmentation.
    ema_decay : float or None
        Keep ``ema_generator``, a moving average of the generator's weights updated after each
        generator step (:mod:`ganaug.gan.ema`); sampling then uses it. ``None``: no average.
    loss : str
        ``"bce"`` (the DCGAN's non-saturating loss) or ``"hinge"``.

    Examples
    --------
    >>> import numpy as np
    >>> from ganaug.gan.models import build_discriminator, build_generator
    >>> gan = DCGAN(build_generator(16, 8), build_discriminator(base_filters=8), latent_dim=16)
    >>> gan.compile()
    >>> history = gan.fit(np.zeros((8, 28, 28, 3), "float32"), batch_size=4, verbose=0)
    >>> sorted(history.history)
    ['d_fake', 'd_loss', 'd_real', 'g_loss']
    >>> gan.sampling_generator is gan.generator  # no moving average asked for
    True
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int = 100,
        seed: int = 0,
        augment_policy: str | None = None,
        ema_decay: float | None = None,
        loss: str = "bce",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if generator.output_shape[1:] != image_shape(discriminator):
            raise ValueError(
                f"the generator makes {generator.output_shape[1:]} images but the discriminator "
                f"reads {image_shape(discriminator)}"
            )
        self.generator, self.discriminator, self.latent_dim = generator, discriminator, latent_dim
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.augment_policy = ",".join(parse_policy(augment_policy)) or None
        self.augment_seeds = None
        if self.augment_policy:
            self.augment_seeds = keras.random.SeedGenerator(layer_seeds(seed, 1)[0])
        self.ema_decay = check_decay(ema_decay)
        self.ema_generator = averaged_copy(generator) if ema_decay is not None else None
        self.adversarial_loss = check_loss(loss)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")
        }

    def compile(self, d_optimizer=None, g_optimizer=None, loss_fn=None, **kwargs) -> None:
        """Adam(2e-4, beta_1=0.5) for both players by default, as in Radford et al.

        ``loss_fn`` (a Keras loss on labels 1 = real, 0 = generated) replaces the adversarial
        loss chosen by the constructor's ``loss``.
        """
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.loss_fn = loss_fn  # None: the loss named by the constructor's ``loss``

    @property
    def metrics(self) -> list:
        return list(self.trackers.values())

    @property
    def image_shape(self) -> tuple:
        """The shape of one image, ``(28, 28, 3)`` for the book's networks."""
        return image_shape(self.discriminator)

    @property
    def sampling_generator(self) -> keras.Model:
        """The generator to draw images from: the moving average when there is one."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def fit(self, x=None, y=None, *args, **kwargs) -> keras.callbacks.History:
        """``keras.Model.fit``, after checking that ``x`` holds images in [-1, 1]."""
        if isinstance(x, np.ndarray | tf.Tensor | tf.data.Dataset):  # generators etc. unchecked
            check_real_images(x, self.image_shape)
        if y is not None and not isinstance(x, tf.data.Dataset):
            self.check_labels(y)
        return super().fit(x, y, *args, **kwargs)

    def check_labels(self, labels) -> None:
        """Raise ``ValueError`` unless ``labels`` suit this GAN (a DCGAN takes none)."""
        raise ValueError("a DCGAN is not conditional: call fit(images) without labels")

    def call(self, noise, training=False):
        return self.generator(noise, training=training)

    def augment(self, images):
        """``images`` as the discriminator sees them: DiffAugmented, or unchanged."""
        if self.augment_seeds is None:
            return images
        return diff_augment(images, self.augment_policy, self.augment_seeds)

    def _adversarial_losses(self, real_logits, fake_logits):
        if self.loss_fn is None:
            return adversarial_losses(self.adversarial_loss, real_logits, fake_logits)
        d_loss = self.loss_fn(tf.ones_like(real_logits), real_logits) + self.loss_fn(
            tf.zeros_like(fake_logits), fake_logits
        )
        return d_loss, self.loss_fn(tf.ones_like(fake_logits), fake_logits)

    def _update(self, d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits) -> dict:
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=True))
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars, strict=True))
        if self.ema_generator is not None:
            decay = ema_decay_at(self.g_optimizer.iterations, self.ema_decay)
            update_ema(self.ema_generator, self.generator, decay)
        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": tf.reduce_mean(tf.sigmoid(real_logits)),
            "d_fake": tf.reduce_mean(tf.sigmoid(fake_logits)),
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def draw_noise(self, n) -> tf.Tensor:
        """``n`` noise vectors for one step, drawn from this GAN's seeded random stream."""
        return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)

    def train_step(self, data):
        """What ``fit()`` calls for each batch: draw the noise, then play one :meth:`step`."""
        real = data[0] if isinstance(data, tuple) else data
        return self.step(real, self.draw_noise(tf.shape(real)[0]))

    def step(self, real, noise) -> dict:
        """One round of the game on a batch of ``real`` images and given ``noise``.

        Both players are updated from ONE forward pass: the generator draws ``fake`` from
        ``noise``, the discriminator scores real and generated images (each DiffAugmented when
        ``augment_policy`` is set), each player's loss is taken from those logits, and each
        tape gives its player's gradient. (The alternative, as in the keras-io DCGAN example,
        alternates: a discriminator step, then fresh noise and a generator step against the
        updated discriminator.) ``_update`` applies both gradients, then the moving average.

        Examples
        --------
        >>> from ganaug.gan.models import build_discriminator, build_generator
        >>> gan = DCGAN(build_generator(8, 4), build_discriminator(base_filters=4), latent_dim=8)
        >>> gan.compile()
        >>> logs = gan.step(tf.zeros((2, 28, 28, 3)), tf.ones((2, 8)))
        >>> sorted(logs)
        ['d_fake', 'd_loss', 'd_real', 'g_loss']
        """
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(noise, training=True)
            real_logits = self.discriminator(self.augment(real), training=True)
            fake_logits = self.discriminator(self.augment(fake), training=True)
            d_loss, g_loss = self._adversarial_losses(real_logits, fake_logits)
        return self._update(d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits)
