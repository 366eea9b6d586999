"""Wall time of the smoke-profile study, in-process against Ray on the same machine.

Run by hand (needs the ``ray`` extra):
``GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/study_engines.py``.
Each engine gets a fresh cache (so each trains its own GANs) and a fresh results folder.
Ray's time includes starting Ray and one TensorFlow import per worker process.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main() -> None:
    from ganaug.experiment import run_experiment
    from ganaug.experiment.plan import study_data

    os.environ["GANAUG_PROFILE"] = "smoke"
    data = study_data("smoke")
    for engine in ("local", "ray"):
        with tempfile.TemporaryDirectory() as scratch:
            os.environ["GANAUG_CACHE_DIR"] = str(Path(scratch) / "cache")
            started = time.perf_counter()
            results = run_experiment(
                data, Path(scratch) / "out", "smoke", engine=engine, progress=False
            )
            seconds = time.perf_counter() - started
        cells = len(results.groupby(["arm", "seed"]))
        print(f"{engine:5s}: {cells} cells in {seconds:.0f} s ({os.cpu_count()} CPU cores)")


if __name__ == "__main__":
    main()
