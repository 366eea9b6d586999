"""Three spreads side by side (chapter 6): the same training run twice with one seed, other
seeds on one unit, other units. Reads the run-to-run folder (``python -m ganaug run-to-run``)
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
) -> pd.DataFrame:
    """One row per measure: the run-to-run, seed-to-seed and unit-to-unit standard deviations.

    ``runs``: the run-to-run folder's ``runs.csv``. The cell's unit spread is the ``classic``
    arm's over the study's units (``results``); the GAN's is the ``dcgan`` kind's (``quality``);
    the GAN's seed spread is pooled over units from the ``chosen`` kind's K seeds of the same
    recipe (``candidates``: ``gan_candidates.csv``), the cell's comes from the runs' seeds.

    Examples
    --------
    >>> runs = pd.DataFrame({"what": "cell", "seed": [0, 0, 1000], "repeat": [0, 1, 0],
    ...                      "metric": "accuracy", "value": [0.70, 0.70, 0.66]})
    >>> results = pd.DataFrame({"arm": "classic", "seed": [0, 1, 2], "metric": "accuracy",
    ...                         "value": [0.6, 0.7, 0.8]})
    >>> empty = pd.DataFrame(columns=["seed", "generator", "metric", "value", "gan_seed"])
    >>> table = study_spreads(runs, results, empty, empty)
    >>> table.loc["accuracy", ["run to run", "unit to unit"]].round(3).tolist()
    [0.0, 0.1]
    """
    unit_sd: dict[str, float] = {}
    seed_sd: dict[str, float] = {}
    for metric in CELL_METRICS:
        values = results[(results["arm"] == CELL_ARM) & (results["metric"] == metric)]["value"]
        unit_sd[metric] = float(np.std(values, ddof=1)) if len(values) > 1 else np.nan
    for metric in GAN_METRICS:
        rows = quality[(quality["generator"] == GAN_KIND) & (quality["metric"] == metric)]
        unit_sd[metric] = float(np.std(rows["value"], ddof=1)) if len(rows) > 1 else np.nan
        seeded = candidates[candidates["generator"] == SEEDED_KIND]
        if (seeded["metric"] == metric).any():
            seed_sd[metric] = pooled_seed_sd(candidates, SEEDED_KIND, metric)
    return spread_table(runs, seed_sd, unit_sd)
