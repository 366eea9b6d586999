"""DCGAN training speed: ``DCGAN.fit`` (overridden ``train_step``) against a plain
``tf.function`` + ``GradientTape`` loop of the same models (the TensorFlow tutorial's style).

Run by hand::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/gan_speed.py

Both train freshly built models of the same sizes on the same bcc training images with batch
64. After one warm-up epoch each, they take turns (a few rounds of a few epochs each, so a
change in the machine's load hits both alike) and the script prints the median images/s of
each and their ratio (fit / loop). Compilation is the same for both: no XLA on a CPU.
"""

from __future__ import annotations

import time

import keras
import numpy as np
import tensorflow as tf

from ganaug.data import lesson_data, report_split, select_classes
from ganaug.gan import (
    DCGAN,
    build_discriminator,
    build_generator,
    discriminator_loss,
    generator_loss,
    to_gan_range,
)

EPOCHS, ROUNDS, BATCH, LATENT = 10, 3, 64, 100


def dataset(images):
    data = tf.data.Dataset.from_tensor_slices(images).shuffle(len(images), seed=0)
    return data.batch(BATCH, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def plain_loop(batches):
    """The TensorFlow DCGAN tutorial's loop: a ``tf.function`` step over two GradientTapes."""
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

    def train(epochs):
        for _ in range(epochs):
            for real in batches:
                step(real)

    return train


def keras_fit(batches):
    """``DCGAN.fit``: the same models and losses, through the overridden ``train_step``."""
    keras.utils.set_random_seed(0)
    gan = DCGAN(build_generator(LATENT), build_discriminator(), LATENT)
    gan.compile()
    return lambda epochs: gan.fit(batches, epochs=epochs, verbose=0)


def main() -> None:
    data = lesson_data()
    bcc = select_classes(report_split(data, seed=0).train, ["bcc"])
    images = to_gan_range(bcc.images)
    batches = dataset(images)
    trainers = {
        "plain tf.function loop": plain_loop(batches),
        "DCGAN.fit (train_step)": keras_fit(batches),
    }
    rates: dict[str, list[float]] = {name: [] for name in trainers}
    for train in trainers.values():
        train(1)  # warm-up epoch: tracing
    images_per_epoch = (len(images) // BATCH) * BATCH
    for _ in range(ROUNDS):  # alternate, so a change in the machine's load hits both alike
        for name, train in trainers.items():
            started = time.perf_counter()
            train(EPOCHS)
            rates[name].append(EPOCHS * images_per_epoch / (time.perf_counter() - started))
    print(
        f"{len(images)} bcc images, batch {BATCH}; {ROUNDS} alternating rounds of {EPOCHS} "
        f"epochs each after one warm-up epoch; median over rounds"
    )
    median = {name: float(np.median(values)) for name, values in rates.items()}
    for name, rate in median.items():
        rounds = ", ".join(f"{r:.0f}" for r in rates[name])
        print(f"{name}: {rate:.0f} images/s ({rate / BATCH:.1f} steps/s); rounds: {rounds}")
    loop, fit = median.values()
    print(f"ratio fit / loop: {fit / loop:.2f}")


if __name__ == "__main__":
    main()
