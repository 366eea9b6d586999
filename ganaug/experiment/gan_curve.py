"""Generator quality against optimizer steps on one unit: the curve the book plan's GAN budget
is chosen from (chapter 4 reads it from ``results/gan_curve/<profile>``).

Run it with ``python -m ganaug gan-curve --profile book --out results/gan_curve/book``. One
GAN of each chosen kind trains on the unit's training part; at each checkpoint (in steps) it
generates as many bcc images as the study's quality check compares and writes FID, KID,
precision, recall, diversity, near-duplicates, checkerboard and GAN-test
(:func:`ganaug.experiment.quality.gan_quality_rows`) to ``curve.csv``, with the real-half and
blurred-real references of the same unit, and 16 sample images to ``samples/``. Rows are written
as each checkpoint finishes; started again, the run skips finished checkpoints and resumes the
GANs from their checkpoints. A folder holds one code version and plan, as the study's do.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ganaug import config
from ganaug.classifier import encode_labels
from ganaug.data.cache import atomic_save_npz
from ganaug.data.core import LesionData, select_classes
from ganaug.experiment import provenance
from ganaug.experiment.arms import MINORITY
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.gans import (
    ABLATION_KINDS,
    GENERATORS,
    GanPlan,
    build_gan,
    check_generator,
    epochs_for_steps,
    fresh_checkpoints,
    is_conditional,
    pool_key,
)
from ganaug.experiment.plan import study_plan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.runner import study_cache
from ganaug.experiment.store import atomic_write_csv, lesson_folder, read_csv_or_empty
from ganaug.experiment.units import seed_splits
from ganaug.gan import (
    DCGAN,
    DEFAULT_POLICY,
    build_discriminator,
    build_generator,
    generate,
    to_gan_range,
    train_gan,
)

CURVE_COLUMNS = ["generator", "steps", "metric", "value"]

#: Kinds only the curve trains: the report's DCGAN with all four small-data fixes at once
#: (DiffAugment's full policy, spectral normalisation, resize-convolution, a moving average of
#: the generator's weights), which the committed curve and first ablation measured. Not a study
#: arm: the study's ``dcgan_plus`` is the DCGAN with the fix the rule chose
#: (:data:`ganaug.experiment.gans.PLUS_CHOICE`). It lives here, not among the study's kinds, so
#: that naming it leaves the version of the study's GAN pools as it is.
CURVE_KINDS = {
    "dcgan_four_fixes": {
        "augment_policy": DEFAULT_POLICY,
        "spectral_norm": True,
        "upsampling": "resize",
        "ema_decay": 0.999,
    },
}


def check_curve_generator(generator: str) -> str:
    """Raise ``ValueError`` unless the curve can train ``generator``: a study kind, an ablation
    kind or one of :data:`CURVE_KINDS`.

    Examples
    --------
    >>> check_curve_generator("dcgan_four_fixes")
    'dcgan_four_fixes'
    >>> check_curve_generator("gan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown generator 'gan': use one of dcgan, ..., dcgan_four_fixes
    """
    if generator in CURVE_KINDS:
        return generator
    try:
        return check_generator(generator)
    except ValueError:
        known = ", ".join([*GENERATORS, *ABLATION_KINDS, *CURVE_KINDS])
        raise ValueError(f"unknown generator {generator!r}: use one of {known}") from None


def build_curve_gan(generator: str, seen: LesionData, plan: GanPlan, seed: int) -> DCGAN:
    """A compiled GAN of the kind ``generator``: one of :data:`CURVE_KINDS` (a DCGAN on
    ``seen`` with those fixes), else :func:`ganaug.experiment.gans.build_gan`."""
    if generator not in CURVE_KINDS:
        return build_gan(generator, seen, plan, seed)
    fixes = CURVE_KINDS[generator]
    net_g = build_generator(
        plan.latent_dim, plan.generator_filters, seed=seed, upsampling=fixes["upsampling"]
    )
    net_d = build_discriminator(
        seen.images.shape[1:],
        plan.discriminator_filters,
        seed=seed + 1,
        spectral_norm=fixes["spectral_norm"],
    )
    gan = DCGAN(
        net_g,
        net_d,
        plan.latent_dim,
        seed=seed,
        augment_policy=fixes["augment_policy"],
        ema_decay=fixes["ema_decay"],
        loss="bce",
    )
    gan.compile()
    return gan


def check_steps(steps: Sequence[int]) -> list[int]:
    """Checkpoints as a sorted list of distinct positive step counts.

    Examples
    --------
    >>> check_steps([3000, 1000])
    [1000, 3000]
    >>> check_steps([0])
    Traceback (most recent call last):
    ...
    ValueError: checkpoints must be distinct positive step counts, got [0]
    """
    chosen = [int(step) for step in steps]
    if not chosen or min(chosen) < 1 or len(set(chosen)) != len(chosen):
        raise ValueError(f"checkpoints must be distinct positive step counts, got {chosen}")
    return sorted(chosen)


def finished_points(curve: pd.DataFrame) -> set[tuple[str, int]]:
    """The (generator, steps) checkpoints already in a curve table."""
    return {(str(g), int(s)) for g, s in curve[["generator", "steps"]].drop_duplicates().values}


def quality_curve(
    data: LesionData,
    out: str | Path,
    profile: str,
    generators: Sequence[str] = ("dcgan", "dcgan_four_fixes"),
    steps: Sequence[int] = (750, 1500, 3000, 6000),
    unit: int = 0,
    progress: bool = True,
    command: str | None = None,
) -> pd.DataFrame:
    """Train each generator on unit ``unit``'s training part, measuring it at every checkpoint
    of ``steps``; write ``curve.csv``, ``samples/`` and ``run.json`` into ``out`` and return
    the curve (long format: ``generator, steps, metric, value``; the references appear with
    ``steps`` 0). Every number is measured on the unit's feature extractor
    (:func:`ganaug.experiment.extractor.unit_extractor`), the one the study's quality check of
    that unit uses; ``run.json`` records its key."""
    for generator in generators:
        check_curve_generator(generator)
    checkpoints, out = check_steps(steps), Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder: name a results folder")
    plan = study_plan(profile)
    fingerprint, code = provenance.data_fingerprint(data), provenance.code_version()
    info = _start(out, plan, fingerprint, code, unit, command)
    splits = seed_splits(data, unit, plan.protocol, plan.folds)["lesion"]
    curve = read_csv_or_empty(out / "curve.csv", CURVE_COLUMNS)
    todo = [(g, s) for g in generators for s in checkpoints if (g, s) not in finished_points(curve)]
    if not todo:
        return curve
    bar = tqdm(total=len(todo), desc="curve", unit="point", disable=not progress, file=sys.stdout)
    bar.set_postfix_str("the unit's feature extractor")
    model, key = unit_extractor(splits, plan, unit, study_cache(data, plan.profile))
    if info.get("extractor") not in (None, key):
        raise ValueError(
            f"{out} holds a curve measured on another feature extractor of unit {unit}: choose "
            "another --out, or delete it to start again (nothing was changed)"
        )
    info["extractor"] = key
    cache = config.cache_dir() / "gan_curve" / f"{plan.profile}-{fingerprint[:12]}-unit{unit}"
    for generator in generators:
        points = [s for g, s in todo if g == generator]
        if not points:
            continue
        seen = splits.train if is_conditional(generator) else select_classes(splits.train, ["bcc"])
        longest = replace(plan.gan, dcgan_steps=max(checkpoints), cgan_steps=max(checkpoints))
        gan = build_curve_gan(generator, seen, longest, unit)
        folder = fresh_checkpoints(
            cache / generator, pool_key(generator, longest, unit, seen) | {"code": code["hash"]}
        )
        labels = encode_labels(seen.dx, seen.classes) if is_conditional(generator) else None
        batch = min(plan.gan.batch_size, len(seen))
        every = max(1, 250 // max(1, len(seen) // batch))  # a checkpoint about every 250 steps
        for point in points:
            bar.set_postfix_str(f"{generator} to {point} steps")
            started = time.perf_counter()
            epochs = epochs_for_steps(point, len(seen), batch)
            images = to_gan_range(seen.images)
            train_gan(gan, images, epochs, batch, labels, folder, every, seed=unit, verbose=0)
            label = seen.classes.index(MINORITY) if labels is not None else None
            pool = generate(gan, len(splits.val) + len(splits.test), seed=unit + 1, labels=label)
            rows = gan_quality_rows(model, splits, {generator: pool}, unit)
            rows = rows.assign(steps=np.where(rows["generator"] == generator, point, 0))
            curve = read_csv_or_empty(out / "curve.csv", CURVE_COLUMNS)
            references = set(curve.loc[curve["steps"] == 0, "generator"])
            rows = rows[(rows["steps"] > 0) | ~rows["generator"].isin(references)]
            curve = pd.concat([curve, rows[CURVE_COLUMNS]], ignore_index=True)
            atomic_save_npz(out / "samples" / f"{generator}_{point}.npz", images=pool[:16])
            atomic_write_csv(out / "curve.csv", curve.sort_values(["generator", "steps"]))
            info["seconds"][f"{generator}__{point}"] = round(time.perf_counter() - started, 1)
            info["steps_per_epoch"][generator] = len(seen) // batch
            provenance.write_run(out, info)
            bar.update(1)
    bar.close()
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return read_csv_or_empty(out / "curve.csv", CURVE_COLUMNS)


def _start(out: Path, plan, fingerprint: str, code: dict, unit: int, command) -> dict:
    """Read or begin ``run.json``, refusing a folder of another plan, unit, data or code."""
    earlier = provenance.read_run(out)
    wanted = {"plan": repr(plan), "unit": unit, "data_fingerprint": fingerprint}
    for name, value in wanted.items():
        if earlier and earlier.get(name) != value:
            raise ValueError(
                f"{out} holds a curve of another {name.replace('_', ' ')}: choose another --out"
            )
    if earlier and earlier.get("code", {}).get("hash") != code["hash"]:
        raise ValueError(
            f"{out} holds a curve computed by other code ({earlier.get('code', {}).get('hash')}):"
            " choose another --out, or delete it to start again"
        )
    info = earlier or {"started": provenance.now(), "seconds": {}, "steps_per_epoch": {}}
    info.update(
        wanted,
        profile=plan.profile,
        command=command or " ".join(sys.argv),
        code=code,
        versions=provenance.versions(),
        machine=provenance.machine(),
        git_commit=provenance.git_commit(),
        finished=None,
    )
    out.mkdir(parents=True, exist_ok=True)
    provenance.write_run(out, info)
    return info


def curve_dir(folder: str | Path | None = None, profile: str = "book") -> Path:
    """The curve folder a lesson reads: ``folder``, else the repository's committed
    ``results/gan_curve/<profile>`` (found from the working directory upwards)."""
    command = f"python -m ganaug gan-curve --profile {profile} --out DIR"
    return lesson_folder(folder, f"results/gan_curve/{profile}", "curve.csv", command)


def load_curve(folder: str | Path | None = None) -> pd.DataFrame:
    """``curve.csv`` of a curve folder (long format: ``generator, steps, metric, value``)."""
    path = curve_dir(folder) / "curve.csv"
    curve = read_csv_or_empty(path, CURVE_COLUMNS)
    if curve.empty:
        raise ValueError(f"{path} holds no checkpoints yet: run `python -m ganaug gan-curve`")
    return curve


def curve_table(curve: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """One row per generator and checkpoint (references first, at step 0), one column per
    metric.

    Examples
    --------
    >>> rows = pd.DataFrame({"generator": ["real_half", "dcgan", "dcgan"], "steps": [0, 750, 750],
    ...                      "metric": ["fid", "fid", "diversity"], "value": [1.0, 5.0, 2.0]})
    >>> curve_table(rows, ["fid", "diversity"]).reset_index().values.tolist()
    [['real_half', 0, 1.0, nan], ['dcgan', 750, 5.0, 2.0]]
    """
    chosen = curve[curve["metric"].isin(metrics)]
    table = chosen.pivot_table(index=["generator", "steps"], columns="metric", values="value")
    table = table.reindex(columns=[m for m in metrics if m in table.columns])
    references = [row for row in table.index if row[1] == 0]
    return table.loc[references + [row for row in table.index if row[1] > 0]]


def load_ablation(folder: str | Path) -> pd.DataFrame:
    """The curve tables of every ``unit*`` folder under ``folder`` (one unit each, as
    ``gan-curve --unit N`` writes them), stacked with a ``unit`` column."""
    frames = []
    for unit_folder in sorted(Path(folder).glob("unit*")):
        if (unit_folder / "curve.csv").exists():
            unit = int(provenance.read_run(unit_folder).get("unit", -1))
            frames.append(load_curve(unit_folder).assign(unit=unit))
    if not frames:
        raise FileNotFoundError(f"no unit*/curve.csv under {folder}: run `gan-curve --unit N`")
    return pd.concat(frames, ignore_index=True)


def ablation_table(ablation: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    """Mean over units of each metric, one row per generator (references first), with the
    number of units.

    Examples
    --------
    >>> rows = pd.DataFrame({"unit": [0, 1, 0, 1], "generator": ["dcgan"] * 2 + ["real_half"] * 2,
    ...                      "steps": [9, 9, 0, 0], "metric": "fid", "value": [3.0, 5.0, 1.0, 1.0]})
    >>> ablation_table(rows, ["fid"]).reset_index().values.tolist()
    [['real_half', 2, 1.0], ['dcgan', 2, 4.0]]
    """
    chosen = ablation[ablation["metric"].isin(metrics)]
    table = chosen.pivot_table(index="generator", columns="metric", values="value")
    table = table.reindex(columns=[m for m in metrics if m in table.columns])
    units = chosen.groupby("generator")["unit"].nunique().rename("units")
    table = pd.concat([units, table], axis=1)
    order = chosen.sort_values("steps", kind="stable")["generator"].drop_duplicates().tolist()
    return table.loc[order]
