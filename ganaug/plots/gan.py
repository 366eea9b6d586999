"""Figures of GAN training and its samples (chapter 3)."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def plot_image_grid(
    images: np.ndarray,
    title: str = "",
    columns: int = 8,
    labels: list[str] | None = None,
    row_labels: list[str] | None = None,
) -> Figure:
    """A grid of uint8 images, optionally with a label above each image or left of each row.

    Examples
    --------
    >>> len(plot_image_grid(np.zeros((10, 28, 28, 3), np.uint8), columns=5).axes)
    10
    >>> grid = plot_image_grid(np.zeros((4, 28, 28, 3), np.uint8), columns=2, row_labels=["a", "b"])
    >>> [axis.get_ylabel() for axis in grid.axes[::2]]
    ['a', 'b']
    """
    images = np.asarray(images)
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(f"need a non-empty (N, H, W, 3) array, got shape {images.shape}")
    columns = min(columns, len(images))
    rows = int(np.ceil(len(images) / columns))
    for given, wanted, what in ((labels, len(images), "images"), (row_labels, rows, "rows")):
        if given is not None and len(given) != wanted:
            raise ValueError(f"{len(given)} labels for {wanted} {what}: give one per {what[:-1]}")
    left = 0.9 if row_labels else 0.0
    figure, axes = plt.subplots(rows, columns, figsize=(1.1 * columns + left, 1.15 * rows + 0.4),
                                squeeze=False)  # fmt: skip
    for index, axis in enumerate(axes.ravel()):
        axis.set_xticks([])
        axis.set_yticks([])
        for spine in axis.spines.values():
            spine.set_visible(False)
        if index < len(images):
            axis.imshow(images[index])
            if labels is not None:
                axis.set_title(labels[index], fontsize=10)
    for row, label in enumerate(row_labels or []):
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=11)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_sample_evolution(samples: dict[int, np.ndarray], per_row: int = 8) -> Figure:
    """One row per saved epoch of :class:`ganaug.gan.SampleGrid`, same noise in each column.

    Examples
    --------
    >>> samples = {1: np.zeros((8, 28, 28, 3), np.uint8), 50: np.ones((8, 28, 28, 3), np.uint8)}
    >>> len(plot_sample_evolution(samples).axes)
    16
    """
    if not samples:
        raise ValueError("no samples: train with a SampleGrid callback first")
    epochs = sorted(samples)
    figure, axes = plt.subplots(len(epochs), per_row, squeeze=False,
                                figsize=(1.1 * per_row, 1.2 * len(epochs)))  # fmt: skip
    for row, epoch in enumerate(epochs):
        for column, axis in enumerate(axes[row]):
            axis.set_xticks([])
            axis.set_yticks([])
            if column < len(samples[epoch]):
                axis.imshow(samples[epoch][column])
        axes[row, 0].set_ylabel(f"epoch {epoch}", rotation=0, ha="right", va="center")
    figure.suptitle("Generated from the same noise as training goes on")
    figure.tight_layout()
    return figure


def plot_gan_history(history: keras.callbacks.History | dict) -> Figure:
    """Losses of both players, and the discriminator's mean belief that real / fake are real.

    Examples
    --------
    >>> logs = {name: [0.5, 0.6] for name in ("d_loss", "g_loss", "d_real", "d_fake")}
    >>> [axis.get_ylabel() for axis in plot_gan_history(logs).axes]
    ['loss', "mean probability 'real'"]
    """
    logs = history.history if hasattr(history, "history") else history
    missing = [k for k in ("d_loss", "g_loss", "d_real", "d_fake") if k not in logs]
    if missing:
        raise ValueError(f"history lacks {missing}: pass what DCGAN.fit returned")
    epochs = np.arange(1, len(logs["d_loss"]) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    left.plot(epochs, logs["d_loss"], label="discriminator")
    left.plot(epochs, logs["g_loss"], label="generator")
    left.set_ylabel("loss")
    right.plot(epochs, logs["d_real"], label="D(real)")
    right.plot(epochs, logs["d_fake"], label="D(generated)")
    right.axhline(0.5, color="grey", lw=0.8, ls=":")
    right.set_ylabel("mean probability 'real'")
    right.set_ylim(0, 1)
    for axis in (left, right):
        axis.set_xlabel("epoch")
        axis.legend()
    figure.tight_layout()
    return figure


def plot_nearest_neighbours(
    generated: np.ndarray, references: np.ndarray, nearest: np.ndarray, n: int = 8
) -> Figure:
    """Top row: generated images; bottom row: the closest real training image to each.

    ``nearest`` holds, for each generated image, the index of its neighbour in ``references``
    (``memorisation_table(...)["generated_nearest"]``).

    Examples
    --------
    >>> images = np.zeros((3, 28, 28, 3), np.uint8)
    >>> len(plot_nearest_neighbours(images, images, np.array([2, 0, 1])).axes)
    6
    """
    n = min(n, len(generated))
    figure, axes = plt.subplots(2, n, figsize=(1.2 * n, 2.7), squeeze=False)
    for column in range(n):
        axes[0, column].imshow(generated[column])
        axes[1, column].imshow(references[nearest[column]])
        for row in (0, 1):
            axes[row, column].axis("off")
    axes[0, 0].set_title("generated", loc="left", fontsize=12)
    axes[1, 0].set_title("nearest real (training)", loc="left", fontsize=12)
    figure.tight_layout()
    return figure


def plot_adversarial_game() -> Figure:
    """A diagram of one training step: who sees what, and which loss updates whom.

    Examples
    --------
    >>> len(plot_adversarial_game().axes)
    1
    """
    figure, axis = plt.subplots(figsize=(8, 3.6))
    axis.set_xlim(0, 10)
    axis.set_ylim(0, 3.5)
    axis.axis("off")
    boxes = {
        "noise": (0.9, 2.6, "noise $z$\n100 numbers", "#eeeeee"),
        "generator": (3.1, 2.6, "generator $G$\n$z$ -> 28x28x3", "#cfe2f3"),
        "fake": (5.3, 2.6, "generated\nimages", "#f4cccc"),
        "real": (5.3, 0.9, "real bcc\ntraining images", "#d9ead3"),
        "discriminator": (7.4, 1.75, "discriminator $D$\nimage -> logit", "#fff2cc"),
    }
    for x, y, text, colour in boxes.values():
        axis.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=12,
            bbox={"boxstyle": "round,pad=0.45", "facecolor": colour, "edgecolor": "grey"},
        )
    arrow = {"arrowstyle": "->", "color": "black", "lw": 1.2}
    for start, end in (((1.75, 2.6), (2.1, 2.6)), ((4.1, 2.6), (4.65, 2.6)),
                       ((5.95, 2.45), (6.5, 1.95)), ((6.25, 1.05), (6.5, 1.55))):  # fmt: skip
        axis.annotate("", xy=end, xytext=start, arrowprops=arrow)
    axis.text(9.05, 1.75, "real?\n(1 = real,\n0 = generated)", ha="left", va="center", fontsize=11)
    axis.annotate("", xy=(9.0, 1.75), xytext=(8.4, 1.75), arrowprops=arrow)
    red = {"color": "tab:red", "fontsize": 11, "ha": "center"}
    axis.plot([7.9, 7.9, 3.1], [1.3, 0.15, 0.15], color="tab:red", lw=1, ls="--")
    axis.annotate(
        "",
        xy=(3.1, 2.15),
        xytext=(3.1, 0.15),
        arrowprops={"arrowstyle": "->", "color": "tab:red", "lw": 1, "ls": "--"},
    )
    axis.text(2.0, 1.1, "g_loss updates $G$:\nmake $D$ call\ngenerated images real", **red)
    axis.text(7.6, 3.2, "d_loss updates $D$: real -> 1, generated -> 0", **red)
    figure.tight_layout()
    return figure
