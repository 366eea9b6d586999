"""``ConditionalGAN``: one GAN for all classes, the generator drawing the class it is given.

Two ways for the discriminator to use the label, chosen by the discriminator it is given
(:func:`ganaug.gan.build_discriminator`):

- ACGAN (Odena et al. 2017; ``head="acgan"``, the default): the discriminator also classifies
  each image, and both players add that classification loss. On small, similar-looking classes
  the generator can satisfy the classifier with a few easy images per class and collapse.
- Projection (Miyato & Koyama 2018; ``head="projection"``): the discriminator reads the label
  and returns one logit ``psi(phi(x)) + <embed(y), phi(x)>``: "a real image of class y". There
  is no auxiliary classification term, only the adversarial loss (``loss="hinge"`` as in the
  paper, or ``"bce"``).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from ganaug.gan.dcgan import DCGAN
from ganaug.gan.models import class_embedding_size


def conditioning(discriminator: keras.Model, num_classes: int) -> str:
    """``"acgan"`` or ``"projection"``: how ``discriminator`` uses the label; ``ValueError`` if it
    does not, or is built for another number of classes.

    Examples
    --------
    >>> from ganaug.gan.models import build_discriminator
    >>> conditioning(build_discriminator(base_filters=4, num_classes=3, head="projection"), 3)
    'projection'
    """
    if isinstance(discriminator.input_shape, list):
        classes = class_embedding_size(discriminator)
        if classes != num_classes:
            raise ValueError(
                f"num_classes={num_classes} but the discriminator's class embedding has "
                f"{classes} classes: build both networks with the same num_classes"
            )
        return "projection"
    outputs = discriminator.output_shape
    if not isinstance(outputs, list) or len(outputs) != 2:
        raise ValueError(
            "a ConditionalGAN needs a discriminator with a class head: "
            f"build_discriminator(num_classes={num_classes}) (ACGAN) or "
            f"build_discriminator(num_classes={num_classes}, head='projection')"
        )
    if outputs[1][-1] != num_classes:
        raise ValueError(
            f"num_classes={num_classes} but the discriminator's class head has "
            f"{outputs[1][-1]} outputs: build both networks with the same num_classes"
        )
    return "acgan"


class ConditionalGAN(DCGAN):
    """One GAN for all classes: the generator takes ``[noise, label]`` and the discriminator
    uses the label through an auxiliary classifier (ACGAN) or a projection (see the module).

    ``fit`` takes ``(images, labels)`` with integer labels. The options of :class:`DCGAN`
    (``augment_policy``, ``ema_decay``, ``loss``) apply as well.

    Examples
    --------
    >>> from ganaug.gan.models import build_discriminator, build_generator
    >>> gan = ConditionalGAN(build_generator(16, 8, num_classes=3),
    ...                      build_discriminator(base_filters=8, num_classes=3), 16, num_classes=3)
    >>> gan.compile()
    >>> gan.conditioning
    'acgan'
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
        self.conditioning = conditioning(discriminator, num_classes)
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
        """What ``fit()`` calls for each batch: draw the noise, then play one :meth:`step`."""
        if not isinstance(data, tuple) or len(data) < 2:
            raise ValueError("ConditionalGAN.fit needs (images, labels)")
        real, labels = data[0], tf.cast(tf.reshape(data[1], [-1]), tf.int32)
        return self.step(real, self.draw_noise(tf.shape(real)[0]), labels)

    def step(self, real, noise, labels=None) -> dict:
        """:meth:`DCGAN.step` with the class ``labels`` of the real images, which the
        generator also draws: one forward pass, both players updated."""
        if labels is None:
            raise ValueError("a ConditionalGAN's step needs the labels of the real images")
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator([noise, labels], training=True)
            real_seen, fake_seen = self.augment(real), self.augment(fake)
            if self.conditioning == "projection":
                real_logits = self.discriminator([real_seen, labels], training=True)
                fake_logits = self.discriminator([fake_seen, labels], training=True)
                d_loss, g_loss = self._adversarial_losses(real_logits, fake_logits)
            else:
                real_logits, real_class = self.discriminator(real_seen, training=True)
                fake_logits, fake_class = self.discriminator(fake_seen, training=True)
                d_loss, g_loss = self._adversarial_losses(real_logits, fake_logits)
                d_loss += self.classify(labels, real_class) + self.classify(labels, fake_class)
                g_loss += self.classify(labels, fake_class)
        return self._update(d_tape, g_tape, d_loss, g_loss, real_logits, fake_logits)
