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


def plot_seed_spread(gans: pd.DataFrame, search: pd.DataFrame, metric: str = "fid") -> Figure:
    """The generator search's spread over GAN seeds: one panel per unit, each candidate's GANs
    as dots (the one validation kept as a star), the unit's real half, twice it (the target)
    and the blurred real half as flat lines (``gans``:
    :func:`ganaug.experiment.search_report.every_gan`; ``search``: the search's rows).

    Examples
    --------
    >>> gans = pd.DataFrame({"candidate": "dcgan@3000", "unit": 0, "gan_seed": [0, 1],
    ...                      "fid": [2.0, 3.0], "kept": [True, False]})
    >>> search = pd.DataFrame({"unit": 0, "candidate": ["real_half", "blurred"],
    ...                        "gan_seed": -1, "metric": "fid", "value": [1.0, 6.0]})
    >>> len(plot_seed_spread(gans, search).axes)
    1
    """
    units = sorted(gans["unit"].unique())
    candidates = sorted(gans["candidate"].unique())
    figure, axes = plt.subplots(1, len(units), figsize=(4.2 * len(units), 3.6), sharey=True,
                                squeeze=False)  # fmt: skip
    references = search[(search["gan_seed"] < 0) & (search["metric"] == metric)]
    for ax, unit in zip(axes[0], units, strict=True):
        for x, name in enumerate(candidates):
            mine = gans[(gans["unit"] == unit) & (gans["candidate"] == name)]
            ax.scatter(np.full(len(mine), x), mine[metric], color="tab:blue", alpha=0.6)
            kept = mine[mine["kept"]]
            label = "kept on validation" if x == 0 else None
            ax.scatter(np.full(len(kept), x), kept[metric], marker="*", s=180,
                       color="tab:orange", zorder=3, label=label)  # fmt: skip
        values = references[references["unit"] == unit].set_index("candidate")["value"]
        for name, (color, style) in REFERENCE_STYLE.items():
            if name in values:
                ax.axhline(values[name], color=color, linestyle=style, label=name.replace("_", " "))
        if "real_half" in values:
            ax.axhline(2 * values["real_half"], color="tab:green", linestyle="-.", linewidth=1,
                       label="target: twice the real half")  # fmt: skip
        ax.set_xticks(range(len(candidates)), candidates, fontsize=7, rotation=30, ha="right")
        ax.set_title(f"unit {unit}")
    axes[0][0].set_ylabel(LABELS.get(metric, metric))
    axes[0][-1].legend(fontsize=7, loc="upper right")
    figure.tight_layout()
    return figure
