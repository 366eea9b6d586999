"""A deterministic, procedural stand-in for HAM10000, for offline tests and machines with no data.

The images are drawn, not photographed: a skin-coloured background with one elliptical blob whose
colour, size and edge depend on the class. They are NOT lesions; every table and figure made from
them must say so (``LesionData.source == "synthetic"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ganaug.data.core import CLASS_NAMES, REPORT_CLASSES, LesionData, check_size, from_arrays

# Mean blob colour (RGB 0-255), mean radius (fraction of the image) and edge softness per class.
# bcc is paler and pinker, so its grey mean is shifted, like the real data's.
_STYLE: dict[str, tuple[tuple[int, int, int], float, float]] = {
    "akiec": ((170, 105, 100), 0.30, 0.10),
    "bcc": ((195, 145, 150), 0.26, 0.12),
    "bkl": ((150, 105, 90), 0.32, 0.08),
    "df": ((160, 110, 100), 0.22, 0.10),
    "mel": ((125, 82, 75), 0.30, 0.05),
    "nv": ((130, 85, 70), 0.28, 0.06),
    "vasc": ((170, 60, 80), 0.22, 0.06),
}
_SKIN = np.array([215.0, 165.0, 150.0])


def synthetic_lesions(
    n_per_class: int | Mapping[str, int] = 200,
    size: int = 28,
    seed: int = 0,
    classes: Sequence[str] = REPORT_CLASSES,
) -> LesionData:
    """Generate a labelled synthetic stand-in for HAM10000.

    Each "lesion" is drawn one to three times (shifted, recoloured slightly), so lesion ids
    group several images, as in the real data.

    Parameters
    ----------
    n_per_class : int or mapping
        Images per class, or a mapping from class code to count.
    size : int
        Pixels per side.
    seed : int
        The same seed always gives the same images.
    classes : sequence of str
        Diagnosis codes to draw (default: the report's mel, bkl, bcc).

    Examples
    --------
    >>> data = synthetic_lesions(n_per_class=5, size=16)
    >>> data.images.shape, data.source
    ((15, 16, 16, 3), 'synthetic')
    >>> data.class_counts()
    {'bcc': 5, 'bkl': 5, 'mel': 5}
    """
    size = check_size(size)
    if isinstance(n_per_class, Mapping):
        counts = dict(n_per_class)
    else:
        counts = dict.fromkeys(classes, n_per_class)
    unknown = [c for c in counts if c not in CLASS_NAMES]
    if unknown:
        raise ValueError(f"unknown class name(s) {unknown}: use {', '.join(CLASS_NAMES)}")
    if any(int(n) < 0 for n in counts.values()):
        raise ValueError("n_per_class must be >= 0")
    rng = np.random.default_rng(seed)
    images, dx, lesion_ids = [], [], []
    lesion_number = 0
    for code in sorted(counts):
        remaining = int(counts[code])
        while remaining > 0:
            views = min(remaining, int(rng.choice([1, 1, 1, 2, 2, 3])))
            lesion = _random_lesion(code, rng)
            for _ in range(views):
                images.append(_draw(lesion, size, rng))
                dx.append(code)
                lesion_ids.append(f"SYNL_{lesion_number:06d}")
            lesion_number += 1
            remaining -= views
    stack = np.stack(images) if images else np.zeros((0, size, size, 3), np.uint8)
    image_ids = [f"SYN_{i:06d}" for i in range(len(stack))]
    return from_arrays(stack, dx, image_ids, lesion_ids, "synthetic")


def _random_lesion(code: str, rng: np.random.Generator) -> dict:
    colour, radius, softness = _STYLE[code]
    return {
        "colour": np.asarray(colour, float) + rng.normal(0, 12, 3),
        "skin": _SKIN + rng.normal(0, 10, 3),
        "radius": radius * rng.uniform(0.75, 1.25),
        "aspect": rng.uniform(0.7, 1.0),
        "angle": rng.uniform(0, np.pi),
        "softness": softness,
    }


def _draw(lesion: dict, size: int, rng: np.random.Generator) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] / size - 0.5
    cx, cy = rng.normal(0, 0.04, 2)
    angle = lesion["angle"] + rng.normal(0, 0.2)
    u = (x - cx) * np.cos(angle) + (y - cy) * np.sin(angle)
    v = (-(x - cx) * np.sin(angle) + (y - cy) * np.cos(angle)) / lesion["aspect"]
    distance = np.sqrt(u**2 + v**2) / lesion["radius"]
    inside = 1.0 / (1.0 + np.exp((distance - 1.0) / lesion["softness"]))
    colour = lesion["colour"] * rng.uniform(0.93, 1.07)
    picture = inside[..., None] * colour + (1 - inside[..., None]) * lesion["skin"]
    picture += rng.normal(0, 6, picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)
