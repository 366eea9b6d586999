"""Figures of chapter 3's 2-D toy GAN: generated points against the real ones, step by step."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def _points(values, name: str) -> np.ndarray:
    points = np.asarray(values, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"{name} must be a non-empty (N, 2) array of points, got {points.shape}")
    return points


def plot_toy_snapshots(
    real: np.ndarray,
    snapshots: dict[int, np.ndarray],
    columns: int = 4,
    limit: float = 3.0,
) -> Figure:
    """One panel per saved step: the real points in grey, the generated ones in colour.

    ``real`` is an ``(N, 2)`` array of real points, ``snapshots`` maps a step number to the
    ``(M, 2)`` points the generator drew at that step (the same noise each time). Panels are
    laid out ``columns`` to a row, each showing ``[-limit, limit]`` on both axes. A collapsed
    generator may throw its points far from the data: a panel's title counts the generated
    points outside its frame.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> figure = plot_toy_snapshots(rng.normal(size=(50, 2)), {100: rng.normal(size=(20, 2)),
    ...                                                         200: rng.normal(size=(20, 2))})
    >>> [axis.get_title() for axis in figure.axes]
    ['step 100', 'step 200']
    >>> plot_toy_snapshots(np.zeros((5, 3)), {1: np.zeros((5, 2))})
    Traceback (most recent call last):
    ...
    ValueError: real must be a non-empty (N, 2) array of points, got (5, 3)
    """
    real = _points(real, "real")
    if not snapshots:
        raise ValueError("snapshots is empty: give at least one {step: points}")
    snapshots = {step: _points(points, f"snapshots[{step}]") for step, points in snapshots.items()}
    if columns < 1 or limit <= 0:
        raise ValueError(f"need columns >= 1 and limit > 0, got columns={columns}, limit={limit}")
    steps = sorted(snapshots)
    columns = min(columns, len(steps))
    rows = -(-len(steps) // columns)
    figure, axes = plt.subplots(
        rows, columns, figsize=(2.3 * columns, 2.4 * rows), squeeze=False, sharex=True, sharey=True
    )
    for axis in axes.ravel()[len(steps) :]:
        axis.remove()
    for axis, step in zip(axes.ravel(), steps, strict=False):
        generated = snapshots[step]
        axis.scatter(*real.T, s=3, color="lightgrey", label="real")
        axis.scatter(*generated.T, s=3, color="tab:orange", alpha=0.6, label="generated")
        axis.set_xlim(-limit, limit)
        axis.set_ylim(-limit, limit)
        axis.set_aspect("equal")
        axis.set_xticks([])
        axis.set_yticks([])
        outside = int((np.abs(generated) > limit).any(axis=1).sum())
        axis.set_title(f"step {step}" + (f" ({outside} outside)" if outside else ""), fontsize=10)
    figure.axes[0].legend(loc="center", fontsize=8, markerscale=3, frameon=False)
    figure.tight_layout()
    return figure
