"""Does a committed study cell repeat bit for bit? (run by hand, never by the tests)

Reruns the committed ``results/book`` cell ``none`` of unit 0 on this code, compares its metrics
with the committed ones, then runs it twice more with TensorFlow's op determinism switched on and
compares those two runs with each other. Needs the real HAM10000 data (book profile)::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/cell_determinism.py

One run on the 2-core development CPU (TensorFlow 2.21, Keras 3.15, the versions and kind of
machine the committed study recorded), balanced accuracy:

    committed (no op determinism)          0.7216
    rerun, no op determinism               0.6948   (26 epochs against the committed 24)
    op determinism, run 1 / run 2          0.7081 / 0.7081   (every metric identical)

So the study's cells are not reproducible bit for bit on a multi-threaded CPU without op
determinism, and are with it. Switching it on for the study changes how every cell is computed,
so every piece of the committed study would have to be computed again.
"""

from __future__ import annotations

import sys

import pandas as pd


def run_cell() -> dict:
    """The metrics of cell `none` of unit 0 of the book plan, trained now."""
    from ganaug.experiment.arms import get_arms
    from ganaug.experiment.plan import study_data, study_plan
    from ganaug.experiment.units import seed_splits, study_cell

    plan = study_plan("book")
    splits = seed_splits(study_data("book"), 0, plan.protocol, plan.folds)
    return study_cell(get_arms(["none"])[0], 0, splits, plan, {}).metrics


def main() -> int:
    import tensorflow as tf

    committed = pd.read_csv("results/book/results.csv")
    chosen = (committed["arm"] == "none") & (committed["seed"] == 0)
    committed = committed[chosen].set_index("metric")["value"]
    rerun = run_cell()
    tf.config.experimental.enable_op_determinism()
    first, second = run_cell(), run_cell()
    for metric in ("balanced_accuracy", "accuracy", "epochs", "best_epoch"):
        print(
            f"{metric:18s} committed {committed[metric]:.4f}  rerun {rerun[metric]:.4f}  "
            f"deterministic {first[metric]:.4f} / {second[metric]:.4f}"
        )
    same = all(first[m] == second[m] for m in first if m != "seconds")
    print("two deterministic runs identical:", same)
    return 0


if __name__ == "__main__":
    sys.exit(main())
