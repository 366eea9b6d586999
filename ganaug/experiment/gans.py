"""One GAN of each kind per seed, trained on that seed's training images only, and its pool of
generated bcc images, cached so every arm and sweep point of the seed reuses it.

A cached pool is reused only if it was made by the same GAN kind, plan, seed, GAN code and
training images (:func:`pool_key`); anything else is refused and the GAN retrained, and
checkpoints written under another key are deleted rather than resumed. So a cache can be slow,
never stale.
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganaug.classifier import encode_labels
from ganaug.data.cache import atomic_file, atomic_save_npz
from ganaug.data.core import LesionData, select_classes
from ganaug.experiment.arms import MINORITY
from ganaug.experiment.provenance import data_fingerprint
from ganaug.experiment.versions import code_hash
from ganaug.gan import (
    DCGAN,
    DEFAULT_POLICY,
    ConditionalGAN,
    build_discriminator,
    build_generator,
    generate,
    to_gan_range,
    train_gan,
)

#: Latent size and layer widths of the study's GANs (chapter 3's networks, at half width so a
#: GAN per seed fits the book profile's CPU budget; the full profile uses chapter 3's widths).
GAN_SIZES = {"smoke": (16, 8, 8), "book": (64, 64, 32), "full": (100, 128, 64)}

#: The GAN kinds: the report's DCGAN (bcc only) and the ACGAN (all classes), each with the
#: small-data fixes (``_plus``), and the generator search's choice (:data:`CHOSEN`).
GENERATORS = ("dcgan", "cgan", "dcgan_plus", "cgan_plus", "chosen")

#: The study's name for the kind the generator search chose (:data:`SEARCH_CHOICE`).
CHOSEN = "chosen"

#: The report's DCGAN with one fix each: the first ablation, which named the candidates below
#: (``python -m ganaug gan-curve --generators dcgan dcgan_diffaugment ...``). Not study arms.
ONE_FIX = {
    "dcgan_diffaugment": {"augment_policy": DEFAULT_POLICY},
    "dcgan_spectral_norm": {"spectral_norm": True},
    "dcgan_resize": {"upsampling": "resize"},
    "dcgan_ema": {"ema_decay": 0.999},
}

#: The candidates for the improved DCGAN, measured against ``dcgan`` on the same units and
#: feature extractors (``results/gan_ablation/book``); ``ganaug.experiment.choice`` holds the
#: rule, fixed before measuring, that picks one. Not study arms.
PLUS_CANDIDATES = {
    "dcgan_ema_sn": {"ema_decay": 0.999, "spectral_norm": True},
    "dcgan_ema_sn_translation": {
        "ema_decay": 0.999,
        "spectral_norm": True,
        "augment_policy": "translation",
    },
}

#: The kind the rule chose from the committed ablation (a test re-applies the rule to it); its
#: fixes are the ``_plus`` kinds' :data:`PLUS_OPTIONS`.
PLUS_CHOICE = "dcgan_ema"

#: The generator search's conditional candidate (``ganaug.experiment.search``): one GAN for all
#: three classes with a projection discriminator, DiffAugment's full policy and EMA, sampled for
#: bcc. Not a study arm until the search's rule chooses it.
SEARCH_CANDIDATES = {
    "cgan_diffaugment_ema": {"augment_policy": DEFAULT_POLICY, "ema_decay": 0.999},
}

#: Every ablation kind: the report's DCGAN with some of the small-data fixes, and the search's.
ABLATION_KINDS = {**ONE_FIX, **PLUS_CANDIDATES, **SEARCH_CANDIDATES}

#: What the generator search's rule (:mod:`ganaug.experiment.search_rule`) chose from the
#: committed ``results/gan_search/book`` (a test applies the rule to it again): a kind, and its
#: budget as a multiple of the plan's steps for that kind (the book plan's 3000 DCGAN steps; the
#: search measured each kind at 1x and some at 2x). The study's ``chosen`` arms train it.
SEARCH_CHOICE = ("dcgan", 1)

#: The small-data fixes of the ``_plus`` kinds (DiffAugment, spectral normalisation in the
#: discriminator, resize-convolution in the generator, a moving average for sampling): those of
#: :data:`PLUS_CHOICE`.
PLUS_OPTIONS = ABLATION_KINDS[PLUS_CHOICE]

#: The code whose change makes a cached pool stale: the GAN package, the seeding of its
#: layers, and this module.
GAN_CODE = ("ganaug.gan", "ganaug.common.seeding", "ganaug.experiment.gans")


@dataclass(frozen=True)
class GanPlan:
    """How one seed's GANs are trained: budgets in optimizer steps (each a batch for both
    players), batch size and network widths. The ``_plus`` kinds get the budget of their plain
    kind, so each pair is compared at equal cost in steps."""

    dcgan_steps: int
    cgan_steps: int
    batch_size: int
    latent_dim: int = 100
    generator_filters: int = 128
    discriminator_filters: int = 64

    def steps(self, generator: str) -> int:
        """The step budget of the GAN kind ``generator`` (:data:`CHOSEN`: the search's choice
        at its multiple of its kind's budget).

        Examples
        --------
        >>> plan = GanPlan(3000, 1040, 64)
        >>> plan.steps("dcgan"), plan.steps("cgan_plus"), plan.steps("chosen")
        (3000, 1040, 3000)
        """
        kind, plan = study_kind(check_generator(generator), self)
        return plan.cgan_steps if is_conditional(kind) else plan.dcgan_steps


def study_kind(generator: str, plan: GanPlan) -> tuple[str, GanPlan]:
    """The kind that trains ``generator`` and the plan it trains under: :data:`CHOSEN` is the
    search's choice (:data:`SEARCH_CHOICE`) with its budget scaled; every other kind is itself.
    At 1x the plan is unchanged, so the choice's first GAN of a unit is the very GAN of its
    kind's arm (same kind, plan, seed and images: one cached pool serves both).

    Examples
    --------
    >>> study_kind("chosen", GanPlan(3000, 1040, 64))[0] == SEARCH_CHOICE[0]
    True
    >>> study_kind("cgan", GanPlan(3000, 1040, 64))
    ('cgan', GanPlan(dcgan_steps=3000, cgan_steps=1040, batch_size=64, latent_dim=100, \
generator_filters=128, discriminator_filters=64))
    """
    if generator != CHOSEN:
        return generator, plan
    kind, multiple = SEARCH_CHOICE
    scaled = replace(
        plan, dcgan_steps=plan.dcgan_steps * multiple, cgan_steps=plan.cgan_steps * multiple
    )
    return kind, scaled


def check_generator(generator: str) -> str:
    """Raise ``ValueError`` unless ``generator`` is one of :data:`GENERATORS` or of the
    ablation's :data:`ABLATION_KINDS`.

    Examples
    --------
    >>> check_generator("dcgan_ema")
    'dcgan_ema'
    >>> check_generator("gan")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown generator 'gan': use one of dcgan, cgan, dcgan_plus, cgan_plus, chosen, ...
    """
    if generator not in GENERATORS and generator not in ABLATION_KINDS:
        known = ", ".join([*GENERATORS, *ABLATION_KINDS])
        raise ValueError(f"unknown generator {generator!r}: use one of {known}")
    return generator


def is_conditional(generator: str) -> bool:
    """Whether the kind is one conditional GAN for all classes (else a DCGAN on bcc alone)."""
    kind = SEARCH_CHOICE[0] if generator == CHOSEN else generator
    return kind.startswith("cgan")


def epochs_for_steps(steps: int, images: int, batch_size: int) -> int:
    """Whole epochs that give at least ``steps`` steps on ``images`` images in batches of
    ``batch_size`` (the last, incomplete batch of an epoch is dropped).

    Examples
    --------
    >>> epochs_for_steps(900, 360, 64)  # 5 full batches an epoch
    180
    >>> epochs_for_steps(1, 20, 16)
    1
    """
    per_epoch = images // batch_size
    if per_epoch < 1 or steps < 1:
        raise ValueError(
            f"need steps >= 1 and at least one full batch: {images} images, batch {batch_size}, "
            f"steps {steps}"
        )
    return math.ceil(steps / per_epoch)


def gan_code_version() -> str:
    """Hash of the GAN code's sources (:data:`GAN_CODE`), part of every pool's key."""
    return code_hash(GAN_CODE)


def pool_key(generator: str, plan: GanPlan, seed: int, seen: LesionData) -> dict[str, str]:
    """Everything that makes a pool what it is: the GAN kind, the plan (its repr), the seed,
    the GAN code's version, TensorFlow's and Keras' versions, and the training images."""
    return {
        "generator": generator,
        "plan": repr(plan),
        "seed": str(seed),
        "code": gan_code_version(),
        "libraries": f"tensorflow {tf.__version__}, keras {keras.__version__}",
        "data": data_fingerprint(seen),
    }


def pool_path(folder: Path, generator: str) -> Path:
    """The cached pool of one GAN kind inside a seed's cache folder (:data:`CHOSEN` shares
    its kind's file at 1x its budget).

    Examples
    --------
    >>> pool_path(Path("cache"), "dcgan_plus").name
    'dcgan_plus_pool.npz'
    """
    return Path(folder) / f"{_file_stem(generator)}_pool.npz"


def checkpoint_folder(folder: Path, generator: str) -> Path:
    """The training checkpoints of one GAN kind inside a seed's cache folder."""
    return Path(folder) / f"{_file_stem(generator)}_checkpoints"


def _file_stem(generator: str) -> str:
    if generator != CHOSEN:
        return generator
    kind, multiple = SEARCH_CHOICE
    return kind if multiple == 1 else f"{kind}_x{multiple}"


def stored_key(path: Path) -> dict[str, str] | None:
    """The key stored with a cached pool, ``None`` if there is no pool or it has no key."""
    if not Path(path).exists():
        return None
    with np.load(path) as cached:
        return json.loads(str(cached["key"])) if "key" in cached.files else None


def key_difference(stored: dict | None, wanted: dict) -> str | None:
    """Why a cache made under ``stored`` must not be used for ``wanted`` (None: it may be).

    Examples
    --------
    >>> key_difference({"plan": "a", "code": "x"}, {"plan": "b", "code": "x"})
    'made under another plan'
    >>> key_difference(None, {"plan": "b"})
    'no key stored'
    """
    if stored is None:
        return "no key stored"
    names = {"plan": "plan", "code": "GAN code", "data": "set of training images"}
    for field, value in wanted.items():
        if stored.get(field) != value:
            return f"made under another {names.get(field, field)}"
    return None


def gan_pool(
    generator: str,
    train: LesionData,
    count: int,
    plan: GanPlan,
    seed: int,
    folder: Path,
) -> np.ndarray:
    """``count`` generated bcc images (uint8) from a ``generator`` GAN trained on ``train``.

    ``train`` must be the seed's training part: a DCGAN kind sees its bcc images, a conditional
    kind all of it. The pool, the ids of the images the GAN saw, its key (:func:`pool_key`),
    steps and epochs are cached in ``folder`` (written atomically). A later call reuses the
    pool only if the key matches; an interrupted training resumes from its checkpoints, again
    only those of the same key.
    """
    check_generator(generator)
    path = pool_path(folder, generator)
    checkpoints_at = checkpoint_folder(folder, generator)
    generator, plan = study_kind(generator, plan)
    seen = select_classes(train, [MINORITY]) if not is_conditional(generator) else train
    key = pool_key(generator, plan, seed, seen)
    if key_difference(stored_key(path), key) is None:
        with np.load(path) as cached:
            if len(cached["images"]) >= count:
                return cached["images"][:count]
    gan = build_gan(generator, seen, plan, seed)
    labels = encode_labels(seen.dx, seen.classes) if is_conditional(generator) else None
    batch = min(plan.batch_size, len(seen))
    epochs = epochs_for_steps(plan.steps(generator), len(seen), batch)
    checkpoints = fresh_checkpoints(checkpoints_at, key)
    every = max(1, epochs // 4)
    images = to_gan_range(seen.images)
    train_gan(gan, images, epochs, batch, labels, checkpoints, every, seed=seed, verbose=0)
    label = seen.classes.index(MINORITY) if is_conditional(generator) else None
    pool = generate(gan, count, seed=seed + 1, labels=label)
    atomic_save_npz(
        path,
        images=pool,
        trained_on=seen.image_id.astype(str),
        key=np.array(json.dumps(key, sort_keys=True)),
        steps=np.array(epochs * (len(seen) // batch)),
        epochs=np.array(epochs),
    )
    return pool


def fresh_checkpoints(folder: Path, key: dict[str, str]) -> Path:
    """``folder`` for checkpoints of ``key``: emptied first if it holds another key's."""
    key_file = folder / "key.json"
    if folder.exists():
        stored = json.loads(key_file.read_text()) if key_file.exists() else None
        if key_difference(stored, key) is not None:
            shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        with atomic_file(key_file, "w") as handle:
            handle.write(json.dumps(key, sort_keys=True, indent=1))
    return folder


def trained_on(folder: Path, generator: str) -> np.ndarray:
    """The image ids the cached ``generator`` GAN of a seed was trained on."""
    with np.load(pool_path(folder, generator)) as cached:
        return cached["trained_on"]


def trained_steps(folder: Path, generator: str) -> int:
    """The optimizer steps the cached ``generator`` GAN of a seed was trained for."""
    with np.load(pool_path(folder, generator)) as cached:
        return int(cached["steps"])


def build_gan(generator: str, seen: LesionData, plan: GanPlan, seed: int) -> DCGAN:
    """A compiled GAN of the kind ``generator`` for the images ``seen``, at the plan's widths
    (the ``_plus`` kinds with :data:`PLUS_OPTIONS`, the ablation's kinds with their fixes,
    :data:`ABLATION_KINDS`, :data:`CHOSEN` as the search's choice)."""
    generator = study_kind(generator, plan)[0]
    conditional = is_conditional(generator)
    classes = len(seen.classes) if conditional else None
    plus = PLUS_OPTIONS if generator.endswith("_plus") else ABLATION_KINDS.get(generator, {})
    net_g = build_generator(
        plan.latent_dim,
        plan.generator_filters,
        classes,
        seed=seed,
        upsampling=plus.get("upsampling", "transpose"),
    )
    net_d = build_discriminator(
        seen.images.shape[1:],
        plan.discriminator_filters,
        classes,
        seed=seed + 1,
        spectral_norm=plus.get("spectral_norm", False),
        head="projection" if conditional and plus else "acgan",
    )
    options = {
        "augment_policy": plus.get("augment_policy"),
        "ema_decay": plus.get("ema_decay"),
        "loss": "hinge" if conditional and plus else "bce",
    }
    if conditional:
        gan = ConditionalGAN(
            net_g, net_d, plan.latent_dim, num_classes=classes, seed=seed, **options
        )
    else:
        gan = DCGAN(net_g, net_d, plan.latent_dim, seed=seed, **options)
    gan.compile()
    return gan
