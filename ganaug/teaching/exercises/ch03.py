"""Checks for chapter 3's exercises (the DCGAN)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ganaug.data import synthetic_lesions
from ganaug.gan import build_generator, discriminator_loss
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
