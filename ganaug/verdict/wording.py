"""The words of chapter 5's verdict, chosen from the numbers (never typed beside them)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.metrics.pvalues import format_p_value


def describe_difference(
    row: pd.Series, arm: str, baseline: str = "classic", label: str = "balanced accuracy"
) -> str:
    """One sentence for one row of :func:`verdict_table`, its conclusion chosen by the numbers.

    "Evidence of a gain" needs the Holm-adjusted p-value below 0.05 and the interval above 0;
    an interval that includes 0 gives "no evidence of a gain".

    Examples
    --------
    >>> row = pd.Series({"n_seeds": 5, "mean_difference": 0.004, "low": -0.01, "high": 0.018,
    ...                  "p_holm": 0.6})
    >>> describe_difference(row, "dcgan")  # doctest: +NORMALIZE_WHITESPACE
    'dcgan against classic: +0.4 points of balanced accuracy (95 % interval -1.0 to +1.8,
    5 units, Holm-adjusted p = 0.6): no evidence of a gain, since the interval includes 0.'
    """
    mean, low, high = (100 * float(row[k]) for k in ("mean_difference", "low", "high"))
    p = float(row["p_holm"])
    if np.isnan(p):
        conclusion = "no test is possible, because the difference is the same on every unit"
    elif low > 0 or high < 0:
        direction = "gain" if low > 0 else "loss"
        if p < 0.05:
            conclusion = f"evidence of a {direction}"
        else:
            conclusion = (
                f"the interval excludes 0, but after the Holm correction for the "
                f"several arms compared the {direction} is not significant: no firm "
                "evidence"
            )
    else:
        conclusion = "no evidence of a gain, since the interval includes 0"
    p_text = "not available" if np.isnan(p) else format_p_value(p)
    return (
        f"{arm} against {baseline}: {mean:+.1f} points of {label} (95 % interval {low:+.1f} to "
        f"{high:+.1f}, {int(row['n_seeds'])} units, Holm-adjusted p = {p_text}): {conclusion}."
    )


def arms_with_evidence(table: pd.DataFrame, metric: str = "balanced_accuracy") -> list[str]:
    """Arms of :func:`verdict_table` whose gain in ``metric`` survives Holm's correction."""
    rows = table.loc[metric]
    return [arm for arm, row in rows.iterrows() if row["low"] > 0 and row["p_holm"] < 0.05]


def describe_results(folder: str | Path) -> str:
    """One line about a results folder, from its ``run.json``: profile, data, seeds and arms.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "run.json").write_text(json.dumps({"profile": "smoke", "arms": ["a", "b"],
    ...     "data": {"name": "SYNTHETIC stand-in", "source": "synthetic"}, "seeds": [0, 1]}))
    >>> describe_results(folder)  # doctest: +ELLIPSIS
    'WARNING: Results: ... | profile smoke | data: SYNTHETIC stand-in | 2 arms -- ...'
    """
    path = Path(folder) / "run.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: not a finished results folder")
    run = json.loads(path.read_text())
    data = run.get("data", {})
    line = (
        f"Results: {Path(folder).name} | profile {run.get('profile', 'unknown')} | data: "
        f"{data.get('name', 'unknown')} | {len(run.get('arms', []))} arms"
    )
    if data.get("source") == "synthetic":
        line = "WARNING: " + line + " -- results are NOT about real skin lesions"
    return line


def verdict_sentence(
    table: pd.DataFrame,
    arm: str = "dcgan",
    baseline: str = "classic",
    metric: str = "balanced_accuracy",
) -> str:
    """The chapter's conclusion for ``arm`` and ``metric``, plus how many arms showed evidence.

    Examples
    --------
    >>> rows = pd.DataFrame({"n_seeds": [5, 5], "mean_difference": [0.004, -0.002],
    ...                      "low": [-0.01, -0.02], "high": [0.018, 0.016], "p_holm": [0.6, 0.9]},
    ...                     index=pd.MultiIndex.from_product([["balanced_accuracy"],
    ...                                                       ["dcgan", "cgan"]]))
    >>> verdict_sentence(rows).split(". ")[-1]  # doctest: +NORMALIZE_WHITESPACE
    'Of the 2 arms compared with classic, none showed evidence of a gain in balanced accuracy
    after the Holm correction.'
    """
    label = metric.replace("_", " ").replace("recall bcc", "bcc recall")
    first = describe_difference(table.loc[(metric, arm)], arm, baseline, label)
    arms = table.loc[metric].index.tolist()
    winners = arms_with_evidence(table, metric)
    found = "none" if not winners else "only " + ", ".join(winners)
    rest = (
        f"Of the {len(arms)} arms compared with {baseline}, {found} showed evidence of a gain in "
        f"{label} after the Holm correction."
    )
    return f"{first} {rest}"


def describe_leakage(effect: dict, label: str = "balanced accuracy") -> str:
    """What the paired difference between the split by image and the split by lesion says.

    Examples
    --------
    >>> describe_leakage({"mean": 0.05, "low": 0.02, "high": 0.08, "n_seeds": 5})
    ... # doctest: +NORMALIZE_WHITESPACE
    'The split by image changes balanced accuracy by +5.0 points (95 % interval +2.0 to +8.0,
    5 units): it flatters the classifier.'
    """
    mean, low, high = (100 * float(effect[k]) for k in ("mean", "low", "high"))
    if low > 0:
        conclusion = "it flatters the classifier"
    elif high < 0:
        conclusion = "it makes the classifier look worse"
    else:
        conclusion = (
            "no evidence of a difference with this many units, since the interval includes 0"
        )
    return (
        f"The split by image changes {label} by {mean:+.1f} points (95 % interval {low:+.1f} "
        f"to {high:+.1f}, {int(effect['n_seeds'])} units): {conclusion}."
    )


def describe_gan_position(summary: pd.DataFrame, generator: str, metric: str = "fid") -> str:
    """Where a generator's distance lies on the scale set by the two references of
    :func:`ganaug.verdict.gan_quality_summary`: real against real (0) and blurred real (1).

    Examples
    --------
    >>> summary = pd.DataFrame({"fid": [1.0, 4.0, 9.0]}, index=["real_half", "dcgan", "blurred"])
    >>> describe_gan_position(summary, "dcgan")
    'between the two references, at 0.38'
    """
    for name in ("real_half", "blurred", generator):
        if name not in summary.index:
            raise ValueError(f"no {name!r} row in the quality summary: {list(summary.index)}")
    real, blurred = summary.loc["real_half", metric], summary.loc["blurred", metric]
    value = summary.loc[generator, metric]
    if not all(math.isfinite(v) for v in (real, blurred, value)):
        return "not available"
    if blurred <= real:
        return (
            "not placeable: on these features the blurred images are no farther from the real "
            "ones than real images are from each other"
        )
    position = (value - real) / (blurred - real)
    if position <= 0:
        return "as close to the real images as the other half of the real images"
    if position >= 1:
        return f"farther from the real images than the blurred ones, at {position:.2f}"
    return f"between the two references, at {position:.2f}"


def verdict_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`ganaug.verdict.verdict_table` for reading: differences in percentage points (one
    decimal), p-values as text, "n/a" where a p-value could not be computed.

    Examples
    --------
    >>> rows = pd.DataFrame({"n_seeds": [3], "mean_difference": [0.0123], "low": [-0.02],
    ...                      "high": [0.04], "p_ttest": [0.2], "p_holm": [0.2],
    ...                      "p_wilcoxon": [np.nan]}, index=["dcgan"])
    >>> verdict_display(rows).iloc[0].astype(str).tolist()
    ['3', '1.2', '-2.0', '4.0', '0.2', '0.2', 'n/a']
    """
    shown = table.copy()
    for column in ("mean_difference", "low", "high"):
        shown[column] = (100 * table[column]).round(1)
    for column in ("p_ttest", "p_holm", "p_wilcoxon"):
        shown[column] = ["n/a" if np.isnan(p) else format_p_value(float(p)) for p in table[column]]
    return shown.rename(
        columns={
            "mean_difference": "mean difference (points)",
            "low": "95 % low",
            "high": "95 % high",
        }
    )


#: The two intervals of :func:`ganaug.verdict.primary_intervals`: column prefix, label.
INTERVALS = {
    "paired": "paired t (these images)",
    "corrected": "corrected (new images)",
}


def zero_word(low: float, high: float) -> str:
    """``"includes zero"`` or ``"excludes zero"``, for an interval from ``low`` to ``high``.

    Examples
    --------
    >>> zero_word(-0.01, 0.02), zero_word(0.003, 0.02)
    ('includes zero', 'excludes zero')
    """
    return "includes zero" if low <= 0 <= high else "excludes zero"


def intervals_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`ganaug.verdict.primary_intervals` for reading: one row per comparison and
    interval, differences in percentage points (one decimal), p-values as text.

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": ["dcgan"], "baseline": ["classic"], "units": [3],
    ...     "mean_difference": [-0.036], "paired_low": [-0.095], "paired_high": [0.023],
    ...     "p_paired": [0.12], "corrected_low": [-0.125], "corrected_high": [0.053],
    ...     "p_corrected": [0.23]})
    >>> shown = intervals_display(rows)
    >>> shown.index.tolist()[1], shown.iloc[1].astype(str).tolist()
    (('dcgan - classic', 'corrected (new images)'), ['3', '-3.6', '-12.5', '5.3', '0.23'])
    """
    rows = []
    for _, row in table.iterrows():
        for prefix, label in INTERVALS.items():
            p = float(row[f"p_{prefix}"])
            rows.append(
                {
                    "comparison": f"{row['arm']} - {row['baseline']}",
                    "interval": label,
                    "units": int(row["units"]),
                    "difference": round(100 * float(row["mean_difference"]), 1),
                    "low": round(100 * float(row[f"{prefix}_low"]), 1),
                    "high": round(100 * float(row[f"{prefix}_high"]), 1),
                    "p": "n/a" if np.isnan(p) else format_p_value(p),
                }
            )
    return pd.DataFrame(rows).set_index(["comparison", "interval"])


def describe_second_primary(table: pd.DataFrame, validated: bool) -> str:
    """What the page can say of the second primary comparison (best arm with a generator
    against best arm without one, chosen on validation results).

    ``table`` is :func:`ganaug.verdict.primary_intervals`; ``validated`` is
    :func:`ganaug.verdict.has_validation_metrics` of the same results.

    Examples
    --------
    >>> describe_second_primary(pd.DataFrame(), validated=False)  # doctest: +ELLIPSIS
    'The second primary comparison, ... cannot be made on these results: ...'
    >>> rows = pd.DataFrame({"arm": ["dcgan", "dcgan_plus"], "baseline": "classic",
    ...     "mean_difference": [0.0, 0.012], "paired_low": [0.0, 0.004], "paired_high": 0.02,
    ...     "corrected_low": [0.0, -0.008], "corrected_high": 0.032})
    >>> describe_second_primary(rows, validated=True)  # doctest: +NORMALIZE_WHITESPACE
    'The second primary comparison, chosen on validation results, is dcgan_plus (the best arm
    with a generator) against classic (the best without one): +1.2 points; its paired interval
    (+0.4 to +2.0) excludes zero, its corrected interval (-0.8 to +3.2) includes zero.'
    """
    if not validated or len(table) < 2:
        return (
            "The second primary comparison, the best arm with a generator against the best arm "
            "without one, cannot be made on these results: they hold no validation balanced "
            "accuracy (they were written before it was recorded), and choosing the two arms on "
            "the test results they are then judged by would favour whichever arm was lucky on "
            "those images. A study run with the current code records it."
        )
    row = table.iloc[1]
    paired = zero_word(row["paired_low"], row["paired_high"])
    corrected = zero_word(row["corrected_low"], row["corrected_high"])
    return (
        f"The second primary comparison, chosen on validation results, is {row['arm']} (the "
        f"best arm with a generator) against {row['baseline']} (the best without one): "
        f"{100 * row['mean_difference']:+.1f} points; its paired interval "
        f"({100 * row['paired_low']:+.1f} to {100 * row['paired_high']:+.1f}) {paired}, its "
        f"corrected interval ({100 * row['corrected_low']:+.1f} to "
        f"{100 * row['corrected_high']:+.1f}) {corrected}."
    )


def resolution_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`ganaug.verdict.resolution_table` for reading: whole image counts, the floor in
    percentage points (one decimal), "none" where no number of units reaches the target.

    Examples
    --------
    >>> rows = pd.DataFrame({"n_test": [738.3], "n_train": [1715.3], "ratio": [0.4304],
    ...                      "floor": [0.0305], "units_needed": pd.array([None], "Int64")},
    ...                     index=["this study"])
    >>> resolution_display(rows).iloc[0].astype(str).tolist()
    ['738', '1715', '0.43', '3.0', 'none']
    """
    needed = ["none" if pd.isna(n) else int(n) for n in table["units_needed"]]
    return pd.DataFrame(
        {
            "test images": table["n_test"].round().astype(int),
            "training images": table["n_train"].round().astype(int),
            "n_test / n_train": table["ratio"].round(2),
            "floor (points)": (100 * table["floor"]).round(1),
            "units needed": pd.Series(needed, index=table.index, dtype=object),
        }
    )
