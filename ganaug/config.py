"""Run profiles and the two directories the library uses (data and cache).

A profile fixes how big every run in the book is, so nobody edits a notebook to make it shorter:

- ``smoke``: seconds per notebook, tiny subsets, one or two epochs (tests and CI).
- ``book``: real data, sized so the whole book executes on a 2-core CPU in well under an hour.
- ``full``: for a GPU (Colab or similar): the study under the report's protocol and more, while
  a lesson's own runs keep the ``book`` sizes (a lesson in about ten minutes on a Colab GPU).

The profile comes from the ``GANAUG_PROFILE`` environment variable (default ``book``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PROFILE_ENV = "GANAUG_PROFILE"
DATA_ENV = "GANAUG_DATA_DIR"
CACHE_ENV = "GANAUG_CACHE_DIR"
OFFLINE_ENV = "GANAUG_OFFLINE"
RESULTS_ENV = "GANAUG_RESULTS_DIR"
#: Asks for deterministic mode (ganaug.experiment.determinism).
DETERMINISTIC_ENV = "GANAUG_DETERMINISTIC"
#: Set to ``1`` by the book build (``book/_ext``) for the notebooks it executes.
BOOK_BUILD_ENV = "GANAUG_BOOK_BUILD"
#: How many notebooks ``make book`` executes at once (``ganaug.teaching.execute_ahead``).
BUILD_JOBS_ENV = "GANAUG_BUILD_JOBS"


@dataclass(frozen=True)
class Profile:
    """Sizes of every run in the book.

    Attributes
    ----------
    name : str
        ``"smoke"``, ``"book"`` or ``"full"``.
    max_images_per_class : int or None
        Cap on images per class taken from the data (``None`` keeps all).
    synthetic_per_class : int
        Images per class in the offline synthetic stand-in.
    cnn_epochs, cnn_patience : int
        Upper bound on CNN epochs and the early-stopping patience.
    gan_epochs, gan_sample_every : int
        DCGAN epochs and how often a sample grid is saved.
    cgan_epochs : int
        Epochs of the class-conditional GAN (all classes, so several times more steps each).
    seeds : int
        How many random seeds an experiment repeats each arm with.
    batch_size : int
        Mini-batch size (64, as in the report; smaller for the tiny smoke subsets).
    demo_gan_steps : int
        Steps of chapter 3's DCGAN written out in view (a short look, not the real run).
    toy_gan_steps : int
        Steps of chapter 3's 2-D toy GAN, which collapses on purpose (seconds at any size).
    exercise_cnn_epochs : int
        Epochs of the CNNs that the exercises train (a quick network, not the study's).
    """

    name: str
    max_images_per_class: int | None
    synthetic_per_class: int
    cnn_epochs: int
    cnn_patience: int
    gan_epochs: int
    gan_sample_every: int
    cgan_epochs: int
    seeds: int
    batch_size: int = 64
    demo_gan_steps: int = 300
    exercise_cnn_epochs: int = 5
    toy_gan_steps: int = 200


PROFILES: dict[str, Profile] = {
    "smoke": Profile("smoke", 60, 60, cnn_epochs=2, cnn_patience=1, gan_epochs=2,
                     gan_sample_every=1, cgan_epochs=1, seeds=2, batch_size=16,
                     demo_gan_steps=3, exercise_cnn_epochs=1),
    # chapter 3's runs (gan_epochs, cgan_epochs) sized so that its page builds in minutes on a
    # 2-core CPU; its DCGAN (the study's widths, ~5 steps an epoch on the bcc training part)
    # trains until its images meet chapter 4's variety targets; the study's GANs have their own
    # budgets (ganaug.experiment.plan)
    "book": Profile("book", None, 300, cnn_epochs=80, cnn_patience=15, gan_epochs=1200,
                    gan_sample_every=200, cgan_epochs=8, seeds=3, toy_gan_steps=1600),
}  # fmt: skip
#: ``full`` is the report's protocol for the study (``ganaug.experiment.plan`` gives it the
#: report's CNN and DCGAN budgets); a lesson's live runs under ``full`` keep the ``book`` sizes,
#: which fit a lesson in minutes on a 2-core CPU (``ganaug.teaching.timing``), so on a Colab
#: GPU, where ``setup_colab`` picks ``full``, each lesson fits in about ten minutes.
PROFILES["full"] = replace(PROFILES["book"], name="full", synthetic_per_class=600, seeds=10)


def get_profile(name: str | None = None) -> Profile:
    """Return the profile called ``name``, else the one ``GANAUG_PROFILE`` names, else ``book``.

    Examples
    --------
    >>> get_profile("smoke").cnn_epochs
    2
    >>> get_profile("huge")
    Traceback (most recent call last):
    ...
    ValueError: unknown profile 'huge': choose one of smoke, book, full (set GANAUG_PROFILE)
    """
    chosen = name or os.environ.get(PROFILE_ENV) or "book"
    if chosen not in PROFILES:
        raise ValueError(
            f"unknown profile {chosen!r}: choose one of {', '.join(PROFILES)} (set {PROFILE_ENV})"
        )
    return PROFILES[chosen]


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """Where real data is read from: ``path``, else ``GANAUG_DATA_DIR``, else a per-user folder.

    The folder may be read-only; nothing is ever written into it.

    Examples
    --------
    >>> data_dir("/tmp/ham").as_posix()
    '/tmp/ham'
    """
    if path is not None:
        return Path(path).expanduser()
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ganaug"


def results_dir_setting() -> Path | None:
    """The results folder ``GANAUG_RESULTS_DIR`` names, or None when it is not set."""
    value = os.environ.get(RESULTS_ENV)
    return Path(value).expanduser() if value else None


def in_book_build() -> bool:
    """True while the book build executes a notebook (``GANAUG_BOOK_BUILD=1``): glued values
    then go into the text (``ganaug.teaching.display.glue``) instead of being printed.

    Examples
    --------
    >>> in_book_build()
    False
    """
    return os.environ.get(BOOK_BUILD_ENV) == "1"


def data_dir_is_set() -> bool:
    """True when ``GANAUG_DATA_DIR`` names a data source (a folder that must then work)."""
    return bool(os.environ.get(DATA_ENV))


def cache_dir() -> Path:
    """Where derived files (resized arrays, downloads) go: ``GANAUG_CACHE_DIR`` or a user cache.

    The cache is always separate from the data folder, because that may be read-only.
    The folder is created on first use.

    Raises
    ------
    ValueError
        If the cache folder is the data folder.
    """
    if os.environ.get(CACHE_ENV):
        folder = Path(os.environ[CACHE_ENV]).expanduser()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        folder = Path(base) / "ganaug"
    if folder.resolve() == data_dir().resolve():
        raise ValueError(
            f"{CACHE_ENV} and {DATA_ENV} both point to {folder}; the data folder may be read-only, "
            f"so point {CACHE_ENV} somewhere else"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def offline() -> bool:
    """True when ``GANAUG_OFFLINE`` is set to a true value: no download is attempted."""
    return os.environ.get(OFFLINE_ENV, "").lower() in {"1", "true", "yes"}


def deterministic(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``environ`` (default ``os.environ``) asks for deterministic mode
    (``GANAUG_DETERMINISTIC``): ``1``, ``true`` or ``yes``; a ``ValueError`` for any value
    other than those and ``0``, ``false``, ``no`` or empty.

    Examples
    --------
    >>> deterministic({}), deterministic({"GANAUG_DETERMINISTIC": "1"})
    (False, True)
    >>> deterministic({"GANAUG_DETERMINISTIC": "maybe"})
    Traceback (most recent call last):
    ...
    ValueError: GANAUG_DETERMINISTIC='maybe': set it to 1 (deterministic mode) or 0 (off)
    """
    value = (os.environ if environ is None else environ).get(DETERMINISTIC_ENV, "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    raise ValueError(f"{DETERMINISTIC_ENV}={value!r}: set it to 1 (deterministic mode) or 0 (off)")


def build_jobs(environ: Mapping[str, str] | None = None) -> int:
    """How many notebooks the book build executes at once: ``GANAUG_BUILD_JOBS``, else the
    CPU's cores, at most 4 (a TensorFlow kernel keeps about one core busy; each holds its own
    data and models in memory). ``1`` executes them one by one, as myst-nb alone does.

    Examples
    --------
    >>> build_jobs({"GANAUG_BUILD_JOBS": "3"})
    3
    >>> 1 <= build_jobs({}) <= 4
    True
    >>> build_jobs({"GANAUG_BUILD_JOBS": "two"})
    Traceback (most recent call last):
    ...
    ValueError: GANAUG_BUILD_JOBS='two': set it to a whole number of notebooks, 1 or more
    """
    value = (os.environ if environ is None else environ).get(BUILD_JOBS_ENV, "").strip()
    if not value:
        return max(1, min(4, os.cpu_count() or 1))
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"{BUILD_JOBS_ENV}={value!r}: set it to a whole number of notebooks, 1 or more"
        )
    return int(value)
