"""Watching and resuming GAN training: sample grids on a fixed seed, checkpoints, ``train_gan``."""

from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganaug.gan.dcgan import DCGAN, ConditionalGAN
from ganaug.gan.sampling import generate


class SampleGrid(keras.callbacks.Callback):
    """Every ``every`` epochs (and after the first), save a grid of images generated from the
    same noise, so the grids show how the generator changes, not how the noise does.

    ``self.samples`` maps epoch number -> uint8 images; PNGs go to ``folder`` if given.
    """

    def __init__(self, every: int = 10, n: int = 16, seed: int = 0, folder=None, labels=None):
        super().__init__()
        if every < 1:
            raise ValueError("every must be at least 1")
        self.every, self.n, self.seed, self.labels = every, n, seed, labels
        self.folder = Path(folder) if folder else None
        self.samples: dict[int, np.ndarray] = {}

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        number = epoch + 1
        if number == 1 or number % self.every == 0:
            images = generate(self.model.generator, self.n, self.seed, self.labels)
            self.samples[number] = images
            if self.folder:
                from ganaug.plots.gan import plot_image_grid

                self.folder.mkdir(parents=True, exist_ok=True)
                figure = plot_image_grid(images, f"epoch {number}")
                figure.savefig(self.folder / f"epoch_{number:05d}.png", dpi=100)
                figure.clf()


class PrintEvery(keras.callbacks.Callback):
    """Print one line of logs every ``every`` epochs (and the first): a compact progress report
    for long runs, where one line per epoch would fill the page."""

    def __init__(self, every: int = 25):
        super().__init__()
        if every < 1:
            raise ValueError("every must be at least 1")
        self.every = every
        self.started = 0.0

    def on_train_begin(self, logs=None) -> None:
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        number = epoch + 1
        if number == 1 or number % self.every == 0:
            values = "  ".join(f"{k} {v:.3f}" for k, v in (logs or {}).items())
            seconds = time.perf_counter() - self.started
            print(f"epoch {number:5d}  {values}  ({seconds:.0f} s)", flush=True)


class Checkpoint(keras.callbacks.Callback):
    """Save generator, discriminator, both optimizers and the epoch count after every epoch."""

    def __init__(self, manager: tf.train.CheckpointManager, epoch: tf.Variable):
        super().__init__()
        self.manager, self.epoch = manager, epoch

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        self.epoch.assign(epoch + 1)
        self.manager.save(checkpoint_number=epoch + 1)


def train_gan(
    gan: DCGAN,
    images: np.ndarray,
    epochs: int,
    batch_size: int = 64,
    labels: np.ndarray | None = None,
    checkpoint_dir=None,
    callbacks: list | None = None,
    seed: int = 0,
    verbose: int | str = "auto",
) -> keras.callbacks.History:
    """Train a compiled GAN on ``images`` (float, [-1, 1]) for ``epochs`` epochs in total.

    With ``checkpoint_dir``, the run saves a checkpoint after every epoch and, when started
    again with the same folder, restores the last one and continues from the next epoch
    (after a Colab disconnect, say). A finished run returns an empty History.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.min() < -1.0001 or images.max() > 1.0001:
        raise ValueError("images must be (N, H, W, 3) floats in [-1, 1]: use to_gan_range()")
    if isinstance(gan, ConditionalGAN) and labels is None:
        raise ValueError("a ConditionalGAN needs labels (class indices)")
    inputs = (images, np.asarray(labels, np.int32)) if labels is not None else images
    dataset = tf.data.Dataset.from_tensor_slices(inputs)
    dataset = dataset.shuffle(len(images), seed=seed).batch(batch_size, drop_remainder=True)
    if len(images) < batch_size:
        raise ValueError(f"need at least batch_size={batch_size} images, got {len(images)}")
    callbacks = list(callbacks or [])
    initial_epoch = 0
    if checkpoint_dir is not None:
        manager, epoch = _checkpoint_manager(gan, checkpoint_dir)
        initial_epoch = int(epoch.numpy())
        callbacks.append(Checkpoint(manager, epoch))
    if initial_epoch >= epochs:
        return keras.callbacks.History()
    return gan.fit(dataset.prefetch(tf.data.AUTOTUNE), epochs=epochs, initial_epoch=initial_epoch,
                   callbacks=callbacks, shuffle=False, verbose=verbose)  # fmt: skip


def _checkpoint_manager(gan: DCGAN, folder) -> tuple[tf.train.CheckpointManager, tf.Variable]:
    # Optimizer slots are created lazily; build them first so a restore fills them.
    gan.d_optimizer.build(gan.discriminator.trainable_variables)
    gan.g_optimizer.build(gan.generator.trainable_variables)
    epoch = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(generator=gan.generator, discriminator=gan.discriminator,
                                     d_optimizer=gan.d_optimizer, g_optimizer=gan.g_optimizer,
                                     seed=gan.seed_generator.state, epoch=epoch)  # fmt: skip
    manager = tf.train.CheckpointManager(checkpoint, str(folder), max_to_keep=2)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
    return manager, epoch
