"""A real generator beside every generator: for each unit, real bcc that no GAN of the unit saw,
scored exactly as a generator's images are (:func:`~ganaug.experiment.quality.gan_quality_rows`).

The study's targets compare a generator with the unit's *real half* (the second lesion-disjoint
half of its test bcc, against the first). Held to those targets, the real half passes the ratio
targets trivially, since it is compared with itself. The unit's **validation** bcc are a second
real sample: lesion-disjoint from both test halves and from training, and never used to train a
GAN. Scored as a generator (``real_generator``), they say how often real images themselves meet
each target, so how much of a generator's miss is noise (chapter 4).

Two caveats, both written into the chapter: validation images stopped the extractor's training
and chose among a kind's GAN seeds, so they are not entirely unseen by the study (a slight edge,
if any, to the real generator); and each unit's extractor is trained again here, close to the
study's one but not bit for bit, so the references are re-measured beside it in the same rows.

Computed by ``python -m ganaug real-reference`` into ``results/real_reference/<profile>``
(resumable: a unit already in ``gan_quality.csv`` is kept).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ganaug import config
from ganaug.data.core import select_classes
from ganaug.data.splits import Splits
from ganaug.experiment import provenance
from ganaug.experiment.arms import MINORITY
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.plan import study_data, study_plan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.store import atomic_write_text, lesson_folder
from ganaug.experiment.units import seed_splits

#: The name of the real generator in the rows (beside ``real_half`` and ``blurred``).
REAL_GENERATOR = "real_generator"
QUALITY_FILE = "gan_quality.csv"


def real_generator_images(splits: Splits, unit: int) -> np.ndarray:
    """The unit's validation bcc (uint8), in an order drawn with ``unit``: the real generator's
    "samples". :func:`gan_quality_rows` keeps as many as the real half holds.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> parts = [synthetic_lesions({"bcc": 6, "bkl": 2, "mel": 2}, seed=s) for s in range(3)]
    >>> images = real_generator_images(Splits(*parts), unit=0)
    >>> images.shape, images.dtype.name
    ((6, 28, 28, 3), 'uint8')
    """
    images = select_classes(splits.val, [MINORITY]).images
    if len(images) == 0:
        raise ValueError("the unit's validation part holds no bcc image: use a larger profile")
    return images[np.random.default_rng(unit).permutation(len(images))]


def real_reference_rows(
    splits: Splits, plan, unit: int, cache: Path
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Unit ``unit``'s rows (``seed, generator, metric, value``) for the real half, the blurred
    half and the real generator, on the unit's extractor (loaded from ``cache`` or trained), and
    that extractor's key."""
    extractor, key = unit_extractor(splits, plan, unit, cache)
    pools = {REAL_GENERATOR: real_generator_images(splits, unit)}
    return gan_quality_rows(extractor, splits, pools, unit), key


def real_reference_dir(folder: str | Path | None = None, profile: str = "book") -> Path:
    """The real-reference folder a lesson reads: ``folder``, else the repository's committed
    ``results/real_reference/<profile>`` (in a clone, or shipped with the package)."""
    command = f"python -m ganaug real-reference --profile {profile} --out DIR"
    return lesson_folder(folder, f"results/real_reference/{profile}", QUALITY_FILE, command)


def load_real_reference(folder: str | Path | None = None) -> pd.DataFrame:
    """The rows of a real-reference folder (its ``gan_quality.csv``; default
    :func:`real_reference_dir`), with a clear error when the folder has none."""
    path = real_reference_dir(folder) / QUALITY_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"no {QUALITY_FILE} in {folder}: run `python -m ganaug real-reference` to make it"
        )
    return pd.read_csv(path)


def reproduce_real_reference(
    profile: str,
    out: str | Path,
    units: list[int] | None = None,
    cache: Path | None = None,
    command: str | None = None,
) -> Path:
    """Measure the real generator on ``units`` (default: every unit of ``profile``'s study) into
    ``out``; units already there are kept, so an interrupted run resumes."""
    out, plan = Path(out), study_plan(profile)
    data = study_data(profile)
    units = list(range(plan.seeds)) if units is None else units
    if any(unit < 0 or unit >= plan.seeds for unit in units):
        raise ValueError(f"units must lie in 0..{plan.seeds - 1} for the {profile} profile")
    cache = Path(cache or config.cache_dir() / "real_reference" / profile)
    fingerprint = provenance.data_fingerprint(data)
    info = provenance.read_run(out)
    if info and info.get("data_fingerprint") != fingerprint:
        raise ValueError(f"{out} was measured on other data: choose another --out")
    info = info or {"started": provenance.now(), "units": {}}
    info.update(
        profile=profile,
        data_fingerprint=fingerprint,
        command=command
        or f"python -m ganaug real-reference --profile {profile} --out {out.as_posix()}",
        images="validation bcc of each unit, as many as its real half",
        versions=provenance.versions(),
        machine=provenance.machine(),
        git_commit=provenance.git_commit(),
    )
    done = load_real_reference(out) if (out / QUALITY_FILE).is_file() else pd.DataFrame()
    todo = [u for u in units if done.empty or u not in set(done["seed"])]
    out.mkdir(parents=True, exist_ok=True)
    for unit in tqdm(todo, desc="real generator, per unit", unit="unit"):
        started = time.perf_counter()
        splits = seed_splits(data, unit, plan.protocol, plan.folds)["lesion"]
        rows, key = real_reference_rows(splits, plan, unit, cache)
        done = pd.concat([done, rows], ignore_index=True).sort_values(["seed", "generator"])
        atomic_write_text(out / QUALITY_FILE, done.to_csv(index=False))
        info["units"][str(unit)] = {
            "seconds": round(time.perf_counter() - started, 1),
            "extractor": key,
        }
        provenance.write_run(out, info)
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return out
