"""DermaMNIST: HAM10000 at 28 x 28 as one small download (MedMNIST v3, Zenodo record 10519652).

DermaMNIST has no lesion ids, and its official split was made by image, so it leaks lesions
across train, validation and test (see chapter 1). It is the quick way to get real images on Colab.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from ganaug import config
from ganaug.data.core import LesionData, from_arrays

DERMAMNIST_URL = "https://zenodo.org/records/10519652/files/dermamnist.npz?download=1"
DERMAMNIST_MD5 = "0744692d530f8e62ec473284d019b0c7"
DERMAMNIST_FILE = "dermamnist.npz"
#: MedMNIST's label index -> HAM10000 diagnosis code.
DERMAMNIST_LABELS: tuple[str, ...] = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
SPLITS = ("train", "val", "test")


def md5sum(path: Path) -> str:
    """The hex MD5 of a file."""
    digest = hashlib.md5()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(url: str, target: Path, md5: str, progress: bool = True, timeout: float = 30) -> Path:
    """Download ``url`` to ``target`` with a progress bar and verify its MD5.

    The file is written under a temporary name and renamed only after the checksum matches,
    so a failed or corrupted download leaves nothing behind.

    Raises
    ------
    ValueError
        If the checksum does not match (the bad file is removed).
    OSError
        If the download fails.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream, urllib.request.urlopen(url, timeout=timeout) as r:
            total = int(r.headers.get("Content-Length") or 0) or None
            with tqdm(
                total=total, unit="B", unit_scale=True, desc=target.name, disable=not progress
            ) as bar:
                for block in iter(lambda: r.read(1 << 16), b""):
                    stream.write(block)
                    bar.update(len(block))
        actual = md5sum(Path(temporary))
        if actual != md5:
            raise ValueError(
                f"checksum mismatch for {url}: expected md5 {md5}, got {actual}. The bad file was "
                "removed; try again, or download it by hand and pass its path."
            )
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return target


def load_dermamnist(
    path: str | os.PathLike | None = None, download_ok: bool = True, progress: bool = True
) -> LesionData:
    """Load DermaMNIST (28 x 28) as :class:`LesionData`, downloading it into the cache if needed.

    Parameters
    ----------
    path : path, optional
        A ``dermamnist.npz`` you already have. Default: the copy in the cache, downloaded from
        Zenodo (about 19 MB, MD5-checked) when absent.
    download_ok : bool
        If False, never download (FileNotFoundError when no copy exists).

    Returns
    -------
    LesionData
        All 10015 images; ``metadata["split"]`` holds the official split. Lesion ids are
        unknown: ``lesion_id`` repeats ``image_id`` and ``has_lesion_ids`` is False.
    """
    if path is not None:
        file = Path(path).expanduser()
        if not file.is_file():
            raise FileNotFoundError(f"no DermaMNIST file at {file}")
        actual = md5sum(file)
        if actual != DERMAMNIST_MD5:
            raise ValueError(
                f"{file} has md5 {actual}, not DermaMNIST's {DERMAMNIST_MD5}: download it again "
                f"from {DERMAMNIST_URL}"
            )
    else:
        file = config.cache_dir() / DERMAMNIST_FILE
        if not file.is_file():
            if not download_ok or config.offline():
                raise FileNotFoundError(
                    f"DermaMNIST is not in the cache ({file}) and downloading is off; "
                    f"download {DERMAMNIST_URL} or unset {config.OFFLINE_ENV}"
                )
            download(DERMAMNIST_URL, file, DERMAMNIST_MD5, progress=progress)
    return _read_npz(file)


def _read_npz(file: Path) -> LesionData:
    try:
        with np.load(file) as archive:
            parts = [(s, archive[f"{s}_images"], archive[f"{s}_labels"]) for s in SPLITS]
    except (KeyError, ValueError, OSError) as error:
        raise ValueError(
            f"{file} is not a readable DermaMNIST archive ({error}); delete it "
            "and download it again"
        ) from error
    images = np.concatenate([p[1] for p in parts]).astype(np.uint8)
    labels = np.concatenate([np.asarray(p[2]).reshape(-1) for p in parts])
    split = np.concatenate([[s] * len(p[1]) for s, p in zip(SPLITS, parts, strict=True)])
    ids = np.array(
        [f"{s}_{i:05d}" for s, p in zip(SPLITS, parts, strict=True) for i in range(len(p[1]))]
    )
    dx = np.asarray(DERMAMNIST_LABELS)[labels.astype(int)]
    extra = pd.DataFrame({"image_id": ids, "split": split})
    return from_arrays(images, dx, ids, ids, "dermamnist", has_lesion_ids=False, extra=extra)
