"""The generator search's choice in the study (the arms ``chosen`` and ``chosen_no_classic``):
each against ``classic`` and against ``class_weight`` with both intervals, and whether the better
generator changed the book's answer to the report's claim.

Against ``classic`` a chosen arm is one of the study's secondary comparisons (judged with Holm's
adjustment over that family, :func:`ganaug.experiment.primary_table`); against ``class_weight``,
the cheapest remedy for the small class, it is a description beside them, never judged.
"""

from __future__ import annotations

import pandas as pd

from ganaug.experiment.primary import PRIMARY_METRIC, primary_table, unit_sizes
from ganaug.verdict.analysis import pair_intervals
from ganaug.verdict.wording import holm_side, points, zero_side

#: The study's arms that use the search's generator, and the arms they are measured against.
CHOSEN_ARMS = ("chosen", "chosen_no_classic")
BASELINES = ("classic", "class_weight")
#: The arm of the report's claim (its DCGAN with classic augmentation) and its baseline.
REPORT_ARM, REPORT_BASELINE = "dcgan", "classic"


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


def answer_changed(results: pd.DataFrame, table: pd.DataFrame) -> str:
    """One sentence: did the search's generator change the answer to the report's claim?
    It compares where zero lies against the corrected interval (new images) of ``chosen`` minus
    ``classic`` and of the report's ``dcgan`` minus ``classic`` (as shown, :func:`zero_side`).

    Examples
    --------
    >>> row = {"family": "secondary", "units": 10, "paired_low": -0.01, "paired_high": 0.02,
    ...        "corrected_low": -0.03, "corrected_high": 0.04, "p_holm": 0.9,
    ...        "mean_difference": 0.005}
    >>> table = pd.DataFrame([{"arm": "chosen", "baseline": "classic", **row},
    ...                       {"arm": "dcgan", "baseline": "classic", **row}])
    >>> answer_changed(None, table)  # doctest: +NORMALIZE_WHITESPACE
    "No: like the report's DCGAN (dcgan), the search's generator (chosen) shows no evidence of a
    gain or a loss against classic for new images."
    """
    rows = table.set_index(["arm", "baseline"])
    if ("chosen", REPORT_BASELINE) not in rows.index:
        return (
            "The study has no chosen arm yet, so it cannot say whether the search's generator "
            "changes the answer."
        )
    if (REPORT_ARM, REPORT_BASELINE) not in rows.index:
        rows = pd.concat([rows, _report_row(results).set_index(["arm", "baseline"])])
    sides = {
        arm: zero_side(rows.loc[(arm, REPORT_BASELINE), "corrected_low"],
                       rows.loc[(arm, REPORT_BASELINE), "corrected_high"])
        for arm in ("chosen", REPORT_ARM)
    }  # fmt: skip
    words = {
        1: "evidence of a gain",
        -1: "evidence of a loss",
        0: "no evidence of a gain or a loss",
    }
    if sides["chosen"] == sides[REPORT_ARM]:
        return (
            f"No: like the report's DCGAN ({REPORT_ARM}), the search's generator (chosen) shows "
            f"{words[sides['chosen']]} against {REPORT_BASELINE} for new images."
        )
    return (
        f"Yes: the report's DCGAN ({REPORT_ARM}) shows {words[sides[REPORT_ARM]]} against "
        f"{REPORT_BASELINE} for new images, the search's generator (chosen) "
        f"{words[sides['chosen']]}."
    )


def _report_row(results: pd.DataFrame) -> pd.DataFrame:
    n_test, n_train = unit_sizes(results)
    intervals = pair_intervals(
        results, REPORT_ARM, REPORT_BASELINE, PRIMARY_METRIC, n_test, n_train, 0.95
    )
    return pd.DataFrame([{"arm": REPORT_ARM, "baseline": REPORT_BASELINE, **intervals}])


def describe_chosen(table: pd.DataFrame) -> str:
    """A short paragraph for the rows of :func:`chosen_intervals`: each arm's mean difference
    against each baseline, then which intervals (as shown, :func:`zero_side`) exclude zero, and
    whether a comparison against ``classic`` survives Holm's correction
    (:func:`~ganaug.verdict.wording.holm_side`). The table beside it gives the numbers.

    Examples
    --------
    >>> row = {"units": 10, "paired_low": -0.01, "paired_high": 0.02, "corrected_low": -0.03,
    ...        "corrected_high": 0.04, "mean_difference": 0.005}
    >>> table = pd.DataFrame([
    ...     {"family": "secondary", "arm": "chosen", "baseline": "classic", "p_holm": 0.9, **row},
    ...     {"family": "description", "arm": "chosen", "baseline": "class_weight", **row,
    ...      "paired_low": -0.04, "paired_high": -0.012, "mean_difference": -0.026}])
    >>> print(describe_chosen(table))  # doctest: +NORMALIZE_WHITESPACE
    Over 10 units, chosen differs from classic by +0.5 points of balanced accuracy and from
    class_weight by -2.6. The paired interval (these images) of chosen against class_weight lies
    below zero; every other interval includes zero. No comparison against classic shows
    evidence of a gain or a loss after Holm's correction.
    """
    if table.empty:
        return ""
    rows = list(table.itertuples(index=False))
    differences = []
    for arm in dict.fromkeys(row.arm for row in rows):
        mine = [row for row in rows if row.arm == arm]
        parts = [f"from {row.baseline} by {points(row.mean_difference):+.1f}" for row in mine]
        parts[0] += " points of balanced accuracy"
        differences.append(f"{arm} differs " + " and ".join(parts))
    units = int(max(row.units for row in rows))
    words = [f"Over {units} units, " + "; ".join(differences) + "."]
    outside = []
    for row in rows:
        for name, low, high in (
            ("paired interval (these images)", row.paired_low, row.paired_high),
            ("corrected interval (new images)", row.corrected_low, row.corrected_high),
        ):
            side = zero_side(low, high)
            if side:
                where = "above" if side > 0 else "below"
                outside.append(f"the {name} of {row.arm} against {row.baseline} lies {where} zero")
    if outside:
        sentence = "; ".join(outside)
        words.append(sentence[0].upper() + sentence[1:] + "; every other interval includes zero.")
    else:
        words.append(
            "Every interval includes zero: no gain or loss is shown against either baseline."
        )
    judged = [
        row.arm
        for row in rows
        if row.family == "secondary"
        and holm_side(row.corrected_low, row.corrected_high, row.p_holm) != 0
    ]
    words.append(
        f"Against classic, {' and '.join(judged)} {'shows' if len(judged) == 1 else 'show'} "
        "evidence of a difference after Holm's correction."
        if judged
        else "No comparison against classic shows evidence of a gain or a loss after Holm's "
        "correction."
    )
    return " ".join(words)
