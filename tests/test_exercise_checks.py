"""Chapter 1's checks accept right answers and reject wrong ones with a helpful message."""

from __future__ import annotations

import numpy as np
import pytest

from ganaug.data import split_by_image, split_by_lesion, synthetic_lesions
from ganaug.exercises import ExerciseCheckError
from ganaug.exercises.ch01 import (
    check_grey_means,
    check_leaked_fraction,
    check_lesion_split,
    check_most_different,
)
from ganaug.stats import channel_means, grey_means


def test_grey_means_check():
    check_grey_means(grey_means)
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_grey_means(lambda images: None)
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_grey_means(lambda images: images.mean(axis=(1, 2, 3)))  # unweighted mean
    with pytest.raises(ExerciseCheckError, match="shape"):
        check_grey_means(lambda images: images.mean(axis=(1, 2)))


def _good_split(lesion_ids, fraction, seed):
    data = synthetic_lesions(n_per_class=80, seed=12)
    return np.isin(lesion_ids, split_by_lesion(data, 0.0 + 1e-9, fraction, seed).test.lesion_id)


def test_lesion_split_check():
    check_lesion_split(_good_split)
    rng = np.random.default_rng(0)
    with pytest.raises(ExerciseCheckError, match="in both parts"):
        check_lesion_split(lambda ids, f, s: rng.random(len(ids)) < f)  # split by image
    with pytest.raises(ExerciseCheckError, match="aim for 25%"):
        check_lesion_split(lambda ids, f, s: np.zeros(len(ids), bool) | (ids == ids[0]))
    with pytest.raises(ExerciseCheckError, match="boolean"):
        check_lesion_split(lambda ids, f, s: np.zeros(len(ids)))
    with pytest.raises(ExerciseCheckError, match="same split"):
        check_lesion_split(lambda ids, f, s: _good_split(ids, f, 0))


def test_most_different_check():
    table = channel_means(synthetic_lesions(n_per_class=40))
    check_most_different("bcc", table)
    with pytest.raises(ExerciseCheckError, match="'mel' is not"):
        check_most_different("mel", table)
    with pytest.raises(ExerciseCheckError, match="None"):
        check_most_different(None, table)


def test_leaked_fraction_check():
    splits = split_by_image(synthetic_lesions(n_per_class=60), 0.1, 0.3, seed=0)
    right = np.isin(splits.test.lesion_id, splits.train.lesion_id).mean()
    check_leaked_fraction(right, splits)
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_leaked_fraction(right / 2, splits)


def test_chapter_2_checks_reject_wrong_answers():
    import keras

    from ganaug.augment import classic_augmentation, shear_displacement
    from ganaug.exercises.ch02 import (
        check_balanced_accuracy,
        check_report_augmentation,
        check_useless_parameter,
        check_wilson,
    )
    from ganaug.metrics import wilson_interval

    check_report_augmentation(classic_augmentation)
    with pytest.raises(ExerciseCheckError, match="factor"):
        check_report_augmentation(lambda: classic_augmentation(rotation_degrees=0.125))
    with pytest.raises(ExerciseCheckError, match="missing layer"):
        check_report_augmentation(lambda: keras.Sequential([keras.layers.RandomFlip()]))
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_balanced_accuracy(lambda t, p: float(np.mean(t == p)))  # plain accuracy
    with pytest.raises(ExerciseCheckError, match="does change"):
        check_useless_parameter("zoom_range", 0.0)
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_useless_parameter("shear_range", 14 * np.tan(0.01))  # radians, not degrees
    check_useless_parameter("shear_range", shear_displacement(0.01))
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_wilson(lambda k, n: (k / n - 0.1, k / n + 0.1))
    check_wilson(wilson_interval)


def test_chapter_3_checks_reject_wrong_answers():
    from ganaug.exercises.ch03 import (
        check_collapse_detector,
        check_discriminator_loss,
        check_generator_shapes,
        generator_shapes,
    )

    check_generator_shapes(generator_shapes())
    with pytest.raises(ExerciseCheckError, match="shape 3"):
        check_generator_shapes([(7, 7, 256), (7, 7, 128), (7, 7, 64), (28, 28, 3)])
    with pytest.raises(ExerciseCheckError, match="give 4 shapes"):
        check_generator_shapes([(28, 28, 3)])

    def loss(real, fake):
        return np.logaddexp(0, -real).mean() + np.logaddexp(0, fake).mean()

    check_discriminator_loss(loss)
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_discriminator_loss(lambda real, fake: loss(fake, real))  # labels swapped

    spread = lambda images: bool(images.std(axis=0).mean() < 5)  # noqa: E731
    with pytest.raises(ExerciseCheckError, match="two images"):
        check_collapse_detector(spread)  # fooled by two modes
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_collapse_detector(lambda images: None)
