"""Small fixtures shared by the tests: a fake HAM10000 folder and a fake DermaMNIST file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

HEADER = "lesion_id,image_id,dx,dx_type,age,sex,localization\n"


def make_ham_folder(
    root: Path, rows: list[tuple[str, str, str]], write_images: bool = True
) -> Path:
    """A HAM10000-style folder: metadata CSV and 200x150 JPEGs split over two part folders."""
    root.mkdir(parents=True, exist_ok=True)
    lines = [f"{lesion},{image},{dx},histo,50.0,male,back\n" for lesion, image, dx in rows]
    (root / "HAM10000_metadata.csv").write_text(HEADER + "".join(lines))
    if write_images:
        rng = np.random.default_rng(0)
        for number, (_, image, _) in enumerate(rows):
            part = root / f"HAM10000_images_part_{1 + number % 2}"
            part.mkdir(exist_ok=True)
            pixels = rng.integers(0, 256, size=(150, 200, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(part / f"{image}.jpg", quality=90)
    return root


def default_rows(n_lesions: int = 6) -> list[tuple[str, str, str]]:
    """Rows for a small folder: lesions of mel, bkl and bcc with one or two images each."""
    rows, image = [], 0
    for lesion in range(n_lesions):
        dx = ("mel", "bkl", "bcc")[lesion % 3]
        for _ in range(1 + lesion % 2):
            rows.append((f"HAM_{lesion:07d}", f"ISIC_{image:07d}", dx))
            image += 1
    return rows


def make_dermamnist(path: Path, n: int = 7) -> Path:
    """A file with DermaMNIST's keys and layout (labels as (n, 1) column vectors)."""
    rng = np.random.default_rng(1)
    arrays = {}
    for split in ("train", "val", "test"):
        arrays[f"{split}_images"] = rng.integers(0, 256, size=(n, 28, 28, 3), dtype=np.uint8)
        arrays[f"{split}_labels"] = (np.arange(n) % 7).reshape(-1, 1)
    np.savez(path, **arrays)
    return path
