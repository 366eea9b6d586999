"""DCGAN training speed: ``DCGAN.fit`` (overridden ``train_step``) against a plain
``tf.function`` + ``GradientTape`` loop of the same models (the TensorFlow tutorial's style).

Run by hand::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/gan_speed.py

Both loops train freshly built models of the same sizes on the same bcc training images with
batch 64, after one warm-up epoch each, and report images/s and their ratio (fit / loop).
"""

from __future__ import annotations

import time

import keras
import tensorflow as tf

from ganaug.data import lesson_data, select_classes, split_by_lesion
from ganaug.gan import (
    DCGAN,
    build_discriminator,
    build_generator,
    discriminator_loss,
    generator_loss,
    to_gan_range,
)

EPOCHS, BATCH, LATENT = 20, 64, 100


def dataset(images):
    data = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images), seed=0)
    return data.batch(BATCH, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def plain_loop_rate(images) -> float:
    keras.utils.set_random_seed(0)
    generator, discriminator = build_generator(LATENT), build_discriminator()
    g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)

    @tf.function
    def step(real):
        noise = tf.random.normal((tf.shape(real)[0], LATENT))
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            real_logits = discriminator(real, training=True)
            fake_logits = discriminator(fake, training=True)
            g_loss = generator_loss(fake_logits)
            d_loss = discriminator_loss(real_logits, fake_logits)
        g_vars, d_vars = generator.trainable_variables, discriminator.trainable_variables
        g_optimizer.apply_gradients(zip(g_tape.gradient(g_loss, g_vars), g_vars, strict=True))
        d_optimizer.apply_gradients(zip(d_tape.gradient(d_loss, d_vars), d_vars, strict=True))

    batches = dataset(images)
    for real in batches:  # warm-up epoch (tracing)
        step(real)
    started = time.perf_counter()
    for _ in range(EPOCHS):
        for real in batches:
            step(real)
    return EPOCHS * (len(images) // BATCH) * BATCH / (time.perf_counter() - started)


def fit_rate(images) -> float:
    keras.utils.set_random_seed(0)
    gan = DCGAN(build_generator(LATENT), build_discriminator(), LATENT)
    gan.compile()
    batches = dataset(images)
    gan.fit(batches, epochs=1, verbose=0)
    started = time.perf_counter()
    gan.fit(batches, epochs=EPOCHS, verbose=0)
    return EPOCHS * (len(images) // BATCH) * BATCH / (time.perf_counter() - started)


def main() -> None:
    data = lesson_data()
    bcc = select_classes(split_by_lesion(data, 0.1, 0.27, seed=0).train, ["bcc"])
    images = to_gan_range(bcc.images)
    loop = plain_loop_rate(images)
    fit = fit_rate(images)
    print(f"{len(images)} bcc images, batch {BATCH}, {EPOCHS} epochs after warm-up")
    print(f"plain tf.function loop: {loop:.0f} images/s ({loop / BATCH:.1f} steps/s)")
    print(f"DCGAN.fit (train_step): {fit:.0f} images/s ({fit / BATCH:.1f} steps/s)")
    print(f"ratio fit / loop: {fit / loop:.2f}")


if __name__ == "__main__":
    main()
