"""One cell of the study: train the seed's CNN on one arm's training set and score it on the
seed's test part. A cell is a plain function of plain values, so it can run in-process or as a
Ray task on another machine."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import tensorflow as tf

from ganaug.classifier import build_cnn, fit_classifier, predict_proba
from ganaug.data.core import LesionData
from ganaug.data.splits import Splits, lesion_groups
from ganaug.experiment.arms import Arm, is_generated, training_set
from ganaug.experiment.plan import StudyPlan
from ganaug.metrics.classification import balanced_accuracy, classification_metrics

#: Metrics of a cell measured on its VALIDATION part (used to choose arms, never to judge them).
#: Folders written before they were recorded simply lack these rows.
VALIDATION_METRICS = ("val_balanced_accuracy", "val_accuracy")


@dataclass
class CellResult:
    """What one (arm, seed) cell produced: metric rows, per-image predictions, GAN quality
    (with the key of the unit's feature extractor it was measured on)."""

    arm: str
    seed: int
    metrics: dict[str, float]
    predictions: pd.DataFrame
    seconds: float
    gan_quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    extractor: dict[str, str] = field(default_factory=dict)

    def rows(self) -> pd.DataFrame:
        """Long-format rows ``arm, seed, metric, value`` for ``results.csv``."""
        return pd.DataFrame(
            {
                "arm": self.arm,
                "seed": self.seed,
                "metric": list(self.metrics),
                "value": list(self.metrics.values()),
            }
        )


@contextmanager
def quiet_retracing() -> Iterator[None]:
    """Hide TensorFlow's "calls triggered tf.function retracing" warning for one cell.

    Every cell builds a new model, so its training function is traced anew by design; after a
    few cells TensorFlow warns about it, on stdout as well, where it would fill the lesson's
    output. Errors still show.
    """
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def check_no_leak(train: LesionData, splits: Splits) -> None:
    """Raise if a generated image reached validation/test or a test image reached training."""
    for name in ("val", "test"):
        if is_generated(getattr(splits, name)).any():
            raise ValueError(f"generated images found in the {name} part: they may only train")
    overlap = set(train.image_id.tolist()) & set(splits.test.image_id.tolist())
    if overlap:
        raise ValueError(f"{len(overlap)} test images are in the training set")


def validation_metrics(model, val: LesionData, classes: list[str]) -> dict[str, float]:
    """:data:`VALIDATION_METRICS` of ``model`` on the validation part ``val`` (empty: none)."""
    if len(val) == 0:
        return {}
    predicted = np.asarray(classes)[predict_proba(model, val).argmax(axis=1)]
    return {
        "val_balanced_accuracy": balanced_accuracy(val.dx, predicted),
        "val_accuracy": float(np.mean(predicted == val.dx)),
    }


def run_cell(
    arm: Arm,
    seed: int,
    splits: Splits,
    plan: StudyPlan,
    pools: dict[str, np.ndarray] | None = None,
) -> CellResult:
    """Train and score one cell."""
    with quiet_retracing():
        return _run_cell(arm, seed, splits, plan, pools)


def schedule_metrics(history: dict) -> dict[str, float]:
    """Where training ended up: the epoch of the lowest validation loss (1-based) and how many
    times the learning rate was halved before it, so a study can show no arm was cut off by
    its epoch cap or annealed too early.

    Examples
    --------
    >>> schedule_metrics({"val_loss": [0.9, 0.7, 0.8, 0.6, 0.65],
    ...                   "learning_rate": [1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4]})
    {'best_epoch': 4, 'halvings_before_best': 1}
    """
    losses = np.asarray(history["val_loss"], dtype=float)
    best = int(np.argmin(losses))
    rates = np.asarray(history.get("learning_rate", np.ones(len(losses))), dtype=float)
    return {
        "best_epoch": best + 1,
        "halvings_before_best": int(np.sum(np.diff(rates[: best + 1]) < 0)),
    }


def _run_cell(arm, seed, splits, plan, pools) -> CellResult:
    started = time.perf_counter()
    train = training_set(arm, splits.train, pools, seed)
    check_no_leak(train, splits)
    classes = splits.train.classes
    model = build_cnn(len(classes), splits.train.images.shape[1:], plan.cnn_filters, seed=seed)
    history = fit_classifier(
        model,
        train,
        splits.val,
        plan.cnn_epochs,
        plan.batch_size,
        class_weight=arm.class_weight,
        seed=seed,
        augment=arm.augment,
        patience=plan.cnn_patience,
        verbose=0,
    )
    probabilities = predict_proba(model, splits.test)
    predicted = np.asarray(classes)[probabilities.argmax(axis=1)]
    scores = classification_metrics(splits.test.dx, predicted, classes)
    metrics = {
        "accuracy": scores["accuracy"],
        "balanced_accuracy": scores["balanced_accuracy"],
        "macro_f1": scores["macro_f1"],
        **{f"recall_{code}": value for code, value in scores["recall"].items()},
        **validation_metrics(model, splits.val, classes),
        "n_train": len(train),
        "n_synthetic": int(is_generated(train).sum()),
        "n_test": len(splits.test),
        "epochs": len(history.epoch),
        **schedule_metrics(history.history),
    }
    predictions = pd.DataFrame(
        {
            "image_id": splits.test.image_id,
            "lesion_group": lesion_groups(splits.test),
            "true": splits.test.dx,
            "pred": predicted,
        }
    )
    for index, code in enumerate(classes):
        predictions[f"p_{code}"] = probabilities[:, index].round(5)
    seconds = time.perf_counter() - started
    metrics["seconds"] = round(seconds, 1)
    return CellResult(arm.name, seed, metrics, predictions, seconds)
