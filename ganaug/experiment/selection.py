"""Choosing one of a unit's K GANs of a kind on validation data, as every other model in the
book is chosen: the GAN whose images are closest to the unit's **validation** bcc, by KID on the
unit's extractor, is kept. The test images never take part.

Why KID and not FID: a unit's validation part holds a few dozen bcc images, and the Fréchet
distance is biased upward on small samples by an amount that depends on the sample, while KID
(the kernel inception distance) is an unbiased estimate whatever the sample sizes. So KID ranks
K candidates on a small validation set without that bias; FID stays the headline number of the
quality rows, which are measured on the test part.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from ganaug.metrics.gan_quality import classifier_features, kernel_inception_distance

#: Generated images per candidate that the choice compares with the validation bcc.
CHOICE_IMAGES = 256


def choose_generator(
    extractor: keras.Model, validation: np.ndarray, candidates: Sequence[np.ndarray]
) -> tuple[int, list[float]]:
    """The index of the candidate pool (uint8 images) with the lowest KID against the
    ``validation`` bcc images on ``extractor``'s features, and every candidate's KID.

    Examples
    --------
    >>> from ganaug.classifier import build_cnn
    >>> model = build_cnn(3, filters=(4,), seed=0)
    >>> rng = np.random.default_rng(0)
    >>> real = rng.integers(100, 140, (12, 28, 28, 3)).astype(np.uint8)
    >>> close = rng.integers(100, 140, (12, 28, 28, 3)).astype(np.uint8)
    >>> far = np.zeros((12, 28, 28, 3), np.uint8)
    >>> kept, kids = choose_generator(model, real, [far, close])
    >>> kept, kids[1] < kids[0]
    (1, True)
    """
    if len(candidates) == 0:
        raise ValueError("no candidate GANs to choose from")
    if len(validation) < 2:
        raise ValueError(
            f"{len(validation)} validation bcc image(s): choosing a GAN needs at least 2"
        )
    reference = classifier_features(extractor, validation)
    kids = [
        float(
            kernel_inception_distance(
                reference, classifier_features(extractor, pool[:CHOICE_IMAGES])
            )
        )
        for pool in candidates
    ]
    return int(np.argmin(kids)), kids
