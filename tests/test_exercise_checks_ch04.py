"""Chapter 4's checks accept right answers however they are written and reject near misses and
the unfinished stub with a message that says what is wrong. (That each fails on the unchanged
student edition is proven by the Colab-like check, tests/colab_like.py.)"""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest
from scipy import linalg

from ganaug.classifier import build_cnn
from ganaug.data import select_classes, synthetic_lesions
from ganaug.experiment.quality import BLUR_SIGMA, halve_by_lesion
from ganaug.experiment.units import seed_splits
from ganaug.metrics import (
    blur_images,
    classifier_features,
    diversity,
    duplicate_threshold,
    frechet_distance,
    kernel_inception_distance,
    near_duplicate_share,
)
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch04 import check_features, check_fid, check_kid
from ganaug.teaching.exercises.ch04_generator import check_own_generator, reference_table

# --- Exercise 4.1: features from a trained classifier ----------------------------------------


@pytest.fixture(scope="module")
def cnn():
    return build_cnn(3, filters=(4, 8))


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(0).integers(0, 256, (10, 28, 28, 3), dtype=np.uint8)


def _layer_by_layer(model, images):
    """A right answer written another way: call the layers one by one up to 'features'."""
    x = keras.ops.convert_to_tensor(images.astype("float32") / 255.0)
    for layer in model.layers[1:]:
        x = layer(x, training=False)
        if layer.name == "features":
            return keras.ops.convert_to_numpy(x)
    raise AssertionError("no layer named features")


def _sub_model(model, images):
    """Another: a model that stops at the layer before the dropout and the classifier."""
    extractor = keras.Model(model.inputs, model.get_layer("features").output)
    return extractor.predict(images / 255.0, verbose=0)


def test_features_check_accepts_right_answers(cnn, images):
    check_features(classifier_features, cnn, images)
    check_features(_layer_by_layer, cnn, images)
    check_features(_sub_model, cnn, images)


def test_features_check_names_the_mistake(cnn, images):
    with pytest.raises(ExerciseCheckError, match="divide them first"):
        check_features(lambda m, x: _sub_model(m, x * 255.0), cnn, images)
    with pytest.raises(ExerciseCheckError, match="class probabilities"):
        check_features(lambda m, x: m.predict(x / 255.0, verbose=0), cnn, images)
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_features(lambda m, x: None, cnn, images)
    with pytest.raises(ExerciseCheckError, match="features is None"):
        check_features(None, cnn, images)


# --- Exercise 4.2: FID by hand -----------------------------------------------------------------


def _fid_by_eigenvalues(a, b):
    """A right answer written another way: tr((A B)^(1/2)) from the eigenvalues of A B, and
    covariances with ddof=0."""
    cov_a, cov_b = np.cov(a, rowvar=False, ddof=0), np.cov(b, rowvar=False, ddof=0)
    roots = np.sqrt(np.clip(np.linalg.eigvals(cov_a @ cov_b).real, 0, None))
    shift = np.sum((a.mean(axis=0) - b.mean(axis=0)) ** 2)
    return shift + np.trace(cov_a) + np.trace(cov_b) - 2 * roots.sum()


def test_fid_check_accepts_right_answers():
    check_fid(frechet_distance)
    check_fid(_fid_by_eigenvalues)


def test_fid_check_names_the_mistake():
    def commuting(a, b):
        cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
        root = linalg.sqrtm(cov_a).real @ linalg.sqrtm(cov_b).real
        return np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(cov_a + cov_b - 2 * root)

    def no_mean_term(a, b):
        return frechet_distance(a - a.mean(0), b - b.mean(0))

    with pytest.raises(ExerciseCheckError, match="commute"):
        check_fid(commuting)
    with pytest.raises(ExerciseCheckError, match="mean term"):
        check_fid(no_mean_term)
    with pytest.raises(ExerciseCheckError, match="squared distance"):
        check_fid(lambda a, b: np.sqrt(frechet_distance(a, b)))
    with pytest.raises(ExerciseCheckError, match="covariance term"):
        check_fid(lambda a, b: np.sum((a.mean(0) - b.mean(0)) ** 2))
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_fid(lambda a, b: None)


# --- Exercise 4.3: KID by hand -------------------------------------------------------------------


def _kid_by_loops(a, b):
    """A right answer written another way: the kernel by hand, pairs counted explicitly."""
    d = a.shape[1]

    def k(x, y):
        return (x @ y.T / d + 1) ** 3

    m, n = len(a), len(b)
    k_aa, k_bb = k(a, a), k(b, b)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return within_a + within_b - 2 * k(a, b).sum() / (m * n)


def test_kid_check_accepts_right_answers():
    check_kid(kernel_inception_distance)
    check_kid(_kid_by_loops)


def test_kid_check_names_the_mistake():
    def biased(a, b):
        d = a.shape[1]
        return sum(
            sign * ((x @ y.T / d + 1) ** 3).mean()
            for sign, x, y in ((1, a, a), (1, b, b), (-2, a, b))
        )

    def unscaled(a, b):
        return _kid_by_loops(a * np.sqrt(a.shape[1]), b * np.sqrt(b.shape[1]))

    def quadratic(a, b):
        return kernel_inception_distance(a, b, degree=2)

    with pytest.raises(ExerciseCheckError, match="biased estimate"):
        check_kid(biased)
    with pytest.raises(ExerciseCheckError, match="number of features d"):
        check_kid(unscaled)
    with pytest.raises(ExerciseCheckError, match="cubic"):
        check_kid(quadratic)
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_kid(lambda a, b: None)


# --- Exercise 4.4: one's own generator against the references -----------------------------------


@pytest.fixture(scope="module")
def unit():
    data = synthetic_lesions({"bcc": 40, "bkl": 30, "mel": 30}, seed=4)
    splits = seed_splits(data, 0, "kfold", 5)["lesion"]
    model = build_cnn(3, filters=(4, 8))
    model.class_names = list(data.classes)  # as fit_classifier leaves it (GAN-test reads it)
    return splits, model


def _collapsed_images(splits):
    """48 near-copies of one training image: a collapsed generator."""
    one = select_classes(splits.train, ["bcc"]).images[0].astype(float)
    noise = np.random.default_rng(1).normal(0, 1, (48, *one.shape))
    return np.clip(one + noise, 0, 255).astype(np.uint8)


def _varied_images(splits):
    """The training bcc themselves: as varied as real images."""
    return select_classes(splits.train, ["bcc"]).images


def _by_hand(model, splits, generated, seed=0):
    """A right answer written without gan_quality_rows: halves, features, measures, verdict."""
    held_out = select_classes(splits.test, ["bcc"])
    first, second = halve_by_lesion(held_out, seed)
    reference, half = held_out.images[first], held_out.images[second]
    sets = {
        "real_half": half,
        "blurred": blur_images(half, BLUR_SIGMA),
        "mine": generated[: len(half)],
    }
    features = classifier_features(model, reference)
    threshold = duplicate_threshold(select_classes(splits.train, ["bcc"]).images)
    table = pd.DataFrame(
        {
            name: {
                "fid": frechet_distance(features, classifier_features(model, images)),
                "diversity": diversity(images),
                "near_duplicates": near_duplicate_share(images, threshold),
            }
            for name, images in sets.items()
        }
    )  # one column per set: the check turns it round
    mine, real = table["mine"], table["real_half"]
    collapsed = mine["diversity"] < 0.8 * real["diversity"] or mine["near_duplicates"] > 0.01
    return table, collapsed


def _with_the_library(model, splits, generated, seed=0):
    """Another right answer: the library's quality rows, the verdict read from the targets."""
    table = reference_table(model, splits, generated, seed)
    mine, real = table.loc["mine"], table.loc["real_half"]
    return table, bool(
        mine["diversity"] / real["diversity"] < 0.8 or mine["near_duplicates"] > 0.01
    )


@pytest.mark.parametrize("make", [_collapsed_images, _varied_images], ids=["collapsed", "varied"])
def test_own_generator_check_accepts_right_answers(unit, make):
    splits, model = unit
    generated = make(splits)
    for solve in (_by_hand, _with_the_library):
        table, collapsed = solve(model, splits, generated)
        check_own_generator(table, collapsed, model, splits, generated)


def test_the_two_kinds_of_generator_get_different_verdicts(unit):
    splits, model = unit
    assert _by_hand(model, splits, _collapsed_images(splits))[1]
    assert not _by_hand(model, splits, _varied_images(splits))[1]


def test_own_generator_check_names_the_mistake(unit):
    splits, model = unit
    generated = _collapsed_images(splits)
    table, collapsed = _by_hand(model, splits, generated)
    with pytest.raises(ExerciseCheckError, match="the numbers say collapsed = True"):
        check_own_generator(table, not collapsed, model, splits, generated)
    with pytest.raises(ExerciseCheckError, match="True or False"):
        check_own_generator(table, "yes", model, splits, generated)
    whole = table.copy()
    held_out = select_classes(splits.test, ["bcc"]).images
    whole.loc["fid", "mine"] = frechet_distance(
        classifier_features(model, held_out), classifier_features(model, generated)
    )  # against all the test bcc, not the reference half
    with pytest.raises(ExerciseCheckError, match="against the reference half"):
        check_own_generator(whole, collapsed, model, splits, generated)
    with pytest.raises(ExerciseCheckError, match="missing"):
        check_own_generator(
            table.drop(index="near_duplicates"), collapsed, model, splits, generated
        )
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_own_generator(None, None, model, splits, generated)
