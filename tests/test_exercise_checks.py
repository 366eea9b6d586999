"""The exercise checks: the library's answer passes, so does a right answer written another way,
and a near-miss fails with a message that says what is wrong."""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ganaug.classifier.augment import (
    RandomBrightnessScale,
    classic_augmentation,
    shear_displacement,
)
from ganaug.data import Splits, from_arrays, lesion_groups, split_by_image, synthetic_lesions
from ganaug.data.stats import channel_means, grey_means
from ganaug.metrics import diversity, wilson_interval
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch01 import (
    check_grey_means,
    check_leaked_fraction,
    check_lesion_split,
    check_most_different,
)
from ganaug.teaching.exercises.ch02 import (
    check_balanced_accuracy,
    check_report_augmentation,
    check_useless_parameter,
    check_wilson,
)
from ganaug.teaching.exercises.ch03 import (
    check_collapse_detector,
    check_discriminator_loss,
    check_generator_shapes,
    generator_shapes,
)


def test_grey_means_check():
    check_grey_means(grey_means)
    check_grey_means(
        lambda images: (
            np.einsum("nhwc,c->n", images.astype(float), [0.299, 0.587, 0.114])
            / (images.shape[1] * images.shape[2])
        )
    )  # weight first, then average
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_grey_means(lambda images: None)
    with pytest.raises(ExerciseCheckError, match="R, G and B equally"):
        check_grey_means(lambda images: images.mean(axis=(1, 2, 3)))  # unweighted mean
    with pytest.raises(ExerciseCheckError, match="0-1 scale.*0-255"):
        check_grey_means(lambda images: grey_means(images) / 255)
    with pytest.raises(ExerciseCheckError, match="shape"):
        check_grey_means(lambda images: images.mean(axis=(1, 2)))


def _pandas_split(lesion_ids, fraction, seed):
    """A right answer written with pandas: shuffle the lesions, take them whole."""
    sizes = pd.Series(lesion_ids).value_counts().sample(frac=1.0, random_state=seed)
    taken = sizes.cumsum() - sizes < fraction * len(lesion_ids)
    return pd.Series(lesion_ids).isin(sizes.index[taken]).to_numpy()


def test_lesion_split_check():
    check_lesion_split(_pandas_split)
    rng = np.random.default_rng(0)
    with pytest.raises(ExerciseCheckError, match="in both parts"):
        check_lesion_split(lambda ids, f, s: rng.random(len(ids)) < f)  # split by image
    with pytest.raises(ExerciseCheckError, match="aim for 25%"):
        check_lesion_split(lambda ids, f, s: np.zeros(len(ids), bool) | (ids == ids[0]))
    with pytest.raises(ExerciseCheckError, match="boolean"):
        check_lesion_split(lambda ids, f, s: np.zeros(len(ids)))
    with pytest.raises(ExerciseCheckError, match="same split"):
        check_lesion_split(lambda ids, f, s: _pandas_split(ids, f, 0))


def test_most_different_check():
    table = channel_means(synthetic_lesions(n_per_class=40))

    def by_hand(code):  # KS statistic of one class against the rest, with scipy
        inside = table["grey"][table["dx"] == code]
        return stats.ks_2samp(inside, table["grey"][table["dx"] != code]).statistic

    codes = np.unique(table["dx"])
    answer = codes[np.argmax([by_hand(c) for c in codes])]  # a numpy string, not a str
    check_most_different(answer, table)
    wrong = next(c for c in codes if c != answer)
    with pytest.raises(ExerciseCheckError, match=f"'{wrong}' is not the class"):
        check_most_different(wrong, table)
    with pytest.raises(ExerciseCheckError, match="None"):
        check_most_different(None, table)


def _splits_with_a_split_pair() -> Splits:
    """One bkl lesion photographed under two ids (a SAME_LESION_PAIRS pair), one id on each side."""
    lesions = ["HAM_0000955", "HAM_0000001", "HAM_0000002", "HAM_0007604", "HAM_0000003"]
    dx = ["bkl", "mel", "mel", "bkl", "mel"]
    data = from_arrays(
        np.zeros((5, 4, 4, 3), np.uint8),
        dx,
        [f"ISIC_{i:07d}" for i in range(5)],
        lesions,
        "ham10000",
    )
    return Splits(data.subset([0, 1]), data.subset([2]), data.subset([3, 4]))


def test_leaked_fraction_check_counts_lesion_groups():
    splits = _splits_with_a_split_pair()
    check_leaked_fraction(splits.leaked_test_fraction(), splits)  # the library's own answer
    check_leaked_fraction(
        pd.Series(lesion_groups(splits.test)).isin(set(lesion_groups(splits.train))).mean(), splits
    )
    raw = np.isin(splits.test.lesion_id, splits.train.lesion_id).mean()
    with pytest.raises(ExerciseCheckError, match="lesion_groups"):
        check_leaked_fraction(raw, splits)


def test_leaked_fraction_check():
    splits = split_by_image(synthetic_lesions(n_per_class=60), 0.1, 0.3, seed=0)
    check_leaked_fraction(splits.leaked_test_fraction(), splits)
    leaked = np.isin(lesion_groups(splits.test), lesion_groups(splits.train))
    with pytest.raises(ExerciseCheckError, match="divide by the number of test images"):
        check_leaked_fraction(leaked.sum() / len(splits.train), splits)
    with pytest.raises(ExerciseCheckError, match="None"):
        check_leaked_fraction(None, splits)


def test_report_augmentation_check():
    check_report_augmentation(classic_augmentation)
    reordered = lambda: keras.Sequential(  # noqa: E731
        [
            RandomBrightnessScale(lower=0.7, upper=1.3),
            keras.layers.RandomZoom(
                height_factor=(-0.1, 0.25), width_factor=(-0.1, 0.25), fill_mode="reflect"
            ),
            keras.layers.RandomTranslation(
                height_factor=0.1, width_factor=0.1, fill_mode="reflect"
            ),
            keras.layers.RandomRotation((-0.125, 0.125), fill_mode="reflect"),
            keras.layers.RandomFlip(mode="horizontal"),
        ]
    )
    check_report_augmentation(reordered)
    with pytest.raises(ExerciseCheckError, match="Rescaling.*second time"):
        check_report_augmentation(
            lambda: keras.Sequential(
                [keras.layers.Rescaling(1 / 255), *classic_augmentation().layers]
            )
        )
    with pytest.raises(ExerciseCheckError, match="RandomRotation: factor"):
        check_report_augmentation(lambda: classic_augmentation(rotation_degrees=90))
    with pytest.raises(ExerciseCheckError, match="missing layer"):
        check_report_augmentation(lambda: keras.Sequential([keras.layers.RandomFlip()]))


def test_balanced_accuracy_check():
    check_balanced_accuracy(
        lambda t, p: pd.crosstab(pd.Series(t), pd.Series(p)).pipe(
            lambda table: np.mean(
                [table.loc[c].get(c, 0) / table.loc[c].sum() for c in table.index]
            )
        )
    )
    with pytest.raises(ExerciseCheckError, match="plain accuracy"):
        check_balanced_accuracy(lambda t, p: float(np.mean(t == p)))


def test_useless_parameter_check():
    check_useless_parameter("shear_range", shear_displacement(0.01))
    check_useless_parameter("shear_range", 28 / 2 * math.tan(0.01 * math.pi / 180))
    with pytest.raises(ExerciseCheckError, match="does change"):
        check_useless_parameter("zoom_range", 0.0)
    with pytest.raises(ExerciseCheckError, match="radians.*degrees"):
        check_useless_parameter("shear_range", 14 * np.tan(0.01))


def test_wilson_check():
    from statsmodels.stats.proportion import proportion_confint

    check_wilson(wilson_interval)
    check_wilson(lambda k, n: proportion_confint(k, n, alpha=0.05, method="wilson"))

    def wald(k, n):
        p = k / n
        return p - 1.96 * math.sqrt(p * (1 - p) / n), p + 1.96 * math.sqrt(p * (1 - p) / n)

    with pytest.raises(ExerciseCheckError, match="Wald"):
        check_wilson(wald)


def test_generator_shapes_check():
    check_generator_shapes(generator_shapes())
    check_generator_shapes([np.array([7, 7, 256]), [7, 7, 128], (14, 14, 64), (28, 28, 3)])
    with pytest.raises(ExerciseCheckError, match="shape 3 .*multiplies height and width by s"):
        check_generator_shapes([(7, 7, 256), (7, 7, 128), (7, 7, 64), (28, 28, 3)])
    with pytest.raises(ExerciseCheckError, match="give 4 shapes"):
        check_generator_shapes([(28, 28, 3)])


def _loss(real, fake):
    return np.logaddexp(0, -real).mean() + np.logaddexp(0, fake).mean()


def test_discriminator_loss_check():
    check_discriminator_loss(_loss)
    cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)
    check_discriminator_loss(  # with Keras, returning a tensor
        lambda real, fake: (
            cross_entropy(np.ones_like(real), real) + cross_entropy(np.zeros_like(fake), fake)
        )
    )
    with pytest.raises(ExerciseCheckError, match="swapped"):
        check_discriminator_loss(lambda real, fake: _loss(fake, real))
    with pytest.raises(ExerciseCheckError, match="mean over the real batch plus"):
        check_discriminator_loss(lambda real, fake: _loss(real, fake) / 2)  # one mean of both


def test_collapse_detector_check():
    check_collapse_detector(lambda images: diversity(images) < 1.0)
    spread = lambda images: bool(images.std(axis=0).mean() < 5)  # noqa: E731
    with pytest.raises(ExerciseCheckError, match="two images"):
        check_collapse_detector(spread)  # fooled by two modes
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_collapse_detector(lambda images: None)
