"""The search's choice against the report's DCGAN directly (chapter 6): ``chosen`` minus
``dcgan`` and ``chosen_no_classic`` minus ``dcgan_no_classic``, with both intervals, and what
``chosen`` is in words the plan chooses (the best of K seeds of the same recipe, where it is).

Against ``classic`` the two arms only say whether each helps; side by side they say whether the
better generator changed anything, which is the question the search asks.
"""

from __future__ import annotations

import os

import pandas as pd

from ganaug.experiment.gans import CHOSEN, SEARCH_CHOICE
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.primary import PRIMARY_METRIC, unit_sizes
from ganaug.experiment.provenance import read_run
from ganaug.experiment.store import results_dir
from ganaug.verdict.analysis import pair_intervals
from ganaug.verdict.chosen import REPORT_ARM
from ganaug.verdict.wording import points, zero_side

#: How the page names a metric.
MEASURES = {"balanced_accuracy": "balanced accuracy", "accuracy": "plain accuracy"}

#: The direct comparisons: each chosen arm against the same arm with the report's DCGAN.
DIRECT_PAIRS = (("chosen", "dcgan"), ("chosen_no_classic", "dcgan_no_classic"))


def direct_intervals(
    results: pd.DataFrame,
    metrics: tuple[str, ...] = (PRIMARY_METRIC, "accuracy"),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each chosen arm against its arm with the report's DCGAN (:data:`DIRECT_PAIRS`, where
    both are in ``results``), in each of ``metrics``: ``metric`` and the columns of
    :func:`ganaug.experiment.primary_table` (``family`` ``"description"``: neither declared nor
    judged, no p-value adjusted).

    Examples
    --------
    >>> sizes = {"n_test": 40, "n_train": 160, "n_synthetic": 0}
    >>> values = {"dcgan": [.60, .58, .62, .59], "chosen": [.61, .58, .63, .59]}
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(4) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": "balanced_accuracy", "value": v}
    ...        for a, vs in values.items() for s, v in enumerate(vs)])
    >>> table = direct_intervals(rows, metrics=("balanced_accuracy",))
    >>> table[["arm", "baseline", "units"]].values.tolist()
    [['chosen', 'dcgan', 4]]
    >>> round(float(table["mean_difference"].iloc[0]), 4)
    0.005
    """
    present = set(results["arm"])
    n_test, n_train = unit_sizes(results)
    rows = [
        {"family": "description", "arm": arm, "baseline": baseline, "metric": metric,
         **pair_intervals(results, arm, baseline, metric, n_test, n_train, confidence)}
        for arm, baseline in DIRECT_PAIRS if arm in present and baseline in present
        for metric in metrics
    ]  # fmt: skip
    return pd.DataFrame(rows)


def units_sharing_gan(candidates: pd.DataFrame, arm: str = "chosen", other: str = "dcgan"
                      ) -> list[int]:  # fmt: skip
    """The units on which ``arm``'s kept GAN is ``other``'s very GAN: every quality value
    measured for the two (``candidates``: ``gan_candidates.csv``, its ``kept`` rows) is equal.
    With the search's choice the report's recipe at its budget, the choice's first GAN of a
    unit is the ``dcgan`` arm's own (:func:`ganaug.experiment.gans.study_kind`).

    Examples
    --------
    >>> rows = pd.DataFrame({"seed": [0, 0, 1, 1], "generator": ["chosen", "dcgan"] * 2,
    ...     "metric": "fid", "value": [1.5, 1.5, 2.0, 3.0], "gan_seed": [0, 0, 2, 0],
    ...     "kept": True})
    >>> units_sharing_gan(rows)
    [0]
    """
    kept = candidates[candidates["kept"].astype(bool)]
    table = kept.pivot_table(index=["seed", "metric"], columns="generator", values="value")
    if arm not in table.columns or other not in table.columns:
        return []
    same = (table[arm] == table[other]) | (table[arm].isna() & table[other].isna())
    return sorted(int(unit) for unit, equal in same.groupby(level="seed").all().items() if equal)


def describe_chosen_recipe(plan: StudyPlan, shared: list[int] | None = None, units: int = 0
                           ) -> str:  # fmt: skip
    """What the ``chosen`` arm is, in words chosen by the plan: "the best of K seeds of the same
    recipe" as ``dcgan`` where the search's choice is the report's DCGAN at its own budget
    (:data:`ganaug.experiment.gans.SEARCH_CHOICE`), else K GANs of the chosen kind; with
    ``shared`` (:func:`units_sharing_gan`) and ``units``, on how many units it kept the
    ``dcgan`` arm's own GAN.

    Examples
    --------
    >>> from ganaug.experiment import study_plan
    >>> describe_chosen_recipe(study_plan("book"), [3, 4, 5, 7, 8], 10)
    ... # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    "chosen is the best of 3 seeds of the same recipe as dcgan (the report's DCGAN at ... on 5
    of the 10 units the one kept is the dcgan arm's own GAN."
    """
    kind, factor = SEARCH_CHOICE
    count = plan.gan_seed_count(CHOSEN)
    if kind == REPORT_ARM and factor == 1:
        what = (
            f"the best of {count} seeds of the same recipe as {REPORT_ARM} (the report's DCGAN "
            f"at its {plan.gan.dcgan_steps} steps), kept on each unit by the lowest KID against "
            "the unit's validation bcc"
            if count > 1
            else f"the same recipe as {REPORT_ARM}, one GAN per unit: the {REPORT_ARM} arm's own"
        )
    else:
        times = f"{factor:g} times" if factor != 1 else "at"
        what = (
            f"{count} GAN{'s' if count > 1 else ''} of {kind} trained {times} its budget on "
            "each unit, the one closest to the unit's validation bcc kept"
        )
    sentence = f"{CHOSEN} is {what}"
    if shared is not None and units and kind == REPORT_ARM and factor == 1 and count > 1:
        sentence += (
            f"; on {len(shared)} of the {units} units the one kept is the {REPORT_ARM} arm's "
            "own GAN"
        )
    return sentence + "."


def describe_direct(table: pd.DataFrame) -> str:
    """One sentence per row of :func:`direct_intervals`: the difference and both intervals in
    points, and whether either lies off zero (as shown, :func:`zero_side`).

    Examples
    --------
    >>> rows = pd.DataFrame([{"arm": "chosen", "baseline": "dcgan", "metric": "balanced_accuracy",
    ...     "units": 10, "mean_difference": 0.0007, "paired_low": -0.016, "paired_high": 0.017,
    ...     "corrected_low": -0.032, "corrected_high": 0.034}])
    >>> describe_direct(rows)  # doctest: +NORMALIZE_WHITESPACE
    'chosen - dcgan: +0.1 points of balanced accuracy over 10 units (paired 95 % interval,
    these images, -1.6 to +1.7; corrected, new images, -3.2 to +3.4): both include zero.'
    """
    sentences = []
    for row in table.itertuples(index=False):
        sides = [zero_side(row.paired_low, row.paired_high),
                 zero_side(row.corrected_low, row.corrected_high)]  # fmt: skip
        if not any(sides):
            verdict = "both include zero"
        elif all(sides):
            verdict = f"both lie {'above' if sides[0] > 0 else 'below'} zero"
        else:
            where = "above" if (sides[0] or sides[1]) > 0 else "below"
            which = "paired" if sides[0] else "corrected"
            verdict = f"the {which} interval lies {where} zero, the other includes it"
        sentences.append(
            f"{row.arm} - {row.baseline}: {points(row.mean_difference):+.1f} points of "
            f"{MEASURES.get(row.metric, row.metric)} over {int(row.units)} units (paired 95 % "
            f"interval, these images, {points(row.paired_low):+.1f} to "
            f"{points(row.paired_high):+.1f}; "
            f"corrected, new images, {points(row.corrected_low):+.1f} to "
            f"{points(row.corrected_high):+.1f}): {verdict}."
        )
    return " ".join(sentences)


def validation_kids(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """The validation KID of every GAN a choice among a unit's K GANs compared (``unit,
    generator, gan_seed, val_kid, kept``), read from the folder's ``run.json`` (each choice
    piece records them; ``gan_candidates.csv`` has no such column), so that the kept seed can be
    audited: it is the lowest KID of its unit and kind (:mod:`ganaug.experiment.selection`).

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "run.json").write_text(json.dumps({"pieces": {"choice/chosen/u0":
    ...     {"kept": 1, "validation_kid": [0.09, 0.03, 0.05]}}}))
    >>> validation_kids(folder)[["gan_seed", "kept"]].values.tolist()
    [[0, False], [1, True], [2, False]]
    """
    run = read_run(results_dir(folder))
    rows = []
    for key, record in run.get("pieces", {}).items():
        kind, _, unit = key.partition("/")[2].partition("/")
        if not key.startswith("choice/") or "validation_kid" not in record:
            continue
        for gan_seed, kid in enumerate(record["validation_kid"]):
            rows.append({"unit": int(unit.lstrip("u")), "generator": kind, "gan_seed": gan_seed,
                         "val_kid": float(kid), "kept": gan_seed == record["kept"]})  # fmt: skip
    columns = ["unit", "generator", "gan_seed", "val_kid", "kept"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["generator", "unit", "gan_seed"], ignore_index=True)
