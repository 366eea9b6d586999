"""The generator search's choice in the study (the arms ``chosen`` and ``chosen_no_classic``):
each against ``classic`` and against ``class_weight`` with both intervals.

Against ``classic`` a chosen arm is one of the study's secondary comparisons (judged with Holm's
adjustment over that family, :func:`ganaug.experiment.primary_table`); against ``class_weight``,
the cheapest remedy for the small class, it is a description beside them, never judged.
"""

from __future__ import annotations

import pandas as pd

from ganaug.experiment.primary import PRIMARY_METRIC, primary_table, unit_sizes
from ganaug.verdict.analysis import pair_intervals

#: The study's arms that use the search's generator, and the arms they are measured against.
CHOSEN_ARMS = ("chosen", "chosen_no_classic")
BASELINES = ("classic", "class_weight")


def chosen_intervals(
    results: pd.DataFrame, metric: str = PRIMARY_METRIC, confidence: float = 0.95
) -> pd.DataFrame:
    """Each chosen arm present in ``results`` against each baseline present: the columns of
    :func:`ganaug.experiment.primary_table` (``family``: ``"secondary"`` against ``classic``,
    with its Holm-adjusted p-value over the study's secondary family; ``"description"`` against
    ``class_weight``, with no p-value to judge by). Empty when no chosen arm is in the results.

    Examples
    --------
    >>> sizes = {"n_test": 40, "n_train": 160, "n_synthetic": 0}
    >>> values = {"classic": [.60, .58, .62, .59], "class_weight": [.61, .60, .62, .60],
    ...           "chosen": [.62, .61, .63, .60], "dcgan": [.60, .59, .61, .60]}
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(4) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": m, "value": v}
    ...        for a, vs in values.items() for s, v in enumerate(vs)
    ...        for m in ("balanced_accuracy", "val_balanced_accuracy")])
    >>> table = chosen_intervals(rows)
    >>> table[["family", "arm", "baseline", "units"]].values.tolist()
    [['secondary', 'chosen', 'classic', 4], ['description', 'chosen', 'class_weight', 4]]
    """
    present = set(results["arm"])
    arms = [arm for arm in CHOSEN_ARMS if arm in present]
    columns = ["family", "arm", "baseline", "units", "mean_difference"]
    if not arms:
        return pd.DataFrame(columns=columns)
    n_test, n_train = unit_sizes(results)
    table = primary_table(results, n_test, n_train, metric, confidence)
    secondary = table[table["family"] == "secondary"].set_index(["arm", "baseline"])
    rows = []
    for arm in arms:
        for baseline in (b for b in BASELINES if b in present):
            if baseline == "classic" and (arm, baseline) in secondary.index:
                rows.append({"arm": arm, "baseline": baseline, **secondary.loc[(arm, baseline)]})
                continue
            intervals = pair_intervals(results, arm, baseline, metric, n_test, n_train, confidence)
            rows.append({"family": "description", "arm": arm, "baseline": baseline, **intervals})
    frame = pd.DataFrame(rows)
    return frame[columns + [c for c in frame.columns if c not in columns]]
