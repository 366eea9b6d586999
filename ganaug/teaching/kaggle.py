"""HAM10000 from Kaggle with the reader's own API token: one command, checked, all or nothing.

The Kaggle dataset ``kmader/skin-cancer-mnist-ham10000`` ("Skin Cancer MNIST: HAM10000") holds
``HAM10000_metadata.csv`` and the 10015 JPEGs in ``HAM10000_images_part_1`` and ``_part_2``
(600 x 450 pixels; copies reduced to 200 x 150 read the same, as the loader resizes every image).
:func:`fetch_ham10000` runs the ``kaggle`` command line (``pip install kaggle``; on Colab it is
installed) with the reader's token (``~/.kaggle/kaggle.json``, or ``KAGGLE_USERNAME`` and
``KAGGLE_KEY``), unpacks the metadata and the JPEGs, checks the metadata's SHA-256 against the
published file and that every image it lists arrived, and only then moves the folder into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

import pandas as pd

from ganaug.data.ham10000 import METADATA_NAME

KAGGLE_DATASET = "kmader/skin-cancer-mnist-ham10000"
#: SHA-256 of the original ``HAM10000_metadata.csv`` (10015 rows; the Kaggle and ISIC file).
METADATA_SHA256 = "06aee5e603d313ba69de38263053c792a1dff030eb9c44a96ceb477ceefb99a5"
TOKEN_HELP = (
    "Create a Kaggle API token (kaggle.com > Settings > API > Create New Token) and put the "
    "downloaded kaggle.json in ~/.kaggle/ (on Colab: upload it, then run "
    "`!mkdir -p ~/.kaggle && mv kaggle.json ~/.kaggle/ && chmod 600 ~/.kaggle/kaggle.json`), "
    "or set KAGGLE_USERNAME and KAGGLE_KEY"
)


def sha256sum(path: Path) -> str:
    """The hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def has_kaggle_token(environ: Mapping[str, str], home: Path | None = None) -> bool:
    """True when a Kaggle API token is there: ``kaggle.json`` in ``KAGGLE_CONFIG_DIR`` or
    ``~/.kaggle``, or both ``KAGGLE_USERNAME`` and ``KAGGLE_KEY`` in ``environ`` (an entry point
    passes ``os.environ``).

    Examples
    --------
    >>> has_kaggle_token({}, home=Path("/nonexistent"))
    False
    >>> has_kaggle_token({"KAGGLE_USERNAME": "me", "KAGGLE_KEY": "k"}, home=Path("/nonexistent"))
    True
    """
    home = Path.home() if home is None else Path(home)
    folder = Path(environ.get("KAGGLE_CONFIG_DIR") or home / ".kaggle")
    if (folder / "kaggle.json").is_file():
        return True
    return bool(environ.get("KAGGLE_USERNAME") and environ.get("KAGGLE_KEY"))


def unpack(archive: Path, into: Path) -> int:
    """Extract the metadata CSV and the JPEGs of a HAM10000 zip into ``into``, each JPEG once
    (the Kaggle zip holds the image folders twice, in two spellings); nothing outside ``into``
    is ever written. Returns the number of JPEGs.

    Raises
    ------
    ValueError
        If the file is no zip archive, or holds no metadata CSV.
    """
    try:
        zipped = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ValueError(
            f"{archive.name} from Kaggle is no zip archive: download it again"
        ) from None
    seen, count, metadata = set(), 0, False
    with zipped:
        for member in zipped.infolist():
            path = PurePosixPath(member.filename)
            if member.is_dir() or ".." in path.parts or path.is_absolute():
                continue
            if path.name == METADATA_NAME and not metadata:
                target, metadata = into / METADATA_NAME, True
            elif path.suffix.lower() in {".jpg", ".jpeg"} and path.stem not in seen:
                seen.add(path.stem)
                target, count = into / path.parent.name / path.name, count + 1
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipped.open(member) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
    if not metadata:
        raise ValueError(f"{archive.name} holds no {METADATA_NAME}: is it the HAM10000 dataset?")
    return count


def check_folder(folder: Path, metadata_sha256: str = METADATA_SHA256) -> None:
    """Raise ``ValueError`` unless ``folder``'s metadata is the published file and every image
    it lists is there as a JPEG."""
    metadata = folder / METADATA_NAME
    found = sha256sum(metadata)
    if found != metadata_sha256:
        raise ValueError(
            f"{METADATA_NAME} from Kaggle has SHA-256 {found[:12]}..., not the published "
            f"{metadata_sha256[:12]}...: the dataset changed or the download is damaged. "
            "Nothing was kept; try again, or use a HAM10000 folder on Google Drive."
        )
    listed = set(pd.read_csv(metadata, usecols=["image_id"])["image_id"])
    present = {p.stem for p in folder.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg"}}
    missing = sorted(listed - present)
    if missing:
        raise ValueError(
            f"the Kaggle download lacks {len(missing)} of the {len(listed)} images "
            f"{METADATA_NAME} lists (e.g. {', '.join(missing[:3])}). Nothing was kept; try again."
        )


def fetch_ham10000(
    target: str | os.PathLike,
    dataset: str = KAGGLE_DATASET,
    kaggle: str = "kaggle",
    metadata_sha256: str = METADATA_SHA256,
) -> Path:
    """HAM10000 in ``target`` (the Kaggle layout), downloaded with the ``kaggle`` command when
    it is not there yet. Returns ``target``.

    A folder that already passes the checks is used as it is. Otherwise the download goes to a
    temporary folder beside ``target`` and is moved into place only after the checks pass, so a
    failure leaves nothing behind.

    Raises
    ------
    ValueError
        Without the ``kaggle`` command or a token, when Kaggle refuses, or when a check fails;
        each message says what to do.

    Examples
    --------
    >>> fetch_ham10000("/tmp/no-ham", kaggle="no-such-kaggle-command")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the `no-such-kaggle-command` command is not installed: run `pip install kaggle`, ...
    """
    target = Path(target).expanduser()
    if (target / METADATA_NAME).is_file():
        check_folder(target, metadata_sha256)
        return target
    if shutil.which(kaggle) is None:
        raise ValueError(
            f"the `{kaggle}` command is not installed: run `pip install kaggle`, then try again"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}-") as scratch:
        download, unpacked = Path(scratch, "download"), Path(scratch, target.name)
        download.mkdir()
        unpacked.mkdir()
        command = [kaggle, "datasets", "download", "-d", dataset, "-p", str(download)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise ValueError(
                f"Kaggle refused the download ({said[-1] if said else 'no message'}). "
                f"{TOKEN_HELP}; accept the dataset's terms on kaggle.com if it asks."
            )
        archives = sorted(download.glob("*.zip"))
        if not archives:
            raise ValueError(f"`{' '.join(command[:4])}` wrote no zip archive: try again")
        for archive in archives:
            unpack(archive, unpacked)
        check_folder(unpacked, metadata_sha256)
        if target.exists():
            shutil.rmtree(target)
        unpacked.rename(target)
    return target
