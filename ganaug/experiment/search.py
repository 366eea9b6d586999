"""The generator search: which kind of GAN clears chapter 3's targets once the luck of a GAN's
seed is averaged out, and which one the study should test (:mod:`ganaug.experiment.search_rule`
holds the rule, fixed before measuring).

Run it with ``python -m ganaug gan-search --profile book --out results/gan_search/book``. On each
of the plan's units, every candidate kind trains K GANs (GAN seeds
:func:`ganaug.experiment.pieces.gan_seed`) on the unit's training part and is measured at each
of its checkpoints on the unit's extractor, against the lesion-clean floor
(:func:`ganaug.experiment.quality.gan_quality_rows`) built from the unit's VALIDATION bcc
(:func:`validation_splits`: the rule's targets and its choice among seeds read validation
images only; the test images, which judge the study's arms, take no part), plus its KID
against the unit's validation bcc (``val_kid``, what the rule keeps a GAN by). Searches
measured before this (the committed ``results/gan_search/book``) used the units' test bcc for
the targets; :func:`measured_on` says which a folder's points used.

Rows go to ``search.csv`` (``unit, candidate, gan_seed, metric, value``; a candidate is
``kind@steps``, the references have GAN seed -1) as each point finishes; ``run.json`` records
each point's version (the piece versions of its pool and quality code,
:mod:`ganaug.experiment.pieces`), commit and seconds, and each unit's extractor and its seconds.
Started again, the run skips current points and resumes GANs from their checkpoints.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from ganaug import config
from ganaug.classifier import encode_labels
from ganaug.data.core import LesionData, select_classes
from ganaug.data.splits import Splits
from ganaug.experiment import provenance
from ganaug.experiment.arms import MINORITY
from ganaug.experiment.extractor import unit_extractor
from ganaug.experiment.gans import build_gan, epochs_for_steps, fresh_checkpoints, is_conditional
from ganaug.experiment.gans import pool_key as gan_key
from ganaug.experiment.pieces import code_versions, gan_seed
from ganaug.experiment.plan import study_plan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.runner import study_cache
from ganaug.experiment.selection import CHOICE_IMAGES
from ganaug.experiment.store import atomic_write_csv, read_csv_or_empty
from ganaug.experiment.units import seed_splits
from ganaug.experiment.versions import source_version
from ganaug.gan import generate, to_gan_range, train_gan
from ganaug.metrics.gan_quality import classifier_features, kernel_inception_distance

SEARCH_COLUMNS = ["unit", "candidate", "gan_seed", "metric", "value"]


@dataclass(frozen=True)
class SearchPlan:
    """The search of one profile: its ``units``, K GAN ``seeds`` per kind and unit, and each
    kind's checkpoints in optimizer steps (``kinds``: ``(kind, (steps, ...))`` pairs)."""

    units: tuple[int, ...]
    seeds: int
    kinds: tuple[tuple[str, tuple[int, ...]], ...]


#: The book plan's search (2-core CPU): the report's DCGAN (the baseline), DiffAugment with the
#: paper's full policy (colour, translation, cutout) at 3000 and 6000 steps, and a projection
#: conditional GAN on all three classes with DiffAugment and EMA, sampled for bcc.
SEARCH_PLANS = {
    "smoke": SearchPlan((0,), 2, (("dcgan", (2,)), ("dcgan_diffaugment", (1, 2)))),
    "book": SearchPlan(
        (0, 1, 2),
        3,
        (
            ("dcgan", (3000,)),
            ("dcgan_diffaugment", (3000, 6000)),
            ("cgan_diffaugment_ema", (3000,)),
        ),
    ),
    "full": SearchPlan(
        (0, 1, 2, 3, 4),
        5,
        (
            ("dcgan", (12000,)),
            ("dcgan_diffaugment", (12000, 24000)),
            ("cgan_diffaugment_ema", (12000,)),
        ),
    ),
}


def candidate_name(kind: str, steps: int) -> str:
    """A candidate of the search: a kind at a checkpoint.

    Examples
    --------
    >>> candidate_name("dcgan", 3000)
    'dcgan@3000'
    """
    return f"{kind}@{steps}"


def run_search(
    data: LesionData,
    out: str | Path,
    profile: str,
    progress: bool = True,
    command: str | None = None,
) -> pd.DataFrame:
    """Run (or resume) the profile's search into ``out`` and return ``search.csv``."""
    plan, search = study_plan(profile), SEARCH_PLANS[study_plan(profile).profile]
    out = Path(out)
    fingerprint, code = provenance.data_fingerprint(data), code_versions()
    info = _start(out, plan.profile, fingerprint, command)
    todo = [
        (unit, kind, seed, steps)
        for unit in search.units
        for kind, checkpoints in search.kinds
        for seed in range(search.seeds)
        for steps in checkpoints
        if info["points"].get(_key(unit, kind, seed, steps), {}).get("version")
        != _version(code, plan, unit, kind, seed, steps)
    ]
    bar = tqdm(total=len(todo), desc="search", unit="point", disable=not progress, file=sys.stdout)
    cache = config.cache_dir() / "gan_search" / f"{plan.profile}-{fingerprint[:12]}"
    for unit in sorted({point[0] for point in todo}):
        _search_unit(data, out, unit, todo, plan, search, code, cache, info, bar)
    bar.close()
    info["finished"] = provenance.now()
    provenance.write_run(out, info)
    return read_csv_or_empty(out / "search.csv", SEARCH_COLUMNS)


def baseline_candidate(profile: str) -> str:
    """The search's baseline: its first kind (the report's DCGAN) at its first checkpoint.

    Examples
    --------
    >>> baseline_candidate("book")
    'dcgan@3000'
    """
    kind, checkpoints = SEARCH_PLANS[study_plan(profile).profile].kinds[0]
    return candidate_name(kind, checkpoints[0])


def validation_splits(splits: Splits) -> Splits:
    """``splits`` with its test part replaced by its validation part: what the search hands to
    :func:`~ganaug.experiment.quality.gan_quality_rows`, so that the lesion-clean halves its
    targets are measured against are validation bcc and no test image reaches the rule.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> from ganaug.data.splits import Splits
    >>> parts = [synthetic_lesions({"bcc": 4, "bkl": 4, "mel": 4}, seed=s) for s in range(3)]
    >>> validation_splits(Splits(*parts)).test is parts[1]
    True
    """
    return replace(splits, test=splits.val)


#: What a point of the search was measured on (recorded in ``run.json`` with each point).
MEASURED_ON = "validation"


def measured_on(run: dict) -> dict[str, int]:
    """How many of a search folder's points (``run``: its ``run.json``) had their targets
    measured on each part of the units' images: ``"validation"``, or ``"test"`` for points
    recorded before the search moved to validation images (they carry no mark).

    Examples
    --------
    >>> measured_on({"points": {"a": {}, "b": {"images": "validation"}}})
    {'test': 1, 'validation': 1}
    """
    counts: dict[str, int] = {}
    for point in run.get("points", {}).values():
        part = point.get("images", "test")
        counts[part] = counts.get(part, 0) + 1
    return dict(sorted(counts.items()))


def _search_unit(data, out, unit, todo, plan, search, code, cache, info, bar) -> None:
    splits = seed_splits(data, unit, plan.protocol, plan.folds)["lesion"]
    started = time.perf_counter()
    bar.set_postfix_str(f"the extractor of unit {unit}")
    extractor, key = unit_extractor(splits, plan, unit, study_cache(data, plan.profile))
    info["extractors"][str(unit)] = {"key": key, "seconds": _since(started)}
    validation = classifier_features(extractor, select_classes(splits.val, [MINORITY]).images)
    checkpoints = dict(search.kinds)
    for kind, seed in sorted({(k, s) for u, k, s, _ in todo if u == unit}):
        points = sorted(p for u, k, s, p in todo if (u, k, s) == (unit, kind, seed))
        last = max(checkpoints[kind])  # the key names the whole run, resumed or not
        seen = splits.train if is_conditional(kind) else select_classes(splits.train, [MINORITY])
        longest = replace(plan.gan, dcgan_steps=last, cgan_steps=last)
        gan = build_gan(kind, seen, longest, gan_seed(unit, seed))
        folder = fresh_checkpoints(
            cache / f"unit{unit}" / f"{kind}_seed{seed}",
            gan_key(kind, longest, gan_seed(unit, seed), seen),
        )
        labels = encode_labels(seen.dx, seen.classes) if is_conditional(kind) else None
        batch = min(plan.gan.batch_size, len(seen))
        every = max(1, 250 // max(1, len(seen) // batch))
        for steps in points:
            bar.set_postfix_str(f"unit {unit}: {kind} seed {seed} to {steps} steps")
            started = time.perf_counter()
            epochs = epochs_for_steps(steps, len(seen), batch)
            images = to_gan_range(seen.images)
            train_gan(
                gan, images, epochs, batch, labels, folder, every,
                seed=gan_seed(unit, seed), verbose=0,
            )  # fmt: skip
            label = seen.classes.index(MINORITY) if labels is not None else None
            count = max(len(splits.val) + len(splits.test), CHOICE_IMAGES)
            pool = generate(gan, count, seed=gan_seed(unit, seed) + 1, labels=label)
            name = candidate_name(kind, steps)
            rows = gan_quality_rows(extractor, validation_splits(splits), {name: pool}, unit)
            kid = kernel_inception_distance(
                validation, classifier_features(extractor, pool[:CHOICE_IMAGES])
            )
            _write(out, unit, name, seed, rows, kid)
            info["points"][_key(unit, kind, seed, steps)] = {
                "version": _version(code, plan, unit, kind, seed, steps),
                "commit": info["git_commit"],
                "seconds": _since(started),
                "images": MEASURED_ON,
            }
            provenance.write_run(out, info)
            bar.update(1)


def _key(unit: int, kind: str, seed: int, steps: int) -> str:
    return f"u{unit}/{candidate_name(kind, steps)}/s{seed}"


def _version(code: dict, plan, unit: int, kind: str, seed: int, steps: int) -> str:
    parts = [code[k] for k in ("pool", "extractor", "quality", "choice")]
    parts.append(source_version(["ganaug.experiment.search"]))
    parts += [plan.protocol, plan.folds, unit, kind, seed, steps, repr(plan.gan)]
    return hashlib.sha256(json.dumps(parts, default=repr).encode()).hexdigest()


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 1)


def _write(out: Path, unit: int, name: str, seed: int, rows: pd.DataFrame, kid: float) -> None:
    search = read_csv_or_empty(out / "search.csv", SEARCH_COLUMNS)
    rows = rows.rename(columns={"seed": "unit", "generator": "candidate"})
    generated = rows[rows["candidate"] == name].assign(gan_seed=seed)
    generated = pd.concat(
        [
            generated,
            pd.DataFrame(
                [
                    {
                        "unit": unit,
                        "candidate": name,
                        "gan_seed": seed,
                        "metric": "val_kid",
                        "value": float(kid),
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    references = rows[rows["candidate"] != name].assign(gan_seed=-1)
    mine = (search["unit"] == unit) & (
        ((search["candidate"] == name) & (search["gan_seed"] == seed))
        | search["candidate"].isin(set(references["candidate"]))
    )
    search = pd.concat([search[~mine], references, generated], ignore_index=True)
    atomic_write_csv(
        out / "search.csv",
        search[SEARCH_COLUMNS].sort_values(["unit", "candidate", "gan_seed"], kind="stable"),
    )


def _start(out: Path, profile: str, fingerprint: str, command: str | None) -> dict:
    earlier = provenance.read_run(out)
    for name, value in {"profile": profile, "data_fingerprint": fingerprint}.items():
        if earlier and earlier.get(name) != value:
            raise ValueError(
                f"{out} holds a search of another {name.replace('_', ' ')}: choose "
                "another --out (nothing was changed)"
            )
    info = earlier or {"started": provenance.now(), "points": {}, "extractors": {}}
    info.update(
        profile=profile,
        data_fingerprint=fingerprint,
        search=repr(SEARCH_PLANS[profile]),
        command=command or " ".join(sys.argv),
        versions=provenance.versions(),
        machine=provenance.machine(),
        git_commit=provenance.git_commit(),
        finished=None,
    )
    info.setdefault("sessions", []).append(
        {"started": provenance.now(), "commit": info["git_commit"]}
    )
    out.mkdir(parents=True, exist_ok=True)
    provenance.write_run(out, info)
    return info
