"""Generator quality against its targets, for reading (chapter 6).

The targets themselves, with their definitions, thresholds and reasons, are declared once in
:mod:`ganaug.metrics.targets` (chapter 4 shows them); this module puts a generator's results
against them into a sentence and a table.
"""

from __future__ import annotations

import pandas as pd

from ganaug.experiment.arms import MINORITY as MINORITY_CLASS
from ganaug.metrics.targets import (
    QUALITY_TARGETS,
    REFERENCES,
    TARGETS,
    get_target,
    quality_per_unit,
    quality_targets,
)

__all__ = [
    "REFERENCES",
    "TARGETS",
    "describe_targets",
    "half_images",
    "target_intervals_display",
    "quality_per_unit",
    "quality_targets",
]


def describe_targets(targets: pd.DataFrame, generator: str) -> str:
    """A sentence on which targets ``generator`` met and which it missed (``targets``: the
    table of :func:`~ganaug.metrics.targets.quality_targets`).

    Examples
    --------
    >>> table = pd.DataFrame({name: [True] for name in TARGETS}, index=["dcgan"])
    >>> table.loc["dcgan", "fid_near_reference"] = False
    >>> describe_targets(table, "dcgan")
    'dcgan met 6 of 7 targets; it missed: mean FID at most twice the real-half reference.'
    """
    row = targets.loc[generator]
    missed = [target.label for target in QUALITY_TARGETS if not row[target.name]]
    if not missed:
        return f"{generator} met all {len(TARGETS)} targets."
    met = len(TARGETS) - len(missed)
    return f"{generator} met {met} of {len(TARGETS)} targets; it missed: {'; '.join(missed)}."


def half_images(predictions: pd.DataFrame, arm: str = "classic") -> dict[int, int]:
    """Per unit, about how many test bcc each lesion-disjoint half holds (half the unit's test
    bcc, rounded down; the halving by lesion makes the second half at most that), from the
    per-image predictions of ``arm`` (for :func:`~ganaug.metrics.target_intervals.real_pass_rates`).

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": "classic", "seed": [0, 0, 0, 1], "true": ["bcc", "bcc",
    ...                      "bcc", "bcc"]})
    >>> half_images(rows)
    {0: 1, 1: 0}
    """
    mine = predictions[(predictions["arm"] == arm) & (predictions["true"] == MINORITY_CLASS)]
    return {int(unit): int(len(rows)) // 2 for unit, rows in mine.groupby("seed")}


def target_intervals_display(intervals: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """:func:`~ganaug.metrics.target_intervals.target_intervals` for reading: one row per target,
    one column per generator, each cell the estimate with its 95 % interval and the verdict.

    Examples
    --------
    >>> rows = pd.DataFrame({"generator": ["g"], "target": ["recall"], "estimate": [0.53],
    ...     "low": [0.47], "high": [0.59], "verdict": ["missed"]}).set_index(["generator",
    ...     "target"])
    >>> target_intervals_display(rows).loc["recall at least 0.8 times real", "g"]
    '0.53 (0.47 to 0.59): missed'
    """
    cells = {}
    for (generator, name), row in intervals.iterrows():
        bounds = (
            "no interval"
            if pd.isna(row["low"])
            else f"{row['low']:.{decimals}f} to {row['high']:.{decimals}f}"
        )
        cells.setdefault(generator, {})[get_target(name).label] = (
            f"{row['estimate']:.{decimals}f} ({bounds}): {row['verdict']}"
        )
    frame = pd.DataFrame(cells)
    frame.index.name = "target"
    return frame
