"""Read a HAM10000 folder (Kaggle, ISIC or Dataverse layout), resize it and cache the array."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, UnidentifiedImageError
from tqdm import tqdm

from ganaug import config
from ganaug.data.cache import atomic_save_npz
from ganaug.data.core import CLASS_NAMES, LesionData, check_size, from_arrays

METADATA_NAME = "HAM10000_metadata.csv"
#: Bump when the way images are decoded or resized changes, so old caches are not reused.
CACHE_VERSION = 1
REQUIRED_COLUMNS = ("lesion_id", "image_id", "dx")


def find_metadata(folder: Path) -> Path | None:
    """The metadata CSV in ``folder`` or anywhere below it, or None."""
    direct = folder / METADATA_NAME
    if direct.is_file():
        return direct
    return next(iter(sorted(folder.rglob(METADATA_NAME))), None)


def index_images(folder: Path) -> dict[str, Path]:
    """Map each JPEG's file stem (the image_id) to its path, anywhere below ``folder``."""
    found = {}
    for path in folder.rglob("*"):
        if path.suffix.lower() in {".jpg", ".jpeg"} and path.is_file():
            found[path.stem] = path
    return found


def resize_image(path: Path, size: int) -> np.ndarray:
    """Decode one JPEG as RGB and resize it to ``size`` x ``size`` with Pillow's LANCZOS filter.

    The 4:3 frame is squeezed to a square, nothing is cropped (the geometry of DermaMNIST).

    Raises
    ------
    ValueError
        If the file cannot be decoded, naming it.
    """
    try:
        with Image.open(path) as image:
            image = image.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
            return np.asarray(image, dtype=np.uint8)
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValueError(
            f"corrupt or unreadable image {path}: {error}. Replace this file with a fresh copy "
            "from your HAM10000 download."
        ) from error


def _cache_path(folder: Path, metadata_file: Path, size: int) -> Path:
    digest = hashlib.sha256()
    digest.update(str(folder.resolve()).encode())
    digest.update(metadata_file.read_bytes())
    digest.update(f"v{CACHE_VERSION}".encode())
    return config.cache_dir() / f"ham10000_{size}px_{digest.hexdigest()[:16]}.npz"


def read_metadata(metadata_file: Path) -> pd.DataFrame:
    """Read and check the metadata CSV; rows sorted by ``image_id``.

    Raises
    ------
    ValueError
        Naming the file, if it is empty or not a CSV, lacks a required column, has no rows,
        lists an image twice or has a diagnosis outside HAM10000's seven codes.
    """
    try:
        metadata = pd.read_csv(metadata_file)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{metadata_file} is empty or not a CSV file ({error}). Replace it with "
            f"{METADATA_NAME} from your HAM10000 download."
        ) from error
    missing = [c for c in REQUIRED_COLUMNS if c not in metadata.columns]
    if missing:
        raise ValueError(
            f"{metadata_file} lacks column(s) {', '.join(missing)}; is it {METADATA_NAME}?"
        )
    if metadata.empty:
        raise ValueError(f"{metadata_file} has a header but no rows: it lists no image")
    copies = metadata["image_id"].value_counts()
    copies = copies[copies > 1]
    if len(copies):
        raise ValueError(
            f"{metadata_file}: image_id {copies.index[0]} has {copies.iloc[0]} rows "
            f"({len(copies)} image id(s) listed more than once). Each image needs exactly one "
            "row: remove the repeated rows or use the file from your HAM10000 download."
        )
    unknown = metadata.loc[~metadata["dx"].isin(list(CLASS_NAMES))]
    if len(unknown):
        codes = ", ".join(repr(str(code)) for code in unknown["dx"].unique())
        raise ValueError(
            f"{metadata_file}: unknown diagnosis code(s) {codes} in {len(unknown)} row(s), e.g. "
            f"image {unknown['image_id'].iloc[0]}. HAM10000 uses {', '.join(CLASS_NAMES)}."
        )
    return metadata.sort_values("image_id").reset_index(drop=True)


def load_ham10000(
    data_dir: str | os.PathLike | None = None, size: int = 28, progress: bool = True
) -> LesionData:
    """Load all images of a HAM10000 folder at ``size`` x ``size`` pixels.

    The folder holds ``HAM10000_metadata.csv`` and the JPEGs anywhere below it (the Kaggle
    ``HAM10000_images_part_1/2`` layout works). The first call decodes every JPEG, resizes the
    whole frame with Pillow's LANCZOS filter (the 4:3 frame is squeezed, not cropped) and caches
    the array in :func:`ganaug.config.cache_dir`, keyed by size and by the folder and its
    metadata; later calls read the cache.

    Parameters
    ----------
    data_dir : path, optional
        The folder; default :func:`ganaug.config.data_dir` (``GANAUG_DATA_DIR``).
    size : int
        Pixels per side.
    progress : bool
        Show a progress bar while decoding.

    Returns
    -------
    LesionData
        Rows sorted by ``image_id``; ``metadata`` is the CSV's rows in the same order.
    """
    size = check_size(size)
    folder = config.data_dir(data_dir)
    if not folder.is_dir():
        raise FileNotFoundError(
            f"HAM10000 folder not found: {folder}. Download HAM10000 (Kaggle, ISIC or Dataverse) "
            f"and set {config.DATA_ENV} to the folder holding {METADATA_NAME} (see book/setup.md)."
        )
    metadata_file = find_metadata(folder)
    if metadata_file is None:
        hint = "JPEG images are there but" if index_images(folder) else "the folder has"
        raise FileNotFoundError(
            f"{hint} no {METADATA_NAME} in {folder}. Put the metadata file from your HAM10000 "
            "download next to the image folders."
        )
    metadata = read_metadata(metadata_file)
    cache_file = _cache_path(folder, metadata_file, size)
    if cache_file.is_file():
        with np.load(cache_file) as cached:
            images = cached["images"]
            cached_ids = cached["image_id"]
        if images.shape[1:] == (size, size, 3) and np.array_equal(
            cached_ids, metadata["image_id"].to_numpy(str)
        ):
            return _to_lesion_data(images, metadata)
    images = _decode_all(folder, metadata, size, progress)
    atomic_save_npz(cache_file, images=images, image_id=metadata["image_id"].to_numpy(str))
    return _to_lesion_data(images, metadata)


def _decode_all(folder: Path, metadata: pd.DataFrame, size: int, progress: bool) -> np.ndarray:
    paths = index_images(folder)
    if not paths:
        raise FileNotFoundError(
            f"{folder} has {METADATA_NAME} but no JPEG images. Unpack the image folders "
            "(HAM10000_images_part_1 and _2) from your download into it."
        )
    missing = [i for i in metadata["image_id"] if i not in paths]
    if missing:
        raise FileNotFoundError(
            f"{len(missing)} image(s) listed in {METADATA_NAME} are missing from {folder}, "
            f"e.g. {', '.join(missing[:3])}. Re-download or unpack the missing images."
        )
    images = np.empty((len(metadata), size, size, 3), dtype=np.uint8)
    ids = tqdm(
        metadata["image_id"],
        desc=f"HAM10000 -> {size}px (first load, then cached)",
        disable=not progress,
        mininterval=2.0,
    )
    for row, image_id in enumerate(ids):
        images[row] = resize_image(paths[image_id], size)
    return images


def _to_lesion_data(images: np.ndarray, metadata: pd.DataFrame) -> LesionData:
    extra = metadata.drop(columns=["lesion_id", "dx"])
    return from_arrays(
        images, metadata["dx"], metadata["image_id"], metadata["lesion_id"], "ham10000", extra=extra
    )
