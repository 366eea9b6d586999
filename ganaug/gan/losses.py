"""The adversarial losses: the non-saturating binary cross-entropy of the DCGAN (Goodfellow et
al. 2014; Radford et al. 2015) and the hinge loss of spectrally normalised and projection GANs
(Lim & Ye 2017; Miyato et al. 2018). Both take the discriminator's raw logits."""

from __future__ import annotations

import keras
import tensorflow as tf

#: The loss names a GAN accepts (``DCGAN(loss=...)``).
LOSSES = ("bce", "hinge")


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


def hinge_discriminator_loss(real_logits: tf.Tensor, fake_logits: tf.Tensor) -> tf.Tensor:
    """Hinge loss: ``mean(relu(1 - real)) + mean(relu(1 + fake))``; zero once real logits are
    above 1 and generated ones below -1, so a confident discriminator stops pushing.

    Examples
    --------
    >>> float(hinge_discriminator_loss(tf.constant([[1.5]]), tf.constant([[-2.0]])))
    0.0
    >>> float(hinge_discriminator_loss(tf.constant([[0.0]]), tf.constant([[0.0]])))
    2.0
    """
    return tf.reduce_mean(tf.nn.relu(1.0 - real_logits)) + tf.reduce_mean(
        tf.nn.relu(1.0 + fake_logits)
    )


def hinge_generator_loss(fake_logits: tf.Tensor) -> tf.Tensor:
    """The generator's side of the hinge game: ``-mean(fake logits)``.

    Examples
    --------
    >>> float(hinge_generator_loss(tf.constant([[1.0], [3.0]])))
    -2.0
    """
    return -tf.reduce_mean(fake_logits)


def adversarial_losses(
    kind: str, real_logits: tf.Tensor, fake_logits: tf.Tensor
) -> tuple[tf.Tensor, tf.Tensor]:
    """``(discriminator loss, generator loss)`` of the loss called ``kind`` (see :data:`LOSSES`).

    Examples
    --------
    >>> d, g = adversarial_losses("hinge", tf.constant([[2.0]]), tf.constant([[-2.0]]))
    >>> float(d), float(g)
    (0.0, 2.0)
    """
    check_loss(kind)
    if kind == "hinge":
        return hinge_discriminator_loss(real_logits, fake_logits), hinge_generator_loss(fake_logits)
    return discriminator_loss(real_logits, fake_logits), generator_loss(fake_logits)


def check_loss(kind: str) -> str:
    """Raise ``ValueError`` unless ``kind`` names a loss of :data:`LOSSES`.

    Examples
    --------
    >>> check_loss("wasserstein")
    Traceback (most recent call last):
    ...
    ValueError: unknown loss 'wasserstein': use one of bce, hinge
    """
    if kind not in LOSSES:
        raise ValueError(f"unknown loss {kind!r}: use one of {', '.join(LOSSES)}")
    return kind
