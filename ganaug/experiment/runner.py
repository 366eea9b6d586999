"""``run_experiment``: every (arm, seed) cell of the study, resumable, written as each finishes."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ganaug import config
from ganaug.data.core import LesionData
from ganaug.experiment import provenance
from ganaug.experiment.arms import get_arms
from ganaug.experiment.cells import CellResult
from ganaug.experiment.plan import StudyPlan, study_plan
from ganaug.experiment.ray_engine import run_on_ray
from ganaug.experiment.store import (
    QUALITY_COLUMNS,
    RESULT_COLUMNS,
    atomic_write_csv,
    finished_cells,
    predictions_path,
    read_csv_or_empty,
)
from ganaug.experiment.units import seed_pools, seed_splits, study_cell

ENGINES = ("local", "ray")


def check_out_folder(out: Path, plan: StudyPlan, fingerprint: str) -> None:
    """Refuse an ``out`` folder that holds results of another profile, plan or other data."""
    profile = plan.profile
    earlier = provenance.read_run(out)
    if not earlier:
        if (out / "results.csv").exists():
            raise ValueError(f"{out} holds results.csv but no run.json: choose an empty --out")
        return
    if earlier.get("profile") != profile:
        raise ValueError(
            f"{out} holds results of the {earlier.get('profile')!r} profile, not {profile!r}: "
            "choose another --out (nothing was changed)"
        )
    if earlier.get("plan") != repr(plan):
        raise ValueError(
            f"{out} holds results of another {profile!r} study plan ({earlier.get('plan')}): "
            "choose another --out, since cells of two plans cannot be compared"
        )
    if earlier.get("data", {}).get("fingerprint") != fingerprint:
        raise ValueError(
            f"{out} holds results computed on other data ({earlier.get('data', {}).get('name')}): "
            "choose another --out (nothing was changed)"
        )


def seed_list(seeds: int | Sequence[int] | None, plan: StudyPlan) -> list[int]:
    """Seeds to run: ``None`` -> the plan's ``0 .. seeds-1``; an int n -> ``0 .. n-1``."""
    if seeds is None:
        seeds = plan.seeds
    chosen = list(range(seeds)) if isinstance(seeds, int | np.integer) else list(seeds)
    if not chosen:
        raise ValueError("zero seeds chosen: run at least one seed (e.g. --seeds 0)")
    if any(int(s) < 0 for s in chosen) or len(set(chosen)) != len(chosen):
        raise ValueError(f"seeds must be distinct non-negative integers, got {chosen}")
    return [int(s) for s in chosen]


def run_experiment(
    data: LesionData,
    out: str | Path,
    profile: str,
    arms: Sequence[str] | None = None,
    seeds: int | Sequence[int] | None = None,
    engine: str = "local",
    ray_address: str | None = None,
    progress: bool = True,
    command: str | None = None,
) -> pd.DataFrame:
    """Run the study's cells into ``out`` and return ``results.csv`` as a DataFrame.

    Each finished cell appends its rows to ``results.csv`` and writes its predictions, both
    atomically; started again, the run skips finished cells. ``data`` should be the report's
    three classes (:func:`ganaug.experiment.plan.study_data`); each seed splits it with the named
    protocol, trains its GANs on that split's training part and runs every arm.
    """
    plan = study_plan(profile)
    chosen_arms, chosen_seeds = get_arms(arms), seed_list(seeds, plan)
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    out = Path(out)
    fingerprint = provenance.data_fingerprint(data)
    check_out_folder(out, plan, fingerprint)
    out.mkdir(parents=True, exist_ok=True)
    info = _start_run(out, plan, data, fingerprint, command, chosen_arms, chosen_seeds)
    done = finished_cells(out)
    todo = [
        (arm, seed) for seed in chosen_seeds for arm in chosen_arms if (arm.name, seed) not in done
    ]
    bar = tqdm(total=len(todo), desc="study", unit="cell", disable=not progress, file=sys.stdout)
    cache = study_cache(data, plan.profile)
    if engine == "ray":
        results = run_on_ray(data, todo, plan, cache, chosen_arms, ray_address)
    else:
        results = _run_local(data, todo, plan, cache, chosen_arms, bar)
    for result in results:
        _save_cell(out, result, info)
        bar.set_postfix_str(f"{result.arm} seed {result.seed} done")
        bar.update(1)
    bar.close()
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return read_csv_or_empty(out / "results.csv", RESULT_COLUMNS)


def study_cache(data: LesionData, profile: str) -> Path:
    """The cache folder of a study's GANs and pools: one per profile and data fingerprint."""
    fingerprint = provenance.data_fingerprint(data)
    return config.cache_dir() / "study" / f"{study_plan(profile).profile}-{fingerprint[:12]}"


def _run_local(data, todo, plan, cache, all_arms, bar) -> Iterator[CellResult]:
    for seed in sorted({seed for _, seed in todo}):
        splits = seed_splits(data, seed)
        bar.set_postfix_str(f"training the GANs of seed {seed}")
        pools = seed_pools(splits["lesion"], all_arms, plan, seed, cache)
        for arm, cell_seed in todo:
            if cell_seed == seed:
                bar.set_postfix_str(f"{arm.name} seed {seed}")
                yield study_cell(arm, seed, splits, plan, pools)


def _start_run(out, plan, data, fingerprint, command, arms, seeds) -> dict:
    info = provenance.read_run(out)
    info.setdefault("started", provenance.now())
    info.update(
        {
            "command": command or " ".join(sys.argv),
            "profile": plan.profile,
            "plan": repr(plan),
            "arms": sorted(set(info.get("arms", [])) | {arm.name for arm in arms}),
            "seeds": sorted(set(info.get("seeds", [])) | set(seeds)),
            "data": {
                "name": data.description,
                "source": data.source,
                "images": len(data),
                "classes": data.class_counts(),
                "fingerprint": fingerprint,
                "files": provenance.file_checksums(
                    config.data_dir() if data.source != "synthetic" else None
                ),
            },
            "versions": provenance.versions(),
            "machine": provenance.machine(),
            "git_commit": provenance.git_commit(),
            "finished": None,
        }
    )
    info.setdefault("seconds_per_cell", {})
    # A resumed run may span commits: each start is recorded with the cells still to do.
    info.setdefault("sessions", []).append(
        {"started": provenance.now(), "git_commit": info["git_commit"], "command": info["command"]}
    )
    provenance.write_run(out, info)
    return info


def _save_cell(out: Path, result: CellResult, info: dict) -> None:
    atomic_write_csv(predictions_path(out, result.arm, result.seed), result.predictions)
    if len(result.gan_quality):
        quality = read_csv_or_empty(out / "gan_quality.csv", QUALITY_COLUMNS)
        quality = quality[quality["seed"] != result.seed]
        quality = pd.concat([quality, result.gan_quality], ignore_index=True)
        atomic_write_csv(
            out / "gan_quality.csv", quality.sort_values(["seed", "generator"], kind="stable")
        )
    results = read_csv_or_empty(out / "results.csv", RESULT_COLUMNS)
    stale = (results["arm"] == result.arm) & (results["seed"] == result.seed)
    results = pd.concat([results[~stale], result.rows()], ignore_index=True)
    atomic_write_csv(out / "results.csv", results)
    info["seconds_per_cell"][f"{result.arm}__seed{result.seed}"] = round(result.seconds, 1)
    provenance.write_run(out, info)
