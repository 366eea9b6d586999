"""``DCGAN`` and ``ConditionalGAN``: ``keras.Model`` subclasses whose ``train_step`` plays the
adversarial game, so ``fit()`` trains them like any Keras model."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


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


def discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """Binary cross-entropy: real images should get label 1, generated ones 0.

    Examples
    --------
    >>> round(float(discriminator_loss(tf.constant([[20.0]]), tf.constant([[-20.0]]))), 6)
    0.0
    """
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    return bce(tf.ones_like(real_logits), real_logits) + bce(
        tf.zeros_like(fake_logits), fake_logits
    )


def generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """The generator wins when the discriminator calls its images real (label 1).

    Examples
    --------
    >>> fooled = float(generator_loss(tf.constant([[20.0]])))  # D calls the fake real
    >>> caught = float(generator_loss(tf.constant([[-20.0]])))  # D calls it fake
    >>> fooled < 0.001 < 19 < caught
    True
    """
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    return bce(tf.ones_like(fake_logits), fake_logits)


class DCGAN(keras.Model):
    """A generator and a discriminator trained against each other by ``fit()``.

    ``fit`` takes real images scaled to [-1, 1] (an array or a ``tf.data.Dataset``) and logs
    ``d_loss``, ``g_loss``, and ``d_real`` / ``d_fake``: the discriminator's mean probability
    that real / generated images are real.

    Examples
    --------
    >>> import numpy as np
    >>> from ganaug.gan.models import build_discriminator, build_generator
    >>> gan = DCGAN(build_generator(16, 8), build_discriminator(base_filters=8), latent_dim=16)
    >>> gan.compile()
    >>> history = gan.fit(np.zeros((8, 28, 28, 3), "float32"), batch_size=4, verbose=0)
    >>> sorted(history.history)
    ['d_fake', 'd_loss', 'd_real', 'g_loss']
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int = 100,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if generator.output_shape[1:] != discriminator.input_shape[1:]:
            raise ValueError(
                f"the generator makes {generator.output_shape[1:]} images but the discriminator "
                f"reads {discriminator.input_shape[1:]}"
            )
        self.generator, self.discriminator, self.latent_dim = generator, discriminator, latent_dim
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")
        }

    def compile(self, d_optimizer=None, g_optimizer=None, loss_fn=None, **kwargs) -> None:
        """Adam(2e-4, beta_1=0.5) for both players by default, as in Radford et al."""
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.loss_fn = loss_fn  # None: the standard losses above

    @property
    def metrics(self) -> list:
        return list(self.trackers.values())

    def fit(self, x=None, y=None, *args, **kwargs) -> keras.callbacks.History:
        """``keras.Model.fit``, after checking that ``x`` holds images in [-1, 1]."""
        if isinstance(x, np.ndarray | tf.Tensor | tf.data.Dataset):  # generators etc. unchecked
            check_real_images(x, self.discriminator.input_shape[1:])
        if y is not None and not isinstance(x, tf.data.Dataset):
            self.check_labels(y)
        return super().fit(x, y, *args, **kwargs)

    def check_labels(self, labels) -> None:
        """Raise ``ValueError`` unless ``labels`` suit this GAN (a DCGAN takes none)."""
        raise ValueError("a DCGAN is not conditional: call fit(images) without labels")

    def call(self, noise, training=False):
        return self.generator(noise, training=training)

    def _adversarial_losses(self, real_logits, fake_logits):
        if self.loss_fn is None:
            return discriminator_loss(real_logits, fake_logits), generator_loss(fake_logits)
        d_loss = self.loss_fn(tf.ones_like(real_logits), real_logits) + self.loss_fn(
            tf.zeros_like(fake_logits), fake_logits
        )
        return d_loss, self.loss_fn(tf.ones_like(fake_logits), fake_logits)

    def _update(self, d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits) -> dict:
        d_vars = self.discriminator.trainable_variables
        g_vars = self.generator.trainable_variables
        self.d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=True))
        self.g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars, strict=True))
        values = {
            "d_loss": d_loss,
            "g_loss": g_loss,
            "d_real": tf.reduce_mean(tf.sigmoid(real_logits)),
            "d_fake": tf.reduce_mean(tf.sigmoid(fake_logits)),
        }
        for name, value in values.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def train_step(self, data):
        real = data[0] if isinstance(data, tuple) else data
        noise = keras.random.normal((tf.shape(real)[0], self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(noise, training=True)
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            d_loss, g_loss = self._adversarial_losses(real_logits, fake_logits)
        return self._update(d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits)


class ConditionalGAN(DCGAN):
    """One GAN for all classes (ACGAN): the generator takes ``[noise, label]``, the
    discriminator also predicts the label, and both add that classification loss.

    ``fit`` takes ``(images, labels)`` with integer labels.

    Examples
    --------
    >>> from ganaug.gan.models import build_discriminator, build_generator
    >>> gan = ConditionalGAN(build_generator(16, 8, num_classes=3),
    ...                      build_discriminator(base_filters=8, num_classes=3), 16, num_classes=3)
    >>> gan.compile()
    >>> gan.fit(np.zeros((4, 28, 28, 3), "float32"), np.array([0, 1, 2, 3]), verbose=0)
    Traceback (most recent call last):
    ...
    ValueError: labels must be class indices 0 to 2 (one per image), got values 0 to 3
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim: int = 100,
        num_classes: int = 3,
        seed: int = 0,
        **kwargs,
    ):
        super().__init__(generator, discriminator, latent_dim, seed, **kwargs)
        outputs = discriminator.output_shape
        if not isinstance(outputs, list) or len(outputs) != 2:
            raise ValueError(
                "a ConditionalGAN needs a discriminator with a class head: "
                f"build_discriminator(num_classes={num_classes})"
            )
        if outputs[1][-1] != num_classes:
            raise ValueError(
                f"num_classes={num_classes} but the discriminator's class head has "
                f"{outputs[1][-1]} outputs: build both networks with the same num_classes"
            )
        if not isinstance(generator.input, list):
            raise ValueError(
                f"a ConditionalGAN needs a conditional generator: "
                f"build_generator(num_classes={num_classes})"
            )
        self.num_classes = num_classes
        self.classify = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def check_labels(self, labels) -> None:
        """Raise ``ValueError`` unless ``labels`` are class indices below ``num_classes``."""
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.min() < 0 or labels.max() >= self.num_classes:
            raise ValueError(
                f"labels must be class indices 0 to {self.num_classes - 1} (one per image), "
                f"got values {labels.min()} to {labels.max()}"
            )

    def train_step(self, data):
        if not isinstance(data, tuple) or len(data) < 2:
            raise ValueError("ConditionalGAN.fit needs (images, labels)")
        real, labels = data[0], tf.cast(tf.reshape(data[1], [-1]), tf.int32)
        noise = keras.random.normal((tf.shape(real)[0], self.latent_dim), seed=self.seed_generator)
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator([noise, labels], training=True)
            real_logits, real_class = self.discriminator(real, training=True)
            fake_logits, fake_class = self.discriminator(fake, training=True)
            d_loss, g_loss = self._adversarial_losses(real_logits, fake_logits)
            d_loss += self.classify(labels, real_class) + self.classify(labels, fake_class)
            g_loss += self.classify(labels, fake_class)
        return self._update(d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits)
