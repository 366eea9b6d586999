"""Writing files so that an interrupted write never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np


@contextmanager
def atomic_file(path: Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on success rename it to ``path``
    (atomically), on any error remove it, so ``path`` is either whole or untouched.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "note.txt"
    >>> with atomic_file(target, "w") as stream:
    ...     _ = stream.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".partial")
    text = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
    try:
        with os.fdopen(handle, mode, **text) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def atomic_save_npz(path: Path, **arrays: np.ndarray) -> None:
    """Save ``arrays`` to ``path`` (compressed .npz) via a temporary file and an atomic rename."""
    with atomic_file(path, "wb") as stream:
        np.savez_compressed(stream, **arrays)
