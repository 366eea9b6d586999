"""Power in the claim's own measure (chapter 6): how many units a study needs to find the
report's 2 points, and the smallest difference it can find for new images, in plain accuracy
(the report's 59 % and 61 %) and in balanced accuracy, with the uncertainty of the one sd the
calculation rests on carried through (its chi-square interval,
:func:`ganaug.metrics.seeds.sd_interval`).
"""

from __future__ import annotations

import pandas as pd

from ganaug.experiment.primary import unit_sizes
from ganaug.metrics.power import (
    POWER,
    detectable_floor,
    units_needed_corrected,
    units_needed_paired,
)
from ganaug.metrics.seeds import sd_interval
from ganaug.verdict.analysis import seed_differences

#: The measures, the report's own first, and how the page names them.
MEASURES = {"accuracy": "plain accuracy", "balanced_accuracy": "balanced accuracy"}
#: The three values of the sd each measure is sized at.
SD_CASES = ("sd 95 % low", "sd as measured", "sd 95 % high")


def power_table(
    results: pd.DataFrame,
    arm: str = "dcgan",
    baseline: str = "classic",
    difference: float = 0.02,
    metrics: tuple[str, ...] = tuple(MEASURES),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """For each metric, the sd of the per-unit differences ``arm - baseline`` as measured and
    at both ends of its ``confidence`` chi-square interval, and at each: ``units_needed_paired``
    (the paired t finds ``difference`` with :data:`~ganaug.metrics.power.POWER`, these
    images), ``units_needed_corrected`` (the corrected t, new images; missing where no number
    of units suffices) and ``floor`` (the smallest difference the corrected t finds with that
    power however many units are run, :func:`ganaug.metrics.detectable_floor`). Indexed by
    ``(metric, case)``, ``case`` one of :data:`SD_CASES`; ``units`` is the number the sd was
    measured on.

    Examples
    --------
    >>> sizes = {"n_test": 2, "n_train": 8, "n_synthetic": 0}
    >>> d = [0.01, 0.03, -0.01, 0.02, 0.0, 0.015, -0.005, 0.025]
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(8) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": "accuracy", "value": 0.6 + (a == "dcgan") * d[s]}
    ...        for a in ("classic", "dcgan") for s in range(8)])
    >>> table = power_table(rows, metrics=("accuracy",))
    >>> table["units_needed_paired"].tolist()  # 7 units, or 5 to 20 across the sd's interval
    [5, 7, 20]
    """
    n_test, n_train = unit_sizes(results, baseline)
    rows = []
    for metric in metrics:
        d = seed_differences(results, arm, baseline, metric)["difference"]
        sd, units = float(d.std(ddof=1)), len(d)
        low, high = sd_interval(sd, units, confidence)
        for case, value in zip(SD_CASES, (low, sd, high), strict=True):
            spread = value > 0
            rows.append(
                {
                    "metric": metric,
                    "case": case,
                    "units": units,
                    "sd": value,
                    "units_needed_paired": (
                        units_needed_paired(value, difference) if spread else None
                    ),
                    "units_needed_corrected": (
                        units_needed_corrected(value, difference, n_test, n_train)
                        if spread
                        else None
                    ),
                    "floor": detectable_floor(value, n_test, n_train),
                }
            )
    table = pd.DataFrame(rows).set_index(["metric", "case"])
    for column in ("units_needed_paired", "units_needed_corrected"):
        table[column] = table[column].astype("Int64")
    return table


def power_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`power_table` for reading: sds and floors in points (one decimal), "none" where no
    number of units suffices.

    Examples
    --------
    >>> rows = pd.DataFrame({"units": [10], "sd": [0.022], "units_needed_paired":
    ...     pd.array([12], "Int64"), "units_needed_corrected": pd.array([None], "Int64"),
    ...     "floor": [0.0329]}, index=pd.MultiIndex.from_tuples(
    ...     [("accuracy", "sd as measured")], names=["metric", "case"]))
    >>> power_display(rows).iloc[0].astype(str).tolist()
    ['2.2', '12', 'none', '3.3']
    """

    def count(value) -> object:
        return "none" if pd.isna(value) else int(value)

    shown = pd.DataFrame(
        {
            "sd (points)": (100 * table["sd"]).round(1),
            "units needed, these images": [count(v) for v in table["units_needed_paired"]],
            "units needed, new images": [count(v) for v in table["units_needed_corrected"]],
            f"floor at {100 * POWER:.0f} % power (points)": (100 * table["floor"]).round(1),
        },
        index=table.index,
    )
    shown.index = shown.index.set_levels(
        [MEASURES.get(m, m) for m in shown.index.levels[0]], level=0
    )
    return shown
