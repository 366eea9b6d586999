"""GAN quality for one seed, measured on the features of that seed's ``classic`` CNN (a CNN
trained on real training images only), with real-vs-real and blurred-real references of the
same size."""

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
    """FID, KID, memorised fraction and diversity of each generator's bcc images, with two
    references on the same scale.

    Held-out real bcc (the seed's validation and test bcc, which no GAN saw) is halved at
    random. The first half is the reference; every candidate set has the size of the second
    half and shares no image with the reference: the second half itself (``real_half``: the
    distance between two samples of real bcc, the floor), the second half blurred
    (``blurred``: a poor generator) and each generator's first images. Equal sizes matter
    because the Fréchet distance is biased upward on small samples; KID is not.
    """
    held_out = np.concatenate(
        [select_classes(part, [MINORITY]).images for part in (splits.val, splits.test)]
    )
    train = select_classes(splits.train, [MINORITY]).images
    order = np.random.default_rng(seed).permutation(len(held_out))
    reference_images = held_out[order[: len(order) // 2]]
    second_half = held_out[order[len(order) // 2 :]]
    candidates = {name: pool[: len(second_half)] for name, pool in pools.items()}
    candidates["real_half"] = second_half
    candidates["blurred"] = blur_images(second_half, BLUR_SIGMA)
    reference = classifier_features(model, reference_images)
    rows = []
    for name, images in candidates.items():
        features = classifier_features(model, images)
        memorised = np.nan
        if name != "real_half":  # a real image is no copy; the check is for generated ones
            memorised = memorisation_table(images, train, reference_images)["copy_fraction"]
        rows += _rows(
            seed,
            name,
            frechet_distance(reference, features),
            kernel_inception_distance(reference, features),
            memorised,
            diversity(images),
        )
    return pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])


def _rows(seed, generator, fid, kid, memorised, variety) -> list[tuple]:
    values = {"fid": fid, "kid": kid, "memorised_fraction": memorised, "diversity": variety}
    return [(seed, generator, metric, float(value)) for metric, value in values.items()]
