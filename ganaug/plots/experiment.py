"""Figures of the chapter 5 study: every arm over its seeds, the synthetic-count sweep, and real
next to generated bcc."""

from __future__ import annotations

import base64
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ganaug.data.core import LesionData, select_classes
from ganaug.experiment.arms import ARMS, SWEEP
from ganaug.experiment.store import load_results

LABELS = {
    "balanced_accuracy": "balanced accuracy",
    "recall_bcc": "bcc recall",
    "accuracy": "accuracy",
    "macro_f1": "macro-F1",
}


def plot_arms(results: pd.DataFrame, metric: str = "balanced_accuracy") -> Figure:
    """One row per arm: each seed's value (dots) and the mean over seeds (bar).

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": ["classic", "none"], "seed": [0, 0],
    ...                      "metric": "balanced_accuracy", "value": [0.6, 0.5]})
    >>> plot_arms(rows).axes[0].get_xlabel()
    'balanced accuracy'
    """
    values = results[results["metric"] == metric]
    if values.empty:
        raise ValueError(f"no {metric!r} rows in the results")
    arms = [arm for arm in ARMS if arm in set(values["arm"])]
    figure, axis = plt.subplots(figsize=(7, 0.42 * len(arms) + 1.2))
    for row, arm in enumerate(arms):
        points = values.loc[values["arm"] == arm, "value"].to_numpy()
        axis.barh(row, points.mean(), color="#9ecae1" if arm != "classic" else "#fdae6b")
        axis.plot(points, np.full(len(points), row), "o", color="#08306b", markersize=4)
    axis.set_yticks(range(len(arms)), arms)
    axis.invert_yaxis()
    axis.set_xlabel(LABELS.get(metric, metric))
    low = values["value"].min()
    axis.set_xlim(max(0.0, low - 0.1), min(1.0, values["value"].max() + 0.05))
    axis.set_title(f"{LABELS.get(metric, metric)} per arm: bar = mean, dots = units")
    figure.tight_layout()
    return figure


def plot_sweep(results: pd.DataFrame) -> Figure:
    """Balanced accuracy and bcc recall against the number of DCGAN images added."""
    rows = results[results["arm"].isin(SWEEP)]
    pivot = rows.pivot_table(index=["arm", "seed"], columns="metric", values="value")
    if pivot.empty or "n_synthetic" not in pivot:
        raise ValueError("no sweep arms in the results")
    figure, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharex=True)
    for axis, metric in zip(axes, ["balanced_accuracy", "recall_bcc"], strict=True):
        for seed, group in pivot.groupby(level="seed"):
            group = group.sort_values("n_synthetic")
            axis.plot(group["n_synthetic"], group[metric], "o-", alpha=0.6, label=f"seed {seed}")
        mean = pivot.groupby(level="arm")[["n_synthetic", metric]].mean().sort_values("n_synthetic")
        axis.plot(mean["n_synthetic"], mean[metric], "k-", linewidth=2.5, label="mean")
        axis.set_xlabel("DCGAN bcc images added")
        axis.set_ylabel(LABELS[metric])
    axes[0].legend(fontsize=8)
    figure.suptitle("More synthetic images (0, 0.5x, 1x, 2x, 4x the real bcc count)")
    figure.tight_layout()
    return figure


def plot_real_and_generated(
    real: np.ndarray, generated: dict[str, np.ndarray], n: int = 8, title: str = ""
) -> Figure:
    """One labelled row of real bcc images and one row per generator."""
    rows = {"real bcc": real[:n], **{name: images[:n] for name, images in generated.items()}}
    figure, axes = plt.subplots(
        len(rows), n, figsize=(1.1 * n + 1.2, 1.2 * len(rows) + 0.4), squeeze=False
    )
    for axes_row, (name, images) in zip(axes, rows.items(), strict=True):
        for index, axis in enumerate(axes_row):
            axis.set_xticks([])
            axis.set_yticks([])
            if index < len(images):
                axis.imshow(images[index])
        axes_row[0].set_ylabel(name, rotation=0, ha="right", va="center")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def save_study_figures(folder: str | Path) -> list[Path]:
    """Draw the arm and sweep figures of the results folder ``folder`` into ``folder/figures``."""
    folder = Path(folder)
    results = load_results(folder)
    figures = {
        "arms_balanced_accuracy.png": lambda: plot_arms(results),
        "arms_recall_bcc.png": lambda: plot_arms(results, "recall_bcc"),
    }
    if len(set(results["arm"]) & set(SWEEP)) > 1:
        figures["sweep.png"] = lambda: plot_sweep(results)
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in figures.items():
        figure = draw()
        figure.savefig(folder / "figures" / name, dpi=100)
        plt.close(figure)
        written.append(folder / "figures" / name)
    return written


def save_sample_figures(
    folder: str | Path,
    data: LesionData,
    seeds: list[int],
    cache: Path,
    protocol: str = "resampled",
    k: int = 5,
    kept: dict[tuple[str, int], int] | None = None,
) -> list[Path]:
    """Per unit, eight real training bcc beside eight images of each cached generator pool,
    written as ``folder/figures/samples_seed<N>.png`` (units split by ``protocol``). ``kept``
    gives, per ``(generator, unit)``, which of a kind's K GANs the unit kept (``run.json``'s
    choices, :func:`kept_candidates`; a kind it does not name: the first)."""
    # here, not at the top: these modules train, and import TensorFlow, which the pages that
    # only read a folder's CSVs need not start
    from ganaug.experiment.gans import GENERATORS, pool_path
    from ganaug.experiment.units import candidate_folder, seed_splits

    folder, written, kept = Path(folder), [], kept or {}
    for seed in seeds:
        pools = {}
        for generator in GENERATORS:
            candidate = kept.get((generator, seed), 0)
            path = pool_path(candidate_folder(cache, seed, candidate), generator)
            if path.exists():
                with np.load(path) as cached:
                    pools[generator] = cached["images"][:8]
        if not pools:
            continue
        train = seed_splits(data, seed, protocol, k)["lesion"].train
        real = select_classes(train, ["bcc"]).images[:8]
        figure = plot_real_and_generated(real, pools, title=f"unit {seed}: real and generated bcc")
        (folder / "figures").mkdir(parents=True, exist_ok=True)
        figure.savefig(folder / "figures" / f"samples_seed{seed}.png", dpi=100)
        plt.close(figure)
        written.append(folder / "figures" / f"samples_seed{seed}.png")
    return written


def kept_candidates(run: dict) -> dict[tuple[str, int], int]:
    """Which GAN each unit kept of each kind, ``(generator, unit) -> candidate``, from a
    ``run.json``'s choice pieces.

    Examples
    --------
    >>> kept_candidates({"pieces": {"choice/chosen/u3": {"kept": 2}, "cell/none/u3": {}}})
    {('chosen', 3): 2}
    """
    kept = {}
    for key, record in (run.get("pieces") or {}).items():
        kind, *rest = key.split("/")
        if kind == "choice" and "kept" in record:
            kept[(rest[0], int(rest[1][1:]))] = int(record["kept"])
    return kept


def sample_figures(folder: str | Path) -> list[Path]:
    """The real-and-generated figures a study saved (:func:`save_sample_figures`), in unit order
    (``samples_seed10`` after ``samples_seed9``)."""
    saved = Path(folder, "figures").glob("samples_seed*.png")
    return sorted(saved, key=lambda path: int(path.stem.removeprefix("samples_seed")))


def figure_tiles(paths: list[Path], per_row: int = 2) -> str:
    """HTML that shows the PNG files ``paths`` ``per_row`` to a row, embedded, so that a page
    shows many units' figures in the height of a few (display it with ``IPython.display.HTML``).

    Examples
    --------
    >>> figure_tiles([])
    '<div></div>'
    """
    if per_row < 1:
        raise ValueError(f"per_row must be at least 1, got {per_row}")
    width = f"{100 / per_row - 0.5:.1f}%"
    tiles = "".join(
        f'<img src="data:image/png;base64,{base64.b64encode(Path(path).read_bytes()).decode()}" '
        f'alt="{Path(path).stem}" style="width:{width}">'
        for path in paths
    )
    return f"<div>{tiles}</div>"
