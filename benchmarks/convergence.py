"""Does the study's CNN converge? Best epoch of each arm under a long budget, on real data.

Run by hand (real HAM10000; about 10-20 minutes on a 2-core CPU)::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/convergence.py [--seeds 0 1]

For each unit of the book plan's protocol and each arm without a generator (``none``,
``classic``, ``oversample``), it trains the book plan's CNN with a cap (``--epochs``) and
patience (``--patience``; the learning rate halves after a third of it), by default the book
plan's, and writes one row per run to ``benchmarks/results/convergence.csv`` (or ``--out``):
the epoch of the lowest validation loss, the number of learning-rate halvings before it, the
learning rate there, and test balanced accuracy. A run whose best epoch is near its cap, or
that stopped at the cap, was cut off.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.classifier import build_cnn, fit_classifier, predict
from ganaug.experiment.arms import ARMS, training_set
from ganaug.experiment.cells import schedule_metrics
from ganaug.experiment.plan import study_data, study_plan
from ganaug.experiment.units import seed_splits
from ganaug.metrics.classification import classification_metrics

OUT = Path(__file__).parent / "results" / "convergence.csv"


def best_epoch_row(arm: str, seed: int, history, seconds: float) -> dict:
    """Best epoch (1-based) and halvings before it (the study's own ``schedule_metrics``),
    with the learning rate and validation loss there."""
    losses = np.asarray(history.history["val_loss"])
    rates = np.asarray(history.history.get("learning_rate", [np.nan] * len(losses)))
    schedule = schedule_metrics(history.history)
    best = schedule["best_epoch"] - 1
    return {
        "arm": arm,
        "seed": seed,
        "epochs_run": len(losses),
        **schedule,
        "learning_rate_at_best": float(rates[best]),
        "best_val_loss": float(losses[best]),
        "seconds": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--arms", nargs="+", default=["none", "classic", "oversample"])
    parser.add_argument("--epochs", type=int, help="cap (default: the book plan's)")
    parser.add_argument("--patience", type=int, help="patience (default: the book plan's)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    plan = study_plan("book")
    epochs, patience = args.epochs or plan.cnn_epochs, args.patience or plan.cnn_patience
    data = study_data("book")
    rows = []
    for seed in args.seeds:
        splits = seed_splits(data, seed, plan.protocol, plan.folds)["lesion"]
        for name in args.arms:
            arm = ARMS[name]
            train = training_set(arm, splits.train, {}, seed)
            model = build_cnn(len(data.classes), filters=plan.cnn_filters, seed=seed)
            started = time.perf_counter()
            history = fit_classifier(
                model,
                train,
                splits.val,
                epochs=epochs,
                batch_size=plan.batch_size,
                class_weight="balanced" if arm.class_weight else None,
                seed=seed,
                augment=arm.augment,
                patience=patience,
                verbose=0,
            )
            row = best_epoch_row(name, seed, history, time.perf_counter() - started)
            row.update(cap=epochs, patience=patience)
            scores = classification_metrics(
                splits.test.dx, predict(model, splits.test), data.classes
            )
            row["test_balanced_accuracy"] = round(float(scores["balanced_accuracy"]), 4)
            rows.append(row)
            print(row, flush=True)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            pd.DataFrame(rows).to_csv(args.out, index=False)
    print(f"book plan: at most {plan.cnn_epochs} epochs, patience {plan.cnn_patience}")


if __name__ == "__main__":
    main()
