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

One run on the 2-core development CPU with nothing else running, TensorFlow 2.21 / Keras 3,
2 rounds of 200 steps, median steps/s (x: against the search's way)::

    dcgan: 359 training images, batch 64, 5 steps per epoch
      as the search trains     14.2 steps/s  (x1.00; rounds 14.1, 14.2)
      one long epoch            9.8 steps/s  (x0.69; rounds 9.8, 9.8)
      compiled step only       17.1 steps/s  (x1.21; rounds 16.0, 18.2)
    dcgan_diffaugment: 359 training images, batch 64, 5 steps per epoch
      as the search trains     11.2 steps/s  (x1.00; rounds 11.2, 11.2)
      one long epoch            9.8 steps/s  (x0.87; rounds 9.8, 9.8)
      compiled step only       15.3 steps/s  (x1.37; rounds 15.7, 15.0)
    cgan_diffaugment_ema: 1905 training images, batch 64, 29 steps per epoch
      as the search trains     12.8 steps/s  (x1.00; rounds 12.3, 13.4)
      one long epoch           13.8 steps/s  (x1.08; rounds 13.7, 13.9)
      compiled step only       14.1 steps/s  (x1.10; rounds 14.4, 13.8)

So a 3000-step point takes about 3.5 to 4.5 minutes of training. The Keras loop and input
pipeline around the step cost 10 to 27 % (the compiled step alone against the search's way).
Five-step epochs are not what costs time: one long epoch over a repeated dataset was slower
here for the bcc-only kinds. The arithmetic of the step itself is most of it, so no change to
the training loop would make the search or the study several times faster on this CPU.
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
