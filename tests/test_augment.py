"""Classic augmentation: the report's settings as Keras layers, active only in training."""

import keras
import numpy as np
import pytest

from ganaug.classifier.augment import (
    RandomBrightnessScale,
    argument_table,
    classic_augmentation,
    legacy_brightness_on_floats,
    shear_displacement,
)
from ganaug.classifier.pipeline import make_dataset
from ganaug.data import synthetic_lesions

IMAGES = np.random.default_rng(0).random((8, 28, 28, 3)).astype("float32")


def test_layers_follow_the_report():
    layers = {layer.__class__.__name__: layer.get_config() for layer in
              classic_augmentation(seed=0).layers}  # fmt: skip
    assert layers["RandomFlip"]["mode"] == "horizontal"
    assert layers["RandomRotation"]["factor"] in (0.125, (-0.125, 0.125))
    assert layers["RandomRotation"]["fill_mode"] == "reflect"
    assert (layers["RandomTranslation"]["height_factor"],
            layers["RandomTranslation"]["width_factor"]) == (0.1, 0.1)  # fmt: skip
    zoom = layers["RandomZoom"]
    assert tuple(zoom["height_factor"]) == pytest.approx((-0.1, 0.25))
    assert tuple(zoom["width_factor"]) == pytest.approx((-0.1, 0.25))  # independent axes
    assert (layers["RandomBrightnessScale"]["lower"], layers["RandomBrightnessScale"]["upper"]) == (
        0.7,
        1.3,
    )


def test_inactive_outside_training_and_active_in_training():
    augmentation = classic_augmentation(seed=1)
    assert np.array_equal(augmentation(IMAGES, training=False), IMAGES)
    changed = np.asarray(augmentation(IMAGES, training=True))
    assert changed.shape == IMAGES.shape and not np.allclose(changed, IMAGES)
    assert changed.min() >= 0 and changed.max() <= 1 + 1e-6


def test_brightness_scale_multiplies_within_bounds():
    keras.utils.set_random_seed(0)
    grey = np.full((64, 4, 4, 3), 0.5, "float32")
    out = np.asarray(RandomBrightnessScale(0.7, 1.3)(grey, training=True))
    factors = out[:, 0, 0, 0] / 0.5
    assert factors.min() >= 0.7 - 1e-6 and factors.max() <= 1.3 + 1e-6
    assert factors.std() > 0.05  # one factor per image, not one for the batch
    assert np.allclose(out, out[:, :1, :1, :1])  # the whole image is scaled alike


def test_brightness_rejects_bad_bounds():
    with pytest.raises(ValueError, match="lower <= upper"):
        RandomBrightnessScale(1.3, 0.7)


def test_bad_zoom_is_rejected():
    with pytest.raises(ValueError, match="zoom_range"):
        classic_augmentation(zoom_range=(1.2, 0.9))


def test_shear_of_a_hundredth_degree_moves_no_pixel():
    assert shear_displacement(0.01, 28) < 0.01
    assert shear_displacement(20, 28) > 1


def test_legacy_brightness_destroys_rescaled_images():
    image = IMAGES[0]
    assert set(np.unique(legacy_brightness_on_floats(image, 1.0))) <= {0.0, 1.0}
    as_255 = legacy_brightness_on_floats(image * 255, 1.0)
    assert np.abs(as_255 - np.floor(image * 255)).max() <= 1  # fine on the 0-255 scale


def test_legacy_brightness_matches_keras_legacy_code_if_present():
    legacy = pytest.importorskip("keras.src.legacy.preprocessing.image")
    image = IMAGES[1] * 0.9
    expected = legacy.apply_brightness_shift(image, 1.2, False)
    assert np.array_equal(legacy_brightness_on_floats(image, 1.2), expected)


def test_argument_table_covers_every_report_argument():
    from ganaug.classifier.augment import REPORT_ARGUMENTS

    table = argument_table()
    for name in REPORT_ARGUMENTS:
        assert table["ImageDataGenerator"].str.startswith(name).any(), name


# Seeds and streams. Training (fit_classifier) builds classic_augmentation(seed=seed) and applies
# it in the training tf.data pipeline (make_dataset(..., training=True, augmentation, seed)), so
# these tests run the augmentation through that pipeline, one batch per epoch: several batches
# are augmented in parallel, in an order that differs from run to run.


def _one_image():
    return synthetic_lesions(n_per_class=1, seed=0).subset([0])


def _epochs(augmentation, data, epochs: int = 2, seed: int = 0) -> list[np.ndarray]:
    """The augmented images of each epoch of the training pipeline, built as fit_classifier does."""
    dataset = make_dataset(data, data.classes, len(data), True, augmentation, seed)
    return [np.concatenate([x.numpy() for x, _ in dataset]) for _ in range(epochs)]


def _seeds(augmentation) -> list[int]:
    return [layer.get_config()["seed"] for layer in augmentation.layers]


def test_two_epochs_augment_the_same_image_differently():
    first, second = _epochs(classic_augmentation(seed=0), _one_image())
    assert first.shape == second.shape == (1, 28, 28, 3)
    assert np.abs(first - second).max() > 0.01


@pytest.mark.parametrize("position", range(5))
def test_every_layer_draws_anew_each_epoch(position):
    # Eight copies of one image in one batch: a flip cannot repeat by chance in all eight.
    layer = classic_augmentation(seed=0).layers[position]
    first, second = _epochs(keras.Sequential([layer]), _one_image().subset([0] * 8))
    assert not np.allclose(first, second), layer.__class__.__name__


def test_two_seeds_give_two_streams():
    seeds_0, seeds_1 = _seeds(classic_augmentation(seed=0)), _seeds(classic_augmentation(seed=1))
    assert len(set(seeds_0)) == len(seeds_0) == 5  # every layer has its own seed
    assert not set(seeds_0) & set(seeds_1)  # no layer of seed 1 repeats a stream of seed 0
    assert all(isinstance(s, int) for s in seeds_0 + seeds_1)
    out_0 = np.asarray(classic_augmentation(seed=0)(IMAGES, training=True))
    out_1 = np.asarray(classic_augmentation(seed=1)(IMAGES, training=True))
    assert not np.allclose(out_0, out_1)
    image = _one_image()
    assert not np.allclose(
        _epochs(classic_augmentation(seed=0), image)[0],
        _epochs(classic_augmentation(seed=1), image)[0],
    )


def test_the_same_seed_repeats_its_stream():
    image = _one_image()
    runs = [_epochs(classic_augmentation(seed=3), image, epochs=3) for _ in range(2)]
    for epoch_a, epoch_b in zip(*runs, strict=True):
        assert np.array_equal(epoch_a, epoch_b)
    direct = [np.asarray(classic_augmentation(seed=3)(IMAGES, training=True)) for _ in range(2)]
    assert np.array_equal(*direct)
    assert _seeds(classic_augmentation(seed=3)) == _seeds(classic_augmentation(seed=3))


def test_no_flip_leaves_the_other_layers_seeds_alone():
    with_flip, without = (
        classic_augmentation(seed=0),
        classic_augmentation(horizontal_flip=False, seed=0),
    )
    assert _seeds(without) == _seeds(with_flip)[1:]
