"""Figures of chapter 6: paired differences over seeds, the leakage effect, GAN quality."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ganaug.metrics import paired_seed_difference, seed_table
from ganaug.verdict import GENERATOR_ORDER, LEAKAGE_ARM, REPORT_ACCURACY, augmentation_arms

#: Panel titles of :func:`plot_gan_quality`.
TITLES = {"fid": "Fréchet distance", "kid": "KID", "memorised_fraction": "memorised fraction"}


def plot_report_intervals(table: pd.DataFrame) -> Figure:
    """The report's two accuracies with their 95 % Wilson intervals for each validation size of
    :func:`ganaug.verdict.report_uncertainty`.

    Examples
    --------
    >>> from ganaug.verdict import report_uncertainty
    >>> plot_report_intervals(report_uncertainty()).axes[0].get_xlabel()
    'accuracy on the validation set (%)'
    """
    figure, axis = plt.subplots(figsize=(6.5, 0.6 + 0.7 * len(table)))
    for offset, (name, accuracy) in zip((-0.12, 0.12), REPORT_ACCURACY.items(), strict=True):
        y = np.arange(len(table)) + offset
        low, high = 100 * table[f"{name} low"], 100 * table[f"{name} high"]
        axis.errorbar(
            100 * np.full(len(table), accuracy),
            y,
            fmt="o",
            capsize=3,
            label=name,
            xerr=[100 * accuracy - low, high - 100 * accuracy],
        )
    axis.set_yticks(np.arange(len(table)))
    axis.set_yticklabels(
        [
            f"{n} images ({f:.0%})"
            for n, f in zip(table["validation_images"], table["fraction"], strict=True)
        ]
    )
    axis.set_xlabel("accuracy on the validation set (%)")
    axis.invert_yaxis()
    axis.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    figure.tight_layout()
    return figure


def plot_paired_differences(
    results: pd.DataFrame,
    baseline: str = "classic",
    metric: str = "balanced_accuracy",
    arms: Sequence[str] | None = None,
) -> Figure:
    """Each arm minus ``baseline``, seed by seed (grey dots), with the mean and its 95 %
    t-interval (black), in percentage points; the dashed line is no difference.

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", "dcgan"] * 3, "seed": [0, 0, 1, 1, 2, 2],
    ...                      "metric": "balanced_accuracy",
    ...                      "value": [0.60, 0.61, 0.58, 0.60, 0.62, 0.62]})
    >>> [t.get_text() for t in plot_paired_differences(long).axes[0].get_yticklabels()]
    ['dcgan']
    """
    table = seed_table(results, metric)
    arms = augmentation_arms(results, baseline) if arms is None else list(arms)
    figure, axis = plt.subplots(figsize=(6.5, 0.8 + 0.45 * len(arms)))
    rng = np.random.default_rng(0)
    for row, arm in enumerate(arms):
        both = table[[baseline, arm]].dropna()
        result = paired_seed_difference(both[baseline], both[arm])
        jitter = rng.uniform(-0.15, 0.15, len(both))
        axis.plot(100 * result["differences"], row + jitter, "o", color="0.6", markersize=3)
        axis.errorbar(
            100 * result["mean"],
            row,
            fmt="o",
            color="black",
            capsize=3,
            xerr=[
                [100 * (result["mean"] - result["low"])],
                [100 * (result["high"] - result["mean"])],
            ],
        )
    axis.axvline(0, color="tab:red", linestyle="--", linewidth=1)
    axis.set_yticks(range(len(arms)))
    axis.set_yticklabels(arms)
    axis.invert_yaxis()
    axis.set_xlabel(f"{metric.replace('_', ' ')}: arm minus {baseline} (percentage points)")
    figure.tight_layout()
    return figure


def plot_leakage(results: pd.DataFrame, metric: str = "balanced_accuracy") -> Figure:
    """``classic`` on the lesion-aware split and on the report's split by image, one line per
    seed.

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", "classic_by_image"] * 2, "seed": [0, 0, 1, 1],
    ...                      "metric": "balanced_accuracy", "value": [0.6, 0.66, 0.58, 0.65]})
    >>> plot_leakage(long).axes[0].get_ylabel()
    'balanced accuracy (%)'
    """
    table = seed_table(results, metric)[["classic", LEAKAGE_ARM]].dropna()
    figure, axis = plt.subplots(figsize=(4.2, 3.6))
    for values in table.to_numpy():  # one seed
        axis.plot([0, 1], 100 * values, "o-", color="0.5", alpha=0.8)
    axis.plot([0, 1], 100 * table.mean().to_numpy(), "s-", color="black", label="mean")
    axis.set_xticks([0, 1])
    axis.set_xticklabels(["split by lesion", "split by image"])
    axis.set_xlim(-0.3, 1.3)
    axis.set_ylabel(f"{metric.replace('_', ' ')} (%)")
    axis.legend(fontsize="small")
    figure.tight_layout()
    return figure


def plot_gan_quality(quality: pd.DataFrame, metrics: Sequence[str] = ("fid", "kid")) -> Figure:
    """``metrics`` of each generator of ``gan_quality.csv``, one dot per seed and the mean (bar).

    Examples
    --------
    >>> quality = pd.DataFrame({"seed": [0, 0, 1, 1], "generator": ["dcgan", "blurred"] * 2,
    ...                         "metric": "fid", "value": [2.0, 9.0, 4.0, 11.0]})
    >>> [a.get_title() for a in plot_gan_quality(quality, ["fid"]).axes]
    ['Fréchet distance']
    """
    present = list(dict.fromkeys(quality["generator"]))
    order = [g for g in GENERATOR_ORDER if g in present] + [
        g for g in present if g not in GENERATOR_ORDER
    ]
    figure, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.4), squeeze=False)
    for axis, metric in zip(axes[0], metrics, strict=True):
        rows = quality[quality["metric"] == metric]
        if rows.empty:
            raise ValueError(f"no rows of metric {metric!r} in the quality table")
        means = rows.groupby("generator")["value"].mean().reindex(order)
        axis.bar(range(len(order)), means.to_numpy(), color="0.85")
        for position, generator in enumerate(order):
            values = rows.loc[rows["generator"] == generator, "value"].to_numpy()
            axis.plot(np.full(len(values), position), values, "o", color="black", markersize=4)
        axis.set_xticks(range(len(order)))
        axis.set_xticklabels(order, rotation=20)
        axis.set_title(TITLES.get(metric, metric))
        axis.axhline(0, color="0.3", linewidth=0.8)
    figure.tight_layout()
    return figure
