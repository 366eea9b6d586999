"""What deterministic mode costs: one piece of the book study, timed as a whole process, with
and without TensorFlow's op determinism (``GANAUG_DETERMINISTIC=1``, see
``ganaug.experiment.determinism``). Run by hand, never by the tests; the results are in
``benchmarks/measured/determinism_cost.md``.

    GANAUG_DATA_DIR=/path/to/HAM10000 python benchmarks/determinism_cost.py cell
    GANAUG_DETERMINISTIC=1 GANAUG_DATA_DIR=... python benchmarks/determinism_cost.py cell

``cell``: the ``classic`` cell of unit 0 (the book plan's CNN budget, early stopping). Early
stopping makes its length vary with the run, so it prints its epochs and the seconds per epoch.
``gan``: the book DCGAN of unit 0 for ``--steps`` steps (default 600 of the study's 3000),
a fixed amount of work. Each prints one line: what, mode, seconds, seconds per unit of work.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["cell", "gan"])
    parser.add_argument("--steps", type=int, default=600)
    args = parser.parse_args()

    from ganaug.experiment.arms import get_arms
    from ganaug.experiment.cells import run_cell
    from ganaug.experiment.determinism import apply_determinism
    from ganaug.experiment.gans import gan_pool
    from ganaug.experiment.plan import study_data, study_plan
    from ganaug.experiment.units import seed_splits

    mode = "deterministic" if apply_determinism() else "default"
    plan = study_plan("book")
    splits = seed_splits(study_data("book"), 0, plan.protocol, plan.folds)["lesion"]
    started = time.perf_counter()
    if args.what == "cell":
        result = run_cell(get_arms(["classic"])[0], 0, splits, plan)
        seconds, epochs = time.perf_counter() - started, int(result.metrics["epochs"])
        print(f"cell {mode}: {seconds:.1f} s, {epochs} epochs, {seconds / epochs:.2f} s/epoch, "
              f"balanced accuracy {result.metrics['balanced_accuracy']:.4f}")  # fmt: skip
    else:
        gan_plan = replace(plan.gan, dcgan_steps=args.steps)
        with tempfile.TemporaryDirectory() as folder:
            gan_pool("dcgan", splits.train, 64, gan_plan, 0, Path(folder))
        seconds = time.perf_counter() - started
        print(f"gan {mode}: {seconds:.1f} s, {args.steps} steps, "
              f"{1000 * seconds / args.steps:.0f} ms/step")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
