"""The search's choice against the report's DCGAN directly (chapter 6): ``chosen`` minus
``dcgan`` and ``chosen_no_classic`` minus ``dcgan_no_classic``, with both intervals, and the
units on which ``chosen`` kept the ``dcgan`` arm's own GAN.

Against ``classic`` the two arms only say whether each helps; side by side they say whether the
better generator changed anything, which is the question the search asks.
"""

from __future__ import annotations

import os

import pandas as pd

from ganaug.experiment.primary import PRIMARY_METRIC, unit_sizes
from ganaug.experiment.provenance import read_run
from ganaug.experiment.store import results_dir
from ganaug.verdict.analysis import pair_intervals

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
