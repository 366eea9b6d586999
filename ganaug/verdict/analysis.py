"""Chapter 6's analysis of a results folder: is any arm's gain over ``classic`` real?

Every function takes the tables of a results folder (``results.csv``, the per-image
predictions, ``gan_quality.csv``, as :mod:`ganaug.experiment` loads them) and returns numbers or
tables; :mod:`ganaug.verdict.wording` turns them into sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ganaug.data.splits import REPORT_PROTOCOL
from ganaug.experiment.primary import (
    CHOICE_METRIC,
    PRIMARY_COMPARISONS,
    PRIMARY_METRIC,
    both_intervals,
    primary_table,
    unit_sizes,
)
from ganaug.metrics import (
    detectable_floor,
    mcnemar_test,
    paired_seed_difference,
    seed_table,
    smallest_resolvable_effect,
    test_images_needed,
    units_needed_corrected,
    units_needed_paired,
    wilson_interval,
)
from ganaug.metrics.seeds import holm_correction

if TYPE_CHECKING:  # not at run time: the plans' module imports the GANs', hence TensorFlow
    from ganaug.experiment.plan import StudyPlan

#: The report's results (its section 4): accuracy on its validation set without and with the
#: DCGAN's images, one training run each, and the number of images of its three classes.
REPORT_ACCURACY = {"without GAN images": 0.59, "with GAN images": 0.61}
REPORT_IMAGES = 2726
#: The arm trained and tested on the report's split by image: a different test set, so it is
#: compared with ``classic`` only to measure the leakage, never as an augmentation arm.
LEAKAGE_ARM = "classic_by_image"
#: Generators of ``gan_quality.csv`` in the order the book shows them: best reference first.
GENERATOR_ORDER = ("real_half", "dcgan", "dcgan_plus", "chosen", "cgan", "blurred")


def report_uncertainty(fractions: Sequence[float] = (0.05, 0.10, 0.20)) -> pd.DataFrame:
    """95 % Wilson intervals of the report's two accuracies for validation sets of several sizes.

    The report says only that it reserved "a small amount" of its images for validation; each
    row shows the intervals if that was ``fraction`` of its images, and how many images per set
    it would take to tell the two accuracies apart (:func:`ganaug.metrics.test_images_needed`).

    Examples
    --------
    >>> table = report_uncertainty([0.1])
    >>> int(table["validation_images"].iloc[0]), bool(table["overlap"].iloc[0])
    (273, True)
    """
    (name_a, p_a), (name_b, p_b) = REPORT_ACCURACY.items()
    rows = []
    for fraction in fractions:
        if not 0 < fraction < 1:
            raise ValueError(f"fractions must lie between 0 and 1, got {fraction}")
        n = round(fraction * REPORT_IMAGES)
        low_a, high_a = wilson_interval(round(p_a * n), n)
        low_b, high_b = wilson_interval(round(p_b * n), n)
        rows.append(
            {
                "fraction": fraction,
                "validation_images": n,
                f"{name_a} low": low_a,
                f"{name_a} high": high_a,
                f"{name_b} low": low_b,
                f"{name_b} high": high_b,
                "half_width_points": 100 * (high_a - low_a) / 2,
                "overlap": bool(high_a >= low_b),
                "images_needed": test_images_needed(p_a, p_b),
            }
        )
    return pd.DataFrame(rows)


def seed_differences(
    results: pd.DataFrame, arm: str, baseline: str = "classic", metric: str = "balanced_accuracy"
) -> pd.DataFrame:
    """Per seed: the baseline's and the arm's ``metric`` and their difference (arm - baseline).

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", "dcgan"] * 2, "seed": [0, 0, 1, 1],
    ...                      "metric": "balanced_accuracy", "value": [0.6, 0.62, 0.6, 0.59]})
    >>> seed_differences(long, "dcgan")["difference"].round(2).tolist()
    [0.02, -0.01]
    """
    table = seed_table(results, metric)
    for name in (arm, baseline):
        if name not in table.columns:
            raise ValueError(f"arm {name!r} not in the results; arms: {list(table.columns)}")
    frame = table[[baseline, arm]].dropna()
    return frame.assign(difference=frame[arm] - frame[baseline])


def mcnemar_for_seed(predictions: pd.DataFrame, arm_a: str, arm_b: str, seed: int) -> dict:
    """McNemar's exact test of two arms of one seed on that seed's test images.

    ``predictions`` is the per-image table of a results folder (columns ``image_id, true, pred,
    arm, seed``). The images are matched by ``image_id``; arms with different test sets (such
    as :data:`LEAKAGE_ARM` against any other) are refused.

    Examples
    --------
    >>> rows = pd.DataFrame({"image_id": ["x", "y", "z"] * 2, "true": ["mel"] * 6,
    ...                      "pred": ["mel", "bcc", "bcc", "mel", "mel", "mel"],
    ...                      "arm": ["classic"] * 3 + ["dcgan"] * 3, "seed": 0})
    >>> result = mcnemar_for_seed(rows, "classic", "dcgan", 0)
    >>> result["only_a"], result["only_b"]
    (0, 2)
    """
    parts = []
    for arm in (arm_a, arm_b):
        part = predictions[(predictions["arm"] == arm) & (predictions["seed"] == seed)]
        if part.empty:
            raise ValueError(f"no predictions of arm {arm!r} for seed {seed}")
        parts.append(part.sort_values("image_id"))
    a, b = parts
    result = mcnemar_test(
        a["true"].to_numpy(),
        a["pred"].to_numpy(),
        b["pred"].to_numpy(),
        ids_a=a["image_id"].to_numpy(),
        ids_b=b["image_id"].to_numpy(),
    )
    if not np.array_equal(a["true"].to_numpy(), b["true"].to_numpy()):
        raise ValueError("the same images have different true classes in the two arms' files")
    return result


def augmentation_arms(results: pd.DataFrame, baseline: str = "classic") -> list[str]:
    """The arms to compare with ``baseline``: all but the baseline and :data:`LEAKAGE_ARM`."""
    arms = list(dict.fromkeys(results["arm"]))
    return [arm for arm in arms if arm not in (baseline, LEAKAGE_ARM)]


def leakage_effect(results: pd.DataFrame, metric: str = "balanced_accuracy") -> dict:
    """How much the report's split by image flatters ``metric``: :data:`LEAKAGE_ARM` minus
    ``classic`` (the same arm on the lesion-aware split), paired by seed.

    Examples
    --------
    >>> long = pd.DataFrame({"arm": ["classic", LEAKAGE_ARM] * 3, "seed": [0, 0, 1, 1, 2, 2],
    ...                      "metric": "balanced_accuracy",
    ...                      "value": [0.60, 0.66, 0.58, 0.65, 0.62, 0.66]})
    >>> round(leakage_effect(long)["mean"], 3)
    0.057
    """
    table = seed_differences(results, LEAKAGE_ARM, "classic", metric)
    return paired_seed_difference(table["classic"], table[LEAKAGE_ARM])


def discordance(predictions: pd.DataFrame, arm_a: str, arm_b: str) -> float:
    """Mean share, over the units, of test images exactly one of the two arms got right."""
    shares = []
    for seed in sorted(set(predictions["seed"])):
        result = mcnemar_for_seed(predictions, arm_a, arm_b, seed)
        shares.append((result["only_a"] + result["only_b"]) / result["n"])
    return float(np.mean(shares))


def power_summary(
    results: pd.DataFrame,
    predictions: pd.DataFrame | None,
    arm: str = "dcgan",
    baseline: str = "classic",
    difference: float = 0.02,
    metric: str = "balanced_accuracy",
) -> dict:
    """What a study needs to detect ``difference`` between ``arm`` and ``baseline`` with
    :data:`ganaug.metrics.power.POWER` at :data:`~ganaug.metrics.power.ALPHA`, for both
    questions.

    Returns the standard deviation of the per-unit differences in ``metric`` (``sd``), the
    ``units`` run, the test and real training images per unit (``n_test``, ``n_train``), and:
    ``units_needed_paired`` (the plain paired t, conditional on this data set),
    ``units_needed_corrected`` (Nadeau and Bengio's corrected t, for new data; ``None`` when no
    number of units suffices) and ``floor`` (the smallest difference the corrected t finds with
    that power however many units are run, :func:`ganaug.metrics.detectable_floor`). With
    ``predictions``, also the share of test images the two arms disagree on
    (``discordance``), the baseline's mean plain ``accuracy`` and the test images McNemar's
    test needs (``images_needed``) for ``difference`` in plain accuracy.

    Examples
    --------
    >>> sizes = {"n_test": 2, "n_train": 8, "n_synthetic": 0}
    >>> long = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(3) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": "balanced_accuracy", "value": v}
    ...        for a, values in {"classic": [.60, .58, .62], "dcgan": [.61, .60, .62]}.items()
    ...        for s, v in enumerate(values)])
    >>> summary = power_summary(long, None)  # differences 1, 2, 0 points: sd 1 point
    >>> summary["units_needed_paired"], summary["units_needed_corrected"]
    (5, 9)
    >>> round(summary["floor"], 4)  # (1.96 + 0.84) * 0.01 * sqrt(2 / 8)
    0.014
    """
    table = seed_differences(results, arm, baseline, metric)
    sd = float(table["difference"].std(ddof=1))
    n_test, n_train = unit_sizes(results, baseline)
    spread = sd > 0  # no spread at all (identical runs, a tiny smoke study): nothing to size
    summary = {
        "sd": sd,
        "units": len(table),
        "difference": difference,
        "n_test": n_test,
        "n_train": n_train,
        "units_needed_paired": units_needed_paired(sd, difference) if spread else None,
        "units_needed_corrected": (
            units_needed_corrected(sd, difference, n_test, n_train) if spread else None
        ),
        "floor": detectable_floor(sd, n_test, n_train),
    }
    if predictions is not None:
        accuracy = float(seed_table(results, "accuracy")[baseline].mean())
        share = discordance(predictions, baseline, arm)
        summary.update(
            accuracy=accuracy,
            discordance=share,
            images_needed=test_images_needed(
                accuracy, min(1.0, accuracy + difference), max(share, difference)
            ),
        )
    return summary


def gan_quality_summary(quality: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over units of each generator's quality metrics.

    Examples
    --------
    >>> quality = pd.DataFrame({"seed": [0, 1, 0, 1], "generator": ["dcgan"] * 2 + ["blurred"] * 2,
    ...                         "metric": "fid", "value": [2.0, 4.0, 9.0, 11.0]})
    >>> gan_quality_summary(quality)["fid"].tolist()
    [3.0, 10.0]
    """
    missing = {"seed", "generator", "metric", "value"} - set(quality.columns)
    if missing or quality.empty:
        raise ValueError(
            f"need gan_quality.csv's rows (seed, generator, metric, value); "
            f"missing column(s) {sorted(missing)} or no rows"
        )
    stats = quality.groupby(["generator", "metric"])["value"].agg(["mean", "std"]).unstack()
    present = list(dict.fromkeys(quality["generator"]))
    order = [g for g in GENERATOR_ORDER if g in present] + [
        g for g in present if g not in GENERATOR_ORDER
    ]
    metrics = list(dict.fromkeys(quality["metric"]))
    columns = {}
    for metric in metrics:
        columns[metric] = stats[("mean", metric)]
        columns[f"{metric} sd"] = stats[("std", metric)]
    frame = pd.DataFrame(columns).loc[order]
    frame.insert(0, "units", quality.groupby("generator")["seed"].nunique().loc[order])
    return frame


def has_validation_metrics(results: pd.DataFrame) -> bool:
    """Whether ``results`` holds validation rows (``val_balanced_accuracy``), on which the second
    primary comparison chooses its arms. Folders written before they were recorded have none.

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": "classic", "seed": 0, "metric": ["balanced_accuracy"],
    ...                      "value": [0.6]})
    >>> has_validation_metrics(rows)
    False
    """
    return bool((results["metric"] == CHOICE_METRIC).any())


def pair_intervals(results, arm, baseline, metric, n_test, n_train, confidence) -> dict:
    """Both intervals of ``arm`` minus ``baseline`` on ``metric``, paired by unit
    (:func:`ganaug.experiment.primary.both_intervals` of :func:`seed_differences`)."""
    table = seed_differences(results, arm, baseline, metric)
    return both_intervals(table[baseline], table[arm], n_test, n_train, confidence)


def primary_intervals(
    results: pd.DataFrame, metric: str = PRIMARY_METRIC, confidence: float = 0.95
) -> pd.DataFrame:
    """The primary comparisons the results allow, each with both intervals and Holm's
    adjustment of the corrected p-values over these comparisons alone (``p_holm``).

    With validation rows (:func:`has_validation_metrics`) this is the primary part of
    :func:`ganaug.experiment.primary_table`. Without them the arms of the second comparison
    cannot be chosen on validation, so only the comparisons that name their arms (the report's
    claim) are given. Columns as :func:`~ganaug.experiment.primary_table`'s: ``paired_low/high``
    (plain paired t over units: conditional on this data set) and ``corrected_low/high``
    (Nadeau & Bengio's corrected resampled t, with the unit sizes of
    :func:`~ganaug.experiment.unit_sizes`: allows for the units' shared training images).

    Examples
    --------
    >>> sizes = {"n_test": 2, "n_train": 7, "n_synthetic": 0}
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(3) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": "balanced_accuracy", "value": v}
    ...        for a, values in {"classic": [.60, .58, .62], "dcgan": [.62, .61, .63]}.items()
    ...        for s, v in enumerate(values)])
    >>> table = primary_intervals(rows)
    >>> table[["arm", "baseline", "units"]].values.tolist()
    [['dcgan', 'classic', 3]]
    >>> bool(table["corrected_low"].iloc[0] < table["paired_low"].iloc[0])
    True
    """
    n_test, n_train = unit_sizes(results)
    if has_validation_metrics(results):
        table = primary_table(results, n_test, n_train, metric, confidence)
        table = table[table["family"] == "primary"]
        return table.drop(columns=["family"]).reset_index(drop=True)
    present = set(results["arm"])
    rows = [
        {
            "comparison": c.name,
            "arm": c.arm,
            "baseline": c.baseline,
            **pair_intervals(results, c.arm, c.baseline, metric, n_test, n_train, confidence),
        }
        for c in PRIMARY_COMPARISONS
        if c.arm in present and c.baseline in present
    ]
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["p_holm"] = holm_correction(frame["p_corrected"])
    return frame


def planned_unit_sizes(plan: StudyPlan, results: pd.DataFrame) -> tuple[float, float]:
    """Test and real training images per unit that ``plan`` would give on the data set of
    ``results``.

    The data set's size comes from ``results``' own units (:func:`ganaug.experiment.unit_sizes`):
    under either protocol a unit tests and trains on all images but the validation part
    (:data:`ganaug.data.REPORT_PROTOCOL`'s ``val_fraction``). A ``"kfold"`` plan tests on one
    fold of ``plan.folds``; a ``"resampled"`` one on the report's ``test_fraction``.

    Examples
    --------
    >>> from ganaug.experiment import study_plan
    >>> rows = pd.DataFrame({"arm": "classic", "seed": 0, "metric": ["n_test", "n_train",
    ...                      "n_synthetic"], "value": [270, 630, 0]})  # 1000 images
    >>> [round(v, 1) for v in planned_unit_sizes(study_plan("full"), rows)]  # 5 folds
    [200.0, 700.0]
    """
    n_test, n_train = unit_sizes(results)
    images = (n_test + n_train) / (1 - REPORT_PROTOCOL.val_fraction)
    if plan.protocol == "kfold":
        test = images / plan.folds
    elif plan.protocol == "resampled":
        test = REPORT_PROTOCOL.test_fraction * images
    else:
        raise ValueError(f"unknown protocol {plan.protocol!r} of plan {plan.profile!r}")
    return test, images - test - REPORT_PROTOCOL.val_fraction * images


def resolution_table(
    sd: float, designs: dict[str, tuple[float, float]], difference: float = 0.02
) -> pd.DataFrame:
    """What each design can resolve for new data, if its per-unit differences spread by ``sd``.

    ``designs`` maps a name to ``(n_test, n_train)`` images per unit. Each row gives them,
    their ratio, the ``half_width_floor`` no number of units gets the corrected 95 % half-width
    below (:func:`ganaug.metrics.smallest_resolvable_effect`: a true difference of that size is
    found half the time), the ``floor`` at :data:`ganaug.metrics.power.POWER`
    (:func:`ganaug.metrics.detectable_floor`), and the ``units_needed`` for the corrected t to
    find ``difference`` with that power (:func:`ganaug.metrics.units_needed_corrected`; missing
    where no number of units does). All under Nadeau and Bengio's approximation.

    Examples
    --------
    >>> table = resolution_table(0.02, {"a": (1, 4), "b": (1, 9)}, difference=0.025)
    >>> table["units_needed"].tolist(), table["floor"].round(4).tolist()
    ([<NA>, 16], [0.028, 0.0187])
    """
    rows = {}
    for name, (n_test, n_train) in designs.items():
        rows[name] = {
            "n_test": float(n_test),
            "n_train": float(n_train),
            "ratio": n_test / n_train,
            "half_width_floor": smallest_resolvable_effect(sd, n_test, n_train),
            "floor": detectable_floor(sd, n_test, n_train),
            "units_needed": units_needed_corrected(sd, difference, n_test, n_train),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["units_needed"] = table["units_needed"].astype("Int64")
    return table
