"""Is a results folder whole and current? The units and arms its plan asks for that it lacks,
the pieces whose code or plan changed since they were computed, and the command that completes
it.

Chapters 5 and 6 read any results folder, the committed one or the reader's. A folder a run is
still filling (or one that was stopped) holds some units only; a folder computed by older code
holds pieces that ``reproduce`` would compute again (:mod:`ganaug.experiment.pieces`).
:func:`folder_status` says which, and :func:`describe_folder_status` puts it in words a lesson
prints above its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ganaug.experiment.arms import ARMS, get_arms
from ganaug.experiment.pieces import code_versions, stale_pieces, unit_versions
from ganaug.experiment.plan import STUDY_PLANS
from ganaug.experiment.provenance import read_run
from ganaug.experiment.store import finished_cells


@dataclass(frozen=True)
class FolderStatus:
    """What a results folder holds against what its plan asks for.

    ``missing`` maps each unit (seed) with missing cells to the arms it lacks; ``stale`` maps
    each kind of piece (cell, pool, extractor, choice, quality) to how many of the folder's
    pieces of that kind are not current for this code and plan; ``command`` completes the
    folder and recomputes the stale pieces (``python -m ganaug reproduce ...``).
    """

    folder: Path
    profile: str
    missing: dict[int, list[str]] = field(default_factory=dict)
    stale: dict[str, int] = field(default_factory=dict)
    command: str = ""
    planned_arms: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        """Every cell of the plan is there."""
        return not self.missing

    @property
    def current(self) -> bool:
        """Every piece the folder holds is current for this code and plan."""
        return not self.stale


def folder_status(folder: str | Path) -> FolderStatus:
    """Compare a results folder's finished cells with the plan of its profile (from its
    ``run.json``): which units lack which arms, and which of its pieces are stale.

    Examples
    --------
    >>> import json, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "run.json").write_text(json.dumps({"profile": "smoke"}))
    >>> status = folder_status(folder)
    >>> status.whole, sorted(status.missing)
    (False, [0, 1])
    """
    folder = Path(folder)
    run = read_run(folder)
    if not run:
        raise FileNotFoundError(
            f"{folder} has no run.json: not a results folder of `python -m ganaug reproduce`"
        )
    profile = run.get("profile", "book")
    if profile not in STUDY_PLANS:
        raise ValueError(f"{folder}: unknown profile {profile!r} in its run.json")
    plan = STUDY_PLANS[profile]
    done = finished_cells(folder)
    arms = list(plan.arms or ARMS)
    missing = {
        seed: [arm for arm in arms if (arm, seed) not in done]
        for seed in range(plan.seeds)
        if any((arm, seed) not in done for arm in arms)
    }
    protocol = run.get("protocol") or {"name": "resampled", "k": None}
    code, recorded = code_versions(), run.get("pieces", {})
    stale: dict[str, int] = {}
    for unit in sorted({seed for _, seed in done}):
        unit_arms = get_arms([arm for arm, seed in done if seed == unit and arm in ARMS])
        wanted = unit_versions(plan, unit, unit_arms, protocol, code)
        for key in stale_pieces(recorded, wanted):
            stale[key.split("/")[0]] = stale.get(key.split("/")[0], 0) + 1
    return FolderStatus(
        folder,
        profile,
        missing,
        stale,
        f"python -m ganaug reproduce --profile {profile} --out {display_name(folder)}",
        tuple(arms),
    )


def display_name(folder: Path) -> str:
    """A folder as a page shows it: from its last ``results`` part on when it has one (the
    repository's layout), else as given.

    Examples
    --------
    >>> display_name(Path("/home/me/ganaug/results/next/book")), display_name(Path("mine"))
    ('results/next/book', 'mine')
    """
    parts = Path(folder).parts
    if "results" in parts:
        last = len(parts) - 1 - parts[::-1].index("results")
        return Path(*parts[last:]).as_posix()
    return Path(folder).as_posix()


def describe_folder_status(status: FolderStatus) -> str:
    """One paragraph for a lesson: empty for a whole, current folder, else what is missing or
    stale and what to do.

    Examples
    --------
    >>> status = FolderStatus(Path("results/mine"), "book", {3: ["dcgan", "classic"]},
    ...                       {}, "python -m ganaug reproduce --out x")
    >>> print(describe_folder_status(status))  # doctest: +NORMALIZE_WHITESPACE
    Note: results/mine is not whole: unit 3 lacks dcgan, classic. Every number below is
    computed from the cells that are there; complete it with `python -m ganaug reproduce
    --out x` (it resumes, skipping finished cells).
    >>> print(describe_folder_status(FolderStatus(Path("mine"), "book", {}, {"quality": 30},
    ...                                           "python -m ganaug reproduce --out mine")))
    ... # doctest: +NORMALIZE_WHITESPACE
    Note: 30 quality pieces of mine were computed by code or a plan that has changed since (their
    versions are in its run.json); the numbers below are theirs. `python -m ganaug reproduce
    --out mine` recomputes exactly those pieces and leaves the rest as they are.
    """
    parts = []
    name = display_name(status.folder)
    if status.missing:
        every = len(status.planned_arms)
        empty = [seed for seed, arms in status.missing.items() if every and len(arms) == every]
        some = {seed: arms for seed, arms in status.missing.items() if seed not in empty}
        lacks = [f"unit {seed} lacks {', '.join(arms)}" for seed, arms in some.items()]
        if len(empty) > 1 or (empty and some):
            which = (
                f"units {', '.join(map(str, empty))} lack"
                if len(empty) > 1
                else f"unit {empty[0]} lacks"
            )
            lacks.append(f"{which} all {every} arms")
        elif empty:
            lacks.append(f"unit {empty[0]} lacks {', '.join(status.missing[empty[0]])}")
        lacks = "; ".join(lacks)
        parts.append(
            f"{name} is not whole: {lacks}. Every number below is computed from the cells that "
            f"are there; complete it with `{status.command}` (it resumes, skipping finished "
            "cells)."
        )
    if status.stale:
        plural = {"quality": "quality pieces", "choice": "choices"}
        singular = {"quality": "quality piece"}
        counts = ", ".join(
            f"{n} {plural.get(kind, kind + 's') if n != 1 else singular.get(kind, kind)}"
            for kind, n in status.stale.items()
        )
        parts.append(
            f"{counts} of {name} were computed by code or a plan that has changed since (their "
            "versions are in its run.json); the numbers below are theirs. "
            f"`{status.command}` recomputes exactly those pieces and leaves the rest as they are."
        )
    return "Note: " + " ".join(parts) if parts else ""


def whole_units(frame: pd.DataFrame, status: FolderStatus) -> pd.DataFrame:
    """The rows of ``frame`` (results, predictions or quality, with a ``seed`` column) from
    units that hold every arm of the plan, so that a folder still being filled is read as the
    smaller study it already is.

    Examples
    --------
    >>> status = FolderStatus(Path("mine"), "book", {1: ["dcgan"]})
    >>> rows = pd.DataFrame({"seed": [0, 1, 2], "value": [0.6, 0.7, 0.8]})
    >>> whole_units(rows, status)["seed"].tolist()
    [0, 2]
    """
    return frame[~frame["seed"].isin(list(status.missing))].reset_index(drop=True)
