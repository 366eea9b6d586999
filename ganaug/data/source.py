"""Pick the data a lesson runs on, and say plainly which it is."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from ganaug import config
from ganaug.data.core import REPORT_CLASSES, LesionData, cap_per_class, select_classes
from ganaug.data.dermamnist import DERMAMNIST_FILE, load_dermamnist
from ganaug.data.ham10000 import find_metadata, load_ham10000
from ganaug.data.synthetic import synthetic_lesions

SYNTHETIC_WARNING = (
    "No real data found and no download possible: running on the SYNTHETIC stand-in. "
    "These are drawn blobs, not lesions; no number below says anything about HAM10000. "
    f"Set {config.DATA_ENV} to a HAM10000 folder or a dermamnist.npz (see the setup page)."
)


def load_data(
    data_dir: str | os.PathLike | None = None,
    size: int = 28,
    download_ok: bool = True,
    synthetic_per_class: int = 300,
) -> LesionData:
    """Load the best data available, in this order.

    1. ``data_dir`` or ``GANAUG_DATA_DIR``: a HAM10000 folder, a ``dermamnist.npz`` file, or a
       folder holding ``dermamnist.npz``.
    2. DermaMNIST already in the cache (28 px only).
    3. The DermaMNIST download (28 px only; skipped when ``GANAUG_OFFLINE`` is set).
    4. The synthetic stand-in (``synthetic_per_class`` images per class), with a loud warning.

    An explicitly given folder that is broken raises its error instead of falling through.
    """
    explicit = data_dir is not None or config.data_dir_is_set()
    folder = config.data_dir(data_dir)
    if explicit:
        return _load_given(Path(folder), size)
    if folder.is_dir() and find_metadata(folder) is not None:
        return load_ham10000(folder, size)
    if size == 28:
        try:
            return load_dermamnist(download_ok=download_ok)
        except (OSError, ValueError) as error:
            reason = f" (DermaMNIST unavailable: {error})"
        else:  # pragma: no cover - unreachable, load_dermamnist returns or raises
            reason = ""
    else:
        reason = " (DermaMNIST exists only at 28 px)"
    warnings.warn(SYNTHETIC_WARNING + reason, stacklevel=2)
    return synthetic_lesions(synthetic_per_class, size=size)


def _load_given(path: Path, size: int) -> LesionData:
    if path.is_file():
        _need_28(size)
        return load_dermamnist(path)
    if path.is_dir() and find_metadata(path) is None and (path / DERMAMNIST_FILE).is_file():
        _need_28(size)
        return load_dermamnist(path / DERMAMNIST_FILE)
    return load_ham10000(path, size)


def _need_28(size: int) -> None:
    if size != 28:
        raise ValueError(f"DermaMNIST files are 28 px; asked for {size} px. Use size=28.")


def lesson_data(
    classes: tuple[str, ...] | list[str] = REPORT_CLASSES,
    size: int = 28,
    seed: int = 0,
    profile: str | None = None,
) -> LesionData:
    """What every lesson starts with: the best data, the chosen classes, the profile's cap.

    A lesson helper, so an entry point: ``profile`` defaults to the one ``GANAUG_PROFILE``
    names (:func:`ganaug.config.get_profile`). Prints one line naming the profile and the data,
    so the first output of a lesson says what it runs on.
    """
    chosen = config.get_profile(profile)
    data = load_data(size=size, synthetic_per_class=chosen.synthetic_per_class)
    data = cap_per_class(select_classes(data, classes), chosen.max_images_per_class, seed)
    print(describe_run(data, chosen.name))
    return data


def describe_run(data: LesionData, profile: str) -> str:
    """``"Profile: book | Data: real HAM10000 images (folder), 2726 images at 28 px"``.

    Examples
    --------
    >>> from ganaug.data.synthetic import synthetic_lesions
    >>> describe_run(synthetic_lesions(2, size=8), "smoke")[:27]
    'WARNING: Profile: smoke | D'
    """
    line = (
        f"Profile: {profile} | Data: {data.description}, {len(data)} images at {data.image_size} px"
    )
    if data.is_synthetic:
        line = "WARNING: " + line + " -- results are NOT about real skin lesions"
    return line
