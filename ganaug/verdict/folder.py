"""Is a results folder whole? The units and arms its plan asks for that it lacks, the code
versions its cells were computed by, and the command that completes it.

Chapters 4 and 5 read any results folder, the committed one or the reader's. A folder a run is
still filling (or one that was stopped) holds some units only, and a folder whose cells came
from two code versions cannot be read as one study. :func:`folder_status` says which, and
:func:`describe_folder_status` puts it in words a lesson prints above its tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ganaug.experiment.arms import ARMS
from ganaug.experiment.plan import STUDY_PLANS
from ganaug.experiment.provenance import cell_key, read_run
from ganaug.experiment.store import finished_cells


@dataclass(frozen=True)
class FolderStatus:
    """What a results folder holds against what its plan asks for.

    ``missing`` maps each unit (seed) with missing cells to the arms it lacks; ``versions`` maps
    each code version (hash, 12 characters) to its number of cells; ``command`` completes the
    folder (``python -m ganaug reproduce ...``); ``current_plan`` says whether the folder was
    made under the plan this version of ganaug runs for its profile.
    """

    folder: Path
    profile: str
    missing: dict[int, list[str]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    command: str = ""
    current_plan: bool = True
    planned_arms: tuple[str, ...] = ()

    @property
    def whole(self) -> bool:
        """Every cell of the plan is there."""
        return not self.missing

    @property
    def mixed(self) -> bool:
        """Cells of more than one code version."""
        return len(self.versions) > 1


def folder_status(folder: str | Path) -> FolderStatus:
    """Compare a results folder's finished cells with the plan of its profile (from its
    ``run.json``): which units lack which arms, and which code versions computed the cells.

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
    cells = run.get("cells", {})
    versions: dict[str, int] = {}
    for arm, seed in sorted(done):
        version = (cells.get(cell_key(arm, seed), {}).get("code") or "unrecorded")[:12]
        versions[version] = versions.get(version, 0) + 1
    return FolderStatus(
        folder,
        profile,
        missing,
        versions,
        f"python -m ganaug reproduce --profile {profile} --out {display_name(folder)}",
        run.get("plan") == repr(plan),
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
    """One paragraph for a lesson: empty for a whole folder of one code version made under the
    current plan, else what is missing or mixed and what to do.

    Examples
    --------
    >>> status = FolderStatus(Path("results/mine"), "book", {3: ["dcgan", "classic"]},
    ...                       {"0123456789ab": 70}, "python -m ganaug reproduce --out x")
    >>> print(describe_folder_status(status))  # doctest: +NORMALIZE_WHITESPACE
    Note: results/mine is not whole: unit 3 lacks dcgan, classic. Every number below is
    computed from the cells that are there; complete it with `python -m ganaug reproduce
    --out x` (it resumes, skipping finished cells).
    """
    parts = []
    name = display_name(status.folder)
    if not status.current_plan:
        parts.append(
            f"{name} was made under an earlier {status.profile!r} study plan than this version "
            "of ganaug runs (see its run.json): its units, budgets or arms differ, and rerunning "
            "it needs a fresh --out."
        )
    elif status.missing:
        every = len(status.planned_arms)
        empty = [seed for seed, arms in status.missing.items() if every and len(arms) == every]
        some = {seed: arms for seed, arms in status.missing.items() if seed not in empty}
        lacks = [f"unit {seed} lacks {', '.join(arms)}" for seed, arms in some.items()]
        if len(empty) > 1 or (empty and some):
            lacks.append(f"units {', '.join(map(str, empty))} lack all {every} arms")
        elif empty:
            lacks.append(f"unit {empty[0]} lacks {', '.join(status.missing[empty[0]])}")
        lacks = "; ".join(lacks)
        parts.append(
            f"{name} is not whole: {lacks}. Every number below is computed from the cells that "
            f"are there; complete it with `{status.command}` (it resumes, skipping finished "
            "cells)."
        )
    if status.mixed:
        counts = ", ".join(f"{count} by {version}" for version, count in status.versions.items())
        parts.append(
            f"Its cells were computed by more than one code version ({counts}): a study is read "
            "as one code version, so rerun it into a fresh --out."
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
