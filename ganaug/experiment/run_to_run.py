"""Run-to-run spread: the same cell and the same GAN trained again with the same seed.

Some TensorFlow operations add floating-point numbers in an order that can change from run to
run, so two trainings with one seed can end apart. This module measures how far, for one unit
of a profile's study, beside the spreads the study already shows: between seeds on that unit,
and between units; and, against the committed study's own numbers for that unit, between
machines (:func:`spread_table`).

- **cell**: the ``classic`` arm trained ``repeats`` times with the unit's own seed (as the study
  trains it), and once with each of ``other_seeds`` on the same split;
- **GAN**: the ``dcgan`` kind trained ``repeats`` times with the unit's first GAN seed, each pool
  measured on the unit's extractor as the study measures a generator.

Computed by ``python -m ganaug run-to-run`` into ``results/run_to_run/<profile>`` (resumable:
each finished run is kept); :func:`spread_table` sets the three spreads side by side.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ganaug import config
from ganaug.experiment import provenance
from ganaug.experiment.arms import get_arms
from ganaug.experiment.cells import run_cell
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.gans import gan_pool
from ganaug.experiment.pieces import gan_seed
from ganaug.experiment.plan import study_data, study_plan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.store import atomic_write_text, lesson_folder
from ganaug.experiment.units import seed_splits

RUNS_FILE = "runs.csv"
#: The measures kept per run: a cell's test accuracies, a GAN's quality on the extractor.
CELL_METRICS = ("accuracy", "balanced_accuracy")
GAN_METRICS = ("fid", "kid", "diversity", "recall", "gan_test")


def planned_runs(unit: int, repeats: int, other_seeds: int) -> list[tuple[str, int, int]]:
    """The runs to make, as ``(what, seed, repeat)``: ``repeats`` of the cell and of the GAN at
    the unit's own seeds, then the cell at ``other_seeds`` further seeds.

    Examples
    --------
    >>> planned_runs(0, 2, 1)
    [('cell', 0, 0), ('cell', 0, 1), ('gan', 0, 0), ('gan', 0, 1), ('cell', 1000, 0)]
    """
    runs = [("cell", unit, r) for r in range(repeats)]
    runs += [("gan", gan_seed(unit, 0), r) for r in range(repeats)]
    return runs + [("cell", unit + 1000 * (k + 1), 0) for k in range(other_seeds)]


def _cell_rows(splits, plan, seed: int) -> dict[str, float]:
    (classic,) = get_arms(["classic"])
    result = run_cell(classic, seed, splits, plan)
    return {metric: result.metrics[metric] for metric in CELL_METRICS}


def _gan_rows(splits, plan, seed: int, unit: int, extractor) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:  # a fresh folder: nothing cached is reused
        pool = gan_pool("dcgan", splits.train, 256, plan.gan, seed, Path(folder))
    rows = gan_quality_rows(extractor, splits, {"dcgan": pool}, unit)
    rows = rows[rows["generator"] == "dcgan"].set_index("metric")["value"]
    return {metric: float(rows[metric]) for metric in GAN_METRICS}


def reproduce_run_to_run(
    profile: str,
    out: str | Path,
    unit: int = 0,
    repeats: int = 2,
    other_seeds: int = 2,
    cache: Path | None = None,
    command: str | None = None,
) -> Path:
    """Make the runs of :func:`planned_runs` for ``unit`` of ``profile``'s study into ``out``
    (``runs.csv``: ``what, seed, repeat, metric, value, seconds``), keeping finished ones."""
    out, plan = Path(out), study_plan(profile)
    if not 0 <= unit < plan.seeds:
        raise ValueError(f"unit must lie in 0..{plan.seeds - 1} for the {profile} profile")
    if repeats < 2:
        raise ValueError(f"a run-to-run spread needs at least 2 repeats, got {repeats}")
    data = study_data(profile)
    splits = seed_splits(data, unit, plan.protocol, plan.folds)["lesion"]
    cache = Path(cache or config.cache_dir() / "real_reference" / profile)
    info = provenance.read_run(out) or {"started": provenance.now()}
    info.update(
        profile=profile,
        unit=unit,
        data_fingerprint=provenance.data_fingerprint(data),
        command=command
        or f"python -m ganaug run-to-run --profile {profile} --out {out.as_posix()}",
        versions=provenance.versions(),
        machine=provenance.machine(),
        git_commit=provenance.git_commit(),
    )
    path = out / RUNS_FILE
    done = pd.read_csv(path) if path.is_file() else pd.DataFrame()
    columns = ("what", "seed", "repeat")
    finished = set() if done.empty else set(done[list(columns)].itertuples(index=False, name=None))
    todo = [run for run in planned_runs(unit, repeats, other_seeds) if run not in finished]
    out.mkdir(parents=True, exist_ok=True)
    extractor = None
    for what, seed, repeat in tqdm(todo, desc=f"run to run, unit {unit}", unit="run"):
        started = time.perf_counter()
        if what == "cell":
            values = _cell_rows(splits, plan, seed)
        else:
            if extractor is None:
                extractor, info["extractor"] = unit_extractor(splits, plan, unit, cache)
            values = _gan_rows(splits, plan, seed, unit, extractor)
        seconds = round(time.perf_counter() - started, 1)
        rows = pd.DataFrame(
            [(what, seed, repeat, m, v, seconds) for m, v in values.items()],
            columns=["what", "seed", "repeat", "metric", "value", "seconds"],
        )
        done = pd.concat([done, rows], ignore_index=True)
        atomic_write_text(path, done.to_csv(index=False))
        provenance.write_run(out, info)
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return out


def run_to_run_dir(folder: str | Path | None = None, profile: str = "book") -> Path:
    """The run-to-run folder a lesson reads: ``folder``, else the repository's committed
    ``results/run_to_run/<profile>`` (in a clone, or shipped with the package)."""
    command = f"python -m ganaug run-to-run --profile {profile} --out DIR"
    return lesson_folder(folder, f"results/run_to_run/{profile}", RUNS_FILE, command)


def load_runs(folder: str | Path | None = None) -> pd.DataFrame:
    """``runs.csv`` of a run-to-run folder (default :func:`run_to_run_dir`)."""
    return pd.read_csv(run_to_run_dir(folder) / RUNS_FILE)


def pooled_seed_sd(candidates: pd.DataFrame, generator: str, metric: str) -> float:
    """The spread between GAN seeds within a unit, pooled over units: the square root of the
    mean, over units, of the variance across ``generator``'s seeds (``candidates``: the study's
    ``gan_candidates.csv``).

    Examples
    --------
    >>> rows = pd.DataFrame({"seed": [0, 0, 1, 1], "generator": "g", "metric": "fid",
    ...                      "gan_seed": [0, 1, 0, 1], "value": [1.0, 2.0, 3.0, 3.0]})
    >>> round(pooled_seed_sd(rows, "g", "fid"), 3)
    0.5
    """
    rows = candidates[(candidates["generator"] == generator) & (candidates["metric"] == metric)]
    if rows.empty:
        raise ValueError(f"no {metric} rows of {generator!r} among the candidates")
    return float(np.sqrt(rows.groupby("seed")["value"].var(ddof=1).mean()))


def spread_table(
    runs: pd.DataFrame,
    seed_sd: dict[str, float],
    unit_sd: dict[str, float],
    committed: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Four spreads of each measure, as standard deviations, one row per measure: ``run to
    run`` (the repeats at the run's own seed, on one machine), ``machine to machine`` (the
    repeats' mean against ``committed``, the same piece as the committed study computed it on
    another machine: one pair, so its difference over sqrt 2), ``seed to seed`` (from the runs
    when they hold several seeds, else ``seed_sd``) and ``unit to unit`` (``unit_sd``: over the
    study's units). Two repeats give their difference over sqrt 2.

    Examples
    --------
    >>> runs = pd.DataFrame({"what": "cell", "seed": [0, 0, 1000], "repeat": [0, 1, 0],
    ...                      "metric": "accuracy", "value": [0.70, 0.72, 0.66]})
    >>> table = spread_table(runs, {}, {"accuracy": 0.1}, {"accuracy": 0.68})
    >>> columns = ["run to run", "machine to machine", "seed to seed", "unit to unit"]
    >>> table.loc["accuracy", columns].round(3).tolist()
    [0.014, 0.021, 0.028, 0.1]
    """
    committed = committed or {}
    rows = {}
    for (what, metric), group in runs.groupby(["what", "metric"], sort=False):
        own = group[group["seed"] == group["seed"].min()]
        first = group.drop_duplicates("seed")  # one run per seed
        seeds = first["value"].std(ddof=1) if len(first) > 1 else seed_sd.get(metric, np.nan)
        other = committed.get(metric, np.nan)
        rows[metric] = {
            "what": what,
            "runs at one seed": len(own),
            "run to run": float(own["value"].std(ddof=1)),
            "machine to machine": float(abs(own["value"].mean() - other) / np.sqrt(2)),
            "seed to seed": float(seeds),
            "unit to unit": float(unit_sd.get(metric, np.nan)),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
