"""Steps per second of each generator-search candidate, and where a GAN step's time goes (run by
hand, never by the tests).

Each kind of the book plan's search (``ganaug.experiment.search.SEARCH_PLANS["book"]``) is built
exactly as the search builds it (``ganaug.experiment.gans.build_gan`` at the book plan's widths,
on the training part of unit 0: bcc only, or all three classes for the conditional GAN) and
trained three ways, which take turns for ``ROUNDS`` rounds so that a change in the machine's
load hits all alike (median steps/s reported):

- ``as the search trains``: ``train_gan`` with the search's batch, one Keras epoch per pass over
  the images (about five steps for bcc), as ``python -m ganaug gan-search`` runs it;
- ``one long epoch``: the same ``fit`` on the same batches repeated, ``STEPS`` steps in one
  epoch: what the per-epoch work of Keras (a new iterator, callbacks, logs) costs;
- ``compiled step only``: the GAN's ``train_step`` in one ``tf.function``, called on a batch
  held in memory: the arithmetic of one step with no input pipeline and no Keras loop.

Run by hand (the real data make the bcc count, and so the epoch length, the search's)::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/search_speed.py
"""

from __future__ import annotations

import time

import numpy as np
import tensorflow as tf

from ganaug.classifier import encode_labels
from ganaug.data import select_classes
from ganaug.experiment.arms import MINORITY
from ganaug.experiment.gans import build_gan, is_conditional
from ganaug.experiment.plan import study_data, study_plan
from ganaug.experiment.search import SEARCH_PLANS
from ganaug.experiment.units import seed_splits
from ganaug.gan import to_gan_range, train_gan

#: Steps per round of each way, rounds, warm-up steps (tracing).
STEPS, ROUNDS, WARM_UP = 200, 2, 10


def trainers(kind: str, splits, plan) -> dict:
    """The three ways of training one GAN of ``kind``, each ``train(steps)`` -> steps run."""
    seen = splits.train if is_conditional(kind) else select_classes(splits.train, [MINORITY])
    images = to_gan_range(seen.images).astype(np.float32)
    labels = encode_labels(seen.dx, seen.classes).astype(np.int32) if is_conditional(kind) else None
    batch = min(plan.gan.batch_size, len(seen))
    per_epoch = len(images) // batch
    gan = build_gan(kind, seen, plan.gan, seed=0)
    inputs = (images, labels) if labels is not None else images
    repeated = (
        tf.data.Dataset.from_tensor_slices(inputs)
        .shuffle(len(images), seed=0)
        .batch(batch, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    one_batch = (images[:batch], labels[:batch]) if labels is not None else images[:batch]
    step = tf.function(gan.train_step)

    def as_the_search(steps: int) -> int:
        epochs = max(1, steps // per_epoch)
        train_gan(gan, images, epochs, batch, labels, verbose=0)
        return epochs * per_epoch

    def one_long_epoch(steps: int) -> int:
        gan.fit(repeated, steps_per_epoch=steps, epochs=1, verbose=0)
        return steps

    def compiled_step(steps: int) -> int:
        for _ in range(steps):
            step(one_batch)
        return steps

    ways = {
        "as the search trains": as_the_search,
        "one long epoch": one_long_epoch,
        "compiled step only": compiled_step,
    }
    return {"ways": ways, "per_epoch": per_epoch, "images": len(images), "batch": batch}


def main() -> None:
    plan = study_plan("book")
    splits = seed_splits(study_data("book"), 0, plan.protocol, plan.folds)["lesion"]
    kinds = [kind for kind, _ in SEARCH_PLANS["book"].kinds]
    print(
        f"{tf.config.threading.get_intra_op_parallelism_threads() or 'all'} intra-op threads; "
        f"{ROUNDS} rounds of {STEPS} steps per way after {WARM_UP} warm-up steps; median steps/s"
    )
    for kind in kinds:
        setup = trainers(kind, splits, plan)
        for train in setup["ways"].values():
            train(WARM_UP)
        rates: dict[str, list[float]] = {name: [] for name in setup["ways"]}
        for _ in range(ROUNDS):
            for name, train in setup["ways"].items():
                started = time.perf_counter()
                done = train(STEPS)
                rates[name].append(done / (time.perf_counter() - started))
        print(
            f"\n{kind}: {setup['images']} training images, batch {setup['batch']}, "
            f"{setup['per_epoch']} steps per epoch"
        )
        search_rate = float(np.median(rates["as the search trains"]))
        for name, values in rates.items():
            rate = float(np.median(values))
            rounds = ", ".join(f"{r:.1f}" for r in values)
            print(f"  {name:22s} {rate:6.1f} steps/s  (x{rate / search_rate:.2f}; rounds {rounds})")


if __name__ == "__main__":
    main()
