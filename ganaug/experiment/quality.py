"""GAN quality for one seed, measured on the features of that seed's ``classic`` CNN (a CNN
trained on real training images only), with real-vs-real and blurred-real references of the
same size; and the two classifier-based checks of Shmelkov et al. (2018), GAN-test and
GAN-train (:func:`gan_test`, :func:`gan_train`)."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd

from ganaug.classifier import build_cnn, fit_classifier, predict
from ganaug.common.batching import call_in_batches
from ganaug.data.core import LesionData, select_classes
from ganaug.data.splits import Splits, lesion_groups
from ganaug.experiment.arms import MINORITY, concatenate, generated_data
from ganaug.experiment.plan import StudyPlan
from ganaug.metrics.artifacts import checkerboard_score
from ganaug.metrics.classification import balanced_accuracy
from ganaug.metrics.fidelity import duplicate_threshold, near_duplicate_share, precision_recall
from ganaug.metrics.gan_quality import (
    blur_images,
    classifier_features,
    frechet_distance,
    kernel_inception_distance,
)
from ganaug.metrics.memorisation import diversity, memorisation_table

#: Gaussian blur (pixels) that turns held-out real bcc into the "poor generator" reference.
BLUR_SIGMA = 1.5

#: Neighbours that set the radii of improved precision and recall (Kynkäänniemi et al. use 3).
PRECISION_RECALL_K = 3


def gan_test(model: keras.Model, images: np.ndarray) -> float:
    """GAN-test (Shmelkov et al. 2018): the share of generated bcc ``images`` (uint8) that
    ``model``, a classifier trained on real images (with ``class_names``, as
    :func:`ganaug.classifier.fit_classifier` sets), calls bcc.

    High values say the images look like bcc to that classifier (fidelity); they say nothing
    of variety: one good image repeated scores 1. Compare with the same classifier's recall on
    held-out real bcc.

    Examples
    --------
    >>> from ganaug.classifier import build_cnn
    >>> model = build_cnn(3, filters=(4,))
    >>> model.class_names = ["bcc", "bkl", "mel"]
    >>> 0.0 <= gan_test(model, np.zeros((4, 28, 28, 3), np.uint8)) <= 1.0
    True
    """
    images = np.asarray(images)
    if len(images) == 0:
        raise ValueError("no generated images to test: pass at least one")
    classes = getattr(model, "class_names", None)
    if classes is None:
        raise ValueError("the model has no class_names: train it with fit_classifier first")
    # scaled as ganaug.classifier.predict_proba does (it needs a LesionData, these are none)
    probabilities = call_in_batches(model, images.astype(np.float32) / 255.0, 256)
    return float(np.mean(np.asarray(classes)[probabilities.argmax(axis=1)] == MINORITY))


def gan_train_set(train: LesionData, images: np.ndarray) -> LesionData:
    """``train`` with its real bcc images replaced by as many generated ones (uint8).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> train = synthetic_lesions({"bcc": 4, "bkl": 5, "mel": 6})
    >>> swapped = gan_train_set(train, np.zeros((9, 28, 28, 3), np.uint8))
    >>> swapped.class_counts(), int(swapped.metadata["generated"].sum())
    ({'bcc': 4, 'bkl': 5, 'mel': 6}, 4)
    """
    real_bcc = train.dx == MINORITY
    count = int(real_bcc.sum())
    if len(images) < count:
        raise ValueError(
            f"GAN-train needs {count} generated bcc images (one per real), got {len(images)}"
        )
    others = train.subset(np.flatnonzero(~real_bcc))
    return concatenate(others, generated_data(np.asarray(images)[:count], train, "generated"))


def gan_train(splits: Splits, images: np.ndarray, plan: StudyPlan, seed: int = 0) -> float:
    """GAN-train (Shmelkov et al. 2018): balanced accuracy on the real test part of a CNN
    trained as the ``classic`` arm is (the plan's CNN, budget and classic augmentation), but
    with generated bcc ``images`` in place of the real training bcc (:func:`gan_train_set`).

    Close to the ``classic`` arm's balanced accuracy when the generated bcc carry what the real
    ones teach (fidelity and variety); far below when they miss part of it. It costs one CNN
    training, as much as a study cell, so the study does not run it for every seed; call it
    when you want it.
    """
    train = gan_train_set(splits.train, images)
    classes = splits.train.classes
    model = build_cnn(len(classes), splits.train.images.shape[1:], plan.cnn_filters, seed=seed)
    fit_classifier(
        model,
        train,
        splits.val,
        plan.cnn_epochs,
        plan.batch_size,
        seed=seed,
        augment=True,
        patience=plan.cnn_patience,
        verbose=0,
    )
    return balanced_accuracy(splits.test.dx, predict(model, splits.test))


def halve_by_lesion(part: LesionData, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of two halves of ``part`` that share no lesion group: whole lesion groups, in
    an order drawn with ``seed``, go to the first half until it holds at least half the
    images; the rest form the second.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> bcc = synthetic_lesions({"bcc": 30, "bkl": 0, "mel": 0}, seed=1)
    >>> first, second = halve_by_lesion(bcc, seed=0)
    >>> len(first) + len(second) == len(bcc), len(first) >= len(bcc) // 2
    (True, True)
    >>> groups = lesion_groups(bcc)
    >>> set(groups[first]) & set(groups[second])
    set()
    """
    groups = lesion_groups(part)
    if len(np.unique(groups)) < 2:
        raise ValueError(
            f"{len(part)} held-out image(s) of {len(np.unique(groups))} lesion(s): halving by "
            "lesion needs at least two lesions (use a larger split or profile)"
        )
    order = np.random.default_rng(seed).permutation(np.unique(groups))
    counts = pd.Series(groups).value_counts()
    cumulative = counts[order].cumsum().to_numpy()
    cut = min(int(np.searchsorted(cumulative, len(part) / 2)) + 1, len(order) - 1)
    in_first = np.isin(groups, order[:cut])
    return np.flatnonzero(in_first), np.flatnonzero(~in_first)


def gan_quality_rows(
    model: keras.Model, splits: Splits, pools: dict[str, np.ndarray], seed: int
) -> pd.DataFrame:
    """FID, KID, memorised fraction and diversity of each generator's bcc images, with two
    references on the same scale.

    The seed's test bcc (which no GAN saw, and which neither chose a generator nor stopped the
    extractor's training: both use the validation part) is halved **by lesion**
    (:func:`halve_by_lesion`), so no lesion has images on both sides. The first half is the
    reference; every candidate set has the size of the second half and shares no image with
    the reference: the second half itself (``real_half``: the distance between two samples of
    real bcc, the reference a generator can at best reach), the second half blurred
    (``blurred``: a poor generator) and each generator's first images. Equal sizes matter
    because the Fréchet distance is biased upward on small samples; KID is not. A reference
    halved by image would put photographs of one lesion on both sides and make it, and every
    target measured against it, too optimistic.

    Besides the distances, each set gets: improved ``precision`` and ``recall`` on the same
    features (k = 3, fewer for tiny sets), ``near_duplicates`` (share of pairs closer than the
    1st percentile of the training bcc's nearest-neighbour distances), ``checkerboard``
    (spectral energy at the Nyquist lines, :func:`ganaug.metrics.checkerboard_score`) and
    ``gan_test`` (share the CNN calls bcc; on ``real_half`` it is the CNN's bcc recall). All are
    cheap next to the CNN's training; GAN-train is not, see :func:`gan_train`.
    """
    held_out = select_classes(splits.test, [MINORITY])
    train = select_classes(splits.train, [MINORITY]).images
    first, second = halve_by_lesion(held_out, seed)
    reference_images, second_half = held_out.images[first], held_out.images[second]
    candidates = {name: pool[: len(second_half)] for name, pool in pools.items()}
    candidates["real_half"] = second_half
    candidates["blurred"] = blur_images(second_half, BLUR_SIGMA)
    reference = classifier_features(model, reference_images)
    threshold = duplicate_threshold(train) if len(train) > 1 else np.nan
    rows = []
    for name, images in candidates.items():
        features = classifier_features(model, images)
        memorised = np.nan
        if name != "real_half":  # a real image is no copy; the check is for generated ones
            memorised = memorisation_table(images, train, reference_images)["copy_fraction"]
        values = {
            "fid": frechet_distance(reference, features),
            "kid": kernel_inception_distance(reference, features),
            "memorised_fraction": memorised,
            "diversity": diversity(images),
            **_precision_recall(reference, features),
            "near_duplicates": near_duplicate_share(images, threshold)
            if threshold >= 0
            else np.nan,
            "checkerboard": checkerboard_score(images),
            "gan_test": gan_test(model, images),
        }
        rows += [(seed, name, metric, float(value)) for metric, value in values.items()]
    return pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])


def _precision_recall(reference: np.ndarray, features: np.ndarray) -> dict[str, float]:
    k = min(PRECISION_RECALL_K, len(reference) - 1, len(features) - 1)
    if k < 1:
        return {"precision": np.nan, "recall": np.nan}
    return precision_recall(reference, features, k)
