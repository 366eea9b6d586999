"""Checks for chapter 3's exercises (the DCGAN)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import tensorflow as tf

from ganaug.data import synthetic_lesions
from ganaug.gan import build_generator, discriminator_loss
from ganaug.gan.diffaugment import translate
from ganaug.metrics import near_duplicate_share
from ganaug.teaching.exercises import fail, passed, require_answer, require_close


def generator_shapes(latent_dim: int = 100, base_filters: int = 128) -> list[tuple[int, ...]]:
    """Output shape (without batch) of the generator's Reshape and each Conv2DTranspose."""
    model = build_generator(latent_dim, base_filters)
    kept = ("Reshape", "Conv2DTranspose")
    return [tuple(layer.output.shape[1:]) for layer in model.layers if type(layer).__name__ in kept]


def check_generator_shapes(shapes: list) -> None:
    """Exercise 3.1: the shape after the reshape and after each transposed convolution."""
    require_answer("3.1", shapes, "shapes")
    expected = generator_shapes()
    try:
        shapes = [tuple(int(v) for v in s) for s in shapes]
    except (TypeError, ValueError):
        fail("3.1", "shapes must be a list of (height, width, channels) tuples")
    if len(shapes) != len(expected):
        fail(
            "3.1",
            f"give {len(expected)} shapes (the reshape and three Conv2DTranspose layers), "
            f"got {len(shapes)}",
        )
    for index, (have, want) in enumerate(zip(shapes, expected, strict=True)):
        if have != want:
            fail(
                "3.1",
                f"shape {index + 1} is {have}, expected {want}. With padding='same' a stride-s "
                "transposed convolution multiplies height and width by s; the channels are its "
                "number of filters.",
            )
    passed("3.1", " -> ".join(str(s) for s in expected))


def check_discriminator_loss(student: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """Exercise 3.2: binary cross-entropy of the discriminator, from logits."""
    require_answer("3.2", student, "my_discriminator_loss")
    rng = np.random.default_rng(32)
    real, fake = rng.normal(1, 2, (64, 1)), rng.normal(-1, 2, (64, 1))
    value = require_answer("3.2", student(real, fake), "my_discriminator_loss(real, fake)")
    expected = float(discriminator_loss(real.astype("float32"), fake.astype("float32")))
    hint = (
        "real images should get label 1, fakes 0: mean of -log(sigmoid(real)) plus mean "
        "of -log(1 - sigmoid(fake))"
    )
    mistakes = {
        "real and fake labels are swapped: real images get label 1, generated ones 0": float(
            discriminator_loss(fake.astype("float32"), real.astype("float32"))
        ),
        "give the mean over the real batch plus the mean over the generated batch, not one "
        "mean of both": expected / 2,
    }
    require_close("3.2", value, expected, "the loss", atol=1e-4, hint=hint, mistakes=mistakes)
    passed("3.2", f"{float(value):.4f} matches the library's loss")


def check_collapse_detector(student: Callable[[np.ndarray], bool]) -> None:
    """Exercise 3.3: tell a collapsed generator's batch from a varied one."""
    require_answer("3.3", student, "looks_collapsed")
    rng = np.random.default_rng(33)
    varied = synthetic_lesions(n_per_class=16, seed=33).images
    copy = varied[rng.integers(len(varied))].astype(float)
    collapsed = np.clip(copy + rng.normal(0, 2, (48, *copy.shape)), 0, 255).astype(np.uint8)
    second = varied[:1].astype(float) + rng.normal(0, 2, (24, *copy.shape))
    two_modes = np.concatenate([collapsed[:24], np.clip(second, 0, 255).astype(np.uint8)])
    batches = (
        (collapsed, True, "48 near-copies of one image"),
        (varied, False, "48 different lesions"),
        (two_modes, True, "two images, each copied 24 times"),
    )
    for batch, truth, name in batches:
        answer = require_answer("3.3", student(batch), "looks_collapsed(images)")
        if bool(answer) != truth:
            fail(
                "3.3",
                f"for {name} you said {bool(answer)}; compare how much the images differ from "
                "each other (for example each image's distance to its nearest other image in "
                "the batch)",
            )
    passed("3.3", "your detector separates collapsed batches from varied ones")


#: Shifts (down, right) the translation check tries on 7 x 6 images, one per image: the first
#: moves the content (so "every image moved by shifts[0]" differs from the right answer).
SHIFTS = ((1, -2), (0, 0), (-3, 2), (2, 5), (-6, -1))


def _as_array(exercise: str, value, name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(exercise, f"{name} should be a tensor of images, got {type(value).__name__}")
    if array.shape != shape:
        fail(exercise, f"{name} has shape {array.shape}, expected {shape} (the input's shape)")
    return array


def check_translation(student: Callable[[tf.Tensor, tf.Tensor], tf.Tensor]) -> None:
    """Exercise 3.4: ``translate_batch(images, shifts)`` moves image ``i``'s content by
    ``shifts[i] = (down, right)`` pixels, fills with zeros, and lets the gradient through.

    Examples
    --------
    >>> check_translation(translate)
    Exercise 3.4 passed: right for 5 shifts, with a gradient for each pixel that stays in frame
    """
    require_answer("3.4", student, "translate_batch")
    images = tf.random.stateless_uniform((len(SHIFTS), 7, 6, 2), (3, 4), 0.1, 1.0)
    shifts = tf.constant(SHIFTS, tf.int32)
    answer = require_answer("3.4", student(images, shifts), "translate_batch(images, shifts)")
    array = _as_array("3.4", answer, "translate_batch(images, shifts)", tuple(images.shape))
    expected = translate(images, shifts).numpy()
    if not np.allclose(array, expected, atol=1e-6):
        _explain_translation(array, expected, images.numpy(), shifts.numpy())

    weights = tf.random.stateless_uniform(images.shape, (5, 6), 0.5, 1.5)
    with tf.GradientTape() as tape:
        tape.watch(images)
        moved = student(images, shifts)
        if not tf.is_tensor(moved):
            fail(
                "3.4",
                f"translate_batch returned a {type(moved).__name__}, not a tensor: no gradient "
                "can pass through it, yet gradients must flow back to the generator through "
                "the augmentation. Use TensorFlow ops only (tf.pad, slicing, tf.gather, "
                "tf.stack), no NumPy.",
            )
        loss = tf.reduce_sum(tf.cast(moved, tf.float32) * weights)
    gradient = tape.gradient(loss, images)
    if gradient is None:
        fail(
            "3.4",
            "no gradient reaches the images: something in translate_batch (NumPy, .numpy(), "
            "tf.numpy_function, tf.stop_gradient) cuts the tape, yet "
            "gradients must flow back to the generator through the augmentation",
        )
    gradient = tf.convert_to_tensor(gradient).numpy()
    if not np.all(np.isfinite(gradient)) or not np.any(gradient):
        fail("3.4", "the gradient is zero or not finite: gradients must flow to the generator")
    # d/dx of sum(w * translate(x, s)) is w moved back: translate(w, -s)
    if not np.allclose(gradient, translate(weights, -shifts).numpy(), atol=1e-5):
        fail(
            "3.4",
            "the gradient does not reach every input pixel that stays in the frame (or "
            "reaches pixels that left it): build the output from the input by slicing or "
            "gathering, not from copies of its values",
        )
    passed(
        "3.4", f"right for {len(SHIFTS)} shifts, with a gradient for each pixel that stays in frame"
    )


def _explain_translation(array, expected, images, shifts) -> None:
    """Fail with what a wrong translation got wrong, trying the usual mistakes first."""
    wrapped = np.stack(
        [np.roll(x, tuple(s), axis=(0, 1)) for x, s in zip(images, shifts, strict=True)]
    )
    mistakes = {
        "the images did not move: shift image i by shifts[i]": images,
        "the content moved the wrong way: shift (1, 0) moves it down, so output row r holds "
        "input row r - 1": translate(images, -shifts).numpy(),
        "rows and columns are swapped: shifts[i] is (down, right), down along axis 1 (rows) "
        "and right along axis 2 (columns)": translate(images, shifts[:, ::-1]).numpy(),
        "every image moved by shifts[0]: each image has its own shift": translate(
            images, np.repeat(shifts[:1], len(shifts), axis=0)
        ).numpy(),
        "the content that left one edge came back at the other (tf.roll wraps around): fill "
        "with zeros instead, by padding or by masking the rolled image": wrapped,
    }
    for message, wrong in mistakes.items():
        if np.allclose(array, wrong, atol=1e-6):
            fail("3.4", message)
    left = translate(np.ones_like(images), shifts).numpy() == 0  # where no content arrives
    for index, (down, right) in enumerate(shifts.tolist()):
        if np.any(array[index][left[index]] != 0):
            fail(
                "3.4",
                f"image {index} (shift ({down}, {right})): where content left the frame the "
                "output should be zero (zero padding)",
            )
        if not np.allclose(array[index], expected[index], atol=1e-6):
            fail(
                "3.4",
                f"image {index} (shift ({down}, {right})) is not right: output[r, c] should "
                "be input[r - down, c - right] where that pixel exists, else 0",
            )


def _duplicate_sets() -> list[tuple[str, np.ndarray, float]]:
    """(name, uint8 images, threshold) for the near-duplicate check: exact copies, none,
    collapse to one image and to two, and a loose threshold."""
    lesions = synthetic_lesions(n_per_class=8, seed=35).images
    rng = np.random.default_rng(35)

    def noisy(image, count):  # near-copies: pixels moved by a little noise
        noise = rng.normal(0, 2, (count, *image.shape))
        return np.clip(image + noise, 0, 255).astype(np.uint8)

    copies = np.concatenate([np.repeat(lesions[:1], 4, axis=0), lesions[1:9]])
    two = np.concatenate([noisy(lesions[22], 6), noisy(lesions[23], 6)])
    return [
        ("4 exact copies among 12 images", copies, 1.0),
        ("12 different lesions", lesions[9:21], 1.0),
        ("12 near-copies of one image", noisy(lesions[21], 12), 1.0),
        ("two images, each copied 6 times", two, 1.0),
        ("12 different lesions, a loose threshold", lesions[:12], 5.5),
    ]


def _pair_mistakes(images: np.ndarray, threshold: float) -> dict[str, float]:
    """The share each usual mistake gives, by message."""
    n = len(images)
    close = near_duplicate_share(images, threshold)
    pairs = n * (n - 1) / 2
    below = close * pairs  # distinct pairs closer than the threshold
    return {
        "you counted each pair twice (i, j and j, i) but divided by the number of distinct "
        "pairs, n (n - 1) / 2": 2 * close,
        "you counted each pair once but divided by n (n - 1), the number of ordered pairs: "
        "divide by the number of distinct pairs, n (n - 1) / 2": close / 2,
        "you paired each image with itself too (distance 0, always below the threshold): "
        "count only distinct pairs i < j": (below * 2 + n) / n**2,
        "you paired each image with itself too (the diagonal of the distance matrix): count "
        "only distinct pairs i < j (np.triu_indices(n, k=1))": (below + n) / (pairs + n),
        "your distances are far too large, so near-copies are missed: scale the pixels to "
        "[0, 1] (divide by 255), and convert the uint8 images to float before subtracting "
        "(uint8 differences wrap around: 2 - 4 gives 254)": near_duplicate_share(
            images, threshold / 255
        ),
    }


def check_near_duplicates(student: Callable[[np.ndarray, float], float]) -> None:
    """Exercise 3.5: ``near_duplicate_share(images, threshold)`` is the share of distinct pairs
    of images closer than ``threshold`` (pixels scaled to [0, 1], Euclidean), as the library's
    :func:`ganaug.metrics.near_duplicate_share`.

    Examples
    --------
    >>> check_near_duplicates(near_duplicate_share)
    Exercise 3.5 passed: right for all 5 sets: 0.0909, 0, 1, 0.455, 0.818
    """
    require_answer("3.5", student, "near_duplicate_share")
    sets = _duplicate_sets()
    answers, expected = [], []
    for _, images, threshold in sets:
        answer = require_answer(
            "3.5", student(images.copy(), threshold), "near_duplicate_share(images, threshold)"
        )
        try:
            answers.append(float(answer))
        except (TypeError, ValueError):
            fail("3.5", f"return one number (the share), got {type(answer).__name__}")
        expected.append(near_duplicate_share(images, threshold))
    answers, expected = np.array(answers), np.array(expected)
    if not np.allclose(answers, expected, atol=1e-6):
        mistakes: dict[str, list[float]] = {}
        for _, images, threshold in sets:
            for message, value in _pair_mistakes(images, threshold).items():
                mistakes.setdefault(message, []).append(value)
        for message, values in mistakes.items():
            if np.allclose(answers, values, atol=1e-6):
                fail("3.5", message)
        index = int(np.argmax(np.abs(answers - expected) > 1e-6))
        name, images, threshold = sets[index]
        fail(
            "3.5",
            f"for {name} (threshold {threshold}) you got {answers[index]:.4g}, expected "
            f"{expected[index]:.4g}: the share of the n (n - 1) / 2 distinct pairs whose "
            "distance (pixels scaled to [0, 1], flattened, Euclidean) is below the threshold",
        )
    shares = ", ".join(f"{value:.3g}" for value in expected)
    passed("3.5", f"right for all {len(sets)} sets: {shares}")
