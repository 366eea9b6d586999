"""Checks for chapter 2's exercises that build and train: the CNN from its description, and the
report's unscaled validation images."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
import numpy as np
import pandas as pd

from ganaug.classifier import build_cnn
from ganaug.common.batching import call_in_batches
from ganaug.data.core import LesionData
from ganaug.teaching.exercises import fail, passed, require_answer, require_close

#: The layers whose output shapes and weights describe the architecture; activations and
#: dropout change neither (:func:`check_cnn` looks for them separately).
SHAPING = (
    "Conv2D",
    "BatchNormalization",
    "MaxPooling2D",
    "GlobalAveragePooling2D",
    "Flatten",
    "Dense",
)


def layer_table(model: keras.Model) -> pd.DataFrame:
    """One row per shaping layer (:data:`SHAPING`): its kind, output shape (no batch axis) and
    number of weights, trainable or not.

    Examples
    --------
    >>> layer_table(build_cnn(3, filters=(4,))).values.tolist()[:2]
    [['Conv2D', (28, 28, 4), 108], ['BatchNormalization', (28, 28, 4), 16]]
    """
    rows = [
        {
            "layer": type(layer).__name__,
            "output": tuple(layer.output.shape[1:]),
            "weights": int(layer.count_params()),
        }
        for layer in model.layers
        if type(layer).__name__ in SHAPING
    ]
    return pd.DataFrame(rows, columns=["layer", "output", "weights"])


def _is_relu(layer: keras.layers.Layer) -> bool:
    kind = type(layer).__name__
    name = getattr(getattr(layer, "activation", None), "__name__", "")
    return kind == "ReLU" or (kind == "Activation" and name == "relu")


def _relu_after_each_norm(model: keras.Model) -> bool:
    """Each batch normalisation is followed at once by a ReLU, and no ReLU stands elsewhere."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    norms = [
        i for i, layer in enumerate(layers) if isinstance(layer, keras.layers.BatchNormalization)
    ]
    relus = [i for i, layer in enumerate(layers) if _is_relu(layer)]
    return relus == [i + 1 for i in norms]


def _describe_difference(mine: pd.DataFrame, wanted: pd.DataFrame, config: str) -> str:
    if len(mine) != len(wanted) or list(mine["layer"]) != list(wanted["layer"]):
        if "Flatten" in set(mine["layer"]):
            return f"{config}: end the blocks with GlobalAveragePooling2D, not Flatten"
        have = ", ".join(mine["layer"])
        return (
            f"{config}: the layers should be, in order, {', '.join(wanted['layer'])} "
            f"(activations and dropout aside); yours are {have}"
        )
    for (_, have), (_, want) in zip(mine.iterrows(), wanted.iterrows(), strict=True):
        if have["output"] != want["output"]:
            return (
                f"{config}: {have['layer']} gives {have['output']}, expected {want['output']}: "
                "3x3 convolutions keep the size with padding='same'; 2x2 pooling halves it"
            )
        if have["weights"] != want["weights"]:
            extra = have["weights"] - want["weights"]
            why = ""
            if have["layer"] == "Conv2D" and extra == want["output"][-1]:
                why = ": a convolution followed by batch normalisation needs no bias"
                why += " (use_bias=False)"
            return (
                f"{config}: a {have['layer']} layer has {have['weights']} weights, expected "
                f"{want['weights']}{why}"
            )
    return ""


def check_cnn(build: Callable[[int, Sequence[int]], keras.Model]) -> None:
    """Exercise 2.5: ``build(num_classes, filters)`` makes :func:`ganaug.classifier.build_cnn`'s
    architecture, checked by the layers' output shapes and weights for two configurations.

    Examples
    --------
    >>> check_cnn(lambda num_classes, filters: build_cnn(num_classes, filters=filters))
    Exercise 2.5 passed: same layers, shapes and weights as build_cnn (2 configurations)
    """
    require_answer("2.5", build, "build_my_cnn")
    for num_classes, filters in ((3, (32, 64, 128)), (7, (8, 16))):
        config = f"build_my_cnn({num_classes}, {filters})"
        model = require_answer("2.5", build(num_classes, filters), config)
        if not isinstance(model, keras.Model):
            fail("2.5", f"{config} should return a keras model, got {type(model).__name__}")
        wanted = build_cnn(num_classes, filters=filters)
        if tuple(model.output_shape) != tuple(wanted.output_shape):
            fail("2.5", f"{config} outputs {model.output_shape}, expected {wanted.output_shape}")
        message = _describe_difference(layer_table(model), layer_table(wanted), config)
        if message:
            fail("2.5", message)
        if not _relu_after_each_norm(model):
            fail(
                "2.5",
                f"{config}: each convolution should be followed by batch normalisation and "
                "then a ReLU layer (keras.layers.ReLU or Activation('relu')), in that order",
            )
        if not any(isinstance(layer, keras.layers.Dropout) for layer in model.layers):
            fail("2.5", f"{config} has no Dropout before its softmax layer")
        if model.layers[-1].get_config().get("activation") != "softmax":
            fail("2.5", f"{config}: the last Dense layer should use activation='softmax'")
    passed("2.5", "same layers, shapes and weights as build_cnn (2 configurations)")


def accuracy_on(model: keras.Model, images: np.ndarray, dx: np.ndarray, classes) -> float:
    """Accuracy of ``model`` on ``images`` fed exactly as given (no scaling).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(4, seed=0)
    >>> 0 <= accuracy_on(build_cnn(3, filters=(4,)), data.images / 255, data.dx, data.classes) <= 1
    True
    """
    probabilities = call_in_batches(model, np.asarray(images, np.float32), 256)
    predicted = np.asarray(classes)[np.argmax(probabilities, axis=1)]
    return float(np.mean(predicted == np.asarray(dx)))


def check_unscaled(
    model: keras.Model, val: LesionData, accuracy_scaled: float, accuracy_unscaled: float
) -> None:
    """Exercise 2.6: the accuracy on validation images scaled to [0, 1] as in training, and on
    the same images left at 0-255, as the report's validation set reached its network.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data, model = synthetic_lesions(4, seed=0), build_cnn(3, filters=(4,))
    >>> model.class_names = data.classes
    >>> check_unscaled(model, data, accuracy_on(model, data.images / 255, data.dx, data.classes),
    ...                accuracy_on(model, data.images, data.dx, data.classes))  # doctest: +ELLIPSIS
    Exercise 2.6 passed: ...
    """
    require_answer("2.6", accuracy_scaled, "accuracy_scaled")
    require_answer("2.6", accuracy_unscaled, "accuracy_unscaled")
    classes = getattr(model, "class_names", None) or list(val.classes)
    scaled = accuracy_on(model, val.images / 255.0, val.dx, classes)
    unscaled = accuracy_on(model, val.images, val.dx, classes)
    twice = accuracy_on(model, val.images / 255.0**2, val.dx, classes)
    mistakes = {"you scaled the images (divided by 255): the report's were not": scaled}
    if abs(twice - unscaled) > 1e-9:
        mistakes["you divided by 255 twice: leave the images at 0-255"] = twice
    require_close("2.6", accuracy_scaled, scaled, "accuracy_scaled", atol=1e-6,
                  hint="feed images / 255, as fit_classifier and predict do")  # fmt: skip
    if abs(scaled - unscaled) > 1e-9:
        require_close("2.6", accuracy_unscaled, unscaled, "accuracy_unscaled", atol=1e-6,
                      hint="feed the images as float 0-255 values", mistakes=mistakes)  # fmt: skip
    else:
        require_close("2.6", accuracy_unscaled, unscaled, "accuracy_unscaled", atol=1e-6)
    share = pd.Series(
        np.asarray(classes)[np.argmax(call_in_batches(model, val.images.astype("float32")), 1)]
    ).value_counts(normalize=True)
    passed(
        "2.6",
        f"{scaled:.3f} scaled, {unscaled:.3f} unscaled ({100 * (unscaled - scaled):+.1f} points); "
        f"unscaled, {share.iloc[0]:.0%} of the images are called {share.index[0]}",
    )
