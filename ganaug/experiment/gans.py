"""One GAN of each kind per seed, trained on that seed's training images only, and its pool of
generated bcc images, cached so every arm and sweep point of the seed reuses it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ganaug.classifier import encode_labels
from ganaug.data.cache import atomic_save_npz
from ganaug.data.core import LesionData, select_classes
from ganaug.experiment.arms import MINORITY
from ganaug.gan import (
    DCGAN,
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


@dataclass(frozen=True)
class GanPlan:
    """How one seed's GANs are trained: epochs, batch size and network widths."""

    dcgan_epochs: int
    cgan_epochs: int
    batch_size: int
    latent_dim: int = 100
    generator_filters: int = 128
    discriminator_filters: int = 64


def pool_path(folder: Path, generator: str) -> Path:
    """The cached pool of one GAN kind inside a seed's cache folder."""
    return Path(folder) / f"{generator}_pool.npz"


def gan_pool(
    generator: str,
    train: LesionData,
    count: int,
    plan: GanPlan,
    seed: int,
    folder: Path,
) -> np.ndarray:
    """``count`` generated bcc images (uint8) from a ``generator`` GAN trained on ``train``.

    ``train`` must be the seed's training part: the DCGAN sees its bcc images, the conditional
    GAN all of it. The pool and the ids of the images the GAN saw are cached in ``folder``
    (written atomically); a later call with the same folder reuses them, and an interrupted
    training resumes from its checkpoint.
    """
    if generator not in ("dcgan", "cgan"):
        raise ValueError(f"unknown generator {generator!r}: use 'dcgan' or 'cgan'")
    path = pool_path(folder, generator)
    if path.exists():
        with np.load(path) as cached:
            if len(cached["images"]) >= count:
                return cached["images"][:count]
    seen = select_classes(train, [MINORITY]) if generator == "dcgan" else train
    gan = _build(generator, seen, plan, seed)
    labels = None
    if generator == "cgan":
        labels = encode_labels(seen.dx, seen.classes)
    epochs = plan.dcgan_epochs if generator == "dcgan" else plan.cgan_epochs
    batch = min(plan.batch_size, len(seen))
    every = max(1, epochs // 4)
    checkpoints = Path(folder) / f"{generator}_checkpoints"
    train_gan(
        gan,
        to_gan_range(seen.images),
        epochs,
        batch,
        labels,
        checkpoints,
        every,
        seed=seed,
        verbose=0,
    )
    if generator == "cgan":
        label = seen.classes.index(MINORITY)
        images = generate(gan.generator, count, seed=seed + 1, labels=label)
    else:
        images = generate(gan.generator, count, seed=seed + 1)
    atomic_save_npz(path, images=images, trained_on=seen.image_id.astype(str))
    return images


def trained_on(folder: Path, generator: str) -> np.ndarray:
    """The image ids the cached ``generator`` GAN of a seed was trained on."""
    with np.load(pool_path(folder, generator)) as cached:
        return cached["trained_on"]


def _build(generator: str, seen: LesionData, plan: GanPlan, seed: int) -> DCGAN:
    classes = len(seen.classes) if generator == "cgan" else None
    net_g = build_generator(plan.latent_dim, plan.generator_filters, classes, seed=seed)
    net_d = build_discriminator(
        seen.images.shape[1:], plan.discriminator_filters, classes, seed=seed + 1
    )
    if generator == "cgan":
        gan = ConditionalGAN(net_g, net_d, plan.latent_dim, num_classes=classes, seed=seed)
    else:
        gan = DCGAN(net_g, net_d, plan.latent_dim, seed=seed)
    gan.compile()
    return gan
