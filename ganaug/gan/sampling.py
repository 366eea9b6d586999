"""From generator output to dataset images, and back."""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from ganaug.common.batching import call_in_batches
from ganaug.data.core import check_images


def to_gan_range(images: np.ndarray) -> np.ndarray:
    """uint8 images (0-255) -> float32 in [-1, 1], the range of the generator's tanh.

    Examples
    --------
    >>> to_gan_range(np.array([[[[0, 255, 128]]]], np.uint8)).astype(float).round(3).tolist()
    [[[[-1.0, 1.0, 0.004]]]]
    """
    return check_images(images).astype(np.float32) / 127.5 - 1.0


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Generator output in [-1, 1] -> uint8 images (0-255), the dataset's format.

    Examples
    --------
    >>> to_uint8(np.array([-1.0, 0.0, 1.0])).tolist()
    [0, 128, 255]
    """
    return np.clip(np.rint((np.asarray(images) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def latent_vectors(n: int, latent_dim: int, seed: int) -> np.ndarray:
    """``n`` standard-normal noise vectors; the same seed gives the same vectors.

    Examples
    --------
    >>> latent_vectors(3, 100, seed=0).shape
    (3, 100)
    >>> bool((latent_vectors(2, 4, seed=1) == latent_vectors(2, 4, seed=1)).all())
    True
    """
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype(np.float32)


def generate(
    generator: keras.Model,
    n: int,
    seed: int = 0,
    labels: Sequence[int] | np.ndarray | None = None,
    batch_size: int = 256,
) -> np.ndarray:
    """``n`` generated images as uint8 ``(n, 28, 28, 3)``, ready to join a training set.

    ``generator`` is a generator network or a whole GAN (a :class:`ganaug.gan.DCGAN`); a GAN is
    sampled from its ``sampling_generator``: the moving average of its generator's weights when
    it keeps one (``ema_decay``), else the generator itself. For a conditional generator pass
    ``labels`` (one integer per image, or a single integer).

    Examples
    --------
    >>> from ganaug.gan.models import build_generator
    >>> images = generate(build_generator(latent_dim=8, base_filters=4), 5, seed=1)
    >>> images.shape, images.dtype
    ((5, 28, 28, 3), dtype('uint8'))
    """
    generator = getattr(generator, "sampling_generator", generator)
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    conditional = isinstance(generator.input, list)
    if conditional and labels is None:
        raise ValueError("this generator is conditional: pass labels= (class indices)")
    if not conditional and labels is not None:
        raise ValueError("this generator is not conditional: leave labels out")
    latent_dim = generator.input_shape[0][-1] if conditional else generator.input_shape[-1]
    noise = latent_vectors(int(n), latent_dim, seed)
    if conditional:
        labels = np.broadcast_to(np.asarray(labels, dtype=np.int32), (int(n),))
    inputs = [noise, labels] if conditional else noise
    return to_uint8(call_in_batches(generator, inputs, batch_size))


def tile_images(images: np.ndarray, columns: int = 8, gap: int = 1) -> np.ndarray:
    """Lay uint8 images out in a grid, row by row, as one uint8 image (white gaps and cells).

    Examples
    --------
    >>> tile_images(np.zeros((5, 28, 28, 3), np.uint8), columns=4, gap=2).shape
    (58, 118, 3)
    """
    images = check_images(images)
    if len(images) == 0:
        raise ValueError("need at least one image to tile")
    if columns < 1 or gap < 0:
        raise ValueError(f"need columns >= 1 and gap >= 0, got columns={columns}, gap={gap}")
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    height, width = images.shape[1:3]
    tiled = np.full(
        (rows * height + (rows - 1) * gap, columns * width + (columns - 1) * gap, 3),
        255,
        dtype=np.uint8,
    )
    for index, image in enumerate(images):
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        tiled[top : top + height, left : left + width] = image
    return tiled


def save_generator(generator: keras.Model, path) -> None:
    """Save the generator as a ``.keras`` file (reload it with :func:`load_generator`).

    Examples
    --------
    >>> save_generator(None, "generator.h5")
    Traceback (most recent call last):
    ...
    ValueError: the file name must end in .keras, got generator.h5
    """
    if not str(path).endswith(".keras"):
        raise ValueError(f"the file name must end in .keras, got {path}")
    generator.save(path)


def load_generator(path) -> keras.Model:
    """Load a generator saved by :func:`save_generator`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from ganaug.gan.models import build_generator
    >>> path = Path(tempfile.mkdtemp()) / "generator.keras"
    >>> save_generator(build_generator(latent_dim=8, base_filters=4), path)
    >>> load_generator(path).output_shape
    (None, 28, 28, 3)
    """
    return keras.models.load_model(path, compile=False)
