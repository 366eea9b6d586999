"""One unit of the study: its splits, the generators trained on its training part (K per kind,
one kept by a choice on validation), their quality, and one cell (an arm on that unit). Both
engines, in-process and Ray, run these functions; :mod:`ganaug.experiment.pieces` says which
pieces a unit still needs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.data.core import LesionData, select_classes
from ganaug.data.folds import fold_splits
from ganaug.data.splits import Splits, report_split
from ganaug.experiment.arms import MINORITY, Arm, synthetic_count
from ganaug.experiment.cells import CellResult, run_cell
from ganaug.experiment.custom import custom_pool, generator_version, is_registered
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.gans import gan_pool
from ganaug.experiment.pieces import FLOOR, gan_seed, piece_key
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.selection import choose_generator

#: How units split the data. ``resampled``: unit ``s`` draws a new random split with the
#: report's proportions (:func:`ganaug.data.report_split`, seed ``s``), so the units' test parts
#: overlap. ``kfold``: repeated lesion-grouped k-fold (:func:`ganaug.data.fold_splits`), unit
#: ``s`` = repeat ``s // k``, fold ``s % k``, so each repeat tests every image once.
PROTOCOLS = ("resampled", "kfold")


def check_protocol(protocol: str, k: int = 5) -> None:
    """Raise a ``ValueError`` unless ``protocol`` is one of :data:`PROTOCOLS` (and ``k >= 2``).

    Examples
    --------
    >>> check_protocol("kfold", 5)
    >>> check_protocol("bootstrap")
    Traceback (most recent call last):
    ...
    ValueError: unknown protocol 'bootstrap': use one of resampled, kfold
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}: use one of {', '.join(PROTOCOLS)}")
    if protocol == "kfold" and (isinstance(k, bool) or not isinstance(k, int) or k < 2):
        raise ValueError(f"k must be an integer of at least 2 (such as 5), got {k!r}")


def seed_splits(
    data: LesionData, seed: int, protocol: str = "resampled", k: int = 5
) -> dict[str, Splits]:
    """The unit's split by lesion (every arm but one) and by image (``classic_by_image``).

    ``seed`` is the unit. Under ``protocol="kfold"`` the split by image is the same repeat and
    fold of the same k-fold with every image its own group: test parts of the same size and a
    training part of the same share, so ``classic_by_image`` minus ``classic`` compares the two
    protocols on equal footing, unit by unit. Its test images differ from the lesion split's,
    since a test part that keeps whole lesions cannot leak; the leak on one model's own test
    images is measured by :func:`ganaug.experiment.leak.leak_gap`.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> splits = seed_splits(synthetic_lesions(n_per_class=40), 3, protocol="kfold", k=5)
    >>> len(splits["lesion"].test) == len(splits["image"].test) == 24
    True
    """
    check_protocol(protocol, k)
    if protocol == "kfold":
        return {
            "lesion": fold_splits(data, seed, k),
            "image": fold_splits(data, seed, k, by="image"),
        }
    return {"lesion": report_split(data, seed), "image": report_split(data, seed, by="image")}


@dataclass
class UnitGenerators:
    """What a unit's generators gave: the kept pool of each kind (for the cells), quality rows
    of the kept GANs and the floor (``gan_quality.csv``) and of every candidate
    (``gan_candidates.csv``, with ``gan_seed`` and ``kept``), and for each piece made or used
    its record for ``run.json`` (seconds; the choice's kept candidate and validation KIDs; the
    extractor's key)."""

    unit: int
    pools: dict[str, np.ndarray] = field(default_factory=dict)
    quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    records: dict[str, dict] = field(default_factory=dict)


def unit_generators(
    splits: Splits,
    arms: Sequence[Arm],
    plan: StudyPlan,
    unit: int,
    cache: Path,
    todo: set[str],
    recorded: dict[str, dict],
) -> UnitGenerators:
    """Make what the pieces in ``todo`` (keys of :func:`ganaug.experiment.pieces.unit_versions`)
    need from the unit's generators: every GAN candidate of a kind that a stale cell, choice or
    quality piece reads (trained on the unit's training part, or loaded from ``cache``), the
    unit's extractor when a choice or quality piece is stale, the choices, and the stale
    quality rows. A current choice is read from ``recorded`` (``run.json``'s ``pieces``)."""
    result = UnitGenerators(unit)
    kinds = sorted({arm.generator for arm in arms if arm.generator})
    needed = [
        kind
        for kind in kinds
        if any(piece_key(k, unit, kind) in todo for k in ("choice", "quality"))
        or any(key.startswith(f"pool/{kind}/u{unit}/") for key in todo)
        or any(piece_key("cell", unit, a.name) in todo for a in arms if a.generator == kind)
    ]
    count = max([synthetic_count(arm, splits.train) for arm in arms if arm.generator] or [0])
    count = max(count, len(splits.val) + len(splits.test))  # enough for the quality check
    candidates = {
        kind: _candidates(kind, splits, plan, unit, cache, count, result) for kind in needed
    }
    measure = [kind for kind in needed if piece_key("quality", unit, kind) in todo]
    choose = [k for k in needed if len(candidates[k]) > 1 and piece_key("choice", unit, k) in todo]
    extractor = None
    if (
        measure
        or choose
        or {piece_key("quality", unit, FLOOR), piece_key("extractor", unit)} & todo
    ):
        started = time.perf_counter()
        extractor, key = unit_extractor(splits, plan, unit, cache)
        result.records[piece_key("extractor", unit)] = _seconds(started, key=key)
    validation = select_classes(splits.val, [MINORITY]).images
    for kind in needed:
        key = piece_key("choice", unit, kind)
        if kind in choose:
            kept, kids = choose_generator(extractor, validation, candidates[kind])
            result.records[key] = {"kept": kept, "validation_kid": kids}
        elif len(candidates[kind]) == 1:
            result.records[key] = {"kept": 0}
        else:
            result.records[key] = {
                k: v for k, v in recorded[key].items() if k in ("kept", "validation_kid")
            }
        result.pools[kind] = candidates[kind][result.records[key]["kept"]]
    if extractor is not None:
        _measure(result, extractor, splits, candidates, measure)
    return result


def candidate_folder(cache: Path, unit: int, candidate: int) -> Path:
    """The cache folder of a unit's GANs of candidate ``candidate`` (0 .. K-1; the first is
    the unit's own folder, where K = 1 keeps its one GAN).

    Examples
    --------
    >>> candidate_folder(Path("cache"), 3, 0).as_posix(), candidate_folder(Path("cache"), 3, 2).as_posix()
    ('cache/seed3', 'cache/seed3/gan_seed2')
    """  # noqa: E501
    return Path(cache) / f"seed{unit}" / (f"gan_seed{candidate}" if candidate else "")


def _candidates(kind, splits, plan, unit, cache, count, result) -> list[np.ndarray]:
    pools = []
    for candidate in range(plan.gan_seed_count(kind)):
        folder = candidate_folder(cache, unit, candidate)
        started = time.perf_counter()
        seed, record = gan_seed(unit, candidate), {}
        if is_registered(kind):  # a generator of one's own (chapter 7)
            pools.append(custom_pool(kind, splits, count, plan.profile, seed, folder))
            record["code"] = generator_version(kind)
        else:
            pools.append(gan_pool(kind, splits.train, count, plan.gan, seed, folder))
        result.records[piece_key("pool", unit, kind, candidate)] = _seconds(started, **record)
    return pools


def _measure(result, extractor, splits, candidates, measure) -> None:
    named = {f"{kind}/s{c}": pool for kind in measure for c, pool in enumerate(candidates[kind])}
    rows = gan_quality_rows(extractor, splits, named, result.unit)
    floor = rows[rows["generator"].isin(["real_half", "blurred"])]
    generated = rows[~rows.index.isin(floor.index)].copy()
    parts = [name.rpartition("/s") for name in generated["generator"]]
    generated["generator"] = [part[0] for part in parts]
    generated["gan_seed"] = [int(part[2]) for part in parts]
    kept = {
        kind: result.records[piece_key("choice", result.unit, kind)]["kept"] for kind in measure
    }
    generated["kept"] = generated["gan_seed"] == generated["generator"].map(kept)
    result.candidates = generated.reset_index(drop=True)
    kept_rows = generated[generated["kept"]].drop(columns=["gan_seed", "kept"])
    # the floor is written again with every measurement, so that a unit's references and its
    # generators are always measured on one and the same extractor (a retrained extractor is
    # close to the cached one, not bit for bit)
    floor_rows = floor
    result.quality = pd.concat([floor_rows, kept_rows], ignore_index=True)


def _seconds(started: float, **record) -> dict:
    return {"seconds": round(time.perf_counter() - started, 1), **record}


def study_cell(
    arm: Arm,
    unit: int,
    splits: dict[str, Splits],
    plan: StudyPlan,
    pools: dict[str, np.ndarray],
) -> CellResult:
    """One cell: ``arm`` trained and scored on the unit's split of the arm's kind, with the
    unit's kept generator pools. Both engines run this."""
    return run_cell(arm, unit, splits[arm.split], plan, pools)
