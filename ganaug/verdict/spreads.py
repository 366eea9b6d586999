"""Four spreads side by side (chapter 6): the same training run twice with one seed on one
machine, the same piece as the committed study computed it on another machine, other seeds on
one unit, other units. Reads the run-to-run folder (``python -m ganaug run-to-run``)
and the study's own rows; the arithmetic is :func:`ganaug.experiment.run_to_run.spread_table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ganaug.experiment.run_to_run import CELL_METRICS, GAN_METRICS, pooled_seed_sd, spread_table

#: The study's rows each spread is read from: the cell is the ``classic`` arm, the GAN the
#: ``dcgan`` kind (whose recipe ``chosen`` trains with K seeds per unit).
CELL_ARM, GAN_KIND, SEEDED_KIND = "classic", "dcgan", "chosen"


def study_spreads(
    runs: pd.DataFrame,
    results: pd.DataFrame,
    quality: pd.DataFrame,
    candidates: pd.DataFrame,
    unit: int = 0,
) -> pd.DataFrame:
    """One row per measure: the run-to-run, machine-to-machine, seed-to-seed and unit-to-unit
    standard deviations (``unit``: the unit the runs were made on).

    ``runs``: the run-to-run folder's ``runs.csv``. The cell's unit spread is the ``classic``
    arm's over the study's units (``results``); the GAN's is the ``dcgan`` kind's (``quality``);
    the GAN's seed spread is pooled over units from the ``chosen`` kind's K seeds of the same
    recipe (``candidates``: ``gan_candidates.csv``), the cell's comes from the runs' seeds. The
    machine-to-machine spread sets the runs against the study's own numbers for ``unit``: its
    ``classic`` cell, and its ``dcgan`` GAN as measured on the study's extractor.

    Examples
    --------
    >>> runs = pd.DataFrame({"what": "cell", "seed": [0, 0, 1000], "repeat": [0, 1, 0],
    ...                      "metric": "accuracy", "value": [0.70, 0.70, 0.66]})
    >>> results = pd.DataFrame({"arm": "classic", "seed": [0, 1, 2], "metric": "accuracy",
    ...                         "value": [0.6, 0.7, 0.8]})
    >>> empty = pd.DataFrame(columns=["seed", "generator", "metric", "value", "gan_seed"])
    >>> table = study_spreads(runs, results, empty, empty)
    >>> columns = ["run to run", "machine to machine", "unit to unit"]
    >>> table.loc["accuracy", columns].round(3).tolist()
    [0.0, 0.071, 0.1]
    """
    unit_sd: dict[str, float] = {}
    seed_sd: dict[str, float] = {}
    committed: dict[str, float] = {}
    for metric in CELL_METRICS:
        rows = results[(results["arm"] == CELL_ARM) & (results["metric"] == metric)]
        unit_sd[metric] = float(np.std(rows["value"], ddof=1)) if len(rows) > 1 else np.nan
        committed[metric] = _at(rows, unit)
    for metric in GAN_METRICS:
        rows = quality[(quality["generator"] == GAN_KIND) & (quality["metric"] == metric)]
        unit_sd[metric] = float(np.std(rows["value"], ddof=1)) if len(rows) > 1 else np.nan
        committed[metric] = _at(rows, unit)
        seeded = candidates[candidates["generator"] == SEEDED_KIND]
        if (seeded["metric"] == metric).any():
            seed_sd[metric] = pooled_seed_sd(candidates, SEEDED_KIND, metric)
    return spread_table(runs, seed_sd, unit_sd, committed)


def _at(rows: pd.DataFrame, unit: int) -> float:
    values = rows.loc[rows["seed"] == unit, "value"]
    return float(values.iloc[0]) if len(values) else np.nan
