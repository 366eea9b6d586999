"""Figures of the data itself (chapter 1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from ganaug.data.core import CLASS_NAMES, LesionData

CHANNELS = {"mean_r": "red", "mean_g": "green", "mean_b": "blue", "grey": "grey"}


def _title_note(data_source: str | None) -> str:
    return " (SYNTHETIC stand-in)" if data_source == "synthetic" else ""


def plot_class_counts(counts: pd.DataFrame, source: str | None = None) -> Figure:
    """Bar chart of images and lesions per class, from :func:`ganaug.stats.class_counts`.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> from ganaug.stats import class_counts
    >>> figure = plot_class_counts(class_counts(synthetic_lesions(n_per_class=5)), "synthetic")
    >>> figure.axes[0].get_title()
    'Images and lesions per class (SYNTHETIC stand-in)'
    """
    figure, axis = plt.subplots(figsize=(7, 3.5))
    counts[["images", "lesions"]].plot.bar(ax=axis, color=["#4c72b0", "#dd8452"], rot=0)
    axis.set_xlabel("diagnosis")
    axis.set_ylabel("count")
    axis.set_title("Images and lesions per class" + _title_note(source))
    for container in axis.containers:
        axis.bar_label(container, fontsize=8)
    figure.tight_layout()
    return figure


def plot_channel_distributions(table: pd.DataFrame, source: str | None = None) -> Figure:
    """Per-class distributions of mean R, G, B and grey (one panel each), as in the report.

    ``table`` comes from :func:`ganaug.stats.channel_means`. Densities are normalised within
    each class, so a small class is as visible as a large one.
    """
    missing = [c for c in ["dx", *CHANNELS] if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks {missing}; make it with ganaug.stats.channel_means")
    figure, axes = plt.subplots(1, 4, figsize=(14, 3.4), sharey=False)
    order = sorted(table["dx"].unique())
    for axis, (column, label) in zip(axes, CHANNELS.items(), strict=True):
        sns.kdeplot(data=table, x=column, hue="dx", hue_order=order, common_norm=False,
                    ax=axis, fill=True, alpha=0.25, legend=axis is axes[-1])  # fmt: skip
        axis.set_xlabel(f"mean {label} (0-255)")
        axis.set_title(label)
    figure.suptitle("Per-image mean colour by class" + _title_note(source))
    figure.tight_layout()
    return figure


def plot_sample_grid(
    data: LesionData, n_per_class: int = 8, seed: int = 0, classes: list[str] | None = None
) -> Figure:
    """A grid of random images, one row per class.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> figure = plot_sample_grid(synthetic_lesions(n_per_class=3), n_per_class=2)
    >>> len(figure.axes)
    6
    """
    if n_per_class < 1:
        raise ValueError("n_per_class must be at least 1")
    classes = classes or data.classes
    rng = np.random.default_rng(seed)
    figure, axes = plt.subplots(len(classes), n_per_class, squeeze=False,
                                figsize=(1.2 * n_per_class, 1.3 * len(classes)))  # fmt: skip
    for row, code in enumerate(classes):
        rows = np.flatnonzero(data.dx == code)
        chosen = rng.choice(rows, size=min(n_per_class, len(rows)), replace=False)
        for column, axis in enumerate(axes[row]):
            axis.axis("off")
            if column < len(chosen):
                axis.imshow(data.images[chosen[column]])
        axes[row, 0].set_title(f"{code}: {CLASS_NAMES.get(code, code)}", loc="left", fontsize=9)
    figure.suptitle("Random images per class" + _title_note(data.source))
    figure.tight_layout()
    return figure


def plot_images_per_lesion(per_lesion: pd.Series, source: str | None = None) -> Figure:
    """Bar chart of how many lesions have 1, 2, 3, ... images."""
    figure, axis = plt.subplots(figsize=(5, 3))
    axis.bar(per_lesion.index.astype(str), per_lesion.to_numpy(), color="#55a868")
    axis.set_xlabel("images of the same lesion")
    axis.set_ylabel("lesions")
    axis.set_yscale("log")
    axis.set_title("Lesions photographed more than once" + _title_note(source))
    figure.tight_layout()
    return figure
