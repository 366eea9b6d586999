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
    """Bar chart of images and lesions per class, from :func:`ganaug.data.stats.class_counts`.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> from ganaug.data.stats import class_counts
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

    ``table`` comes from :func:`ganaug.data.stats.channel_means`. Densities are normalised within
    each class, so a small class is as visible as a large one.
    """
    missing = [c for c in ["dx", *CHANNELS] if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks {missing}; make it with ganaug.data.stats.channel_means")
    # Two by two, not one row of four: at the width of a book page its labels stay readable.
    figure, axes = plt.subplots(2, 2, figsize=(8, 6), sharey=False)
    order = sorted(table["dx"].unique())
    for axis, (column, label) in zip(axes.ravel(), CHANNELS.items(), strict=True):
        sns.kdeplot(data=table, x=column, hue="dx", hue_order=order, common_norm=False,
                    ax=axis, fill=True, alpha=0.25, legend=axis is axes[0, 1])  # fmt: skip
        axis.set_xlabel(f"mean {label} (0-255)", fontsize=11)
        axis.set_ylabel("density", fontsize=11)
        axis.set_title(label, fontsize=12)
        axis.tick_params(labelsize=10)
    figure.suptitle("Per-image mean colour by class" + _title_note(source), fontsize=13)
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
    >>> len(figure.axes), figure.axes[0].get_ylabel()
    (6, 'bcc')
    """
    if n_per_class < 1:
        raise ValueError("n_per_class must be at least 1")
    classes = classes or data.classes
    rng = np.random.default_rng(seed)
    # About 8 inches wide, so that at the width of a book page the labels stay readable.
    size = (0.7 * n_per_class + 1.0, 0.8 * len(classes) + 0.7)
    figure, axes = plt.subplots(len(classes), n_per_class, squeeze=False, figsize=size)
    for row, code in enumerate(classes):
        rows = np.flatnonzero(data.dx == code)
        chosen = rng.choice(rows, size=min(n_per_class, len(rows)), replace=False)
        for column, axis in enumerate(axes[row]):
            axis.set_xticks([])
            axis.set_yticks([])
            for spine in axis.spines.values():
                spine.set_visible(False)
            if column < len(chosen):
                axis.imshow(data.images[chosen[column]])
        axes[row, 0].set_ylabel(code, rotation=0, ha="right", va="center", fontsize=13)
    names = ", ".join(f"{code} = {CLASS_NAMES.get(code, code)}" for code in classes)
    figure.suptitle(
        "Random images per class" + _title_note(data.source) + "\n" + names, fontsize=11
    )
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
