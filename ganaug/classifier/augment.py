"""Classic augmentation: the report's ``ImageDataGenerator`` settings as Keras 3 layers.

The report used the legacy ``ImageDataGenerator`` with::

    rotation_range=45, width_shift_range=0.1, height_shift_range=0.1, shear_range=0.01,
    zoom_range=[0.9, 1.25], brightness_range=[0.7, 1.3], horizontal_flip=True,
    fill_mode="reflect", rescale=1/255

:func:`classic_augmentation` builds the same transformations from preprocessing layers, which
act only in training (``training=True``) and expect images scaled to [0, 1].
"""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd
from PIL import Image, ImageEnhance

from ganaug.common.seeding import layer_seeds

#: The report's ImageDataGenerator arguments.
REPORT_ARGUMENTS: dict[str, object] = {
    "rotation_range": 45,
    "width_shift_range": 0.1,
    "height_shift_range": 0.1,
    "shear_range": 0.01,
    "zoom_range": [0.9, 1.25],
    "brightness_range": [0.7, 1.3],
    "horizontal_flip": True,
    "fill_mode": "reflect",
    "rescale": 1 / 255,
}


@keras.saving.register_keras_serializable(package="ganaug")
class RandomBrightnessScale(keras.layers.Layer):
    """Multiply each image by a random factor in ``[lower, upper]`` (training only), clip to [0, 1].

    This is what ``brightness_range`` meant: a multiplicative change, like Pillow's
    ``ImageEnhance.Brightness``. Keras' own ``RandomBrightness`` adds an offset instead.

    The factors come from a ``keras.random.SeedGenerator`` seeded with ``seed``, whose state
    advances with each call, so inside a ``tf.data`` pipeline every epoch draws new factors
    (a seeded ``tf.random.uniform`` would restart its stream with each pass over the data).

    Examples
    --------
    >>> layer = RandomBrightnessScale(0.5, 0.5)
    >>> float(layer(np.full((1, 2, 2, 3), 0.8, "float32"), training=True).numpy().max())
    0.4000000059604645
    """

    def __init__(self, lower: float = 0.7, upper: float = 1.3, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= lower <= upper:
            raise ValueError(f"need 0 <= lower <= upper, got lower={lower}, upper={upper}")
        self.lower, self.upper, self.seed = float(lower), float(upper), seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        shape = (keras.ops.shape(inputs)[0], 1, 1, 1)
        factor = keras.random.uniform(
            shape, self.lower, self.upper, dtype=self.compute_dtype, seed=self.seed_generator
        )
        return keras.ops.clip(inputs * factor, 0.0, 1.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "lower": self.lower, "upper": self.upper, "seed": self.seed}


def classic_augmentation(
    seed: int | None = None,
    rotation_degrees: float = 45,
    shift: float = 0.1,
    zoom_range: tuple[float, float] = (0.9, 1.25),
    brightness_range: tuple[float, float] | None = (0.7, 1.3),
    horizontal_flip: bool = True,
    fill_mode: str = "reflect",
) -> keras.Sequential:
    """The report's augmentation as a ``keras.Sequential`` of preprocessing layers.

    Defaults follow :data:`REPORT_ARGUMENTS`. ``shear_range`` is left out on purpose: 0.01
    degrees moves no pixel (see :func:`shear_displacement`). Input: float images in [0, 1].

    Each random layer gets its own seed from :func:`~ganaug.common.seeding.layer_seeds`, so
    the flip, rotation, shift, zoom and brightness draw independent streams, and no layer of one
    seed shares a stream with a layer of another. ``None`` draws fresh seeds.

    Examples
    --------
    >>> augmentation = classic_augmentation(seed=0)
    >>> [layer.__class__.__name__ for layer in augmentation.layers]
    ['RandomFlip', 'RandomRotation', 'RandomTranslation', 'RandomZoom', 'RandomBrightnessScale']
    >>> images = np.random.default_rng(0).random((2, 28, 28, 3)).astype("float32")
    >>> bool(np.array_equal(augmentation(images, training=False), images))
    True
    """
    low, high = zoom_range
    if not 0 < low <= high:
        raise ValueError(f"zoom_range must be (low, high) with 0 < low <= high, got {zoom_range}")
    # One seed per layer, by position, so leaving out the flip does not move the others' seeds.
    flip_seed, rotation_seed, shift_seed, zoom_seed, brightness_seed = layer_seeds(seed, 5)
    layers: list[keras.layers.Layer] = []
    if horizontal_flip:
        layers.append(keras.layers.RandomFlip("horizontal", seed=flip_seed))
    layers += [
        keras.layers.RandomRotation(
            rotation_degrees / 360, fill_mode=fill_mode, seed=rotation_seed
        ),
        keras.layers.RandomTranslation(shift, shift, fill_mode=fill_mode, seed=shift_seed),
        # ImageDataGenerator's zoom z > 1 shows more of the image (zooms out); RandomZoom's
        # factor f > 0 does the same with z = 1 + f. Separate width_factor: independent axes.
        keras.layers.RandomZoom(
            (low - 1, high - 1), (low - 1, high - 1), fill_mode=fill_mode, seed=zoom_seed
        ),
    ]
    if brightness_range is not None:
        layers.append(RandomBrightnessScale(*brightness_range, seed=brightness_seed))
    return keras.Sequential(layers, name="classic_augmentation")


def argument_table() -> pd.DataFrame:
    """How each of the report's ImageDataGenerator arguments maps to a Keras 3 layer.

    Examples
    --------
    >>> table = argument_table()
    >>> len(table) == len(REPORT_ARGUMENTS), table.columns.tolist()
    (True, ['ImageDataGenerator', 'Keras 3', 'note'])
    """
    rows = [
        ("rotation_range=45", "RandomRotation(45 / 360)", "factor is a fraction of a full turn"),
        ("width_shift_range=0.1", "RandomTranslation(width_factor=0.1)", "fraction of width"),
        ("height_shift_range=0.1", "RandomTranslation(height_factor=0.1)", "fraction of height"),
        ("shear_range=0.01", "(none)", "degrees: 0.01 moves no pixel, so it is dropped"),
        ("zoom_range=[0.9, 1.25]", "RandomZoom((-0.1, 0.25), (-0.1, 0.25))",
         "z > 1 zooms out; separate width factor = independent axes"),
        ("brightness_range=[0.7, 1.3]", "RandomBrightnessScale(0.7, 1.3)",
         "multiplies; Keras' RandomBrightness would add an offset"),
        ("horizontal_flip=True", 'RandomFlip("horizontal")', ""),
        ("fill_mode='reflect'", "fill_mode='reflect' on each layer", ""),
        ("rescale=1/255", "images / 255 in the tf.data pipeline",
         "ImageDataGenerator rescales after its transforms; we scale first, then augment"),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["ImageDataGenerator", "Keras 3", "note"])


def shear_displacement(shear_degrees: float, image_size: int = 28) -> float:
    """Largest pixel displacement a shear of ``shear_degrees`` causes on a square image.

    A shear by angle a moves a pixel at distance r from the centre line by r * tan(a); the
    farthest pixel is half the image away.

    Examples
    --------
    >>> round(shear_displacement(0.01), 5)
    0.00244
    >>> round(shear_displacement(45), 1)
    14.0
    """
    return image_size / 2 * math.tan(math.radians(shear_degrees))


def legacy_brightness_on_floats(image: np.ndarray, brightness: float) -> np.ndarray:
    """What the legacy ``apply_brightness_shift`` (as shipped with Keras 3) does to a float image.

    It hands the array to Pillow, which needs integers 0-255: an image already rescaled to
    [0, 1] is cast to uint8, so every pixel becomes 0 or 1 before the brightness change.

    Examples
    --------
    >>> image = np.full((2, 2, 3), 0.6, "float32")
    >>> float(legacy_brightness_on_floats(image, 1.0).max())
    0.0
    """
    pil = Image.fromarray(np.asarray(image).astype(np.uint8))
    return np.asarray(ImageEnhance.Brightness(pil).enhance(brightness), dtype=np.float32)
