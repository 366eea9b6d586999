"""Which small-data fixes the improved DCGAN (``dcgan_plus``) gets: a rule fixed before the
ablation was measured, applied to it.

The candidates (:data:`ganaug.experiment.gans.PLUS_CANDIDATES`) and the report's ``dcgan``
train on the same units, for the same steps, and are measured on the same feature extractor per
unit (:mod:`ganaug.experiment.extractor`). The rule: among the candidates whose mean recall is at
least ``dcgan``'s and whose share of near-duplicate pairs is at most :data:`MAX_NEAR_DUPLICATES`
on every unit, the one with the lowest mean FID; if none qualifies, :data:`FALLBACK` (EMA alone,
the best single fix of the first ablation). :data:`ganaug.experiment.gans.PLUS_CHOICE` holds
the result, and a test re-applies the rule to the committed ablation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

#: Most near-duplicate pairs a candidate may have on any unit (a share: 0.01 is 1 %).
MAX_NEAR_DUPLICATES = 0.01

#: The choice when no candidate qualifies.
FALLBACK = "dcgan_ema"

#: The generator the candidates are held against.
BASELINE = "dcgan"


@dataclass(frozen=True)
class PlusChoice:
    """The rule's answer: the chosen kind, whether it came from the fallback, and one row per
    candidate with its mean FID and recall, worst near-duplicate share and whether it
    qualified."""

    chosen: str
    fallback: bool
    table: pd.DataFrame


def choose_plus(ablation: pd.DataFrame, candidates: Sequence[str]) -> PlusChoice:
    """Apply the rule to an ablation (long format with a ``unit`` column, as
    :func:`ganaug.experiment.gan_curve.load_ablation` returns it).

    Raises ``ValueError`` when ``dcgan`` or a candidate was not measured on every unit of the
    ablation, since means over different units cannot be compared.

    Examples
    --------
    >>> rows = [(unit, g, m, v) for unit in (0, 1) for g, m, v in [
    ...     ("dcgan", "fid", 3.0), ("dcgan", "recall", 0.5), ("dcgan", "near_duplicates", 0.0),
    ...     ("a", "fid", 2.0), ("a", "recall", 0.6), ("a", "near_duplicates", 0.0),
    ...     ("b", "fid", 1.0), ("b", "recall", 0.4), ("b", "near_duplicates", 0.0)]]
    >>> ablation = pd.DataFrame(rows, columns=["unit", "generator", "metric", "value"])
    >>> choose_plus(ablation, ["a", "b"]).chosen  # b has the lower FID but less recall
    'a'
    """
    units = set(ablation["unit"])
    if not units:
        raise ValueError("the ablation holds no units: run `gan-curve --unit N` first")
    table = ablation.pivot_table(index=["generator", "unit"], columns="metric", values="value")
    rows = []
    for generator in [BASELINE, *candidates]:
        if generator not in table.index.get_level_values(0):
            raise ValueError(f"the ablation has no {generator!r}: measure it on every unit")
        measured = table.loc[generator]
        if set(measured.index) != units:
            raise ValueError(
                f"{generator!r} was measured on units {sorted(measured.index)}, the ablation "
                f"holds {sorted(units)}: measure every generator on the same units"
            )
        rows.append(
            {
                "generator": generator,
                "fid": float(measured["fid"].mean()),
                "recall": float(measured["recall"].mean()),
                "worst_near_duplicates": float(measured["near_duplicates"].max()),
            }
        )
    summary = pd.DataFrame(rows).set_index("generator")
    baseline_recall = summary.loc[BASELINE, "recall"]
    summary["qualifies"] = (
        (summary["recall"] >= baseline_recall)
        & (summary["worst_near_duplicates"] <= MAX_NEAR_DUPLICATES)
        & (summary.index != BASELINE)
    )
    qualified = summary[summary["qualifies"]]
    if qualified.empty:
        return PlusChoice(FALLBACK, True, summary)
    return PlusChoice(str(qualified["fid"].idxmin()), False, summary)
