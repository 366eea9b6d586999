"""Reading and writing a results folder; every write is atomic, so a cell is all there or absent.

Layout (see the chapter 5 lesson): ``results.csv`` (``arm, seed, metric, value``),
``predictions/<arm>__seed<k>.csv``, ``gan_quality.csv`` (``seed, generator, metric, value``),
``gan_candidates.csv`` (the same with ``gan_seed, kept``),
``run.json``, ``report.md`` and ``figures/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ganaug import config
from ganaug.config import RESULTS_ENV
from ganaug.data.cache import atomic_file

RESULT_COLUMNS = ["arm", "seed", "metric", "value"]
QUALITY_COLUMNS = ["seed", "generator", "metric", "value"]
#: ``gan_candidates.csv``: the quality rows of each of a unit's K GANs of a kind, the one kept
#: on validation marked (``gan_quality.csv`` holds the kept one's rows under the kind's name).
CANDIDATE_COLUMNS = ["seed", "generator", "metric", "value", "gan_seed", "kept"]


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename."""
    with atomic_file(path, "w") as stream:
        stream.write(text)


def atomic_write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` as CSV (no index) atomically."""
    atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def predictions_path(folder: Path, arm: str, seed: int) -> Path:
    """Where one cell's per-image test predictions go."""
    return Path(folder) / "predictions" / f"{arm}__seed{seed}.csv"


def read_csv_or_empty(path: Path, columns: list[str]) -> pd.DataFrame:
    """The CSV at ``path``, or an empty frame with ``columns`` when it does not exist."""
    if not Path(path).exists():
        return pd.DataFrame(columns=columns)
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ValueError(
            f"{path} is empty (not even a header): delete it and run "
            "`python -m ganaug reproduce` again to rewrite it"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} is not a readable CSV ({error}): not a ganaug results file"
        ) from None
    missing = set(columns) - set(frame.columns)
    if missing:
        raise ValueError(f"{path} lacks the column(s) {sorted(missing)}: not a ganaug results file")
    return frame


def finished_cells(folder: Path) -> set[tuple[str, int]]:
    """The (arm, seed) cells whose rows are in ``results.csv`` and whose predictions exist."""
    results = read_csv_or_empty(Path(folder) / "results.csv", RESULT_COLUMNS)
    cells = {(str(a), int(s)) for a, s in results[["arm", "seed"]].drop_duplicates().to_numpy()}
    return {cell for cell in cells if predictions_path(folder, *cell).exists()}


#: Where a built ganaug keeps its copy of the repository's ``results/`` (``setup.py`` puts it
#: there), so that an installed package, with no clone around it, reads the committed study.
SHIPPED_RESULTS = Path(__file__).resolve().parents[1] / "_results"


def committed_folder(relative: str, marker: str) -> Path | None:
    """The repository's committed folder ``relative`` (``results/...``, holding ``marker``):
    found in a clone, from the working directory upwards and then beside the ganaug sources,
    else in the copy shipped inside the installed package (:data:`SHIPPED_RESULTS`); None when
    neither has it.

    Examples
    --------
    >>> committed_folder("results/no_such_study", "results.csv") is None
    True
    """
    here = Path.cwd().resolve()
    sources = Path(__file__).resolve().parents[2]
    for base in (here, *here.parents, sources):
        if (base / relative / marker).exists():
            return base / relative
    parts = Path(relative).parts
    if parts and parts[0] == "results":
        shipped = SHIPPED_RESULTS.joinpath(*parts[1:])
        if (shipped / marker).exists():
            return shipped
    return None


def describe_folder(folder: str | os.PathLike) -> str:
    """Which results folder a lesson read, in words: the copy shipped with the installed
    package, a folder of a clone, or the reader's own.

    Examples
    --------
    >>> describe_folder(SHIPPED_RESULTS / "book")  # doctest: +ELLIPSIS
    'results/book as shipped inside the installed ganaug package (...)'
    >>> describe_folder("/tmp/my_study")
    'your own results folder /tmp/my_study'
    """
    folder = Path(folder).expanduser()
    resolved = folder.resolve()
    if resolved.is_relative_to(SHIPPED_RESULTS.resolve()):
        relative = resolved.relative_to(SHIPPED_RESULTS.resolve()).as_posix()
        return f"results/{relative} as shipped inside the installed ganaug package ({folder})"
    for base in resolved.parents:
        if (base / ".git").exists() and (base / "ganaug").is_dir():
            relative = resolved.relative_to(base).as_posix()
            return f"{relative} in a clone of the ganaug repository ({folder})"
    return f"your own results folder {folder}"


def lesson_folder(
    folder: str | os.PathLike | None, relative: str, marker: str, command: str
) -> Path:
    """The folder a lesson reads: ``folder``, else the repository's committed ``relative``
    (holding ``marker``, found from the working directory upwards); outside a clone a
    ``FileNotFoundError`` that names ``command``, the command that makes one.

    Examples
    --------
    >>> lesson_folder("~/my_curve", "results/gan_curve/book", "curve.csv", "...").name
    'my_curve'
    """
    if folder is not None:
        return Path(folder).expanduser()
    found = committed_folder(relative, marker)
    if found is not None:
        return found
    raise FileNotFoundError(
        f"no {relative} found: run `{command}` and pass DIR, or run from a clone of the repository"
    )


def results_dir(folder: str | os.PathLike | None = None) -> Path:
    """The results folder a lesson reads: ``folder``, else ``GANAUG_RESULTS_DIR``, else the
    repository's committed ``results/book`` (found from the working directory upwards)."""
    if folder is not None:
        return Path(folder).expanduser()
    chosen = config.results_dir_setting() or committed_folder("results/book", "results.csv")
    if chosen is not None:
        return chosen
    raise FileNotFoundError(
        "no results folder found: run `python -m ganaug reproduce --profile smoke --out DIR` "
        f"and set {RESULTS_ENV}=DIR, or run from a clone of the repository (results/book)"
    )


def load_results(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """``results.csv`` of a results folder (long format: ``arm, seed, metric, value``)."""
    path = results_dir(folder) / "results.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run `python -m ganaug reproduce` first")
    results = read_csv_or_empty(path, RESULT_COLUMNS)
    if results.empty:
        raise ValueError(
            f"{path} holds no results yet (a header only): run `python -m ganaug reproduce` "
            "into that folder until at least one cell has finished"
        )
    return results


def load_gan_quality(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """``gan_quality.csv`` of a results folder (``seed, generator, metric, value``)."""
    return read_csv_or_empty(results_dir(folder) / "gan_quality.csv", QUALITY_COLUMNS)


def load_gan_candidates(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """``gan_candidates.csv`` of a results folder: every GAN candidate's quality rows, with
    ``gan_seed`` and ``kept`` (empty for folders written before candidates were recorded)."""
    return read_csv_or_empty(results_dir(folder) / "gan_candidates.csv", CANDIDATE_COLUMNS)


def load_predictions(
    folder: str | os.PathLike | None = None, arm: str | None = None, seed: int | None = None
) -> pd.DataFrame:
    """Per-image test predictions of the finished cells, with ``arm`` and ``seed`` columns."""
    base = results_dir(folder)
    frames = []
    for cell_arm, cell_seed in sorted(finished_cells(base)):
        if (arm is None or cell_arm == arm) and (seed is None or cell_seed == seed):
            frame = pd.read_csv(predictions_path(base, cell_arm, cell_seed))
            frames.append(frame.assign(arm=cell_arm, seed=cell_seed))
    if not frames:
        raise ValueError(f"no predictions for arm={arm!r}, seed={seed!r} in {base}")
    return pd.concat(frames, ignore_index=True)
