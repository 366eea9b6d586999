"""Run the study's pieces as Ray tasks: one task per unit makes the generators' pieces that
unit still needs (:func:`ganaug.experiment.units.unit_generators`), then one task per stale
(arm, unit) cell, several to a GPU through fractional GPU resources.

Install the optional extra (``pip install "ganaug[ray]"``). Without ``address`` Ray starts on
this machine; with a cluster address (``ray://head:10001`` or ``auto`` inside a cluster) the
same command spreads the cells over every machine of the cluster. Results come back to the
driver, which writes them as each piece finishes, so an interrupted run resumes as in-process.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ganaug.data.core import LesionData
from ganaug.experiment.arms import Arm
from ganaug.experiment.cells import CellResult
from ganaug.experiment.pieces import piece_key
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.units import UnitGenerators, seed_splits, study_cell, unit_generators

#: Share of a GPU one cell asks for: four small 28 px CNNs fit on one GPU at once.
GPU_PER_CELL = 0.25


def _unit_task(data, unit, plan, arms, cache, keys, recorded, protocol) -> UnitGenerators:
    splits = seed_splits(data, unit, *protocol)
    return unit_generators(splits["lesion"], arms, plan, unit, Path(cache), keys, recorded)


def _cell_task(data, arm, unit, plan, generators, protocol) -> CellResult:
    return study_cell(arm, unit, seed_splits(data, unit, *protocol), plan, generators.pools)


def run_on_ray(
    data: LesionData,
    todo: dict[int, set[str]],
    plan: StudyPlan,
    cache: Path,
    arms: Sequence[Arm],
    recorded: dict[str, dict],
    protocol: tuple[str, int],
    address: str | None = None,
) -> Iterator[UnitGenerators | CellResult]:
    """Yield each unit's :class:`~ganaug.experiment.units.UnitGenerators` and each cell's
    result as its Ray task finishes; ``todo`` maps a unit to its stale pieces' keys and units
    are split by ``protocol`` (``(name, k)``, :func:`ganaug.experiment.units.seed_splits`)."""
    try:
        import ray
    except ImportError as error:
        raise ValueError(
            'the ray engine needs Ray: pip install "ganaug[ray]" (or use --engine local)'
        ) from error
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address, include_dashboard=False, log_to_driver=False, configure_logging=False
        )
    try:
        gpus = GPU_PER_CELL if ray.cluster_resources().get("GPU", 0) > 0 else 0
        unit_remote = ray.remote(num_gpus=gpus)(_unit_task)
        cell_remote = ray.remote(num_gpus=gpus)(_cell_task)
        shared, arms = ray.put(data), list(arms)
        units = {
            unit: unit_remote.remote(shared, unit, plan, arms, str(cache), keys, recorded, protocol)
            for unit, keys in todo.items()
        }
        pending = list(units.values())
        pending += [
            cell_remote.remote(shared, arm, unit, plan, units[unit], protocol)
            for unit, keys in todo.items()
            for arm in arms
            if piece_key("cell", unit, arm.name) in keys
        ]
        while pending:
            finished, pending = ray.wait(pending, num_returns=1)
            yield ray.get(finished[0])
    finally:
        if started_here:
            ray.shutdown()
