"""The words of chapter 6's verdict, chosen from the numbers (never typed beside them)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.metrics.pvalues import format_p_value


def points(value: float) -> float:
    """A difference as shown: percentage points rounded to one decimal.

    Examples
    --------
    >>> points(0.02349), points(-0.0004)
    (2.3, -0.0)
    """
    return round(100 * float(value), 1)


def zero_side(low: float, high: float) -> int:
    """Where zero lies against an interval AS SHOWN (bounds rounded by :func:`points`): ``1``
    when the shown interval lies above zero, ``-1`` below it, ``0`` when it includes zero.

    Judging the rounded bounds keeps a sentence from saying "excludes zero" beside "+0.0".

    Examples
    --------
    >>> zero_side(0.003, 0.02), zero_side(0.0004, 0.02), zero_side(-0.03, -0.011)
    (1, 0, -1)
    """
    shown_low, shown_high = points(low), points(high)
    return 1 if shown_low > 0 else -1 if shown_high < 0 else 0


def holm_side(corrected_low: float, corrected_high: float, p_holm: float) -> int:
    """The side a secondary comparison shows after Holm's correction: :func:`zero_side` of its
    corrected interval when its Holm-adjusted p-value is below 0.05 (a missing p counts as not),
    else ``0``.

    Examples
    --------
    >>> holm_side(0.01, 0.05, 0.02), holm_side(-0.05, -0.01, 0.01), holm_side(0.01, 0.05, 0.6)
    (1, -1, 0)
    """
    return zero_side(corrected_low, corrected_high) if float(p_holm) < 0.05 else 0


def zero_word(low: float, high: float) -> str:
    """``"includes zero"`` or ``"excludes zero"``, for an interval from ``low`` to ``high`` as
    shown in points (see :func:`zero_side`).

    Examples
    --------
    >>> zero_word(-0.01, 0.02), zero_word(0.003, 0.02), zero_word(0.0004, 0.02)
    ('includes zero', 'excludes zero', 'includes zero')
    """
    return "includes zero" if zero_side(low, high) == 0 else "excludes zero"


def interval_text(low: float, high: float) -> str:
    """An interval in signed points, one decimal, followed by what it says of zero: the words
    judge the bounds as shown (:func:`zero_side`), so a bound is never shown with more digits
    than the judgement read.

    Examples
    --------
    >>> interval_text(-0.025, 0.026), interval_text(0.0004, 0.049)
    ('-2.5 to +2.6, which includes zero', '+0.0 to +4.9, which includes zero')
    """
    return f"{points(low):+.1f} to {points(high):+.1f}, which {zero_word(low, high)}"


def _direction(side: int) -> str:
    return "gain" if side > 0 else "loss"


def describe_difference(row: pd.Series, label: str = "balanced accuracy") -> str:
    """One sentence for one row of :func:`ganaug.experiment.primary_table`, its conclusion
    chosen by the row's intervals as shown (rounded, :func:`zero_side`).

    A primary row is judged by its own two intervals: the corrected one (new images from the
    same source) decides a claim about new images, the paired one only a claim about these
    images. A secondary row also needs its Holm-adjusted p-value (over the secondary family)
    below 0.05, and only describes. A row of any other ``family`` (such as ``"description"``,
    for another metric) is described, never judged.

    Examples
    --------
    >>> row = pd.Series({"family": "primary", "arm": "dcgan", "baseline": "classic",
    ...     "units": 10, "mean_difference": 0.0004, "paired_low": -0.025, "paired_high": 0.026,
    ...     "corrected_low": -0.05, "corrected_high": 0.051, "p_holm": 0.99})
    >>> describe_difference(row)  # doctest: +NORMALIZE_WHITESPACE
    'dcgan against classic: +0.0 points of balanced accuracy over 10 units (paired 95 % interval,
    for these images: -2.5 to +2.6, which includes zero; corrected 95 % interval, for new
    images: -5.0 to +5.1, which includes zero): no evidence of a gain or a loss.'
    """
    paired = zero_side(row["paired_low"], row["paired_high"])
    corrected = zero_side(row["corrected_low"], row["corrected_high"])
    if row["family"] == "primary":
        if corrected:
            conclusion = f"evidence of a {_direction(corrected)} for new images too"
        elif paired:
            conclusion = (
                f"a {_direction(paired)} on these images that this study cannot carry to new images"
            )
        else:
            conclusion = "no evidence of a gain or a loss"
    elif row["family"] != "secondary":  # neither family: a description beside them
        side = corrected or paired
        found = f"a {_direction(side)}" if side else "no gain or loss"
        conclusion = f"{found} as shown; a description, not one of the declared comparisons"
    else:
        p = float(row["p_holm"])
        p_text = "not available" if np.isnan(p) else format_p_value(p)
        found = holm_side(row["corrected_low"], row["corrected_high"], p)
        verdict = f"evidence of a {_direction(found)}" if found else "no firm evidence"
        conclusion = (
            f"{verdict} after Holm's correction over the secondary comparisons (p = {p_text}); "
            "a secondary comparison describes and decides nothing"
        )
    return (
        f"{row['arm']} against {row['baseline']}: {points(row['mean_difference']):+.1f} points "
        f"of {label} over {int(row['units'])} units (paired 95 % interval, for these images: "
        f"{interval_text(row['paired_low'], row['paired_high'])}; corrected 95 % interval, "
        f"for new images: {interval_text(row['corrected_low'], row['corrected_high'])}): "
        f"{conclusion}."
    )


def arms_with_evidence(table: pd.DataFrame) -> list[str]:
    """Secondary arms of :func:`ganaug.experiment.primary_table` whose gain survives Holm's
    correction over the secondary family (and whose corrected interval, as shown, lies above
    zero).

    Examples
    --------
    >>> rows = pd.DataFrame({"family": "secondary", "arm": ["a", "b"], "corrected_low": [0.01,
    ...     -0.01], "corrected_high": [0.05, 0.03], "p_holm": [0.02, 0.6]})
    >>> arms_with_evidence(rows)
    ['a']
    """
    rows = table[table["family"] == "secondary"]
    return [
        row["arm"]
        for _, row in rows.iterrows()
        if holm_side(row["corrected_low"], row["corrected_high"], row["p_holm"]) > 0
    ]


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


def describe_leakage(effect: dict, label: str = "balanced accuracy") -> str:
    """What the paired difference between the split by image and the split by lesion says.

    Examples
    --------
    >>> describe_leakage({"mean": 0.05, "low": 0.02, "high": 0.08, "units": 5})
    ... # doctest: +NORMALIZE_WHITESPACE
    'The split by image changes balanced accuracy by +5.0 points (95 % interval +2.0 to +8.0,
    5 units): it flatters the classifier.'
    """
    mean, low, high = (points(effect[k]) for k in ("mean", "low", "high"))
    side = zero_side(effect["low"], effect["high"])
    if side > 0:
        conclusion = "it flatters the classifier"
    elif side < 0:
        conclusion = "it makes the classifier look worse"
    else:
        conclusion = (
            "no evidence of a difference with this many units, since the interval includes 0"
        )
    return (
        f"The split by image changes {label} by {mean:+.1f} points (95 % interval {low:+.1f} "
        f"to {high:+.1f}, {int(effect['units'])} units): {conclusion}."
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


#: The two intervals of :func:`ganaug.verdict.primary_intervals`: column prefix, label.
INTERVALS = {
    "paired": "paired t (these images)",
    "corrected": "corrected (new images)",
}


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


def resolution_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`ganaug.verdict.resolution_table` for reading: whole image counts, floors in
    percentage points (one decimal), "none" where no number of units suffices.

    Examples
    --------
    >>> rows = pd.DataFrame({"n_test": [738.3], "n_train": [1715.3], "ratio": [0.4304],
    ...     "half_width_floor": [0.0305], "floor": [0.0436],
    ...     "units_needed": pd.array([None], "Int64")}, index=["this study"])
    >>> resolution_display(rows).iloc[0].astype(str).tolist()
    ['738', '1715', '0.43', '3.0', '4.4', 'none']
    """
    needed = ["none" if pd.isna(n) else int(n) for n in table["units_needed"]]
    return pd.DataFrame(
        {
            "test images": table["n_test"].round().astype(int),
            "training images": table["n_train"].round().astype(int),
            "n_test / n_train": table["ratio"].round(2),
            "half-width floor (points)": (100 * table["half_width_floor"]).round(1),
            "floor at 80 % power (points)": (100 * table["floor"]).round(1),
            "units needed": pd.Series(needed, index=table.index, dtype=object),
        }
    )
