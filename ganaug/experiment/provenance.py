"""``run.json``: where a results folder came from (command, profile, data, versions, machine,
git commit, times, and for each piece its version, commit and seconds: see
:mod:`ganaug.experiment.pieces`)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from ganaug.data.core import LesionData
from ganaug.experiment import versions as code_versions
from ganaug.experiment.store import atomic_write_text

PACKAGES = ("ganaug", "tensorflow", "keras", "numpy", "pandas", "scikit-learn", "scipy")

#: The packages whose sources compute a cell: their hash is a cell's code version.
STUDY_PACKAGES = (
    "ganaug.common",
    "ganaug.data",
    "ganaug.classifier",
    "ganaug.gan",
    "ganaug.metrics",
    "ganaug.experiment",
)


def data_fingerprint(data: LesionData) -> str:
    """SHA-256 of the images, their ids and labels: the same data gives the same fingerprint."""
    digest = hashlib.sha256()
    digest.update(data.images.tobytes())
    for column in (data.image_id, data.lesion_id, data.dx):
        digest.update("\n".join(column.tolist()).encode())
    return digest.hexdigest()


def file_checksums(folder: str | os.PathLike | None) -> dict[str, str]:
    """SHA-256 of the data folder's metadata CSV(s) and ready arrays (not of every JPEG)."""
    if not folder or not Path(folder).exists():
        return {}
    folder = Path(folder)
    files = [folder] if folder.is_file() else sorted([*folder.glob("*.csv"), *folder.glob("*.npz")])
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def machine() -> dict[str, str]:
    """CPU, core count and any GPU TensorFlow sees."""
    import tensorflow as tf

    gpus = [gpu.name for gpu in tf.config.list_physical_devices("GPU")]
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or "unknown",
        "cpu_count": str(os.cpu_count()),
        "gpus": ", ".join(gpus) or "none",
    }


def git_commit() -> str:
    """The checked-out commit (with ``+dirty`` for uncommitted changes), or ``unknown``."""
    try:
        root = Path(__file__).resolve().parents[2]
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return commit + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions() -> dict[str, str]:
    """Python and the installed versions of the packages that shape the numbers."""
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def code_version(packages: tuple[str, ...] = STUDY_PACKAGES) -> dict:
    """The study code's version: ``hash`` of all ``packages`` and each package's own hash
    (``packages``), so that a refusal can say which one changed."""
    return {
        "hash": code_versions.code_hash(packages),
        "packages": code_versions.package_hashes(packages),
    }


def cell_key(arm: str, seed: int) -> str:
    """A cell's key in older ``run.json`` files' ``cells``: ``"<arm>__seed<k>"``."""
    return f"{arm}__seed{seed}"


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def read_run(folder: Path) -> dict:
    """The ``run.json`` of ``folder`` ({} when there is none)."""
    path = Path(folder) / "run.json"
    return json.loads(path.read_text()) if path.exists() else {}


def write_run(folder: Path, info: dict) -> None:
    """Write ``run.json`` atomically."""
    atomic_write_text(Path(folder) / "run.json", json.dumps(info, indent=2, sort_keys=True) + "\n")
