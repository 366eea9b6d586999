"""The pieces of a study and the version of the code that computes each one.

A study folder is made of pieces, per unit:

- ``extractor``: the unit's feature extractor (:mod:`ganaug.experiment.extractor`);
- ``pool``: one GAN of a kind, trained with one of the kind's K seeds, and its images;
- ``choice``: which of a kind's K GANs the unit keeps, chosen on validation
  (:mod:`ganaug.experiment.selection`; with K = 1 there is nothing to choose);
- ``quality``: the quality rows of a kind's K GANs, and of the floor's references
  (``quality/floor``: real half and blurred real half);
- ``cell``: one arm trained and scored.

A piece's version hashes its own code (:data:`CODE`, by
:func:`ganaug.experiment.versions.source_version`: docstrings and comments left out), its
parameters and the versions of the pieces it reads. So a change to the quality code makes only
quality pieces stale; a change to the GAN code, the pools and everything that reads them; a
change to the data or classifier code, everything. ``python -m ganaug reproduce`` recomputes
exactly the stale pieces and adds new arms or units without touching finished ones;
``run.json`` keeps each piece's version, commit and seconds under ``pieces``. A pool of a
registered generator of one's own (:mod:`ganaug.experiment.custom`) hashes that generator's
code instead of the GAN code, so an edit to it makes only its own pieces stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ganaug.experiment.arms import Arm
from ganaug.experiment.custom import generator_version, is_registered
from ganaug.experiment.extractor import extractor_recipe
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.versions import source_version

#: The code that splits a unit, and the shared helpers that compute (seeds, batched calls; not
#: ``ganaug.common.quiet``, which only hides start-up lines): every piece reads them.
SPLIT_CODE = (
    "ganaug.common.batching",
    "ganaug.common.seeding",
    "ganaug.data",
    "ganaug.experiment.units:seed_splits",
)

#: The code of each kind of piece (modules, packages or single definitions).
CODE: dict[str, tuple[str, ...]] = {
    # an arm's fields are part of its cell's version; the words that describe arms are not
    "cell": (
        *SPLIT_CODE,
        "ganaug.classifier",
        "ganaug.metrics.classification",
        "ganaug.experiment.arms:Arm,is_generated,training_set",
        "ganaug.experiment.cells",
    ),
    # ganaug.experiment.gans encodes a conditional GAN's labels with the classifier's code
    "pool": (
        *SPLIT_CODE,
        "ganaug.classifier",
        "ganaug.gan",
        "ganaug.experiment.arms:MINORITY",
        "ganaug.experiment.gans",
    ),
    "extractor": (*SPLIT_CODE, "ganaug.classifier", "ganaug.experiment.extractor"),
    "choice": (
        "ganaug.experiment.selection",
        "ganaug.metrics.gan_quality:classifier_features,kernel_inception_distance",
    ),
    "quality": (
        "ganaug.experiment.quality",
        "ganaug.experiment.arms:MINORITY,concatenate,generated_data",
        "ganaug.metrics.artifacts",
        "ganaug.metrics.classification",
        "ganaug.metrics.fidelity",
        "ganaug.metrics.gan_quality",
        "ganaug.metrics.memorisation",
    ),
}

#: The name of the floor's quality piece of a unit (its references: real half, blurred).
FLOOR = "floor"


def piece_key(kind: str, unit: int, name: str = "", gan_seed: int | None = None) -> str:
    """A piece's key in ``run.json``.

    Examples
    --------
    >>> piece_key("cell", 3, "classic"), piece_key("pool", 0, "dcgan", 2)
    ('cell/classic/u3', 'pool/dcgan/u0/s2')
    >>> piece_key("extractor", 1)
    'extractor/u1'
    """
    if kind not in CODE:
        raise ValueError(f"unknown kind of piece {kind!r}: use one of {', '.join(CODE)}")
    parts = [kind, *([name] if name else []), f"u{unit}"]
    return "/".join(parts + ([f"s{gan_seed}"] if gan_seed is not None else []))


def gan_seed(unit: int, candidate: int) -> int:
    """The seed of candidate ``candidate`` (0 .. K-1) of a unit's GANs of one kind: the unit
    itself for the first (so K = 1 trains the GAN the study always trained), then far apart.

    Examples
    --------
    >>> gan_seed(4, 0), gan_seed(4, 2)
    (4, 2004)
    """
    return unit + 1000 * candidate


def code_versions(root: str | Path | None = None) -> dict[str, str]:
    """:func:`~ganaug.experiment.versions.source_version` of each kind's :data:`CODE` (``root``:
    the folder holding an older commit's ``ganaug``, default this one). A kind whose code that
    tree lacks gets ``"absent"`` (older trees had no choice among K GANs).

    Examples
    --------
    >>> sorted(code_versions())
    ['cell', 'choice', 'extractor', 'pool', 'quality']
    """
    versions = {}
    for kind, specs in CODE.items():
        try:
            versions[kind] = source_version(specs, root)
        except ValueError:
            if root is None:
                raise
            versions[kind] = "absent"
    return versions


def _digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def unit_versions(
    plan: StudyPlan,
    unit: int,
    arms: Sequence[Arm],
    protocol: dict,
    code: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every piece that unit ``unit`` of ``plan`` needs for ``arms``, as ``key -> version``.

    ``protocol`` is the folder's protocol record (``{"name": ..., "k": ...}``); ``code`` is
    :func:`code_versions` (computed when not given). Pure bookkeeping: nothing is trained.

    Examples
    --------
    >>> from ganaug.experiment.arms import get_arms
    >>> from ganaug.experiment.plan import study_plan
    >>> plan, protocol = study_plan("smoke"), {"name": "kfold", "k": 3}
    >>> pieces = unit_versions(plan, 0, get_arms(["none", "dcgan"]), protocol)
    >>> sorted(pieces)  # doctest: +NORMALIZE_WHITESPACE
    ['cell/dcgan/u0', 'cell/none/u0', 'choice/dcgan/u0', 'extractor/u0',
     'pool/dcgan/u0/s0', 'quality/dcgan/u0', 'quality/floor/u0']
    >>> edited = {**code_versions(), "quality": "edited"}
    >>> changed = unit_versions(plan, 0, get_arms(["none", "dcgan"]), protocol, edited)
    >>> sorted(key for key in pieces if pieces[key] != changed[key])
    ['quality/dcgan/u0', 'quality/floor/u0']
    """
    code = code or code_versions()
    split = {"protocol": protocol, "unit": unit}
    cnn = {
        "filters": list(plan.cnn_filters),
        "epochs": plan.cnn_epochs,
        "patience": plan.cnn_patience,
        "batch_size": plan.batch_size,
    }
    pieces: dict[str, str] = {}
    extractor = _digest(code["extractor"], split, extractor_recipe(plan)["cnn"])
    generators = sorted({arm.generator for arm in arms if arm.generator})
    if generators:
        pieces[piece_key("extractor", unit)] = extractor
        pieces[piece_key("quality", unit, FLOOR)] = _digest(code["quality"], extractor, split)
    choices = {}
    for generator in generators:
        pools = []
        for candidate in range(plan.gan_seed_count(generator)):
            key = piece_key("pool", unit, generator, candidate)
            seed = gan_seed(unit, candidate)
            if is_registered(generator):  # a generator of one's own: its code, its profile
                own = _digest(source_version(SPLIT_CODE), generator_version(generator))
                pieces[key] = _digest(own, split, generator, plan.profile, seed)
            else:
                pieces[key] = _digest(code["pool"], split, generator, repr(plan.gan), seed)
            pools.append(pieces[key])
        if len(pools) == 1:  # nothing to choose: the one GAN is kept
            choices[generator] = _digest("only candidate", pools[0])
        else:
            choices[generator] = _digest(code["choice"], extractor, pools)
        pieces[piece_key("choice", unit, generator)] = choices[generator]
        pieces[piece_key("quality", unit, generator)] = _digest(
            code["quality"], extractor, pools, choices[generator]
        )
    for arm in arms:
        reads = choices[arm.generator] if arm.generator else None
        recipe = {k: v for k, v in asdict(arm).items() if k != "description"}  # words only
        pieces[piece_key("cell", unit, arm.name)] = _digest(code["cell"], split, cnn, recipe, reads)
    return pieces


def stale_pieces(recorded: dict[str, dict], wanted: dict[str, str]) -> list[str]:
    """The keys of ``wanted`` (:func:`unit_versions`) whose recorded version (``run.json``'s
    ``pieces``) is missing or another.

    Examples
    --------
    >>> stale_pieces({"cell/none/u0": {"version": "a"}}, {"cell/none/u0": "a", "cell/x/u0": "b"})
    ['cell/x/u0']
    """
    return sorted(key for key, version in wanted.items() if _version(recorded, key) != version)


def _version(recorded: dict[str, dict], key: str) -> str | None:
    return (recorded.get(key) or {}).get("version")


def version_summary(pieces: dict[str, dict]) -> str:
    """One line on a folder's pieces: how many of each kind, by how many versions of their
    kind's code, and from which commits (it reads ``run.json`` only, never the code, so a
    report made from the CSVs does not change when the code does).

    Examples
    --------
    >>> version_summary({"cell/none/u0": {"code": "a", "commit": "0123456789abcdef"},
    ...                  "cell/classic/u0": {"code": "b", "commit": "0123456789abcdef"}})
    'Pieces: 2 cells (2 code versions); commit 0123456789ab.'
    """
    codes: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    commits = set()
    for key, record in pieces.items():
        kind = key.split("/")[0]
        counts[kind] = counts.get(kind, 0) + 1
        codes.setdefault(kind, set()).add(record.get("code", "unrecorded"))
        commits.add(_short(record.get("commit") or "unknown"))
    plural = {"quality": "quality pieces", "choice": "choices"}
    parts = [
        f"{counts[kind]} {plural.get(kind, kind + 's')} ({len(codes[kind])} code "
        f"version{'s' * (len(codes[kind]) > 1)})"
        for kind in CODE
        if kind in counts
    ]
    commit = f"commit{'s' * (len(commits) > 1)} {', '.join(sorted(commits))}"
    return f"Pieces: {'; '.join(parts)}; {commit}."


def version_line(run: dict) -> str | None:
    """One line naming a folder's pieces, their code versions and commits, and its protocol,
    from its ``run.json`` (``None`` for a folder written before versions were recorded).

    Examples
    --------
    >>> run = {"pieces": {"cell/none/u0": {"code": "ab", "commit": "0123456789abcdef"}},
    ...        "protocol": {"name": "kfold", "k": 5}}
    >>> version_line(run)
    'Pieces: 1 cells (1 code version); commit 0123456789ab; protocol kfold, k = 5.'
    """
    if not run.get("pieces"):
        return None
    protocol = run.get("protocol") or {"name": "resampled"}
    k = f", k = {protocol['k']}" if protocol.get("k") else ""
    return f"{version_summary(run['pieces'])[:-1]}; protocol {protocol['name']}{k}."


def _short(commit: str) -> str:
    sha, _, rest = commit.partition("+")
    return sha[:12] + (f"+{rest}" if rest else "")
