"""DCGAN training speed, two comparisons (run by hand, never by the tests).

``loop``: ``DCGAN.fit`` (overridden ``train_step``) against a plain ``tf.function`` +
``GradientTape`` loop of the same models (the TensorFlow tutorial's style). Both train freshly
built models of the same sizes on the same bcc training images with batch 64. After one warm-up
epoch each, they take turns (a few rounds of a few epochs each, so a change in the machine's
load hits both alike) and the script prints the median images/s of each and their ratio
(fit / loop). Compilation is the same for both: no XLA on a CPU.

``options``: steps per second of the book plan's half-width DCGAN (latent 64, generator 64 and
discriminator 32 filters, batch 64, 28 px) as the report trained it and with the small-data
options of :mod:`ganaug.gan` (DiffAugment, spectral normalisation, resize-convolution, EMA),
each alone and all together (``dcgan_plus``). Image content does not change the speed, so it
trains on the synthetic stand-in (384 images). After a warm-up of a few steps each, the
settings take turns for ``OPTION_ROUNDS`` rounds of ``STEPS`` steps; the median is printed.

Run by hand::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/gan_speed.py [loop] [options]

(no argument: both). One run of ``options`` on the 2-core development CPU while other jobs
shared it (load average 5-6.5 on 2 cores), TensorFlow 2.21 / Keras 3.15, 2 rounds of 100 steps,
median steps/s (rounds in brackets)::

    report's DCGAN (no options)      14.3  (9.7, 18.9)
    + DiffAugment                    13.1  (9.8, 16.5)
    + spectral normalisation          9.7  (9.8, 9.6)
    + resize-convolution             12.0  (12.3, 11.7)
    + EMA of the generator            9.7  (9.7, 9.7)
    all four (dcgan_plus)            12.9  (12.9, 12.9)

The load swung the rounds by up to 2x, more than the options differ (an earlier probe of 30
steps each gave 11.8 against 10.7 steps/s): on this machine all four options together cost
between 1.0x and 1.5x the report's DCGAN per step, so a ``dcgan_plus`` of the book plan's 750
steps takes one to two minutes. Rerun on an idle
machine (or raise ``OPTION_ROUNDS``) for a cleaner split between the options.
"""

from __future__ import annotations

import sys
import time

import keras
import numpy as np
import tensorflow as tf

from ganaug.data import lesson_data, report_split, select_classes, synthetic_lesions
from ganaug.gan import (
    DCGAN,
    DEFAULT_POLICY,
    build_discriminator,
    build_generator,
    discriminator_loss,
    generator_loss,
    to_gan_range,
)

EPOCHS, ROUNDS, BATCH, LATENT = 10, 3, 64, 100
#: The options comparison: the book plan's half-width networks, steps per round, rounds.
BOOK_SIZES, STEPS, OPTION_ROUNDS, WARM_UP = (64, 64, 32), 100, 2, 5
#: The settings compared: builder and GAN options of each.
SETTINGS = {
    "report's DCGAN (no options)": {},
    "+ DiffAugment": {"augment_policy": DEFAULT_POLICY},
    "+ spectral normalisation": {"spectral_norm": True},
    "+ resize-convolution": {"upsampling": "resize"},
    "+ EMA of the generator": {"ema_decay": 0.999},
    "all four (dcgan_plus)": {
        "augment_policy": DEFAULT_POLICY,
        "spectral_norm": True,
        "upsampling": "resize",
        "ema_decay": 0.999,
    },
}


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


def compare_fit_and_loop() -> None:
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


def option_trainer(options: dict, batches):
    """A book-sized DCGAN with ``options``; returns ``train(steps)``."""
    latent, g_filters, d_filters = BOOK_SIZES
    generator = build_generator(
        latent, g_filters, upsampling=options.get("upsampling", "transpose")
    )
    discriminator = build_discriminator(
        base_filters=d_filters, spectral_norm=options.get("spectral_norm", False)
    )
    gan = DCGAN(
        generator,
        discriminator,
        latent,
        augment_policy=options.get("augment_policy"),
        ema_decay=options.get("ema_decay"),
    )
    gan.compile()
    return lambda steps: gan.fit(batches, steps_per_epoch=steps, epochs=1, shuffle=False, verbose=0)


def compare_options() -> None:
    images = to_gan_range(synthetic_lesions(n_per_class=128, seed=0).images)  # 384 images
    batches = tf.data.Dataset.from_tensor_slices(images).repeat().shuffle(len(images), seed=0)
    batches = batches.batch(BATCH, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    trainers = {name: option_trainer(options, batches) for name, options in SETTINGS.items()}
    for train in trainers.values():
        train(WARM_UP)  # tracing
    rates: dict[str, list[float]] = {name: [] for name in trainers}
    for _ in range(OPTION_ROUNDS):
        for name, train in trainers.items():
            started = time.perf_counter()
            train(STEPS)
            rates[name].append(STEPS / (time.perf_counter() - started))
    print(
        f"book-plan DCGAN (latent, generator, discriminator widths {BOOK_SIZES}), batch {BATCH}, "
        f"28 px; {OPTION_ROUNDS} alternating rounds of {STEPS} steps; median steps/s"
    )
    plain = float(np.median(next(iter(rates.values()))))
    for name, values in rates.items():
        rate = float(np.median(values))
        rounds = ", ".join(f"{r:.1f}" for r in values)
        print(f"{name:32s} {rate:5.1f} steps/s  (x{plain / rate:.2f} the time; rounds {rounds})")


def main(arguments: list[str]) -> None:
    chosen = set(arguments) or {"loop", "options"}
    unknown = chosen - {"loop", "options"}
    if unknown:
        raise SystemExit(f"unknown comparison(s) {sorted(unknown)}: use loop and/or options")
    if "options" in chosen:
        compare_options()
    if "loop" in chosen:
        compare_fit_and_loop()


if __name__ == "__main__":
    main(sys.argv[1:])
