"""The rule that chooses the generator of the search (``ganaug.experiment.search``), fixed and
committed before any search result was measured.

1. **Validation first.** On each unit, of a kind's K GANs (one per GAN seed, at one checkpoint)
   the one with the lowest KID against the unit's *validation* bcc is kept
   (:mod:`ganaug.experiment.selection` gives the reasons for KID).
2. **Targets.** The kept GAN of each unit is judged against chapter 3's targets on that unit
   alone (:func:`ganaug.metrics.targets.unit_targets`: FID below blurred, FID at most twice the
   unit's real half (halved by lesion), diversity, near-duplicates, GAN-test bias), measured
   against lesion-disjoint halves of the unit's validation bcc
   (:func:`ganaug.experiment.search.validation_splits`), so no test image takes part. The
   committed search (``results/gan_search/book``) was measured before that change: its targets
   read the units' TEST bcc (its choice among seeds read validation only);
   :func:`ganaug.experiment.search.measured_on` says which images a folder's points used.
3. **Choice.** The kind (at its checkpoint) whose kept GANs meet every target on the most
   units wins; a tie goes to the lowest mean FID of the kept GANs over the units. The baseline
   of the search is the report's DCGAN (``dcgan``) at the study's 3000 steps.

Every GAN, kept or not, is measured and recorded, so the seed spread stays visible.
"""

from __future__ import annotations

import pandas as pd

from ganaug.metrics.targets import REFERENCES, quality_per_unit, unit_targets

#: The metric that chooses among a kind's K GANs on validation.
CHOICE_METRIC = "val_kid"


def kept_seeds(search: pd.DataFrame) -> pd.DataFrame:
    """The GAN seed kept for each (candidate, unit): the lowest validation KID
    (``search``: ``search.csv``, columns ``unit, candidate, gan_seed, metric, value``).

    Examples
    --------
    >>> rows = pd.DataFrame({"unit": 0, "candidate": "dcgan@3000", "gan_seed": [0, 1, 2],
    ...                      "metric": "val_kid", "value": [0.3, 0.1, 0.2]})
    >>> kept_seeds(rows)["gan_seed"].tolist()
    [1]
    """
    kids = search[search["metric"] == CHOICE_METRIC]
    if kids.empty:
        raise ValueError("no validation KID in the search rows: nothing to choose GANs by")
    best = kids.loc[kids.groupby(["candidate", "unit"])["value"].idxmin()]
    return best[["candidate", "unit", "gan_seed"]].reset_index(drop=True)


def kept_quality(search: pd.DataFrame) -> pd.DataFrame:
    """The quality rows of the kept GANs, with each unit's references, in the long format of
    ``gan_quality.csv`` (``seed`` is the unit, ``generator`` the candidate)."""
    kept = kept_seeds(search).merge(search, on=["candidate", "unit", "gan_seed"])
    references = search[search["candidate"].isin(REFERENCES)]
    rows = pd.concat([kept, references], ignore_index=True)
    return rows.rename(columns={"unit": "seed", "candidate": "generator"})[
        ["seed", "generator", "metric", "value"]
    ]


def apply_rule(search: pd.DataFrame, baseline: str = "dcgan@3000") -> tuple[pd.DataFrame, str]:
    """The rule of this module on ``search``: one row per candidate (``units_met``: units whose
    kept GAN meets every target; ``mean_fid``: mean FID of the kept GANs; ``units``), sorted by
    the rule, and the chosen candidate.

    Examples
    --------
    >>> rows = []
    >>> for unit in (0, 1):
    ...     rows += [(unit, "real_half", -1, "fid", 1.0), (unit, "blurred", -1, "fid", 6.0),
    ...              (unit, "real_half", -1, "diversity", 4.0),
    ...              (unit, "real_half", -1, "gan_test", 0.6)]
    ...     for name, fid in (("dcgan@3000", 3.0), ("other@3000", 1.5)):
    ...         for seed in (0, 1):
    ...             rows += [(unit, name, seed, "fid", fid + seed),
    ...                      (unit, name, seed, "val_kid", 0.1 * (1 + seed)),
    ...                      (unit, name, seed, "diversity", 3.8),
    ...                      (unit, name, seed, "gan_test", 0.6),
    ...                      (unit, name, seed, "near_duplicates", 0.0)]
    >>> search = pd.DataFrame(rows, columns=["unit", "candidate", "gan_seed", "metric", "value"])
    >>> table, chosen = apply_rule(search)
    >>> chosen, table["units_met"].to_dict()
    ('other@3000', {'other@3000': 2, 'dcgan@3000': 0})
    """
    per_unit = quality_per_unit(kept_quality(search))
    checks = unit_targets(per_unit)
    table = pd.DataFrame(
        {
            "units": checks.groupby(level="generator").size(),
            "units_met": checks["all"].groupby(level="generator").sum().astype(int),
            "mean_fid": per_unit["fid"].groupby(level="generator").mean(),
        }
    )
    table = table.sort_values(["units_met", "mean_fid"], ascending=[False, True], kind="stable")
    table["baseline"] = table.index == baseline
    return table, str(table.index[0])
