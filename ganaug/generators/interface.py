"""The interface a generator of your own implements to enter the chapter 5 study (chapter 7).

A *generator* learns from the training images of one class of one unit and then samples new
images of that class. It is any object with two methods::

    class MyGenerator:
        def __init__(self, profile="book"):      # optional: the profile sizes its budget
            ...
        def fit(self, images, seed):             # images: uint8 (N, 28, 28, 3), read-only
            ...
        def sample(self, n, seed):               # returns uint8 (n, 28, 28, 3)
            ...

The study builds one per unit from a *factory* (the class itself, or a function returning such
an object; called with the profile's name when it takes an argument), calls ``fit`` once with
the unit's training bcc images and ``sample`` once for the images the unit's arms add. The
functions here check both ends with clear errors: :func:`check_images` what goes in and comes
out, :func:`fit_and_sample` one round trip, :func:`interface_check` a quick try-out on random
images (:func:`ganaug.experiment.register_generator` does the rest).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Generator(Protocol):
    """What the study calls on a generator: ``fit`` on one class's training images, then
    ``sample`` ``n`` images (both uint8, ``(N, H, W, 3)``) with a seed."""

    def fit(self, images: np.ndarray, seed: int) -> object: ...

    def sample(self, n: int, seed: int) -> np.ndarray: ...


def check_images(images: object, what: str = "images", shape: tuple | None = None) -> np.ndarray:
    """``images`` as a uint8 ``(N, H, W, 3)`` array, else a ``ValueError`` that says what is
    wrong (``what`` names them in the message; ``shape``: the ``(H, W, 3)`` they must have).

    Examples
    --------
    >>> check_images(np.zeros((2, 28, 28, 3), np.uint8)).shape
    (2, 28, 28, 3)
    >>> check_images(np.zeros((2, 28, 28)), "samples")
    Traceback (most recent call last):
    ...
    ValueError: samples must be an (N, H, W, 3) array of RGB images, got shape (2, 28, 28)
    >>> check_images(np.full((1, 28, 28, 3), np.nan), "samples")
    Traceback (most recent call last):
    ...
    ValueError: samples hold NaN values (float64): a generator must return finite uint8 pixels
    >>> check_images(np.zeros((1, 28, 28, 3)), "samples")
    Traceback (most recent call last):
    ...
    ValueError: samples have dtype float64, expected uint8: convert with np.clip(images, 0, 255).astype(np.uint8)
    """  # noqa: E501
    if images is None:
        raise ValueError(f"{what} is None: return an array of images")
    array = np.asarray(images)
    if array.ndim != 4 or array.shape[-1] != 3:
        raise ValueError(
            f"{what} must be an (N, H, W, 3) array of RGB images, got shape {array.shape}"
        )
    if shape is not None and array.shape[1:] != tuple(shape):
        raise ValueError(f"{what} are {array.shape[1:]} images, expected {tuple(shape)}")
    if np.issubdtype(array.dtype, np.floating) and np.isnan(array).any():
        raise ValueError(
            f"{what} hold NaN values ({array.dtype}): a generator must return finite uint8 pixels"
        )
    if array.dtype != np.uint8:
        raise ValueError(
            f"{what} have dtype {array.dtype}, expected uint8: convert with "
            "np.clip(images, 0, 255).astype(np.uint8)"
        )
    return array


def make_generator(factory: Callable, profile: str) -> Generator:
    """Build a generator from ``factory``: called with ``profile`` when it takes an argument,
    else with none; the result must have ``fit`` and ``sample``.

    Examples
    --------
    >>> make_generator(object, "smoke")
    Traceback (most recent call last):
    ...
    ValueError: object() made a object, which lacks fit and sample: a generator needs fit(images, seed) and sample(n, seed)
    """  # noqa: E501
    if not callable(factory):
        raise ValueError(f"a generator factory must be a class or function, got {factory!r}")
    try:
        takes_profile = bool(inspect.signature(factory).parameters)
    except (TypeError, ValueError):
        takes_profile = False
    generator = factory(profile) if takes_profile else factory()
    missing = [name for name in ("fit", "sample") if not callable(getattr(generator, name, None))]
    if missing:
        raise ValueError(
            f"{getattr(factory, '__name__', factory)}() made a {type(generator).__name__}, "
            f"which lacks {' and '.join(missing)}: a generator needs fit(images, seed) and "
            "sample(n, seed)"
        )
    return generator


def fit_and_sample(generator: Generator, images: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Fit ``generator`` on ``images`` (checked, handed over read-only) with ``seed`` and return
    ``n`` samples drawn with ``seed + 1``, checked: uint8, the images' shape, exactly ``n``.

    Examples
    --------
    >>> class Mean:
    ...     def fit(self, images, seed):
    ...         self.mean = images.mean(axis=0)
    ...     def sample(self, n, seed):
    ...         return np.repeat(self.mean[None], n, axis=0).astype(np.uint8)
    >>> fit_and_sample(Mean(), np.zeros((5, 28, 28, 3), np.uint8), 3, seed=0).shape
    (3, 28, 28, 3)
    >>> class Short(Mean):
    ...     def sample(self, n, seed):
    ...         return super().sample(n - 1, seed)
    >>> fit_and_sample(Short(), np.zeros((5, 28, 28, 3), np.uint8), 3, seed=0)
    Traceback (most recent call last):
    ...
    ValueError: Short.sample(3, seed) returned 2 images: a generator must return exactly n
    """
    images = check_images(images, "the training images")
    if len(images) == 0:
        raise ValueError("no training images to fit the generator on")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n must be a positive number of images, got {n!r}")
    frozen = np.array(images, copy=True)
    frozen.setflags(write=False)  # the generator may not change the unit's images
    generator.fit(frozen, seed=int(seed))
    name = type(generator).__name__
    samples = check_images(
        generator.sample(int(n), seed=int(seed) + 1),
        f"the samples of {name}",
        shape=images.shape[1:],
    )
    if len(samples) != n:
        raise ValueError(
            f"{name}.sample({n}, seed) returned {len(samples)} images: a generator must return "
            "exactly n"
        )
    return samples


def interface_check(factory: Callable, profile: str = "smoke", count: int = 24) -> np.ndarray:
    """Try ``factory``'s generator on ``count`` random 28 px images (two sizes of sample, two
    seeds) and return its samples, or raise a ``ValueError`` that says what is wrong. Run it
    before registering a generator: it takes the time of one small ``fit``.

    Examples
    --------
    >>> class Noise:
    ...     def fit(self, images, seed):
    ...         pass
    ...     def sample(self, n, seed):
    ...         return np.random.default_rng(seed).integers(0, 256, (n, 28, 28, 3), np.uint8)
    >>> interface_check(Noise).shape
    (5, 28, 28, 3)
    """
    images = np.random.default_rng(0).integers(0, 256, (count, 28, 28, 3), dtype=np.uint8)
    fit_and_sample(make_generator(factory, profile), images, 1, seed=0)
    return fit_and_sample(make_generator(factory, profile), images, 5, seed=1)
