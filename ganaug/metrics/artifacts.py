"""Checkerboard artefacts of strided upsampling, measured in the image's spectrum.

A transposed convolution with stride 2 and a 5x5 kernel covers even output pixels with a
different number of kernel taps than odd ones (Odena et al. 2016), so a DCGAN's last layer
can paint a pattern of period 2 over the image: a pale checkerboard. A pattern of period 2
along an axis puts its energy at the Nyquist frequency of that axis, N/2 cycles per image,
where a real 28 px lesion photograph has little. :func:`checkerboard_scores` is the share of an
image's spectral energy on those frequencies: on the row ``u = H/2`` and the column ``v = W/2``
of its 2-D Fourier transform (all ``(u, v)`` with u = H/2 or v = W/2), after removing its mean.

Period 4 (``periods=(2, 4)`` adds the lines at N/4 and 3N/4) would be the pattern of the
stride-2 layer before the last; at 28 px it overlaps genuine lesion detail (7 cycles per
image), so it is not counted by default. Compare a generator's score with the range of real
images (:func:`checkerboard_range`), not with 0: white noise scores about 0.07, the share of
the frequencies on those lines.
"""

from __future__ import annotations

import numpy as np


def _grey(images) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(f"images must be (N, H, W, 1 or 3) with N >= 1, got shape {images.shape}")
    if not np.all(np.isfinite(images)):
        raise ValueError("images must not contain NaN or infinite values")
    return images.astype(np.float64).mean(axis=-1)


def _frequencies(size: int, periods) -> list[int]:
    frequencies = set()
    for period in periods:
        if period < 2 or size % period:
            raise ValueError(f"periods must be >= 2 and divide the image size {size}, got {period}")
        frequencies |= {k * size // period for k in range(1, period)}
    return sorted(frequencies)


def checkerboard_scores(images, periods: tuple[int, ...] = (2,)) -> np.ndarray:
    """Per image, the share of its spectral energy (mean removed) at the upsampling frequencies
    of ``periods`` along either axis (see the module); 0 for a flat image.

    Examples
    --------
    >>> rows, cols = np.indices((28, 28))
    >>> board = ((rows + cols) % 2 * 255).astype(np.uint8)[None, ..., None].repeat(3, axis=3)
    >>> ramp = np.broadcast_to((cols * 9).astype(np.uint8)[None, ..., None], (1, 28, 28, 3))
    >>> float(checkerboard_scores(board)[0]), bool(checkerboard_scores(ramp)[0] < 0.01)
    (1.0, True)
    """
    grey = _grey(images)
    height, width = grey.shape[1:]
    grey = grey - grey.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.fft2(grey)) ** 2
    on_lines = np.zeros((height, width), dtype=bool)
    on_lines[_frequencies(height, periods), :] = True
    on_lines[:, _frequencies(width, periods)] = True
    total = power.sum(axis=(1, 2))
    share = power[:, on_lines].sum(axis=1) / np.where(total > 0, total, 1.0)
    return np.where(total > 1e-12 * grey.size, share, 0.0)


def checkerboard_score(images, periods: tuple[int, ...] = (2,)) -> float:
    """Mean of :func:`checkerboard_scores` over the images: near 1 for a pure checkerboard,
    near 0 for smooth images.

    Examples
    --------
    >>> smooth = np.full((3, 28, 28, 3), 100, np.uint8)
    >>> checkerboard_score(smooth)
    0.0
    """
    return float(np.mean(checkerboard_scores(images, periods)))


def checkerboard_range(
    real_images, quantiles: tuple[float, float] = (0.05, 0.95), periods: tuple[int, ...] = (2,)
) -> tuple[float, float]:
    """The ``quantiles`` of real images' :func:`checkerboard_scores`: the range a generator's
    score (:func:`checkerboard_score`) should fall in. Above it, the generated images carry
    more period-2 energy than real photographs do.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> low, high = checkerboard_range(rng.integers(0, 256, (50, 28, 28, 3)))
    >>> 0.03 < low < high < 0.12  # white noise: about 55 of 783 frequencies
    True
    """
    low, high = quantiles
    if not 0.0 <= low <= high <= 1.0:
        raise ValueError(f"quantiles must be two numbers 0 <= low <= high <= 1, got {quantiles}")
    scores = checkerboard_scores(real_images, periods)
    return float(np.quantile(scores, low)), float(np.quantile(scores, high))
