"""Figures of classifier training and evaluation (chapter 2)."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure


def plot_training_curves(history: keras.callbacks.History | dict, title: str = "") -> Figure:
    """Loss and accuracy per epoch, training against validation.

    Examples
    --------
    >>> figure = plot_training_curves({"loss": [1.0, 0.8], "val_loss": [1.1, 0.9],
    ...                                "accuracy": [0.5, 0.6], "val_accuracy": [0.4, 0.5]})
    >>> [axis.get_ylabel() for axis in figure.axes]
    ['loss', 'accuracy']
    """
    logs = history.history if hasattr(history, "history") else history
    if "loss" not in logs:
        raise ValueError("history has no 'loss': pass the History that fit() returned")
    figure, axes = plt.subplots(1, 2, figsize=(8, 3.2))
    epochs = np.arange(1, len(logs["loss"]) + 1)
    for axis, metric in zip(axes, ["loss", "accuracy"], strict=True):
        for prefix, style in (("", "-"), ("val_", "--")):
            if prefix + metric in logs:
                label = "validation" if prefix else "training"
                axis.plot(epochs, logs[prefix + metric], style, label=label)
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.legend()
    figure.suptitle(title or "Training curves")
    figure.tight_layout()
    return figure


def plot_confusion_matrix(table: pd.DataFrame, title: str = "", normalise: bool = True) -> Figure:
    """Heat map of a confusion table (:func:`ganaug.metrics.confusion_table`).

    With ``normalise`` each row is divided by its total, so the diagonal shows per-class recall;
    the counts are printed in each cell either way.

    Examples
    --------
    >>> table = pd.DataFrame([[8, 2], [3, 7]], index=["a", "b"], columns=["a", "b"])
    >>> plot_confusion_matrix(table).axes[0].get_xlabel()
    'predicted'
    """
    counts = table.to_numpy()
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    annotations = np.array(
        [[f"{s:.0%}\n({c})" if normalise else f"{c}" for s, c in zip(sr, cr, strict=True)]
         for sr, cr in zip(shares, counts, strict=True)]
    )  # fmt: skip
    figure, axis = plt.subplots(figsize=(4.2, 3.6))
    sns.heatmap(shares if normalise else counts, annot=annotations, fmt="", cmap="Blues",
                xticklabels=table.columns, yticklabels=table.index, ax=axis, cbar=False,
                vmin=0)  # fmt: skip
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_title(title or "Confusion matrix")
    figure.tight_layout()
    return figure


def plot_augmented_grid(image: np.ndarray, augmentation: keras.Layer, n: int = 15) -> Figure:
    """One image (uint8, 0-255) and ``n`` augmented versions of it.

    The draws come from ``augmentation``'s own seeds (build it with
    ``classic_augmentation(seed=...)`` for a figure that repeats); no global state is reset.

    Examples
    --------
    >>> from ganaug.classifier.augment import classic_augmentation
    >>> image = np.full((28, 28, 3), 128, np.uint8)
    >>> len(plot_augmented_grid(image, classic_augmentation(seed=0), n=3).axes)
    4
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    batch = np.repeat(image[None].astype("float32") / 255.0, n, axis=0)
    augmented = np.asarray(augmentation(batch, training=True))
    columns = min(n + 1, 8)
    rows = int(np.ceil((n + 1) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.0 * columns, 1.1 * rows), squeeze=False)
    for axis in axes.ravel():
        axis.axis("off")
    axes[0, 0].imshow(image)
    axes[0, 0].set_title("original", fontsize=11)
    for index, picture in enumerate(augmented, start=1):
        axes.ravel()[index].imshow(np.clip(picture, 0, 1))
    figure.suptitle("One image and its random augmentations")
    figure.tight_layout()
    return figure
