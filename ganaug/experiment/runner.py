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
from ganaug.experiment.extractor import extractor_recipe
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
from ganaug.experiment.units import check_protocol, seed_pools, seed_splits, study_cell

ENGINES = ("local", "ray")


def protocol_record(protocol: str = "resampled", k: int = 5) -> dict:
    """How ``run.json`` names a protocol: ``{"name": ..., "k": ...}`` (``k`` only for k-fold).

    Examples
    --------
    >>> protocol_record("kfold", 5), protocol_record()
    ({'name': 'kfold', 'k': 5}, {'name': 'resampled', 'k': None})
    """
    check_protocol(protocol, k)
    return {"name": protocol, "k": k if protocol == "kfold" else None}


def check_out_folder(
    out: Path,
    plan: StudyPlan,
    fingerprint: str,
    protocol: dict | None = None,
    code: dict | None = None,
) -> None:
    """Refuse an ``out`` folder that holds results of another profile, plan, data, protocol
    (:func:`protocol_record`), feature extractor
    (:func:`ganaug.experiment.extractor.extractor_recipe`) or study code
    (:func:`provenance.code_version`)."""
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
    # Folders written before protocols were recorded used the resampled one.
    earlier_protocol = earlier.get("protocol") or protocol_record()
    if protocol is not None and earlier_protocol != protocol:
        raise ValueError(
            f"{out} holds units of the {earlier_protocol} protocol, not {protocol}: choose "
            "another --out, since units of two protocols cannot be paired (nothing was changed)"
        )
    recipe = earlier.get("extractor_recipe")
    if recipe is not None and recipe != extractor_recipe(plan):
        changed = sorted(n for n, v in extractor_recipe(plan).items() if recipe.get(n) != v)
        raise ValueError(
            f"{out} measured its generators on feature extractors of another recipe "
            f"({', '.join(changed)} differ): choose another --out, since quality numbers on two "
            "extractors cannot be compared (nothing was changed)"
        )
    if code is not None:
        provenance.check_code_version(out, earlier, code)


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
    protocol: str | None = None,
    k: int | None = None,
) -> pd.DataFrame:
    """Run the study's cells into ``out`` and return ``results.csv`` as a DataFrame.

    Each finished cell appends its rows to ``results.csv`` and writes its predictions, both
    atomically; started again, the run skips finished cells. ``data`` should be the report's
    three classes (:func:`ganaug.experiment.plan.study_data`); each seed (unit) splits it with
    the named ``protocol`` (default: the plan's; :func:`ganaug.experiment.units.seed_splits`:
    ``"resampled"`` or ``"kfold"`` with ``k`` folds, where seed ``s`` is repeat ``s // k``, fold
    ``s % k``), trains
    its GANs on that split's training part and runs every arm. A folder holds one profile, plan,
    data set, protocol and code version; resuming it with any other is refused.
    """
    plan = study_plan(profile)
    protocol, k = protocol or plan.protocol, k or plan.folds
    chosen_arms, chosen_seeds = get_arms(arms or plan.arms), seed_list(seeds, plan)
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    protocol_info = protocol_record(protocol, k)
    out = Path(out)
    fingerprint = provenance.data_fingerprint(data)
    code = provenance.code_version()
    check_out_folder(out, plan, fingerprint, protocol_info, code)
    out.mkdir(parents=True, exist_ok=True)
    run = {"plan": plan, "protocol": protocol_info, "code": code, "command": command}
    info = _start_run(out, run, data, fingerprint, chosen_arms, chosen_seeds)
    done = finished_cells(out)
    todo = [
        (arm, seed) for seed in chosen_seeds for arm in chosen_arms if (arm.name, seed) not in done
    ]
    bar = tqdm(total=len(todo), desc="study", unit="cell", disable=not progress, file=sys.stdout)
    cache = study_cache(data, plan.profile, protocol, k)
    if engine == "ray":
        results = run_on_ray(data, todo, plan, cache, chosen_arms, ray_address, protocol, k)
    else:
        results = _run_local(data, todo, plan, cache, chosen_arms, bar, protocol, k)
    for result in results:
        _save_cell(out, result, info)
        bar.set_postfix_str(f"{result.arm} seed {result.seed} done")
        bar.update(1)
    bar.close()
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return read_csv_or_empty(out / "results.csv", RESULT_COLUMNS)


def live_study_folder(data: LesionData, profile: str) -> Path:
    """Where a lesson's small live study goes: inside the study's cache, one folder per plan
    and code version, so a reader who updates ganaug starts a fresh live run instead of being
    refused by the folder of an older version."""
    code = provenance.code_version()["hash"][:12]
    return study_cache(data, profile) / "live" / code


def study_cache(
    data: LesionData, profile: str, protocol: str | None = None, k: int | None = None
) -> Path:
    """The cache folder of a study's GANs and pools: one per profile, data fingerprint and
    protocol (default: the plan's; a k-fold unit trains on other images than the resampled
    seed of that number)."""
    plan = study_plan(profile)
    protocol, k = protocol or plan.protocol, k or plan.folds
    fingerprint = provenance.data_fingerprint(data)
    suffix = f"-kfold{k}" if protocol_record(protocol, k)["name"] == "kfold" else ""
    return (
        config.cache_dir() / "study" / f"{study_plan(profile).profile}-{fingerprint[:12]}{suffix}"
    )


def _run_local(data, todo, plan, cache, all_arms, bar, protocol, k) -> Iterator[CellResult]:
    for seed in sorted({seed for _, seed in todo}):
        splits = seed_splits(data, seed, protocol, k)
        bar.set_postfix_str(f"training the GANs of seed {seed}")
        pools = seed_pools(splits["lesion"], all_arms, plan, seed, cache)
        for arm, cell_seed in todo:
            if cell_seed == seed:
                bar.set_postfix_str(f"{arm.name} seed {seed}")
                yield study_cell(arm, seed, splits, plan, pools, cache)


def _start_run(out, run, data, fingerprint, arms, seeds) -> dict:
    plan, command = run["plan"], run["command"]
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
            "protocol": run["protocol"],
            "code": run["code"],
            "extractor_recipe": extractor_recipe(plan),
            "finished": None,
        }
    )
    info.setdefault("seconds_per_cell", {})  # kept for readers of older folders
    info.setdefault("cells", {})
    info.setdefault("extractors", {})  # unit -> key of the extractor its GANs were measured on
    # A resumed run may span commits: each start is recorded with the cells still to do.
    info.setdefault("sessions", []).append(
        {
            "started": provenance.now(),
            "git_commit": info["git_commit"],
            "code": run["code"]["hash"],
            "command": info["command"],
        }
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
    if result.extractor:
        info.setdefault("extractors", {})[str(result.seed)] = result.extractor
    key = provenance.cell_key(result.arm, result.seed)
    info["seconds_per_cell"][key] = round(result.seconds, 1)
    info["cells"][key] = {
        "seconds": round(result.seconds, 1),
        "code": info["code"]["hash"],
        "commit": info["git_commit"],
    }
    provenance.write_run(out, info)
