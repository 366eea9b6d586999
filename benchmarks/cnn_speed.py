"""CNN speed on this machine: seconds per epoch (book profile sizes) and the input pipeline.

Run by hand, on real data for meaningful numbers::

    GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python benchmarks/cnn_speed.py

Prints:
- seconds per training epoch of ``fit_classifier`` (tf.data + augmentation, batch 64);
- images/s of the tf.data pipeline alone, with and without augmentation;
- images/s of ``model.fit`` fed by the tf.data pipeline with augmentation against ``model.fit``
  fed the numpy arrays directly (no augmentation), and their ratio.
"""

from __future__ import annotations

import time

import keras
import numpy as np

from ganaug.classifier import build_cnn, encode_labels, fit_classifier, make_dataset
from ganaug.classifier.augment import classic_augmentation
from ganaug.data import lesson_data, report_split

EPOCHS = 3


def images_per_second(dataset, n_images: int, repeats: int = 3) -> float:
    for _ in dataset:  # warm-up pass
        pass
    started = time.perf_counter()
    for _ in range(repeats):
        for _ in dataset:
            pass
    return repeats * n_images / (time.perf_counter() - started)


def fit_rate(model: keras.Model, fit_kwargs: dict, n_images: int) -> float:
    model.fit(epochs=1, verbose=0, **fit_kwargs)  # warm-up: tracing and graph building
    started = time.perf_counter()
    model.fit(epochs=EPOCHS, verbose=0, **fit_kwargs)
    return EPOCHS * n_images / (time.perf_counter() - started)


def main() -> None:
    data = lesson_data()
    splits = report_split(data, seed=0)
    train, classes = splits.train, data.classes
    n = len(train)

    model = build_cnn(len(classes))
    started = time.perf_counter()
    fit_classifier(model, train, splits.val, epochs=EPOCHS, patience=EPOCHS, verbose=0)
    print(
        f"fit_classifier: {(time.perf_counter() - started) / EPOCHS:.2f} s per epoch "
        f"({n} training images, batch 64, first epoch included)"
    )

    plain = make_dataset(train, classes, 64, training=True)
    augmented = make_dataset(train, classes, 64, True, classic_augmentation(seed=0))
    print(
        f"pipeline alone: {images_per_second(plain, n):.0f} images/s without augmentation, "
        f"{images_per_second(augmented, n):.0f} with"
    )

    x = train.images.astype(np.float32) / 255.0
    y = encode_labels(train.dx, classes)
    with_pipeline = fit_rate(build_cnn(len(classes)), {"x": augmented}, n)
    with_numpy = fit_rate(build_cnn(len(classes)), {"x": x, "y": y, "batch_size": 64}, n)
    print(
        f"model.fit: tf.data + augmentation {with_pipeline:.0f} images/s, numpy arrays "
        f"{with_numpy:.0f} images/s, ratio {with_pipeline / with_numpy:.2f}"
    )


if __name__ == "__main__":
    main()
