"""Guards that keep a generator of one's own to a unit's training images (chapter 7).

The study hands a generator the unit's training images only. Two guards refuse one that
reaches for held-out images by another way:

- :func:`no_data_files`: while it fits and samples, opening or listing anything inside the data
  folder or the data cache raises (a Python audit hook, :func:`sys.addaudithook`);
- :func:`refuse_held_out_copies`: a sample that is a copy of a held-out image (within a
  root-mean-square difference of :data:`COPY_RMS` grey levels) and not of a training image
  is refused after sampling.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

#: Root-mean-square pixel difference (0-255 scale) under which a sample counts as a copy of an
#: image: well below what separates two different photographs, above rounding.
COPY_RMS = 2.0

#: The folders a generator may not read while the study fits or samples it (a stack: nested
#: guards add theirs). Empty when no guard is active, so the audit hook costs one test.
_GUARDED: list[tuple[str, ...]] = []
_HOOKED = False

#: Audit events that read a file or a folder (the path is their first argument).
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "glob.glob", "shutil.copyfile"})


class DataAccessError(ValueError):
    """A generator read the data folder or the data cache while the study trained it."""


def _audit(event: str, args: tuple) -> None:
    if not _GUARDED or event not in _EVENTS or not args:
        return
    path = args[0]
    if not isinstance(path, str | bytes | os.PathLike):
        return
    try:
        name = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return
    for folder in _GUARDED[-1]:
        if name == folder or name.startswith(folder + os.sep):
            raise DataAccessError(
                f"the generator tried to read {name} ({event}) while the study trained it: a "
                "generator learns from the training images handed to fit() only, never from the "
                "data set's files (they hold the unit's validation and test images)"
            )


@contextmanager
def no_data_files(folders: Iterable[str | os.PathLike]) -> Iterator[None]:
    """Inside this block, reading or listing anything inside ``folders`` raises
    :class:`DataAccessError` (a ``ValueError``).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with no_data_files([folder]):
    ...     open(os.path.join(folder, "HAM10000_metadata.csv"), "w")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ganaug.generators.guard.DataAccessError: the generator tried to read ... (open) while ...
    >>> with open(os.path.join(folder, "ok.txt"), "w") as handle:  # outside: allowed
    ...     _ = handle.write("fine")
    """
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)  # hooks cannot be removed: it is idle while _GUARDED is empty
        _HOOKED = True
    _GUARDED.append(tuple(os.path.abspath(os.fspath(Path(f))) for f in folders))
    try:
        yield
    finally:
        _GUARDED.pop()


def _flat(images: np.ndarray) -> np.ndarray:
    return np.asarray(images, dtype=np.float64).reshape(len(images), -1)


def nearest_rms(samples: np.ndarray, images: np.ndarray, batch: int = 256) -> np.ndarray:
    """For each sample, the root-mean-square pixel difference to its nearest image of
    ``images`` (``inf`` when there are none).

    Examples
    --------
    >>> a = np.zeros((2, 2, 2, 3), np.uint8); a[1] += 10
    >>> nearest_rms(a, np.zeros((1, 2, 2, 3), np.uint8)).tolist()
    [0.0, 10.0]
    """
    if len(images) == 0:
        return np.full(len(samples), np.inf)
    flat, other = _flat(samples), _flat(images)
    norms = (other**2).sum(axis=1)
    nearest = np.empty(len(flat))
    for start in range(0, len(flat), batch):
        part = flat[start : start + batch]
        squared = (part**2).sum(axis=1)[:, None] + norms[None] - 2 * part @ other.T
        nearest[start : start + batch] = squared.min(axis=1)
    return np.sqrt(np.maximum(nearest, 0) / flat.shape[1])


def refuse_held_out_copies(
    samples: np.ndarray, held_out: np.ndarray, train: np.ndarray, name: str = "the generator"
) -> None:
    """Raise ``ValueError`` if a sample is a copy of a ``held_out`` image (within
    :data:`COPY_RMS`) and no closer to a ``train`` image: a generator that copies a training
    image memorises (chapter 4 measures it), one that copies a held-out image has read it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> train, test = (rng.integers(0, 256, (4, 28, 28, 3), np.uint8) for _ in range(2))
    >>> refuse_held_out_copies(train[:2], test, train)  # copies of training images: allowed
    >>> refuse_held_out_copies(test[1:3], test, train, "Peek")
    Traceback (most recent call last):
    ...
    ValueError: 2 of Peek's 2 samples are copies of held-out images (validation or test): a generator may learn from the training images handed to fit() only
    """  # noqa: E501
    if len(samples) == 0 or len(held_out) == 0:
        return
    to_held_out = nearest_rms(samples, held_out)
    copies = (to_held_out <= COPY_RMS) & (to_held_out < nearest_rms(samples, train))
    if copies.any():
        raise ValueError(
            f"{int(copies.sum())} of {name}'s {len(samples)} samples are copies of held-out "
            "images (validation or test): a generator may learn from the training images "
            "handed to fit() only"
        )
