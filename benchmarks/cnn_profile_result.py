"""What the CNN of chapter 2 reaches under a profile: the lesson's lesion-aware run, on its own.

Trains ``build_cnn`` on ``report_split(data, seed=0)`` (the report's proportions, by lesion)
for the profile's ``cnn_epochs`` with its ``cnn_patience``, exactly as ``lessons/02_cnn.ipynb``
does, and prints the epochs run, the wall time, and the test metrics. Run by hand, e.g. for
the ``full`` profile::

    GANAUG_PROFILE=full GANAUG_DATA_DIR=/path/to/HAM10000 .venv/bin/python \\
        benchmarks/cnn_profile_result.py
"""

from __future__ import annotations

import time

from ganaug.classifier import build_cnn, fit_classifier, predict
from ganaug.config import get_profile
from ganaug.data import lesson_data, report_split
from ganaug.metrics import accuracy_with_interval, classification_metrics


def main() -> None:
    profile = get_profile()
    data = lesson_data()
    splits = report_split(data, seed=0)
    model = build_cnn(len(data.classes))
    started = time.perf_counter()
    history = fit_classifier(
        model,
        splits.train,
        splits.val,
        epochs=profile.cnn_epochs,
        patience=profile.cnn_patience,
        verbose=0,
    )
    seconds = time.perf_counter() - started
    predictions = predict(model, splits.test)
    result = classification_metrics(splits.test.dx, predictions, data.classes)
    interval = accuracy_with_interval(splits.test.dx, predictions)
    epochs = len(history.history["loss"])
    limits = f"at most {profile.cnn_epochs}, patience {profile.cnn_patience}"
    print(
        f"profile {profile.name}: {epochs} epochs ({limits}) in {seconds:.0f} s, "
        f"{seconds / epochs:.1f} s per epoch"
    )
    print(
        f"accuracy {result['accuracy']:.3f} (95% Wilson {interval['low']:.3f}-"
        f"{interval['high']:.3f}, n = {interval['n']}), balanced accuracy "
        f"{result['balanced_accuracy']:.3f}, recall "
        + ", ".join(f"{c} {r:.3f}" for c, r in result["recall"].items())
    )


if __name__ == "__main__":
    main()
