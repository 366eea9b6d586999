"""Checks for chapter 2's exercises (the CNN baseline)."""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
from sklearn.metrics import balanced_accuracy_score

from ganaug.classifier.augment import REPORT_ARGUMENTS, classic_augmentation, shear_displacement
from ganaug.metrics import wilson_interval
from ganaug.teaching.exercises import fail, passed, require_answer, require_close

# What must match in each layer's config, by layer class name.
_KEYS = {
    "RandomFlip": ("mode",),
    "RandomRotation": ("factor", "fill_mode"),
    "RandomTranslation": ("height_factor", "width_factor", "fill_mode"),
    "RandomZoom": ("height_factor", "width_factor", "fill_mode"),
    "RandomBrightnessScale": ("lower", "upper"),
}

#: Layers that change the value scale: the pipeline has scaled the images already.
_RESCALING = ("Rescaling", "Normalization")


def _normalise(value):
    if isinstance(value, list | tuple):
        value = tuple(round(float(v), 6) for v in value)
        if len(value) == 2 and value[0] == -value[1]:
            return value[1]  # RandomRotation(0.125) == RandomRotation((-0.125, 0.125))
        return value
    return round(float(value), 6) if isinstance(value, int | float) else value


def check_report_augmentation(make_augmentation: Callable[[], keras.Sequential]) -> None:
    """Exercise 2.1: the report's ImageDataGenerator arguments as Keras 3 layers.

    Examples
    --------
    >>> check_report_augmentation(classic_augmentation)
    Exercise 2.1 passed: your layers reproduce the report's augmentation
    """
    require_answer("2.1", make_augmentation, "report_augmentation")
    model = require_answer("2.1", make_augmentation(), "report_augmentation()")
    if not isinstance(model, keras.Sequential):
        fail("2.1", f"return a keras.Sequential of layers, got {type(model).__name__}")
    yours = {layer.__class__.__name__: layer.get_config() for layer in model.layers}
    expected = {
        layer.__class__.__name__: layer.get_config() for layer in classic_augmentation().layers
    }
    rescaling = [name for name in yours if name in _RESCALING]
    if rescaling:
        fail(
            "2.1",
            f"remove the {rescaling[0]} layer: the input pipeline already divides the images "
            "by 255 (the report's rescale=1/255) before augmenting, so this would scale them a "
            "second time",
        )
    missing = [name for name in expected if name not in yours]
    if missing:
        fail("2.1", f"missing layer(s): {', '.join(missing)}")
    extra = [name for name in yours if name not in expected]
    if extra:
        fail(
            "2.1",
            f"unexpected layer(s) {', '.join(extra)}: the exercise asks for "
            f"{', '.join(expected)} only (shear is left out, see exercise 2.3)",
        )
    for name, keys in _KEYS.items():
        for key in keys:
            have, want = _normalise(yours[name].get(key)), _normalise(expected[name].get(key))
            if have != want:
                fail(
                    "2.1",
                    f"{name}: {key} is {have}, the report's settings give {want}. "
                    "Look at the table of arguments in chapter 2.",
                )
    passed("2.1", "your layers reproduce the report's augmentation")


def check_balanced_accuracy(student: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """Exercise 2.2: balanced accuracy (mean per-class recall) by hand.

    Examples
    --------
    >>> check_balanced_accuracy(balanced_accuracy_score)  # doctest: +ELLIPSIS
    Exercise 2.2 passed: ... matches scikit-learn
    """
    require_answer("2.2", student, "balanced_accuracy")
    rng = np.random.default_rng(22)
    y_true = rng.choice(["bcc", "bkl", "mel"], 200, p=[0.15, 0.45, 0.4])
    y_pred = np.where(rng.random(200) < 0.5, y_true, "mel")
    value = require_answer("2.2", student(y_true, y_pred), "balanced_accuracy(y_true, y_pred)")
    hint = (
        "for each class: correct predictions of it / images truly of it; then average the "
        "classes with equal weight"
    )
    expected = balanced_accuracy_score(y_true, y_pred)
    mistakes = {
        "that is the plain accuracy, which the large classes dominate; average the recall of "
        "each class with equal weight": np.mean(y_true == y_pred),
    }
    require_close(
        "2.2", value, expected, "balanced accuracy", atol=1e-9, hint=hint, mistakes=mistakes
    )
    passed("2.2", f"{float(value):.4f} matches scikit-learn")


def check_useless_parameter(name: str, max_shift: float) -> None:
    """Exercise 2.3: the argument that does nothing, and the largest shift it causes (pixels).

    Examples
    --------
    >>> check_useless_parameter("shear_range", shear_displacement(0.01))
    Exercise 2.3 passed: shear_range=0.01 moves pixels by at most 0.0024 px
    """
    require_answer("2.3", name, "useless")
    require_answer("2.3", max_shift, "max_shift")
    if name not in REPORT_ARGUMENTS:
        fail("2.3", f"{name!r} is not one of the report's arguments: {', '.join(REPORT_ARGUMENTS)}")
    if name != "shear_range":
        fail("2.3", f"{name} does change the images; which value is tiny in its own units?")
    hint = "a pixel 14 px from the centre moves 14 * tan(angle); the angle is in degrees"
    mistakes = {
        "you took 0.01 as radians; shear_range is in degrees (math.radians converts)": (
            14 * np.tan(0.01)
        ),
        "that is the shift 28 px from the centre; the farthest pixel is half the image (14 px) "
        "away": shear_displacement(0.01, 56),
    }
    require_close(
        "2.3", max_shift, shear_displacement(0.01, 28), "max_shift", hint=hint, mistakes=mistakes
    )
    passed("2.3", f"shear_range=0.01 moves pixels by at most {max_shift:.4f} px")


def check_wilson(student: Callable[[int, int], tuple[float, float]]) -> None:
    """Exercise 2.4: the 95 % Wilson interval for an accuracy.

    Examples
    --------
    >>> check_wilson(wilson_interval)
    Exercise 2.4 passed: your interval matches the Wilson formula
    """
    require_answer("2.4", student, "wilson")
    for successes, n in [(59, 100), (400, 739), (0, 20), (20, 20)]:
        name = f"wilson({successes}, {n})"
        result = require_answer("2.4", student(successes, n), name)
        p, z = successes / n, 1.96
        wald = p + np.array([-1, 1]) * z * np.sqrt(p * (1 - p) / n)
        mistakes = {
            "that is the normal (Wald) interval p +- z sqrt(p(1-p)/n); Wilson's centre moves "
            "towards 1/2 and its width has an extra z^2/(4n^2) term": wald,
        }
        require_close(
            "2.4",
            result,
            wilson_interval(successes, n),
            name,
            atol=1e-4,
            hint="z = 1.96; centre = (p + z^2/2n) / (1 + z^2/n)",
            mistakes=mistakes,
        )
    passed("2.4", "your interval matches the Wilson formula")
