"""First load (decode + resize + cache) against cached load of a HAM10000 folder.

Run by hand: ``GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/data_load.py``.
Uses a fresh temporary cache so the first load really decodes every JPEG.
"""

from __future__ import annotations

import os
import tempfile
import time

from ganaug.data import load_ham10000


def main(size: int = 28) -> None:
    with tempfile.TemporaryDirectory() as cache:
        os.environ["GANAUG_CACHE_DIR"] = cache
        start = time.perf_counter()
        data = load_ham10000(size=size, progress=False)
        first = time.perf_counter() - start
        start = time.perf_counter()
        load_ham10000(size=size, progress=False)
        cached = time.perf_counter() - start
    print(
        f"{len(data)} images at {size} px: first load {first:.1f} s, cached load {cached:.2f} s "
        f"({first / cached:.0f}x faster)"
    )


if __name__ == "__main__":
    main()
