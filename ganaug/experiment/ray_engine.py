"""Run the study's cells as Ray tasks: one task per seed trains that seed's GANs, then one task
per (arm, seed) cell, several to a GPU through fractional GPU resources.

Install the optional extra (``pip install "ganaug[ray]"``). Without ``address`` Ray starts on
this machine; with a cluster address (``ray://head:10001`` or ``auto`` inside a cluster) the
same command spreads the cells over every machine of the cluster. Results come back to the
driver, which writes them as each cell finishes, so an interrupted run resumes as in-process.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ganaug.data.core import LesionData
from ganaug.experiment.arms import Arm
from ganaug.experiment.cells import CellResult
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.units import seed_pools, seed_splits, study_cell

#: Share of a GPU one cell asks for: four small 28 px CNNs fit on one GPU at once.
GPU_PER_CELL = 0.25


def _seed_task(
    data: LesionData, seed: int, plan: StudyPlan, arms: list[Arm], cache: str, protocol: tuple
):
    splits = seed_splits(data, seed, *protocol)
    return seed_pools(splits["lesion"], arms, plan, seed, Path(cache))


def _cell_task(
    data: LesionData, arm: Arm, seed: int, plan: StudyPlan, pools, protocol: tuple, cache: str
) -> CellResult:
    return study_cell(arm, seed, seed_splits(data, seed, *protocol), plan, pools, Path(cache))


def run_on_ray(
    data: LesionData,
    todo: Sequence[tuple[Arm, int]],
    plan: StudyPlan,
    cache: Path,
    all_arms: list[Arm],
    address: str | None = None,
    protocol: str = "resampled",
    k: int = 5,
) -> Iterator[CellResult]:
    """Yield each cell's result as its Ray task finishes; units are split by ``protocol``
    (:func:`ganaug.experiment.units.seed_splits`)."""
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
        seed_remote = ray.remote(num_gpus=gpus)(_seed_task)
        cell_remote = ray.remote(num_gpus=gpus)(_cell_task)
        shared = ray.put(data)
        pools = {
            seed: seed_remote.remote(shared, seed, plan, all_arms, str(cache), (protocol, k))
            for seed in sorted({seed for _, seed in todo})
        }
        pending = [
            cell_remote.remote(shared, arm, seed, plan, pools[seed], (protocol, k), str(cache))
            for arm, seed in todo
        ]
        while pending:
            finished, pending = ray.wait(pending, num_returns=1)
            yield ray.get(finished[0])
    finally:
        if started_here:
            ray.shutdown()
