"""Figures of the generator-quality curve (chapter 4): quality against optimizer steps, with
the real-half and blurred-real references, and samples at each checkpoint."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ganaug.plots.gan import plot_image_grid

LABELS = {
    "fid": "FID (lower is closer)",
    "diversity": "diversity",
    "near_duplicates": "near-duplicate pairs",
    "checkerboard": "checkerboard score",
    "precision": "precision",
    "recall": "recall",
    "gan_test": "GAN-test",
}
REFERENCE_STYLE = {"real_half": ("k", "--"), "blurred": ("tab:gray", ":")}


def plot_quality_curve(
    curve: pd.DataFrame, metrics: Sequence[str] = ("fid", "diversity", "recall", "checkerboard")
) -> Figure:
    """One panel per metric (two to a row): each generator against steps, the references as
    flat lines.

    Examples
    --------
    >>> rows = pd.DataFrame({"generator": ["real_half", "dcgan", "dcgan"], "steps": [0, 1, 2],
    ...                      "metric": "fid", "value": [1.0, 9.0, 4.0]})
    >>> len(plot_quality_curve(rows, ["fid"]).axes)
    1
    """
    columns = min(2, len(metrics))
    rows_of_panels = -(-len(metrics) // columns)
    figure, axes = plt.subplots(
        rows_of_panels, columns, figsize=(4.2 * columns, 3.2 * rows_of_panels), squeeze=False
    )
    for axis in axes.ravel()[len(metrics) :]:
        axis.set_visible(False)
    for axis, metric in zip(axes.ravel(), metrics, strict=False):
        rows = curve[curve["metric"] == metric]
        for generator, group in rows[rows["steps"] > 0].groupby("generator"):
            group = group.sort_values("steps")
            axis.plot(group["steps"], group["value"], "o-", label=generator)
        for name, (colour, style) in REFERENCE_STYLE.items():
            value = rows.loc[rows["generator"] == name, "value"]
            if len(value):
                axis.axhline(float(value.iloc[0]), color=colour, linestyle=style, label=name)
        steps = sorted(rows.loc[rows["steps"] > 0, "steps"].unique())
        axis.set_xscale("log")
        axis.set_xticks(steps, [f"{int(step):,}" for step in steps], fontsize=8)
        axis.minorticks_off()
        axis.set_xlabel("optimizer steps")
        axis.set_title(LABELS.get(metric, metric), fontsize=10)
    axes[0, 0].legend(fontsize=8)
    figure.tight_layout()
    return figure


def plot_curve_samples(
    folder: str | Path, generators: Sequence[str], steps: Sequence[int], n: int = 8
) -> Figure:
    """``n`` generated bcc per generator and checkpoint, one row each, from ``samples/``."""
    rows, names = [], []
    for generator in generators:
        for step in steps:
            path = Path(folder) / "samples" / f"{generator}_{step}.npz"
            if path.exists():
                with np.load(path) as saved:
                    rows.append(saved["images"][:n])
                names.append(f"{generator}\n{step}")
    if not rows:
        raise ValueError(f"no samples in {Path(folder) / 'samples'} for {list(generators)}")
    return plot_image_grid(np.concatenate(rows), columns=n, row_labels=names)
