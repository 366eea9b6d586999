"""Chapter 3's new checks (exercises 3.4 and 3.5) accept right answers however they are written
and reject near misses with a message that says what is wrong, and the unfinished stub."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from ganaug.gan.diffaugment import translate
from ganaug.metrics import near_duplicate_share
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch03 import (
    _duplicate_sets,
    check_near_duplicates,
    check_translation,
)

# --- Exercise 3.4: a translation the gradient passes through ---------------------------------


def _numpy_shift(image: np.ndarray, down: int, right: int) -> np.ndarray:
    """An independent reference: copy the part that stays in the frame into zeros."""
    height, width = image.shape[:2]
    out = np.zeros_like(image)
    out[max(down, 0) : height + min(down, 0), max(right, 0) : width + min(right, 0)] = image[
        max(-down, 0) : height + min(-down, 0), max(-right, 0) : width + min(-right, 0)
    ]
    return out


def _roll_and_mask(images, shifts):
    """A right answer written another way: tf.roll each image, then zero what wrapped round."""
    images = tf.convert_to_tensor(images)
    height, width = images.shape[1], images.shape[2]
    moved = []
    for image, shift in zip(tf.unstack(images), tf.unstack(tf.cast(shifts, tf.int32)), strict=True):
        rows = tf.range(height) - shift[0]  # source row of each output row
        cols = tf.range(width) - shift[1]
        inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))[None]
        rolled = tf.roll(image, shift=shift, axis=[0, 1])
        moved.append(rolled * tf.cast(inside, image.dtype)[..., None])
    return tf.stack(moved)


def _as_numpy(fn):
    """Right values, but computed in NumPy: the tape loses the images."""
    return lambda images, shifts: np.stack(
        [
            _numpy_shift(x, *s)
            for x, s in zip(np.asarray(images), np.asarray(shifts).tolist(), strict=True)
        ]
    )


def test_library_translate_agrees_with_an_independent_numpy_shift():
    images = np.random.default_rng(0).uniform(0.1, 1, (4, 5, 3, 2)).astype("float32")
    shifts = [(2, -1), (-4, 2), (0, 0), (1, 1)]
    moved = translate(images, tf.constant(shifts)).numpy()
    for index, (down, right) in enumerate(shifts):
        np.testing.assert_array_equal(moved[index], _numpy_shift(images[index], down, right))


def test_translation_check_accepts_right_answers():
    check_translation(translate)
    check_translation(_roll_and_mask)
    check_translation(  # a float64 tensor
        lambda images, shifts: tf.cast(_roll_and_mask(images, shifts), tf.float64)
    )


def test_translation_check_refuses_the_stub():
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_translation(lambda images, shifts: None)
    with pytest.raises(ExerciseCheckError, match="translate_batch is None"):
        check_translation(None)


def test_translation_check_wants_gradients_to_flow():
    with pytest.raises(ExerciseCheckError, match="not a tensor.*gradients must flow"):
        check_translation(_as_numpy(None))

    def numpy_function(images, shifts):
        return tf.numpy_function(_as_numpy(None), [images, shifts], tf.float32)

    with pytest.raises(ExerciseCheckError, match="no gradient.*gradients must flow"):
        check_translation(numpy_function)
    with pytest.raises(ExerciseCheckError, match="no gradient.*gradients must flow"):
        check_translation(lambda x, s: tf.constant(_roll_and_mask(x, s).numpy()))

    def half_stopped(images, shifts):  # right values, but half the gradient stopped
        moved = _roll_and_mask(images, shifts)
        return tf.concat([moved[:2], tf.stop_gradient(moved[2:])], axis=0)

    with pytest.raises(ExerciseCheckError, match="does not reach every input pixel"):
        check_translation(half_stopped)


def test_translation_check_names_the_mistake():
    with pytest.raises(ExerciseCheckError, match="did not move"):
        check_translation(lambda images, shifts: images)
    with pytest.raises(ExerciseCheckError, match="wrong way"):
        check_translation(lambda images, shifts: translate(images, -shifts))
    with pytest.raises(ExerciseCheckError, match="rows and columns are swapped"):
        check_translation(lambda images, shifts: translate(images, shifts[:, ::-1]))
    with pytest.raises(ExerciseCheckError, match="each image has its own shift"):
        check_translation(
            lambda images, shifts: translate(images, tf.repeat(shifts[:1], len(shifts), 0))
        )

    def rolled(images, shifts):  # tf.roll without the mask
        return tf.stack(
            [
                tf.roll(x, s, axis=[0, 1])
                for x, s in zip(tf.unstack(images), tf.unstack(shifts), strict=True)
            ]
        )

    with pytest.raises(ExerciseCheckError, match="wraps around"):
        check_translation(rolled)

    def reflected(images, shifts):  # right content, but the edge repeated instead of zeros
        moved = translate(images, shifts)
        edge = translate(tf.ones_like(images), shifts) == 0
        return tf.where(edge, tf.reduce_mean(images), moved)

    with pytest.raises(ExerciseCheckError, match=r"image 0 \(shift \(1, -2\)\).*should be zero"):
        check_translation(reflected)

    with pytest.raises(ExerciseCheckError, match="has shape .* expected"):
        check_translation(lambda images, shifts: images[:, 1:])


# --- Exercise 3.5: the share of near-duplicate pairs ----------------------------------------


def _triangle_share(images, threshold):
    """A right answer written another way: Gram matrix, upper triangle."""
    flat = images.reshape(len(images), -1).astype(np.float64) / 255
    norms = (flat**2).sum(axis=1)
    squared = np.clip(norms[:, None] + norms[None, :] - 2 * flat @ flat.T, 0, None)
    upper = np.triu(np.ones((len(flat), len(flat)), bool), k=1)
    return np.sqrt(squared)[upper].__lt__(threshold).mean()  # a numpy float


def _loop_share(images, threshold, count=lambda i, j: i < j, pairs=None, scale=255.0):
    """Pairs by a double loop; ``count`` picks the pairs, ``pairs`` the denominator."""
    n = len(images)
    hits = 0
    for i in range(n):
        for j in range(n):
            if count(i, j):
                gap = images[i].astype(float) / scale - images[j].astype(float) / scale
                hits += np.sqrt((gap**2).sum()) < threshold
    return hits / (pairs if pairs is not None else n * (n - 1) / 2)


def test_check_sets_cover_copies_none_and_a_wide_margin():
    shares = [near_duplicate_share(images, t) for _, images, t in _duplicate_sets()]
    assert 0 < shares[0] < 1 and shares[1] == 0 and shares[2] == 1 and 0 < shares[3] < 1
    for _, images, threshold in _duplicate_sets():  # no distance near a threshold
        flat = images.reshape(len(images), -1).astype(float) / 255
        distances = np.sqrt(((flat[:, None] - flat[None]) ** 2).sum(axis=2))
        assert np.min(np.abs(distances - threshold)) > 0.05


def test_near_duplicates_check_accepts_right_answers():
    check_near_duplicates(near_duplicate_share)
    check_near_duplicates(_triangle_share)
    check_near_duplicates(_loop_share)
    check_near_duplicates(  # both orders counted and divided by both orders: the same share
        lambda images, t: _loop_share(
            images, t, count=lambda i, j: i != j, pairs=len(images) * (len(images) - 1)
        )
    )


def test_near_duplicates_check_refuses_the_stub():
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_near_duplicates(lambda images, threshold: None)
    with pytest.raises(ExerciseCheckError, match="near_duplicate_share is None"):
        check_near_duplicates(None)
    with pytest.raises(ExerciseCheckError, match="return one number"):
        check_near_duplicates(lambda images, threshold: [0.5, 0.5])


def test_near_duplicates_check_names_the_mistake():
    with pytest.raises(ExerciseCheckError, match="counted each pair twice"):
        check_near_duplicates(lambda x, t: _loop_share(x, t, count=lambda i, j: i != j))
    with pytest.raises(ExerciseCheckError, match="divided by n \\(n - 1\\)"):
        check_near_duplicates(lambda x, t: _loop_share(x, t, pairs=len(x) * (len(x) - 1)))
    with pytest.raises(ExerciseCheckError, match="paired each image with itself"):
        check_near_duplicates(
            lambda x, t: _loop_share(x, t, count=lambda i, j: True, pairs=len(x) ** 2)
        )
    with pytest.raises(ExerciseCheckError, match="paired each image with itself"):
        check_near_duplicates(
            lambda x, t: _loop_share(
                x, t, count=lambda i, j: i <= j, pairs=len(x) * (len(x) + 1) / 2
            )
        )
    with pytest.raises(ExerciseCheckError, match="divide by 255"):
        check_near_duplicates(lambda x, t: _loop_share(x, t, scale=1.0))  # pixels 0-255

    def wrapped(images, threshold):  # subtracts in uint8, then scales
        n = len(images)
        flat = images.reshape(n, -1)
        gaps = [(flat[i] - flat[j]) / 255 for i in range(n) for j in range(i + 1, n)]
        return np.mean([np.sqrt((g**2).sum()) < threshold for g in gaps])

    with pytest.raises(ExerciseCheckError, match="wrap around"):
        check_near_duplicates(wrapped)
    with pytest.raises(ExerciseCheckError, match="a loose threshold.*you got 0.*expected 0.818"):
        check_near_duplicates(lambda x, t: _loop_share(x, 1.0))  # ignores the threshold
