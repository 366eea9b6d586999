"""Reading a generator search (:mod:`ganaug.experiment.search`) for the book: every GAN's row
(kind x unit x seed) with the targets it meets and whether validation kept it, which units are
whole, the spread the GAN seed alone makes, and whether one kind beat another once its seeds
were averaged. The rule that chooses among the kinds is :mod:`ganaug.experiment.search_rule`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.experiment.search import SEARCH_COLUMNS, SEARCH_PLANS, baseline_candidate
from ganaug.experiment.search_rule import apply_rule, kept_seeds
from ganaug.experiment.store import lesson_folder, read_csv_or_empty
from ganaug.metrics.targets import REFERENCES, quality_per_unit, unit_targets

#: The columns of :func:`every_gan` besides the targets.
GAN_METRICS = ("fid", "kid", "precision", "recall", "diversity", "near_duplicates", "val_kid")


def search_dir(folder: str | Path | None = None, profile: str = "book") -> Path:
    """The search folder a lesson reads: ``folder``, else the repository's committed
    ``results/gan_search/<profile>`` (found from the working directory upwards)."""
    command = f"python -m ganaug gan-search --profile {profile} --out DIR"
    return lesson_folder(folder, f"results/gan_search/{profile}", "search.csv", command)


def load_search(folder: str | Path | None = None) -> pd.DataFrame:
    """``search.csv`` of a search folder (long format: ``unit, candidate, gan_seed, metric,
    value``; the references have ``gan_seed`` -1)."""
    path = search_dir(folder) / "search.csv"
    search = read_csv_or_empty(path, SEARCH_COLUMNS)
    if search.empty:
        raise ValueError(f"{path} holds no measured GAN yet: run `python -m ganaug gan-search`")
    return search


def whole_units(search: pd.DataFrame, profile: str = "book") -> list[int]:
    """The units of the profile's search plan on which every candidate has all its K GANs
    measured (a search still running has some units whole and one in progress).

    Examples
    --------
    >>> rows = pd.DataFrame({"unit": [0, 0, 1], "candidate": "dcgan@1", "gan_seed": [0, 1, 0],
    ...                      "metric": "fid", "value": 1.0})
    >>> whole_units(rows.assign(candidate="dcgan@2"), "smoke")
    []
    >>> both = pd.concat([rows.assign(candidate=c) for c in
    ...                   ("dcgan@2", "dcgan_diffaugment@1", "dcgan_diffaugment@2")])
    >>> whole_units(both, "smoke")
    [0]
    """
    plan = SEARCH_PLANS[profile]
    wanted = {f"{kind}@{steps}" for kind, checkpoints in plan.kinds for steps in checkpoints}
    gans = search[search["gan_seed"] >= 0]
    units = []
    for unit in plan.units:
        seeds = gans[gans["unit"] == unit].groupby("candidate")["gan_seed"].nunique()
        if all(seeds.get(name, 0) >= plan.seeds for name in wanted):
            units.append(unit)
    return units


def every_gan(search: pd.DataFrame) -> pd.DataFrame:
    """One row per measured GAN (``candidate, unit, gan_seed``): its metrics, each per-unit
    target of :func:`ganaug.metrics.targets.unit_targets` (``meets_<target>``; ``targets_met``
    of them; ``all``)
    and ``kept``: whether validation KID kept it among its kind's seeds on that unit.

    Examples
    --------
    >>> rows = []
    >>> for name, fid in (("real_half", 1.0), ("blurred", 6.0)):
    ...     rows += [(0, name, -1, "fid", fid), (0, name, -1, "diversity", 4.0),
    ...              (0, name, -1, "gan_test", 0.6)]
    >>> for seed, fid, kid in ((0, 1.5, 0.2), (1, 7.0, 0.1)):
    ...     rows += [(0, "dcgan@3000", seed, m, v) for m, v in (("fid", fid), ("val_kid", kid),
    ...              ("diversity", 3.9), ("gan_test", 0.6), ("near_duplicates", 0.0))]
    >>> search = pd.DataFrame(rows, columns=["unit", "candidate", "gan_seed", "metric", "value"])
    >>> every_gan(search)[["gan_seed", "fid", "all", "kept"]].values.tolist()
    [[0, 1.5, True, False], [1, 7.0, False, True]]
    """
    gans = search[search["gan_seed"] >= 0]
    references = search[search["candidate"].isin(REFERENCES)]
    named = gans.assign(candidate=gans["candidate"] + "#" + gans["gan_seed"].astype(str))
    rows = pd.concat([named, references], ignore_index=True)
    rows = rows.rename(columns={"unit": "seed", "candidate": "generator"})
    per_gan = quality_per_unit(rows[["seed", "generator", "metric", "value"]])
    checks = unit_targets(per_gan)
    targets = checks.drop(columns="all").add_prefix("meets_")
    table = per_gan[[m for m in GAN_METRICS if m in per_gan.columns]].join(targets)
    table["targets_met"] = targets.sum(axis=1).astype(int)
    table["all"] = checks["all"]
    table = table.reset_index()
    split = table["generator"].str.rsplit("#", n=1, expand=True)
    table.insert(0, "candidate", split[0])
    table.insert(2, "gan_seed", split[1].astype(int))
    table = table.drop(columns="generator")
    kept = kept_seeds(search).assign(kept=True)
    table = table.merge(kept, on=["candidate", "unit", "gan_seed"], how="left")
    table["kept"] = table["kept"].astype("boolean").fillna(False).astype(bool)
    return table.sort_values(["candidate", "unit", "gan_seed"], ignore_index=True)


def seed_spread(gans: pd.DataFrame, metric: str = "fid") -> pd.DataFrame:
    """Per candidate and unit, the lowest and highest ``metric`` over its GAN seeds, their
    ratio, and the kept GAN's value (``gans``: :func:`every_gan`).

    Examples
    --------
    >>> gans = pd.DataFrame({"candidate": "dcgan@3000", "unit": 0, "gan_seed": [0, 1, 2],
    ...                      "fid": [2.0, 6.0, 3.0], "kept": [False, False, True]})
    >>> seed_spread(gans).round(1).values.tolist()
    [[3.0, 2.0, 6.0, 3.0, 3.0]]
    """
    grouped = gans.groupby(["candidate", "unit"])[metric]
    spread = pd.DataFrame(
        {
            "seeds": grouped.size(),
            "lowest": grouped.min(),
            "highest": grouped.max(),
        }
    )
    spread["ratio"] = spread["highest"] / spread["lowest"]
    kept = gans[gans["kept"]].set_index(["candidate", "unit"])[metric]
    spread["kept"] = kept.reindex(spread.index)
    return spread


def seeds_averaged(gans: pd.DataFrame, candidate: str, baseline: str, metric: str = "fid"
                   ) -> dict[str, float]:  # fmt: skip
    """``candidate`` against ``baseline`` with every GAN seed counted, not only the kept one:
    the mean ``metric`` of each over the units both have, the difference, and on how many of
    those units the candidate's seed mean was lower.

    Examples
    --------
    >>> gans = pd.DataFrame({"candidate": ["a"] * 4 + ["b"] * 4, "unit": [0, 0, 1, 1] * 2,
    ...                      "fid": [2.0, 4.0, 2.0, 2.0, 3.0, 3.0, 1.0, 1.0]})
    >>> seeds_averaged(gans, "b", "a")
    {'candidate': 2.0, 'baseline': 2.5, 'difference': -0.5, 'lower_on': 1, 'units': 2}
    """
    means = gans.groupby(["candidate", "unit"])[metric].mean().unstack("candidate")
    for name in (candidate, baseline):
        if name not in means.columns:
            raise ValueError(f"the search has no GAN of {name!r}: choose one of "
                             f"{', '.join(means.columns)}")  # fmt: skip
    both = means[[candidate, baseline]].dropna()
    return {
        "candidate": float(both[candidate].mean()),
        "baseline": float(both[baseline].mean()),
        "difference": float(both[candidate].mean() - both[baseline].mean()),
        "lower_on": int((both[candidate] < both[baseline]).sum()),
        "units": len(both),
    }


def search_choice(search: pd.DataFrame, profile: str = "book") -> tuple[pd.DataFrame, str | None]:
    """The rule of :mod:`ganaug.experiment.search_rule` applied to the search's whole units
    only (a unit still in progress would compare kinds on unequal seeds): its table and the
    chosen candidate, or an empty table and ``None`` while no unit is whole."""
    units = whole_units(search, profile)
    if not units:
        return pd.DataFrame(), None
    return apply_rule(search[search["unit"].isin(units)], baseline_candidate(profile))


def rule_stability(
    search: pd.DataFrame, profile: str = "book", resamples: int = 4000, seed: int = 0
) -> pd.DataFrame:
    """How often each candidate would win the rule (:func:`search_choice`) had luck kept other
    seeds or drawn other units, over the search's whole units: ``seeds`` draws, for every
    candidate and unit, its kept GAN at random among its K seeds (the units as they are);
    ``seeds_and_units`` also resamples the units with replacement. Each column is the share of
    ``resamples`` draws the candidate wins (most units meeting every per-unit target, then the
    lowest mean FID); ``chosen`` marks the rule's choice on the search as it is.

    A choice that wins only about as often as the others is a tie-break on noise: the search
    cannot tell those recipes apart at its size.

    Examples
    --------
    >>> rows = []
    >>> for unit in (0, 1):
    ...     rows += [(unit, "real_half", -1, "fid", 1.0), (unit, "blurred", -1, "fid", 6.0),
    ...              (unit, "real_half", -1, "diversity", 4.0),
    ...              (unit, "real_half", -1, "gan_test", 0.6)]
    ...     for name, fid in (("dcgan@2", 1.5), ("dcgan_diffaugment@1", 9.0),
    ...                       ("dcgan_diffaugment@2", 9.5)):
    ...         for gan_seed in (0, 1):
    ...             rows += [(unit, name, gan_seed, m, v) for m, v in (
    ...                 ("fid", fid + gan_seed / 10), ("val_kid", 0.1 * (1 + gan_seed)),
    ...                 ("diversity", 3.9), ("gan_test", 0.6), ("near_duplicates", 0.0))]
    >>> search = pd.DataFrame(rows, columns=["unit", "candidate", "gan_seed", "metric", "value"])
    >>> table = rule_stability(search, "smoke", resamples=200)
    >>> table.index[0], float(table.loc["dcgan@2", "seeds"]), bool(table.loc["dcgan@2", "chosen"])
    ('dcgan@2', 1.0, True)
    """
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    units = whole_units(search, profile)
    if not units:
        raise ValueError("no whole unit in the search yet: nothing to resample")
    gans = every_gan(search[search["unit"].isin(units)])
    candidates = sorted(gans["candidate"].unique())
    seeds = sorted(gans["gan_seed"].unique())
    shape = (len(candidates), len(units), len(seeds))
    met, fid = np.zeros(shape, bool), np.full(shape, np.nan)
    for row in gans.itertuples(index=False):
        place = (candidates.index(row.candidate), units.index(row.unit), seeds.index(row.gan_seed))
        met[place], fid[place] = bool(row.all), float(row.fid)
    counts = (~np.isnan(fid)).sum(axis=2)  # K of each candidate and unit
    rng = np.random.default_rng(seed)
    _, chosen = search_choice(search, profile)
    wins = {}
    for name, resample_units in (("seeds", False), ("seeds_and_units", True)):
        tally = np.zeros(len(candidates))
        for _ in range(resamples):
            drawn = np.arange(len(units))
            if resample_units:
                drawn = rng.integers(0, len(units), len(units))
            picks = (rng.random((len(candidates), len(drawn))) * counts[:, drawn]).astype(int)
            rows = np.arange(len(candidates))[:, None]
            units_met = met[rows, drawn[None, :], picks].sum(axis=1)
            mean_fid = fid[rows, drawn[None, :], picks].mean(axis=1)
            order = np.lexsort((mean_fid, -units_met))
            tally[order[0]] += 1
        wins[name] = tally / resamples
    table = pd.DataFrame(wins, index=pd.Index(candidates, name="candidate"))
    table["chosen"] = table.index == chosen
    return table.sort_values("seeds", ascending=False)
