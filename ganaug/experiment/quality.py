"""GAN quality for one seed, measured on the features of that seed's ``classic`` CNN (a CNN
trained on real training images only), with real-vs-real and blurred-real references."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from ganaug.data.core import select_classes
from ganaug.data.splits import Splits
from ganaug.experiment.arms import MINORITY
from ganaug.metrics.gan_quality import (
    blur_images,
    classifier_features,
    frechet_distance,
    kernel_inception_distance,
)
from ganaug.metrics.memorisation import diversity, memorisation_table

#: Gaussian blur (pixels) that turns held-out real bcc into the "poor generator" reference.
BLUR_SIGMA = 1.5


def gan_quality_rows(
    model: keras.Model, splits: Splits, pools: dict[str, np.ndarray], seed: int
) -> pd.DataFrame:
    """FID, KID, memorised fraction and diversity of each generator's bcc images, plus the two
    references: two halves of held-out real bcc (``real_half``) and blurred held-out real bcc
    (``blurred``). Held-out real = the seed's validation and test bcc, which no GAN saw."""
    held_out = np.concatenate(
        [select_classes(part, [MINORITY]).images for part in (splits.val, splits.test)]
    )
    train = select_classes(splits.train, [MINORITY]).images
    order = np.random.default_rng(seed).permutation(len(held_out))
    half_a, half_b = held_out[order[: len(order) // 2]], held_out[order[len(order) // 2 :]]
    candidates = {name: pool[: len(held_out)] for name, pool in pools.items()}
    candidates["blurred"] = blur_images(held_out, BLUR_SIGMA)
    reference = classifier_features(model, held_out)
    rows = []
    for name, images in candidates.items():
        features = classifier_features(model, images)
        memorised = memorisation_table(images, train, held_out)["copy_fraction"]
        rows += _rows(
            seed,
            name,
            frechet_distance(reference, features),
            kernel_inception_distance(reference, features),
            memorised,
            diversity(images),
        )
    a, b = classifier_features(model, half_a), classifier_features(model, half_b)
    rows += _rows(
        seed,
        "real_half",
        frechet_distance(a, b),
        kernel_inception_distance(a, b),
        np.nan,
        diversity(half_a),
    )
    return pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])


def _rows(seed, generator, fid, kid, memorised, variety) -> list[tuple]:
    values = {"fid": fid, "kid": kid, "memorised_fraction": memorised, "diversity": variety}
    return [(seed, generator, metric, float(value)) for metric, value in values.items()]
