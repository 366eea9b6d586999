"""Per-class recall (chapter 6): what each way of balancing the classes does to each class, and
what the primary comparisons do to each, with both intervals (paired: these images; corrected:
new images), from the ``recall_<class>`` rows of a results folder's ``results.csv``.

Balanced accuracy is the mean of the three recalls, so a flat balanced accuracy can hide a
trade: more bcc found, fewer melanomas.
"""

from __future__ import annotations

import os

import pandas as pd

from ganaug.experiment.arms import ARMS
from ganaug.experiment.primary import both_intervals, unit_sizes
from ganaug.experiment.store import load_results
from ganaug.metrics.seeds import seed_table
from ganaug.verdict.analysis import primary_intervals, seed_differences
from ganaug.verdict.wording import points

#: The baseline every balancing arm is compared with.
BASELINE = "classic"


def balancing_arms(results: pd.DataFrame) -> list[str]:
    """Arms of ``results`` split by lesion that change the classes' balance (class weights,
    oversampling or generated bcc), in registry order.

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": ["none", "classic", "class_weight", "dcgan"]})
    >>> balancing_arms(rows)
    ['class_weight', 'dcgan']
    """
    present = set(results["arm"])
    return [
        name
        for name, arm in ARMS.items()
        if name in present
        and arm.split == "lesion"
        and (arm.class_weight or arm.oversample or arm.generator)
    ]


def recall_classes(results: pd.DataFrame) -> list[str]:
    """The classes with a ``recall_<class>`` row in ``results``, the minority (bcc) first."""
    names = sorted(m[len("recall_") :] for m in set(results["metric"]) if m.startswith("recall_"))
    return sorted(names, key=lambda name: name != "bcc")


def recall_table(results: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per-class recall differences with both intervals: the primary comparisons the results
    allow (``family`` ``"primary"``, :func:`ganaug.verdict.primary_intervals`), then every
    other balancing arm (:func:`balancing_arms`) against ``classic`` (``"balancing"``). Columns:
    ``family, arm, baseline, class, units, baseline_recall, arm_recall`` (means over units),
    and the columns of :func:`ganaug.experiment.primary.both_intervals` (``mean_difference``,
    ``paired_low/high``, ``p_paired``, ``corrected_low/high``, ``p_corrected``); descriptive,
    no Holm.

    Examples
    --------
    >>> sizes = {"n_test": 2, "n_train": 8, "n_synthetic": 0}
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(3) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": f"recall_{c}", "value": v + s / 100}
    ...        for a, v in (("classic", 0.6), ("class_weight", 0.7)) for s in range(3)
    ...        for c in ("bcc", "mel")])
    >>> table = recall_table(rows)
    >>> table[["family", "arm", "class"]].values.tolist()
    [['balancing', 'class_weight', 'bcc'], ['balancing', 'class_weight', 'mel']]
    >>> round(float(table["mean_difference"].iloc[0]), 3)
    0.1
    """
    n_test, n_train = unit_sizes(results)
    pairs = []
    if {"balanced_accuracy", "accuracy"} & set(results["metric"]):
        try:
            primary = primary_intervals(results)
            pairs += [("primary", a, b) for a, b in primary[["arm", "baseline"]].values]
        except (KeyError, ValueError):  # a primary arm is missing from these results
            pass
    if BASELINE in set(results["arm"]):
        taken = {(arm, baseline) for _, arm, baseline in pairs}
        pairs += [
            ("balancing", arm, BASELINE)
            for arm in balancing_arms(results)
            if (arm, BASELINE) not in taken
        ]
    rows = []
    for family, arm, baseline in pairs:
        for name in recall_classes(results):
            metric = f"recall_{name}"
            table = seed_differences(results, arm, baseline, metric)
            means = seed_table(results, metric)[[baseline, arm]].mean()
            rows.append(
                {
                    "family": family,
                    "arm": arm,
                    "baseline": baseline,
                    "class": name,
                    "baseline_recall": float(means[baseline]),
                    "arm_recall": float(means[arm]),
                    **both_intervals(table[baseline], table[arm], n_test, n_train, confidence),
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    first = ["family", "arm", "baseline", "class", "units"]
    return frame[first + [c for c in frame.columns if c not in first]]


def folder_recall(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """:func:`recall_table` of a results folder (the committed ``results/book`` by default)."""
    return recall_table(load_results(folder))


def recall_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`recall_table` for reading, one row per comparison and class: the two recalls,
    the difference and both intervals in points (one decimal).

    Examples
    --------
    >>> rows = pd.DataFrame({"family": ["balancing"], "arm": ["class_weight"],
    ...     "baseline": ["classic"], "class": ["bcc"], "units": [10], "baseline_recall": [0.589],
    ...     "arm_recall": [0.671], "mean_difference": [0.083], "paired_low": [0.03],
    ...     "paired_high": [0.136], "corrected_low": [-0.02], "corrected_high": [0.186]})
    >>> recall_display(rows).iloc[0].tolist()
    ['58.9', '67.1', '+8.3', '+3.0 to +13.6', '-2.0 to +18.6']
    """
    shown = {}
    for row in table.itertuples(index=False):
        shown[(f"{row.arm} - {row.baseline}", row[3])] = {
            "baseline recall": f"{100 * row.baseline_recall:.1f}",
            "arm recall": f"{100 * row.arm_recall:.1f}",
            "difference": f"{points(row.mean_difference):+.1f}",
            "paired 95 % (these images)": f"{points(row.paired_low):+.1f} to "
            f"{points(row.paired_high):+.1f}",
            "corrected 95 % (new images)": f"{points(row.corrected_low):+.1f} to "
            f"{points(row.corrected_high):+.1f}",
        }
    frame = pd.DataFrame.from_dict(shown, orient="index", dtype=object)
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["arm - baseline", "class"])
    return frame
