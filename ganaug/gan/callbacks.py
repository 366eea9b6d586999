"""Watching and resuming GAN training: sample grids on a fixed seed, checkpoints, ``train_gan``."""

from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from PIL import Image

from ganaug.gan.conditional import ConditionalGAN
from ganaug.gan.dcgan import DCGAN, check_real_images
from ganaug.gan.sampling import generate, tile_images


class SampleGrid(keras.callbacks.Callback):
    """Every ``every`` epochs (and after the first), save a grid of images generated from the
    same noise, so the grids show how the generator changes, not how the noise does.

    ``self.samples`` maps epoch number -> uint8 images. If ``folder`` is given, each grid is
    also written there as a PNG (``epoch_00001.png``, ...): ``columns`` images a row (see
    :func:`ganaug.gan.sampling.tile_images`), enlarged ``scale`` times without smoothing. For a
    conditional generator pass ``labels``. A GAN with a moving average of its generator
    (``ema_decay``) is sampled from the average.

    Examples
    --------
    >>> SampleGrid(every=25, n=16, seed=0).every
    25
    >>> SampleGrid(every=0)
    Traceback (most recent call last):
    ...
    ValueError: every must be at least 1 (epochs between sample grids)
    """

    def __init__(
        self,
        every: int = 10,
        n: int = 16,
        seed: int = 0,
        folder=None,
        labels=None,
        columns: int = 8,
        scale: int = 4,
    ):
        super().__init__()
        if every < 1:
            raise ValueError("every must be at least 1 (epochs between sample grids)")
        if scale < 1:
            raise ValueError(f"scale must be at least 1 (a whole-number enlargement), got {scale}")
        self.every, self.n, self.seed, self.labels = every, n, seed, labels
        self.columns, self.scale = columns, scale
        self.folder = Path(folder) if folder else None
        self.samples: dict[int, np.ndarray] = {}

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        number = epoch + 1
        if number == 1 or number % self.every == 0:
            images = generate(self.model, self.n, self.seed, self.labels)
            self.samples[number] = images
            if self.folder:
                self.folder.mkdir(parents=True, exist_ok=True)
                grid = tile_images(images, self.columns)
                grid = grid.repeat(self.scale, axis=0).repeat(self.scale, axis=1)
                Image.fromarray(grid).save(self.folder / f"epoch_{number:05d}.png")


class PrintEvery(keras.callbacks.Callback):
    """Print one line of logs every ``every`` epochs (and the first): a compact progress report
    for long runs, where one line per epoch would fill the page.

    Examples
    --------
    >>> PrintEvery(0)
    Traceback (most recent call last):
    ...
    ValueError: every must be at least 1 (epochs between printed lines)
    """

    def __init__(self, every: int = 25):
        super().__init__()
        if every < 1:
            raise ValueError("every must be at least 1 (epochs between printed lines)")
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
    """Save generator, discriminator, both optimizers and the epoch count every ``every``
    epochs and after epoch ``last`` (the final one)."""

    def __init__(
        self,
        manager: tf.train.CheckpointManager,
        epoch: tf.Variable,
        every: int = 1,
        last: int | None = None,
    ):
        super().__init__()
        self.manager, self.epoch, self.every, self.last = manager, epoch, every, last

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        number = epoch + 1
        if number % self.every == 0 or number == self.last:
            self.epoch.assign(number)
            self.manager.save(checkpoint_number=number)


def train_gan(
    gan: DCGAN,
    images: np.ndarray,
    epochs: int,
    batch_size: int = 64,
    labels: np.ndarray | None = None,
    checkpoint_dir=None,
    checkpoint_every: int = 1,
    callbacks: list | None = None,
    seed: int = 0,
    verbose: int | str = "auto",
) -> keras.callbacks.History:
    """Train a compiled GAN on ``images`` (float, [-1, 1]) for ``epochs`` epochs in total.

    With ``checkpoint_dir``, the run saves a checkpoint (both models, both optimizers, the
    noise and augmentation seeds, the generator's moving average if any, and the epoch) every
    ``checkpoint_every`` epochs and after the last one; started again with the same folder, it
    restores the latest and continues from the epoch after it (after a Colab disconnect, say),
    so a disconnect loses at most ``checkpoint_every`` epochs.
    A finished run returns an empty History.

    Examples
    --------
    >>> import tempfile
    >>> from ganaug.gan.models import build_discriminator, build_generator
    >>> gan = DCGAN(build_generator(8, 4), build_discriminator(base_filters=4), latent_dim=8)
    >>> gan.compile()
    >>> folder, images = tempfile.mkdtemp(), np.zeros((8, 28, 28, 3), "float32")
    >>> len(train_gan(gan, images, 2, batch_size=4, checkpoint_dir=folder, verbose=0).epoch)
    2
    >>> train_gan(gan, images, 2, batch_size=4, checkpoint_dir=folder).history  # done already
    {}
    """
    images = np.asarray(images, dtype=np.float32)
    check_real_images(images, gan.image_shape)
    if isinstance(gan, ConditionalGAN) and labels is None:
        raise ValueError("a ConditionalGAN needs labels (class indices)")
    if labels is not None:
        gan.check_labels(labels)
        if len(labels) != len(images):
            raise ValueError(f"{len(labels)} labels for {len(images)} images: give one per image")
    if checkpoint_every < 1:
        raise ValueError("checkpoint_every must be at least 1 (epochs between checkpoints)")
    if len(images) < batch_size:
        raise ValueError(f"need at least batch_size={batch_size} images, got {len(images)}")
    inputs = (images, np.asarray(labels, np.int32)) if labels is not None else images
    dataset = tf.data.Dataset.from_tensor_slices(inputs)
    dataset = dataset.shuffle(len(images), seed=seed).batch(batch_size, drop_remainder=True)
    callbacks = list(callbacks or [])
    initial_epoch = 0
    if checkpoint_dir is not None:
        manager, epoch = _checkpoint_manager(gan, checkpoint_dir)
        initial_epoch = int(epoch.numpy())
        callbacks.append(Checkpoint(manager, epoch, every=checkpoint_every, last=epochs))
    if initial_epoch >= epochs:
        return keras.callbacks.History()
    return gan.fit(
        dataset.prefetch(tf.data.AUTOTUNE),
        epochs=epochs,
        initial_epoch=initial_epoch,
        callbacks=callbacks,
        shuffle=False,
        verbose=verbose,
    )


def _checkpoint_manager(gan: DCGAN, folder) -> tuple[tf.train.CheckpointManager, tf.Variable]:
    # Optimizer slots are created lazily; build them first so a restore fills them.
    gan.d_optimizer.build(gan.discriminator.trainable_variables)
    gan.g_optimizer.build(gan.generator.trainable_variables)
    epoch = tf.Variable(0, dtype=tf.int64)
    parts = {
        "generator": gan.generator,
        "discriminator": gan.discriminator,
        "d_optimizer": gan.d_optimizer,
        "g_optimizer": gan.g_optimizer,
        "seed": gan.seed_generator.state,
        "epoch": epoch,
    }
    if gan.ema_generator is not None:
        parts["ema_generator"] = gan.ema_generator
    if gan.augment_seeds is not None:
        parts["augment_seed"] = gan.augment_seeds.state
    checkpoint = tf.train.Checkpoint(**parts)
    manager = tf.train.CheckpointManager(checkpoint, str(folder), max_to_keep=2)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
    return manager, epoch
