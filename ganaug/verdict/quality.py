"""Generator quality against its targets, per generator and unit (chapter 5).

A generator worth testing in the study should, on the features of each unit's extractor:

- have a lower FID than blurred real bcc on **every** unit (``fid_below_blurred``);
- have a mean FID at most :data:`FID_FLOOR_FACTOR` times the real-half floor (``fid_near_floor``);
- keep at least :data:`DIVERSITY_SHARE` of real bcc's diversity (``diversity``);
- have at most :data:`MAX_NEAR_DUPLICATES` near-duplicate pairs (``near_duplicates``);
- be called bcc by the extractor within :data:`GAN_TEST_POINTS` of its recall on real held-out
  bcc (``gan_test``).
"""

from __future__ import annotations

import pandas as pd

FID_FLOOR_FACTOR = 2.0
DIVERSITY_SHARE = 0.8
MAX_NEAR_DUPLICATES = 0.01
GAN_TEST_POINTS = 0.10

#: The references every unit's quality rows carry.
REFERENCES = ("real_half", "blurred")


def quality_per_unit(quality: pd.DataFrame) -> pd.DataFrame:
    """One row per (generator, unit), one column per metric, with the unit's references'
    ``fid`` and the real half's ``diversity`` and ``gan_test`` beside them.

    Examples
    --------
    >>> rows = pd.DataFrame({"seed": 0, "generator": ["real_half", "blurred", "dcgan"],
    ...                      "metric": "fid", "value": [0.5, 5.0, 2.0]})
    >>> quality_per_unit(rows).loc[("dcgan", 0), ["fid", "blurred_fid"]].tolist()
    [2.0, 5.0]
    """
    if quality.empty:
        raise ValueError("no generator-quality rows: the folder's gan_quality.csv is empty")
    table = quality.pivot_table(index=["generator", "seed"], columns="metric", values="value")
    missing = set(REFERENCES) - set(table.index.get_level_values(0))
    if missing:
        raise ValueError(f"the quality rows lack the reference(s) {sorted(missing)}")
    generators = [g for g in table.index.get_level_values(0).unique() if g not in REFERENCES]
    rows = []
    for generator in generators:
        for unit, row in table.loc[generator].iterrows():
            real = table.loc[("real_half", unit)]
            rows.append(
                {
                    "generator": generator,
                    "unit": int(unit),
                    **row.to_dict(),
                    "real_fid": real["fid"],
                    "blurred_fid": table.loc[("blurred", unit), "fid"],
                    "real_diversity": real.get("diversity"),
                    "real_gan_test": real.get("gan_test"),
                }
            )
    return pd.DataFrame(rows).set_index(["generator", "unit"])


def quality_targets(quality: pd.DataFrame) -> pd.DataFrame:
    """Whether each generator meets each target (module docstring), one row per generator:
    ``units``, the share of units where its FID is below blurred, its mean FID against the
    floor, and True/False per target (``all`` when it meets every one).

    Examples
    --------
    >>> rows = [(unit, name, metric, value) for unit in (0, 1) for name, metric, value in [
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("dcgan", "fid", 1.5),
    ...     ("real_half", "diversity", 4.0), ("dcgan", "diversity", 3.5),
    ...     ("real_half", "gan_test", 0.6), ("dcgan", "gan_test", 0.65),
    ...     ("dcgan", "near_duplicates", 0.0)]]
    >>> quality = pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])
    >>> quality_targets(quality).loc["dcgan", ["fid_below_blurred", "fid_near_floor", "all"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    fid_below_blurred    True
    fid_near_floor       True
    all                  True
    Name: dcgan, dtype: object
    """
    per_unit = quality_per_unit(quality)
    rows = {}
    for generator, units in per_unit.groupby(level="generator"):
        mean_fid, floor = units["fid"].mean(), units["real_fid"].mean()
        diversity = units["diversity"].mean() / units["real_diversity"].mean()
        gan_test_gap = (units["gan_test"] - units["real_gan_test"]).abs().mean()
        row = {
            "units": len(units),
            "below_blurred_share": float((units["fid"] < units["blurred_fid"]).mean()),
            "mean_fid": mean_fid,
            "floor_fid": floor,
            "diversity_share": diversity,
            "worst_near_duplicates": units["near_duplicates"].max(),
            "gan_test_gap": gan_test_gap,
        }
        row.update(
            {
                "fid_below_blurred": bool((units["fid"] < units["blurred_fid"]).all()),
                "fid_near_floor": bool(mean_fid <= FID_FLOOR_FACTOR * floor),
                "diversity": bool(diversity >= DIVERSITY_SHARE),
                "near_duplicates": bool(row["worst_near_duplicates"] <= MAX_NEAR_DUPLICATES),
                "gan_test": bool(gan_test_gap <= GAN_TEST_POINTS),
            }
        )
        row["all"] = all(row[name] for name in TARGETS)
        rows[generator] = row
    return pd.DataFrame.from_dict(rows, orient="index").astype(object)


#: The targets' column names in :func:`quality_targets`.
TARGETS = ("fid_below_blurred", "fid_near_floor", "diversity", "near_duplicates", "gan_test")


def describe_targets(targets: pd.DataFrame, generator: str) -> str:
    """A sentence on which targets ``generator`` met and which it missed.

    Examples
    --------
    >>> table = pd.DataFrame({"fid_below_blurred": [True], "fid_near_floor": [False],
    ...     "diversity": [True], "near_duplicates": [True], "gan_test": [True],
    ...     "all": [False]}, index=["dcgan"])
    >>> describe_targets(table, "dcgan")
    'dcgan met 4 of 5 targets; it missed: mean FID at most twice the real-half floor.'
    """
    words = {
        "fid_below_blurred": "FID below blurred real bcc on every unit",
        "fid_near_floor": "mean FID at most twice the real-half floor",
        "diversity": "diversity at least 0.8 times real",
        "near_duplicates": "at most 1 % near-duplicate pairs",
        "gan_test": "GAN-test within 10 points of the real bcc recall",
    }
    row = targets.loc[generator]
    missed = [words[name] for name in TARGETS if not row[name]]
    if not missed:
        return f"{generator} met all {len(TARGETS)} targets."
    met = len(TARGETS) - len(missed)
    return f"{generator} met {met} of {len(TARGETS)} targets; it missed: {'; '.join(missed)}."


#: What missing each target says about a generator, for the page to give as the reason.
MISSED_MEANS = {
    "fid_below_blurred": "on some unit its images were further from real bcc than blurred real "
    "bcc are: there it had not learned the class",
    "fid_near_floor": "its images stay clearly further from real bcc than one half of the real "
    "bcc is from the other",
    "diversity": "its images vary less than real bcc, so what it adds is closer to repeated "
    "images than to new ones",
    "near_duplicates": "it repeats itself: too many of its pairs are near copies",
    "gan_test": "the extractor calls its images bcc at a rate far from its recall on real bcc: "
    "they look more (or less) typical of the class than real lesions",
}


def explain_misses(targets: pd.DataFrame) -> str:
    """Each target that some generator of :func:`quality_targets` missed, once, with the
    generators that missed it and what the miss means (:data:`MISSED_MEANS`); empty when every
    generator met every target.

    Examples
    --------
    >>> table = pd.DataFrame({name: [True, True] for name in TARGETS}, index=["dcgan", "plus"])
    >>> table.loc[["dcgan", "plus"], "diversity"] = False
    >>> explain_misses(table)  # doctest: +NORMALIZE_WHITESPACE
    'Diversity (missed by dcgan, plus): its images vary less than real bcc, so what it adds is
    closer to repeated images than to new ones.'
    """
    reasons = []
    for name in TARGETS:
        missed = [str(g) for g in targets.index if not targets.loc[g, name]]
        if missed:
            label = name.replace("_", " ").replace("fid", "FID").replace("gan", "GAN")
            label = label[0].upper() + label[1:]
            reasons.append(f"{label} (missed by {', '.join(missed)}): {MISSED_MEANS[name]}.")
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
