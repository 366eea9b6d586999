"""``run_experiment``: every piece of the study that is missing or stale, written as each finishes.

Which pieces a unit needs, and which are stale, is :mod:`ganaug.experiment.pieces`' concern; this
module runs them and writes their outputs and records."""

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
from ganaug.experiment.custom import is_registered
from ganaug.experiment.determinism import apply_determinism
from ganaug.experiment.pieces import code_versions, piece_key, stale_pieces, unit_versions
from ganaug.experiment.plan import StudyPlan, study_plan
from ganaug.experiment.ray_engine import run_on_ray
from ganaug.experiment.store import (
    CANDIDATE_COLUMNS,
    QUALITY_COLUMNS,
    RESULT_COLUMNS,
    atomic_write_csv,
    finished_cells,
    predictions_path,
    read_csv_or_empty,
)
from ganaug.experiment.units import (
    UnitGenerators,
    check_protocol,
    seed_splits,
    study_cell,
    unit_generators,
)

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
    out: Path, plan: StudyPlan, fingerprint: str, protocol: dict | None = None
) -> None:
    """Refuse an ``out`` folder that holds results of another profile, data or protocol
    (:func:`protocol_record`): its units could not be paired with this run's. Other plans and
    code are not refused: their pieces are stale and recomputed
    (:mod:`ganaug.experiment.pieces`)."""
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
    plan: StudyPlan | None = None,
) -> pd.DataFrame:
    """Compute the study's missing or stale pieces into ``out``; return ``results.csv``.

    ``data`` should be the report's three classes (:func:`ganaug.experiment.plan.study_data`);
    each seed (unit) splits it with the named ``protocol`` (default: the plan's;
    :func:`ganaug.experiment.units.seed_splits`: ``"resampled"`` or ``"kfold"`` with ``k``
    folds, where seed ``s`` is repeat ``s // k``, fold ``s % k``), trains its GANs on that
    split's training part (K per kind, one kept on validation) and runs every arm.

    Every piece (:mod:`ganaug.experiment.pieces`) is written atomically as it finishes, with
    its version in ``run.json``. Started again, the run computes only the pieces that are
    missing or whose version changed: after an edit to the quality code only the quality rows,
    after new arms or units only those cells; finished pieces are left byte for byte. A folder
    holds one profile, data set and protocol; resuming it with another is refused.

    ``plan`` (default: the profile's :func:`~ganaug.experiment.plan.study_plan`) may be a
    smaller one, such as a lesson's :func:`~ganaug.experiment.plan.live_plan`; its GANs are then
    cached in ``out`` (:func:`gan_folder`), never beside the study's.
    """
    if plan is not None and plan.profile != study_plan(profile).profile:
        raise ValueError(
            f"the plan given is the {plan.profile!r} profile's, the run's profile is "
            f"{profile!r}: pass a plan of the same profile (experiment.live_plan({profile!r}))"
        )
    plan = plan or study_plan(profile)
    protocol, k = protocol or plan.protocol, k or plan.folds
    chosen_arms, chosen_seeds = get_arms(arms or plan.arms), seed_list(seeds, plan)
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    own = sorted({arm.name for arm in chosen_arms if is_registered(arm.generator)})
    if engine == "ray" and own:
        raise ValueError(
            f"arms {', '.join(own)} use a registered generator, which runs in-process only: "
            "use engine='local'"
        )
    protocol_info = protocol_record(protocol, k)
    out = Path(out)
    fingerprint = provenance.data_fingerprint(data)
    check_out_folder(out, plan, fingerprint, protocol_info)
    out.mkdir(parents=True, exist_ok=True)
    run = {"plan": plan, "protocol": protocol_info, "command": command}
    info = _start_run(out, run, data, fingerprint, chosen_arms, chosen_seeds)
    info["deterministic"] = apply_determinism()
    code = info["code_versions"] = code_versions()
    wanted = {
        unit: unit_versions(plan, unit, chosen_arms, protocol_info, code) for unit in chosen_seeds
    }
    todo = {unit: _todo(out, unit, versions, info["pieces"]) for unit, versions in wanted.items()}
    todo = {unit: keys for unit, keys in todo.items() if keys}
    cells = [(a, u) for u in todo for a in chosen_arms if piece_key("cell", u, a.name) in todo[u]]
    bar = tqdm(total=len(cells), desc="study", unit="cell", disable=not progress, file=sys.stdout)
    cache = gan_folder(data, out, plan, protocol, k)
    jobs = (data, todo, plan, cache, chosen_arms, info["pieces"], (protocol, k))
    if engine == "ray":
        results = run_on_ray(*jobs, ray_address)
    else:
        results = _run_local(*jobs, bar)
    for result in results:
        if isinstance(result, UnitGenerators):
            _save_generators(out, result, info, wanted[result.unit])
            continue
        _save_cell(out, result, info, wanted[result.seed])
        bar.set_postfix_str(f"{result.arm} unit {result.seed} done")
        bar.update(1)
    bar.close()
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return read_csv_or_empty(out / "results.csv", RESULT_COLUMNS)


def _todo(out: Path, unit: int, wanted: dict[str, str], recorded: dict) -> set[str]:
    """The unit's pieces that are stale, or whose output is missing from the folder."""
    todo = set(stale_pieces(recorded, wanted))
    done = finished_cells(out)
    quality = read_csv_or_empty(out / "gan_quality.csv", QUALITY_COLUMNS)
    measured = set(quality.loc[quality["seed"] == unit, "generator"])
    for key in wanted:
        kind, name = key.split("/")[:2]
        if kind == "cell" and (name, unit) not in done:
            todo.add(key)
        if (
            kind == "quality"
            and not ({"real_half", "blurred"} if name == "floor" else {name}) <= measured
        ):
            todo.add(key)
    return todo


def live_study_folder(data: LesionData, profile: str) -> Path:
    """Where a lesson's small live study goes: inside the study's cache, one folder per plan
    and code version, so a reader who updates ganaug starts a fresh live run instead of being
    refused by the folder of an older version."""
    code = provenance.code_version()["hash"][:12]
    return study_cache(data, profile) / "live" / code


def gan_folder(
    data: LesionData, out: Path, plan: StudyPlan, protocol: str | None = None, k: int | None = None
) -> Path:
    """Where a run into ``out`` under ``plan`` keeps its GANs and pools (one subfolder per unit,
    ``seed<unit>``): the study's cache (:func:`study_cache`) for the profile's own plan, which a
    later run of the study reuses, or ``out/gans`` for any other plan."""
    if plan == study_plan(plan.profile):
        return study_cache(data, plan.profile, protocol, k)
    return Path(out) / "gans"


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


def _run_local(data, todo, plan, cache, arms, recorded, protocol, bar) -> Iterator:
    for unit, keys in todo.items():
        splits = seed_splits(data, unit, *protocol)
        bar.set_postfix_str(f"the generators of unit {unit}")
        generators = unit_generators(splits["lesion"], arms, plan, unit, cache, keys, recorded)
        yield generators
        for arm in arms:
            if piece_key("cell", unit, arm.name) in keys:
                bar.set_postfix_str(f"{arm.name} unit {unit}")
                yield study_cell(arm, unit, splits, plan, generators.pools)


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
            "finished": None,
        }
    )
    info.setdefault("pieces", {})  # key -> version, commit, seconds (ganaug.experiment.pieces)
    info.setdefault("extractors", {})  # unit -> key of the extractor its GANs were measured on
    # A resumed run may span commits: each start is recorded with its plan.
    info.setdefault("sessions", []).append(
        {
            "started": provenance.now(),
            "git_commit": info["git_commit"],
            "plan": info["plan"],
            "command": info["command"],
        }
    )
    provenance.write_run(out, info)
    return info


def _record(info: dict, key: str, version: str, **fields) -> None:
    code = info["code_versions"][key.split("/")[0]]
    info["pieces"][key] = {"version": version, "code": code, "commit": info["git_commit"], **fields}


def _save_generators(out: Path, result: UnitGenerators, info: dict, wanted: dict) -> None:
    unit = result.unit
    for name, frame, columns in (
        ("gan_quality.csv", result.quality, QUALITY_COLUMNS),
        ("gan_candidates.csv", result.candidates, CANDIDATE_COLUMNS),
    ):
        if len(frame):
            old = read_csv_or_empty(out / name, columns)
            mine = (old["seed"] == unit) & old["generator"].isin(set(frame["generator"]))
            new = pd.concat([old[~mine], frame], ignore_index=True)
            atomic_write_csv(out / name, new.sort_values(["seed", "generator"], kind="stable"))
    for key, record in result.records.items():
        if info["pieces"].get(key, {}).get("version") == wanted[key]:
            continue  # a current GAN, extractor or choice that was only read keeps its record
        if key.startswith("extractor/"):
            info["extractors"][str(unit)] = record["key"]
            record = {k: v for k, v in record.items() if k != "key"}
        _record(info, key, wanted[key], **record)
    for name in {*result.quality.get("generator", [])} - {"real_half", "blurred"}:
        _record(info, piece_key("quality", unit, name), wanted[piece_key("quality", unit, name)])
    if "real_half" in set(result.quality.get("generator", [])):
        _record(
            info, piece_key("quality", unit, "floor"), wanted[piece_key("quality", unit, "floor")]
        )
    provenance.write_run(out, info)


def _save_cell(out: Path, result: CellResult, info: dict, wanted: dict) -> None:
    atomic_write_csv(predictions_path(out, result.arm, result.seed), result.predictions)
    results = read_csv_or_empty(out / "results.csv", RESULT_COLUMNS)
    stale = (results["arm"] == result.arm) & (results["seed"] == result.seed)
    results = pd.concat([results[~stale], result.rows()], ignore_index=True)
    atomic_write_csv(out / "results.csv", results)
    key = piece_key("cell", result.seed, result.arm)
    _record(info, key, wanted[key], seconds=round(result.seconds, 1))
    provenance.write_run(out, info)
