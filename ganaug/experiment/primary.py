"""The study's primary comparisons, declared here before any run, and their table.

A study that compares a dozen arms will find some difference by luck. So two comparisons are
fixed in advance and form the primary family: each is judged by its own two intervals (paired
and corrected) at :data:`ALPHA`, and Holm's adjustment over the two alone is given beside them,
never mixed with the other arms. Every other comparison is secondary: it describes, and its
corrected p-values are adjusted together by Holm over the secondary family only. The second
primary comparison names its arms by a rule, not by name: the best arm with a generator
against the best arm without one, both chosen on the VALIDATION results
(``val_balanced_accuracy``), never on the test results they are judged by.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ganaug.experiment.arms import ARMS
from ganaug.metrics.resampled import corrected_resampled_t
from ganaug.metrics.seeds import holm_correction, paired_seed_difference, seed_table

#: Placeholders of :data:`PRIMARY_COMPARISONS` filled in by :func:`choose_on_validation`.
BEST_GENERATOR = "<best generator arm on validation>"
BEST_WITHOUT_GENERATOR = "<best arm without a generator on validation>"
#: What the comparisons are judged on (test part) and chosen on (validation part).
PRIMARY_METRIC = "balanced_accuracy"
CHOICE_METRIC = "val_balanced_accuracy"
#: The level each comparison is read at (its 95 % intervals).
ALPHA = 0.05


def familywise_bound(comparisons: int, alpha: float = ALPHA) -> float:
    """Bonferroni's bound on the chance of at least one false alarm among ``comparisons``
    comparisons each read at ``alpha``: ``min(1, comparisons * alpha)``. It holds however the
    comparisons are correlated.

    Examples
    --------
    >>> familywise_bound(2)
    0.1
    """
    if comparisons < 1 or not 0 < alpha < 1:
        raise ValueError(
            f"need at least 1 comparison and 0 < alpha < 1, got {comparisons}, {alpha}"
        )
    return min(1.0, comparisons * alpha)


@dataclass(frozen=True)
class Comparison:
    """Arm ``arm`` against arm ``baseline`` (``arm`` minus ``baseline``), and why it is asked."""

    name: str
    arm: str
    baseline: str
    why: str


#: Declared before the run: the report's claim, and the best generator against the best
#: alternative without one.
PRIMARY_COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "report's claim",
        "dcgan",
        "classic",
        "the report's claim: its DCGAN's bcc images beat classic augmentation alone",
    ),
    Comparison(
        "best generator vs best without",
        BEST_GENERATOR,
        BEST_WITHOUT_GENERATOR,
        "is the best use of a generator better than the best way to do without one?",
    ),
)


def _candidates(results: pd.DataFrame) -> list[str]:
    """Arms of the registry present in ``results`` and split by lesion, in registry order."""
    present = set(results["arm"])
    return [name for name, arm in ARMS.items() if name in present and arm.split == "lesion"]


def choose_on_validation(results_val: pd.DataFrame) -> tuple[str, str]:
    """The best generator arm and the best arm without a generator, by mean
    ``val_balanced_accuracy`` over units (ties go to the arm listed first in the registry).

    ``results_val`` is the long results table (``arm, seed, metric, value``); only its
    validation rows are read, so the choice never looks at a test result. Arms split by image
    (``classic_by_image``, whose validation part leaks) are never chosen.

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": ["classic", "oversample", "dcgan", "cgan"], "seed": 0,
    ...                      "metric": "val_balanced_accuracy", "value": [0.6, 0.62, 0.61, 0.64]})
    >>> choose_on_validation(rows)
    ('cgan', 'oversample')
    """
    rows = results_val[results_val["metric"] == CHOICE_METRIC]
    if rows.empty:
        raise ValueError(
            f"the results have no {CHOICE_METRIC!r} rows (a folder written before validation "
            "metrics were recorded): run the study again into a new folder to choose arms on "
            "validation"
        )
    means = rows.groupby("arm")["value"].mean()
    chosen = []
    for with_generator in (True, False):
        arms = [a for a in _candidates(rows) if (ARMS[a].generator is not None) == with_generator]
        if not arms:
            kind = "with" if with_generator else "without"
            raise ValueError(f"no arm {kind} a generator has {CHOICE_METRIC!r} rows to choose from")
        chosen.append(max(arms, key=lambda arm: (means[arm], -arms.index(arm))))
    return chosen[0], chosen[1]


def resolve_comparisons(results: pd.DataFrame) -> list[Comparison]:
    """:data:`PRIMARY_COMPARISONS` with the placeholders replaced by the arms chosen on
    validation (:func:`choose_on_validation`)."""
    best_generator, best_without = choose_on_validation(results)
    fill = {BEST_GENERATOR: best_generator, BEST_WITHOUT_GENERATOR: best_without}
    return [
        Comparison(c.name, fill.get(c.arm, c.arm), fill.get(c.baseline, c.baseline), c.why)
        for c in PRIMARY_COMPARISONS
    ]


def unit_sizes(results: pd.DataFrame, arm: str = "classic") -> tuple[float, float]:
    """Mean test images and real training images per unit, from ``arm``'s rows
    (``n_test`` and ``n_train - n_synthetic``; ``classic`` trains on its part as it is).

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": "classic", "seed": 0, "metric": ["n_test", "n_train",
    ...                      "n_synthetic"], "value": [200, 700, 0]})
    >>> unit_sizes(rows)
    (200.0, 700.0)
    """
    table = {m: seed_table(results, m)[arm] for m in ("n_test", "n_train", "n_synthetic")}
    return float(table["n_test"].mean()), float((table["n_train"] - table["n_synthetic"]).mean())


def _compare(table: pd.DataFrame, comparison: Comparison, n_test, n_train, confidence) -> dict:
    for name in (comparison.arm, comparison.baseline):
        if name not in table.columns:
            raise ValueError(f"arm {name!r} is not in the results; arms: {list(table.columns)}")
    both = table[[comparison.baseline, comparison.arm]].dropna()
    return {
        "comparison": comparison.name,
        "arm": comparison.arm,
        "baseline": comparison.baseline,
        **both_intervals(both[comparison.baseline], both[comparison.arm], n_test, n_train,
                         confidence),
    }  # fmt: skip


def both_intervals(baseline, arm, n_test: float, n_train: float, confidence: float) -> dict:
    """The paired per-unit t-interval of ``arm - baseline`` (conditional on this data) and
    Nadeau and Bengio's corrected one (against new data), with their p-values.

    Examples
    --------
    >>> row = both_intervals([0.60, 0.62, 0.61], [0.63, 0.66, 0.62], 1, 4, 0.95)
    >>> round(row["mean_difference"], 3), row["corrected_low"] < row["paired_low"]
    (0.027, True)
    """
    paired = paired_seed_difference(pd.Series(baseline), pd.Series(arm), confidence)
    corrected = corrected_resampled_t(paired["differences"], n_test, n_train, confidence)
    return {
        "units": paired["units"],
        "mean_difference": paired["mean"],
        "paired_low": paired["low"],
        "paired_high": paired["high"],
        "p_paired": paired["p_ttest"],
        "corrected_low": corrected["low"],
        "corrected_high": corrected["high"],
        "p_corrected": corrected["p"],
    }


def secondary_comparisons(results: pd.DataFrame, primary: list[Comparison]) -> list[Comparison]:
    """The secondary family: every other lesion-split arm against ``classic``, less the pairs
    already primary (``classic_by_image`` is tested on another split and is never in it)."""
    taken = {(c.arm, c.baseline) for c in primary}
    return [
        Comparison(f"{arm} vs classic", arm, "classic", "secondary")
        for arm in _candidates(results)
        if arm != "classic" and (arm, "classic") not in taken
    ]


def primary_table(
    results: pd.DataFrame,
    n_test: float,
    n_train: float,
    metric: str = PRIMARY_METRIC,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Both intervals of each primary comparison, then the secondary ones, each family with its
    own Holm adjustment: the one definition of both families (``report.md`` and chapter 6).

    For each comparison (``arm`` minus ``baseline`` on ``metric``, paired by unit):
    ``paired_low/high`` and ``p_paired``, the plain paired t over units, which speaks only for
    THIS data set (conditional on it); and ``corrected_low/high`` and ``p_corrected``, Nadeau &
    Bengio's corrected resampled t (:func:`ganaug.metrics.corrected_resampled_t`, with
    ``n_test`` and ``n_train`` images per unit, see :func:`unit_sizes`), which allows for the
    units' shared training images and speaks for a new data set from the same source.
    ``p_holm`` is Holm's adjustment of ``p_corrected`` within the row's family: over the two
    primary comparisons, and separately over the secondary ones. The secondary family uses the
    corrected p-value because its question is the primary one's harder half (would the arm
    help on new images?) and the plain paired p, which ignores what the units share, is too
    small for it; one kind of p-value and one Holm, never mixed across families.

    Examples
    --------
    >>> arms = ["classic", "dcgan", "oversample"]
    >>> test = pd.DataFrame({"arm": arms * 3, "seed": sorted([0, 1, 2] * 3),
    ...     "metric": "balanced_accuracy",
    ...     "value": [.60, .62, .61, .58, .61, .58, .62, .63, .63]})
    >>> val = test.assign(metric="val_balanced_accuracy")
    >>> table = primary_table(pd.concat([test, val]), n_test=2, n_train=7)
    >>> table[["family", "arm", "baseline"]].values.tolist()
    [['primary', 'dcgan', 'classic'], ['primary', 'dcgan', 'oversample'], ['secondary', 'oversample', 'classic']]
    """  # noqa: E501
    table = seed_table(results, metric)
    primary = resolve_comparisons(results)
    rows = [
        {"family": "primary", **_compare(table, c, n_test, n_train, confidence)} for c in primary
    ]
    secondary = [
        {"family": "secondary", **_compare(table, c, n_test, n_train, confidence)}
        for c in secondary_comparisons(results, primary)
    ]
    for family in (rows, secondary):
        if family:
            adjusted = holm_correction([row["p_corrected"] for row in family])
            for row, p in zip(family, adjusted, strict=True):
                row["p_holm"] = p
    return pd.DataFrame(rows + secondary)
