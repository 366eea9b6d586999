"""Generator quality against its targets, in words, per generator and unit (chapter 6).

The targets themselves, with their definitions, thresholds and reasons, are declared once in
:mod:`ganaug.metrics.targets` (chapter 4 shows them); this module puts a generator's results
against them into sentences.
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
    unit_targets,
)

#: The mark of a unit on which a generator's kept GAN meets every target a unit can be held to.
MET = "✓"

__all__ = [
    "REFERENCES",
    "TARGETS",
    "describe_target_intervals",
    "describe_targets",
    "explain_misses",
    "fid_by_unit",
    "fid_by_unit_marked",
    "half_images",
    "target_intervals_display",
    "describe_unit_misses",
    "units_meeting_targets",
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


def explain_misses(targets: pd.DataFrame) -> str:
    """Each target that some generator of ``targets`` missed, once, with the generators that
    missed it and what the miss means (each target's ``missed_means``); empty when every
    generator met every target.

    Examples
    --------
    >>> table = pd.DataFrame({name: [True, True] for name in TARGETS}, index=["dcgan", "plus"])
    >>> table.loc[["dcgan", "plus"], "diversity"] = False
    >>> explain_misses(table)  # doctest: +NORMALIZE_WHITESPACE
    'Diversity at least 0.8 times real (missed by dcgan, plus): its images vary less than real
    bcc, so what it adds is closer to repeated images than to new ones.'
    """
    reasons = []
    for name in TARGETS:
        missed = [str(g) for g in targets.index if not targets.loc[g, name]]
        if missed:
            target = get_target(name)
            label = target.label[0].upper() + target.label[1:]
            reasons.append(f"{label} (missed by {', '.join(missed)}): {target.missed_means}.")
    return " ".join(reasons)


def fid_by_unit(quality: pd.DataFrame) -> pd.DataFrame:
    """FID of every generator and of both references, one row per unit (its own extractor), and
    the mean over the units in the last row.

    Examples
    --------
    >>> rows = pd.DataFrame({"seed": [0, 0, 0, 1, 1, 1],
    ...                      "generator": ["real_half", "blurred", "dcgan"] * 2,
    ...                      "metric": "fid", "value": [0.5, 5.0, 2.0, 0.7, 6.0, 3.0]})
    >>> fid_by_unit(rows).loc["mean"].tolist()
    [0.6, 2.5, 5.5]
    """
    per_unit = quality_per_unit(quality)["fid"].unstack(level="generator")
    references = quality[quality["generator"].isin(REFERENCES) & (quality["metric"] == "fid")]
    refs = references.pivot_table(index="seed", columns="generator", values="value")
    table = pd.concat([refs["real_half"], per_unit, refs["blurred"]], axis=1)
    table.index = table.index.astype(int).rename("unit")
    table.loc["mean"] = table.mean()
    return table


def units_meeting_targets(quality: pd.DataFrame) -> pd.DataFrame:
    """Per generator, the units on which its kept GAN meets every target judged on one unit
    alone (:func:`~ganaug.metrics.targets.unit_targets`, the test of chapter 4's search rule):
    columns ``met`` and ``units``.

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in (0, 1) for g, m, v in (
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("real_half", "diversity", 4.0),
    ...     ("real_half", "gan_test", 0.6), ("dcgan", "diversity", 3.8),
    ...     ("dcgan", "gan_test", 0.6), ("dcgan", "near_duplicates", 0.0))]
    >>> rows += [(0, "dcgan", "fid", 1.5), (1, "dcgan", "fid", 4.0)]
    >>> quality = pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])
    >>> units_meeting_targets(quality).loc["dcgan"].tolist()
    [1, 2]
    """
    return _count_units(unit_targets(quality_per_unit(quality))["all"])


def _count_units(met: pd.Series) -> pd.DataFrame:
    """``met`` (per generator and unit: every target met) counted per generator."""
    per_generator = met.groupby(level="generator")
    return pd.DataFrame({"met": per_generator.sum().astype(int), "units": per_generator.size()})


def fid_by_unit_marked(quality: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """:func:`fid_by_unit` as text, a generator's FID on a unit followed by :data:`MET` where
    that unit's kept GAN meets every target a unit can be held to
    (:func:`units_meeting_targets`), and a last row counting those units.

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in (0, 1) for g, m, v in (
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("real_half", "diversity", 4.0),
    ...     ("real_half", "gan_test", 0.6), ("dcgan", "diversity", 3.8),
    ...     ("dcgan", "gan_test", 0.6), ("dcgan", "near_duplicates", 0.0))]
    >>> rows += [(0, "dcgan", "fid", 1.5), (1, "dcgan", "fid", 4.0)]
    >>> quality = pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])
    >>> fid_by_unit_marked(quality)["dcgan"].tolist()
    ['1.50 ✓', '4.00', '2.75', '1 of 2']
    """
    table = fid_by_unit(quality)
    checks = unit_targets(quality_per_unit(quality))["all"]
    shown = table.map(lambda value: "" if pd.isna(value) else f"{value:.{decimals}f}")
    for (generator, unit), met in checks.items():
        if met:
            shown.loc[unit, generator] += f" {MET}"
    counts = _count_units(checks)
    shown.loc[f"units {MET}"] = [
        f"{counts.loc[c, 'met']} of {counts.loc[c, 'units']}" if c in counts.index else ""
        for c in shown.columns
    ]
    return shown


def _unit_words(name: str) -> str:
    """A target judged on one unit (:func:`~ganaug.metrics.targets.unit_targets`), in words."""
    threshold = get_target(name).threshold
    return {
        "fid_below_blurred": "FID below blurred",
        "fid_near_reference": f"FID at most {threshold:g} times the real half's",
        "diversity": f"diversity at least {threshold:g} times real",
        "near_duplicates": f"at most {100 * threshold:g} % near-duplicate pairs",
        "gan_test_bias": f"GAN-test within {100 * threshold:g} points of real recall",
    }[name]


def describe_unit_misses(quality: pd.DataFrame, generator: str) -> str:
    """Which per-unit targets ``generator``'s kept GANs missed, and on how many units each, the
    most often missed first (:func:`~ganaug.metrics.targets.unit_targets`).

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in (0, 1, 2) for g, m, v in (
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("real_half", "diversity", 4.0),
    ...     ("real_half", "gan_test", 0.6), ("dcgan", "gan_test", 0.6),
    ...     ("dcgan", "near_duplicates", 0.0))]
    >>> rows += [(0, "dcgan", "fid", 1.5), (1, "dcgan", "fid", 4.0), (2, "dcgan", "fid", 2.5)]
    >>> rows += [(u, "dcgan", "diversity", d) for u, d in ((0, 3.8), (1, 3.8), (2, 2.0))]
    >>> quality = pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])
    >>> print(describe_unit_misses(quality, "dcgan"))  # doctest: +NORMALIZE_WHITESPACE
    It missed FID at most 2 times the real half's on 2 units and diversity at least 0.8 times
    real on 1.
    """
    checks = unit_targets(quality_per_unit(quality)).loc[generator].drop(columns="all")
    missed = (~checks).sum().sort_values(ascending=False, kind="stable")
    missed = missed[missed > 0]
    if missed.empty:
        return "It met every per-unit target on every unit."
    parts = [f"{_unit_words(name)} on {int(count)}" for name, count in missed.items()]
    parts[0] += " unit" if int(missed.iloc[0]) == 1 else " units"
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"It missed {listed}."


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


def describe_target_intervals(intervals: pd.DataFrame, generator: str) -> str:
    """How many targets ``generator`` meets with its whole interval on the passing side, misses
    with its whole interval on the failing side, and cannot be told from the threshold
    (``intervals``: :func:`~ganaug.metrics.target_intervals.target_intervals`). "meets N of M"
    counts only the first kind.

    Examples
    --------
    >>> rows = pd.DataFrame({"generator": "g", "verdict": ["missed", "undecided", "met"],
    ...     "target": ["recall", "diversity", "fid_below_blurred"]}).set_index(["generator",
    ...     "target"])
    >>> describe_target_intervals(rows, "g")  # doctest: +NORMALIZE_WHITESPACE
    'g meets 1 of 3 targets with its whole 95 % interval on the passing side (FID below blurred
    real bcc on every unit); it misses 1 with its whole interval on the failing side (recall at
    least 0.8 times real); on 1 the interval straddles the threshold, so these units cannot say
    (diversity at least 0.8 times real).'
    """
    rows = intervals.loc[generator]
    groups = {
        verdict: [get_target(name).label for name, v in rows["verdict"].items() if v == verdict]
        for verdict in ("met", "missed", "undecided")
    }
    total = len(rows)
    met = groups["met"]
    words = [
        f"{generator} meets {len(met)} of {total} targets with its whole 95 % interval on the "
        "passing side" + (f" ({'; '.join(met)})" if met else "")
    ]
    if groups["missed"]:
        words.append(
            f"it misses {len(groups['missed'])} with its whole interval on the failing side "
            f"({'; '.join(groups['missed'])})"
        )
    if groups["undecided"]:
        count = len(groups["undecided"])
        words.append(
            f"on {count} the interval straddles the threshold, so these units cannot say "
            f"({'; '.join(groups['undecided'])})"
        )
    return "; ".join(words) + "."
