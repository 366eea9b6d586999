"""The one data type every chapter passes around: :class:`LesionData`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: The seven HAM10000 diagnosis codes and what they mean.
CLASS_NAMES: dict[str, str] = {
    "akiec": "actinic keratoses / intraepithelial carcinoma",
    "bcc": "basal cell carcinoma",
    "bkl": "benign keratosis-like lesions",
    "df": "dermatofibroma",
    "mel": "melanoma",
    "nv": "melanocytic nevi",
    "vasc": "vascular lesions",
}

#: The three classes the 2020 report kept.
REPORT_CLASSES: tuple[str, ...] = ("mel", "bkl", "bcc")

#: Human-readable names of the data sources.
SOURCE_LABELS: dict[str, str] = {
    "ham10000": "real HAM10000 images (folder)",
    "dermamnist": "real HAM10000 images via DermaMNIST (no lesion ids)",
    "synthetic": "SYNTHETIC stand-in images (not real lesions)",
}


def check_images(images) -> np.ndarray:
    """Return ``images`` as an array if it is an ``(N, H, W, 3)`` RGB batch, else raise.

    Examples
    --------
    >>> check_images(np.zeros((2, 4, 4, 3))).shape
    (2, 4, 4, 3)
    >>> check_images(np.zeros((4, 4, 3)))
    Traceback (most recent call last):
    ...
    ValueError: images must be (N, H, W, 3) RGB, got shape (4, 4, 3)
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"images must be (N, H, W, 3) RGB, got shape {images.shape}")
    return images


def check_size(size: int) -> int:
    """Return ``size`` if it is a positive int (pixels per side), else raise a ValueError.

    Examples
    --------
    >>> check_size(28)
    28
    >>> check_size(2.5)
    Traceback (most recent call last):
    ...
    ValueError: size must be a positive int (pixels per side, e.g. 28), got 2.5
    """
    if isinstance(size, bool) or not isinstance(size, int | np.integer) or size <= 0:
        raise ValueError(f"size must be a positive int (pixels per side, e.g. 28), got {size!r}")
    return int(size)


@dataclass
class LesionData:
    """Images with their labels and ids.

    Attributes
    ----------
    images : numpy.ndarray
        ``(N, H, W, 3)`` uint8 RGB.
    dx : numpy.ndarray
        ``(N,)`` diagnosis codes (see :data:`CLASS_NAMES`).
    image_id, lesion_id : numpy.ndarray
        ``(N,)`` strings. Data without lesion ids (DermaMNIST) uses each image's id as its
        lesion id and sets ``has_lesion_ids`` to False.
    metadata : pandas.DataFrame
        One row per image, at least ``image_id``, ``lesion_id`` and ``dx``.
    source : str
        ``"ham10000"``, ``"dermamnist"`` or ``"synthetic"``.
    has_lesion_ids : bool
        Whether ``lesion_id`` really groups images of the same lesion.
    """

    images: np.ndarray
    dx: np.ndarray
    image_id: np.ndarray
    lesion_id: np.ndarray
    metadata: pd.DataFrame = field(repr=False)
    source: str = "ham10000"
    has_lesion_ids: bool = True

    def __post_init__(self) -> None:
        check_images(self.images)
        if self.images.dtype != np.uint8:
            raise ValueError(f"images must be uint8 (0-255), got {self.images.dtype}")
        n = len(self.images)
        for name in ("dx", "image_id", "lesion_id"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} has {len(getattr(self, name))} entries for {n} images")
        if self.source not in SOURCE_LABELS:
            raise ValueError(f"unknown source {self.source!r}: one of {', '.join(SOURCE_LABELS)}")

    def __len__(self) -> int:
        return len(self.images)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.class_counts().items())
        return f"LesionData({len(self)} images, {self.image_size} px, {self.source}: {counts})"

    @property
    def image_size(self) -> int:
        """Side length of the (square) images in pixels."""
        return int(self.images.shape[1])

    @property
    def classes(self) -> list[str]:
        """The diagnosis codes present, sorted."""
        return sorted(set(self.dx.tolist()))

    @property
    def is_synthetic(self) -> bool:
        """True for the generated stand-in: never report its numbers as HAM10000 results."""
        return self.source == "synthetic"

    @property
    def description(self) -> str:
        """One line saying what these images are."""
        return SOURCE_LABELS[self.source]

    def class_counts(self) -> dict[str, int]:
        """Images per class, in :attr:`classes` order."""
        values, counts = np.unique(self.dx, return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}

    def subset(self, index: Sequence[int] | np.ndarray) -> LesionData:
        """A new LesionData with the rows ``index`` (integer positions or a boolean mask)."""
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        return LesionData(
            images=self.images[index],
            dx=self.dx[index],
            image_id=self.image_id[index],
            lesion_id=self.lesion_id[index],
            metadata=self.metadata.iloc[index].reset_index(drop=True),
            source=self.source,
            has_lesion_ids=self.has_lesion_ids,
        )


def from_arrays(
    images: np.ndarray,
    dx: Sequence[str],
    image_id: Sequence[str],
    lesion_id: Sequence[str],
    source: str,
    has_lesion_ids: bool = True,
    extra: pd.DataFrame | None = None,
) -> LesionData:
    """Build a :class:`LesionData` and its metadata frame from plain arrays."""
    dx, image_id, lesion_id = (np.asarray(a, dtype=str) for a in (dx, image_id, lesion_id))
    metadata = pd.DataFrame({"image_id": image_id, "lesion_id": lesion_id, "dx": dx})
    if extra is not None:
        metadata = metadata.merge(extra, on="image_id", how="left", suffixes=("", "_meta"))
    return LesionData(images, dx, image_id, lesion_id, metadata, source, has_lesion_ids)


def select_classes(data: LesionData, classes: Sequence[str]) -> LesionData:
    """Keep only the images whose diagnosis is in ``classes``.

    Raises
    ------
    ValueError
        If ``classes`` is empty, naming any code that is not a HAM10000 class, or that this
        data does not contain.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(n_per_class=10)
    >>> select_classes(data, ["bcc", "mel"]).classes
    ['bcc', 'mel']
    >>> select_classes(data, ["melanoma"])
    Traceback (most recent call last):
    ...
    ValueError: unknown class name(s) 'melanoma': use the codes akiec, bcc, bkl, df, mel, nv, vasc
    """
    if isinstance(classes, str):
        classes = [classes]
    if len(classes) == 0:
        raise ValueError(
            f"choose at least one class: this data has {', '.join(data.classes)} "
            f"(the report's three are {', '.join(REPORT_CLASSES)})"
        )
    unknown = [c for c in classes if c not in CLASS_NAMES]
    if unknown:
        raise ValueError(
            f"unknown class name(s) {', '.join(map(repr, unknown))}: "
            f"use the codes {', '.join(CLASS_NAMES)}"
        )
    absent = [c for c in classes if c not in data.classes]
    if absent:
        raise ValueError(
            f"class(es) {', '.join(map(repr, absent))} not in this data, which has "
            f"{', '.join(data.classes)}"
        )
    return data.subset(np.isin(data.dx, list(classes)))


def cap_per_class(data: LesionData, max_per_class: int | None, seed: int = 0) -> LesionData:
    """Keep at most ``max_per_class`` random images of each class (``None`` keeps all)."""
    if max_per_class is None:
        return data
    rng = np.random.default_rng(seed)
    keep = []
    for c in data.classes:
        rows = np.flatnonzero(data.dx == c)
        keep.extend(rng.permutation(rows)[:max_per_class])
    return data.subset(np.sort(np.asarray(keep, dtype=int)))
