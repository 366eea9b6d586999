"""The quality targets a generator should meet before a study tests its images (chapter 4
declares them; chapters 5 and 6 and the generator search read them from here).

Each target is measured on the features of each unit's extractor, against that unit's
lesion-clean references (:func:`ganaug.experiment.quality.gan_quality_rows`): the real half (two
samples of real bcc that share no lesion: as close as real images of new lesions get) and the
blurred real half (a poor
generator). Every :class:`Target` says what it measures, over what (each unit, or the units
together), its threshold and why; :data:`QUALITY_TARGETS` is the one list. GAN-test has two
targets, because its gap to the real recall can mean two things: a **bias** (the mean signed
gap over units: the generator's images look more, or less, typical of bcc than real lesions)
and an **instability** (the spread of the gap over units: its kind of image changes from one
training to the next).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

#: The references every unit's quality rows carry.
REFERENCES = ("real_half", "blurred")


@dataclass(frozen=True)
class Target:
    """One quality target: ``name`` (its column in :func:`quality_targets`), ``label`` (short
    words), ``definition`` (what is computed), ``over`` (``"every unit"``, or a summary over
    the units), ``threshold``, ``reason`` (why this threshold) and ``missed_means`` (what a miss
    says about the generator)."""

    name: str
    label: str
    definition: str
    over: str
    threshold: float
    reason: str
    missed_means: str


QUALITY_TARGETS: tuple[Target, ...] = (
    Target(
        "fid_below_blurred",
        "FID below blurred real bcc on every unit",
        "the generator's FID is lower than the blurred real half's",
        "every unit",
        0.0,
        "blurring keeps a lesion's colour and shape and loses its texture: a generator that "
        "does no better than that has not learned the class",
        "on some unit its images were further from real bcc than blurred real bcc are: there "
        "it had not learned the class",
    ),
    Target(
        "fid_near_reference",
        "mean FID at most twice the real-half reference",
        "mean FID over units divided by the mean FID of the real half",
        "mean over units",
        2.0,
        "the real half is as far as two samples of real bcc lie apart; twice it leaves room for a "
        "generator that is good but not indistinguishable",
        "its images stay clearly further from real bcc than one half of the real bcc is from "
        "the other",
    ),
    Target(
        "diversity",
        "diversity at least 0.8 times real",
        "mean diversity over units divided by the real half's mean diversity",
        "mean over units",
        0.8,
        "images that vary much less than real bcc add repeats rather than new examples",
        "its images vary less than real bcc, so what it adds is closer to repeated images "
        "than to new ones",
    ),
    Target(
        "near_duplicates",
        "at most 1 % near-duplicate pairs",
        "the share of pairs of its images closer than real bcc's closest 1 %, worst unit",
        "every unit",
        0.01,
        "real bcc has 1 % such pairs by construction of the threshold",
        "it repeats itself: too many of its pairs are near copies",
    ),
    Target(
        "gan_test_bias",
        "GAN-test within 10 points of real recall, on average",
        "mean over units of (GAN-test minus the extractor's recall on the real half), signed",
        "mean over units",
        0.10,
        "a gap of more than 10 points on average means the extractor sees its images as "
        "systematically more, or less, typical of bcc than real lesions",
        "the extractor calls its images bcc at a rate far from its recall on real bcc, in the "
        "same direction on average: they look more (or less) typical of the class than real "
        "lesions",
    ),
    Target(
        "gan_test_spread",
        "GAN-test gap steady across units",
        "standard deviation over units of (GAN-test minus real recall)",
        "spread over units",
        0.15,
        "with about 50 test bcc in a half, sampling alone moves a unit's gap by about 10 "
        "points (two binomial shares of about 50 images near 0.6); a spread half again as large "
        "says the generator's kind of image changes between trainings",
        "the gap between its GAN-test and real recall swings from unit to unit: what it makes "
        "depends on the luck of its training",
    ),
    Target(
        "recall",
        "recall at least 0.8 times real",
        "mean improved recall over units divided by the real half's mean recall (coverage: the "
        "share of the real bcc whose neighbourhood some generated image reaches)",
        "mean over units",
        0.8,
        "added after the study was measured (issue 36), as diversity's twin: images that cover "
        "much less of the real class than real images do add its common looks again and leave "
        "the rest out; it judges no committed choice (the search's rule never read it)",
        "its images reach only part of what real bcc look like: they add the common lesions "
        "again and leave the rarer looks out",
    ),
)

#: The targets' column names in :func:`quality_targets`.
TARGETS = tuple(target.name for target in QUALITY_TARGETS)


def target_table() -> pd.DataFrame:
    """:data:`QUALITY_TARGETS` as a table, one row per target (chapter 4 shows it).

    Examples
    --------
    >>> table = target_table()
    >>> list(table.index) == list(TARGETS), float(table.loc["diversity", "threshold"])
    (True, 0.8)
    """
    return pd.DataFrame([asdict(target) for target in QUALITY_TARGETS]).set_index("name")


def get_target(name: str) -> Target:
    """The target called ``name``.

    Examples
    --------
    >>> get_target("fid_near_reference").threshold
    2.0
    """
    for target in QUALITY_TARGETS:
        if target.name == name:
            return target
    raise ValueError(f"unknown target {name!r}: use one of {', '.join(TARGETS)}")


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
                    "real_recall": real.get("recall"),
                }
            )
    return pd.DataFrame(rows).set_index(["generator", "unit"])


def unit_targets(per_unit: pd.DataFrame) -> pd.DataFrame:
    """Each target judged on each unit alone (rows of :func:`quality_per_unit`), for a rule
    that counts the units on which a generator meets every target: the summaries over units
    become the unit's own value (its FID against its real half, its diversity against its real
    half's, its GAN-test gap), and the spread, which needs several units, is left out.

    Examples
    --------
    >>> rows = pd.DataFrame({"fid": [1.5, 9.0], "real_fid": [1.0, 1.0], "blurred_fid": [6.0, 6.0],
    ...     "diversity": [3.5, 3.5], "real_diversity": [4.0, 4.0], "near_duplicates": [0.0, 0.0],
    ...     "gan_test": [0.6, 0.6], "real_gan_test": [0.6, 0.6]},
    ...     index=pd.MultiIndex.from_tuples([("g", 0), ("g", 1)], names=["generator", "unit"]))
    >>> unit_targets(rows)["all"].tolist()
    [True, False]
    """
    gap = per_unit["gan_test"] - per_unit["real_gan_test"]
    checks = pd.DataFrame(
        {
            "fid_below_blurred": per_unit["fid"] < per_unit["blurred_fid"],
            "fid_near_reference": per_unit["fid"]
            <= _threshold("fid_near_reference") * per_unit["real_fid"],
            "diversity": per_unit["diversity"]
            >= _threshold("diversity") * per_unit["real_diversity"],
            "near_duplicates": per_unit["near_duplicates"] <= _threshold("near_duplicates"),
            "gan_test_bias": gap.abs() <= _threshold("gan_test_bias"),
        },
        index=per_unit.index,
    )
    checks["all"] = checks.all(axis=1)
    return checks


def _threshold(name: str) -> float:
    return get_target(name).threshold


def _recall_share(units: pd.DataFrame) -> float:
    """Mean recall over ``units`` divided by the real half's (NaN without recall rows)."""
    if "recall" not in units.columns or "real_recall" not in units.columns:
        return np.nan
    recall = pd.to_numeric(units["recall"], errors="coerce").mean()
    real = pd.to_numeric(units["real_recall"], errors="coerce").mean()
    return float(recall / real) if real > 0 else np.nan


def quality_targets(quality: pd.DataFrame) -> pd.DataFrame:
    """Whether each generator meets each target of :data:`QUALITY_TARGETS`, one row per
    generator: ``units``, the summaries the targets judge (share of units below blurred, mean
    FID and the real half's, diversity share, worst near-duplicates, GAN-test gap's mean and
    spread ``gan_test_gap_sd``, recall share), and True/False per target (``all`` when it meets
    every one).

    Examples
    --------
    >>> rows = [(unit, name, metric, value) for unit in (0, 1) for name, metric, value in [
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("dcgan", "fid", 1.5),
    ...     ("real_half", "diversity", 4.0), ("dcgan", "diversity", 3.5),
    ...     ("real_half", "gan_test", 0.6), ("dcgan", "gan_test", 0.65),
    ...     ("dcgan", "near_duplicates", 0.0), ("real_half", "recall", 0.9),
    ...     ("dcgan", "recall", 0.8)]]
    >>> quality = pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])
    >>> quality_targets(quality).loc["dcgan", ["fid_below_blurred", "gan_test_bias", "all"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    fid_below_blurred    True
    gan_test_bias        True
    all                  True
    Name: dcgan, dtype: object
    """
    per_unit = quality_per_unit(quality)
    rows = {}
    for generator, units in per_unit.groupby(level="generator"):
        mean_fid, reference = units["fid"].mean(), units["real_fid"].mean()
        diversity = units["diversity"].mean() / units["real_diversity"].mean()
        gap = units["gan_test"] - units["real_gan_test"]
        spread = float(gap.std(ddof=1)) if len(gap) > 1 else np.nan
        row = {
            "units": len(units),
            "below_blurred_share": float((units["fid"] < units["blurred_fid"]).mean()),
            "mean_fid": mean_fid,
            "reference_fid": reference,
            "diversity_share": diversity,
            "worst_near_duplicates": units["near_duplicates"].max(),
            "gan_test_gap": float(gap.mean()),
            "gan_test_gap_sd": spread,
            "recall_share": _recall_share(units),
        }
        row.update(
            {
                "fid_below_blurred": bool((units["fid"] < units["blurred_fid"]).all()),
                "fid_near_reference": bool(
                    mean_fid <= _threshold("fid_near_reference") * reference
                ),
                "diversity": bool(diversity >= _threshold("diversity")),
                "near_duplicates": bool(
                    row["worst_near_duplicates"] <= _threshold("near_duplicates")
                ),
                "gan_test_bias": bool(abs(row["gan_test_gap"]) <= _threshold("gan_test_bias")),
                # one unit has no spread, so it cannot show that the gap is steady: not met
                "gan_test_spread": bool(spread <= _threshold("gan_test_spread")),
                # rows measured before recall was recorded cannot show coverage: not met
                "recall": bool(row["recall_share"] >= _threshold("recall")),
            }
        )
        row["all"] = all(row[name] for name in TARGETS)
        rows[generator] = row
    return pd.DataFrame.from_dict(rows, orient="index").astype(object)
