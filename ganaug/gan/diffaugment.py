"""Differentiable augmentation (DiffAugment, Zhao et al. 2020) for GANs trained on few images.

With a few hundred training images the discriminator memorises them, its feedback to the
generator stops meaning anything and training collapses. DiffAugment applies the same kind of
random changes to real *and* generated images before the discriminator sees them, in the
discriminator's step and in the generator's. Each change is differentiable in the images, so
the generator's gradient passes through it; the generator is never rewarded for drawing
augmented images, because real images are augmented alike.

Three families, as in the paper's code (images in [-1, 1], one draw per image):

- ``color``: brightness ``x + (u - 0.5)``, saturation ``(x - grey) * 2u + grey`` and contrast
  ``(x - mean) * (u + 0.5) + mean``, ``u ~ U[0, 1)``. No clipping (a clip stops gradients), so
  values may leave [-1, 1] by up to the drawn amounts.
- ``translation``: shift by up to 1/8 of the image size (4 px at 28 px) each way, zero padding.
- ``cutout``: zero a square of half the image size at a random place (it may overhang).

Randomness comes from a ``keras.random.SeedGenerator`` (the GAN's own, created from its seed),
so a run is reproducible and no global random state is read or changed.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import tensorflow as tf

#: The default policy: all three families, as the paper recommends for small data sets.
DEFAULT_POLICY = "color,translation,cutout"


def _draw(shape, seed, low=0.0, high=1.0) -> tf.Tensor:
    return keras.random.uniform(shape, low, high, seed=seed)


def random_brightness(images: tf.Tensor, seed) -> tf.Tensor:
    """Add one uniform draw from [-0.5, 0.5) to every pixel of each image.

    Examples
    --------
    >>> images = tf.zeros((2, 4, 4, 3))
    >>> shifted = random_brightness(images, keras.random.SeedGenerator(0))
    >>> bool(tf.reduce_all(tf.abs(shifted) <= 0.5)), float(tf.math.reduce_std(shifted[0]))
    (True, 0.0)
    """
    shift = _draw((tf.shape(images)[0], 1, 1, 1), seed) - 0.5
    return images + shift


def random_saturation(images: tf.Tensor, seed) -> tf.Tensor:
    """Scale each pixel's distance from its grey value (channel mean) by a draw from [0, 2).

    Examples
    --------
    >>> grey = tf.fill((1, 2, 2, 3), 0.3)  # no colour: nothing to saturate
    >>> bool(tf.reduce_all(tf.abs(random_saturation(grey, keras.random.SeedGenerator(0)) - grey)
    ...      < 1e-6))
    True
    """
    grey = tf.reduce_mean(images, axis=3, keepdims=True)
    factor = _draw((tf.shape(images)[0], 1, 1, 1), seed, 0.0, 2.0)
    return (images - grey) * factor + grey


def random_contrast(images: tf.Tensor, seed) -> tf.Tensor:
    """Scale each image's distance from its mean value by a draw from [0.5, 1.5).

    Examples
    --------
    >>> flat = tf.fill((1, 2, 2, 3), -0.4)  # one value: no contrast to change
    >>> bool(tf.reduce_all(tf.abs(random_contrast(flat, keras.random.SeedGenerator(0)) - flat)
    ...      < 1e-6))
    True
    """
    mean = tf.reduce_mean(images, axis=(1, 2, 3), keepdims=True)
    factor = _draw((tf.shape(images)[0], 1, 1, 1), seed, 0.5, 1.5)
    return (images - mean) * factor + mean


def translate(images: tf.Tensor, shifts: tf.Tensor, max_shift: int | None = None) -> tf.Tensor:
    """Move each image's content by ``shifts[i] = (down, right)`` pixels, filling with zeros.

    A gather, so the gradient reaches every input pixel that stays in the frame. Shifts are
    clipped to ``max_shift`` (default: the image's larger side).

    Examples
    --------
    >>> image = tf.reshape(tf.range(9, dtype=tf.float32), (1, 3, 3, 1))
    >>> translate(image, tf.constant([[1, -1]]))[0, :, :, 0].numpy().tolist()
    [[0.0, 0.0, 0.0], [1.0, 2.0, 0.0], [4.0, 5.0, 0.0]]
    """
    images = tf.convert_to_tensor(images)
    height, width = images.shape[1], images.shape[2]
    pad = max(height, width) if max_shift is None else int(max_shift)
    shifts = tf.clip_by_value(tf.cast(shifts, tf.int32), -pad, pad)
    padded = tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
    rows = tf.range(height)[None, :] - shifts[:, :1] + pad  # (N, H): source row of each row
    cols = tf.range(width)[None, :] - shifts[:, 1:] + pad
    moved = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(moved, cols, axis=2, batch_dims=1)


def random_translation(images: tf.Tensor, seed, ratio: float = 0.125) -> tf.Tensor:
    """Shift each image by a whole number of pixels drawn from ``[-s, s]`` in each direction,
    ``s = int(ratio * size + 0.5)`` (4 pixels at 28 px), zero padding (see :func:`translate`).

    Examples
    --------
    >>> images = tf.ones((8, 28, 28, 3))
    >>> moved = random_translation(images, keras.random.SeedGenerator(0))
    >>> moved.shape, float(tf.reduce_min(moved)), float(tf.reduce_max(moved))
    (TensorShape([8, 28, 28, 3]), 0.0, 1.0)
    """
    images = tf.convert_to_tensor(images)
    limit = int(max(images.shape[1], images.shape[2]) * ratio + 0.5)
    shifts = keras.random.randint((tf.shape(images)[0], 2), -limit, limit + 1, seed=seed)
    return translate(images, shifts, limit)


def cut_out(images: tf.Tensor, centres: tf.Tensor, size: int) -> tf.Tensor:
    """Zero a ``size`` x ``size`` square of each image, its centre at ``centres[i] = (row,
    col)`` (the square is cut off at the border). Multiplying by a fixed mask keeps the
    gradient for every pixel outside the square.

    Examples
    --------
    >>> out = cut_out(tf.ones((1, 4, 4, 1)), tf.constant([[0, 3]]), 2)
    >>> out[0, :, :, 0].numpy().astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
    """
    images = tf.convert_to_tensor(images)
    centres = tf.cast(centres, tf.int32)
    top = centres[:, 0, None, None] - size // 2  # (N, 1, 1)
    left = centres[:, 1, None, None] - size // 2
    rows = tf.range(images.shape[1])[None, :, None]
    cols = tf.range(images.shape[2])[None, None, :]
    inside = (rows >= top) & (rows < top + size) & (cols >= left) & (cols < left + size)
    mask = 1.0 - tf.cast(inside, images.dtype)
    return images * mask[..., None]


def random_cutout(images: tf.Tensor, seed, ratio: float = 0.5) -> tf.Tensor:
    """Zero a square of ``round(ratio * size)`` pixels (14 at 28 px) at a random place in each
    image (see :func:`cut_out`); its centre is anywhere in the image.

    Examples
    --------
    >>> out = random_cutout(tf.ones((4, 28, 28, 3)), keras.random.SeedGenerator(0))
    >>> zeros = tf.reduce_sum(tf.cast(out[..., 0] == 0, tf.int32), axis=(1, 2)).numpy()
    >>> bool(((zeros > 0) & (zeros <= 14 * 14)).all())
    True
    """
    images = tf.convert_to_tensor(images)
    height, width = images.shape[1], images.shape[2]
    size = int(min(height, width) * ratio + 0.5)
    batch = tf.shape(images)[0]
    row = keras.random.randint((batch, 1), 0, height + (1 - size % 2), seed=seed)
    col = keras.random.randint((batch, 1), 0, width + (1 - size % 2), seed=seed)
    return cut_out(images, tf.concat([row, col], axis=1), size)


#: Policy names -> the transforms they apply, in order.
TRANSFORMS: dict[str, tuple[Callable, ...]] = {
    "color": (random_brightness, random_saturation, random_contrast),
    "translation": (random_translation,),
    "cutout": (random_cutout,),
}


def parse_policy(policy: str | None) -> tuple[str, ...]:
    """The transform families named in a comma-separated ``policy`` (``None`` or "" -> none).

    Examples
    --------
    >>> parse_policy("color, cutout"), parse_policy(None)
    (('color', 'cutout'), ())
    >>> parse_policy("colour")
    Traceback (most recent call last):
    ...
    ValueError: unknown DiffAugment transform(s) 'colour': choose from color, translation, cutout
    """
    if not policy:
        return ()
    names = tuple(name.strip() for name in policy.split(",") if name.strip())
    unknown = [name for name in names if name not in TRANSFORMS]
    if unknown:
        raise ValueError(
            f"unknown DiffAugment transform(s) {', '.join(map(repr, unknown))}: "
            f"choose from {', '.join(TRANSFORMS)}"
        )
    return names


def diff_augment(
    images,
    policy: str | None = DEFAULT_POLICY,
    seed: int | keras.random.SeedGenerator = 0,
) -> tf.Tensor:
    """Apply the ``policy``'s random transforms to a batch of images in [-1, 1].

    ``seed`` is a ``keras.random.SeedGenerator`` (each call then draws anew: pass the GAN's
    own, created once, inside a training step) or an int (eager use: the same int gives the
    same draws). ``policy=None`` or ``""`` returns the images unchanged.

    Examples
    --------
    >>> images = tf.random.stateless_uniform((4, 28, 28, 3), (0, 0), -1, 1)
    >>> out = diff_augment(images, seed=1)
    >>> out.shape, bool(tf.reduce_all(out == diff_augment(images, seed=1)))
    (TensorShape([4, 28, 28, 3]), True)
    >>> bool(tf.reduce_all(diff_augment(images, policy=None) == images))
    True
    """
    names = parse_policy(policy)
    images = tf.convert_to_tensor(images, tf.float32)
    if not names:
        return images
    if not isinstance(seed, keras.random.SeedGenerator):
        seed = keras.random.SeedGenerator(int(seed))
    for name in names:
        for transform in TRANSFORMS[name]:
            images = transform(images, seed)
    return images
