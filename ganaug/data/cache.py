"""Writing cache files so that an interrupted write never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np


def atomic_save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Save ``arrays`` to ``path`` (compressed .npz) via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez_compressed(stream, **arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
