"""The CNN classifier of chapter 2: model, training and prediction (input pipeline in
:mod:`ganaug.classifier.pipeline`).

Labels stay inside the library: models are trained on the sorted class codes of the training
data and :func:`predict` returns diagnosis codes (strings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import keras
import numpy as np

from ganaug.classifier.augment import classic_augmentation
from ganaug.classifier.pipeline import make_dataset
from ganaug.common.batching import call_in_batches
from ganaug.common.seeding import layer_seeds
from ganaug.data.core import LesionData

__all__ = [
    "balanced_class_weight",
    "batchnorm_variances",
    "build_cnn",
    "check_validation_data",
    "fit_classifier",
    "predict",
    "predict_proba",
]


def build_cnn(
    num_classes: int,
    input_shape: tuple[int, int, int] = (28, 28, 3),
    filters: Sequence[int] = (32, 64, 128),
    dropout: float = 0.3,
    batchnorm_momentum: float = 0.9,
    learning_rate: float = 1e-3,
    seed: int | None = 0,
    jit_compile: bool | str = "auto",
) -> keras.Model:
    """A small compiled CNN: ``len(filters)`` blocks of two 3x3 convolutions with batch
    normalisation and ReLU, then 2x2 max pooling; global average pooling, dropout and a softmax.

    ``batchnorm_momentum`` defaults to 0.9, not Keras' 0.99: the moving variance starts at 1.0
    while this data's activations vary far less, and at 0.99 it takes hundreds of steps to catch
    up, during which validation predictions collapse to one class (chapter 2 shows it).

    ``seed`` fixes the initial weights and the dropout draws through seeds given to each layer
    (never through the global random state), so two models built with the same seed start alike
    and building one changes no other code's randomness. ``None`` draws fresh weights.

    Examples
    --------
    >>> model = build_cnn(3)
    >>> model.output_shape
    (None, 3)
    >>> round(float(model.predict(np.zeros((2, 28, 28, 3)), verbose=0).sum()), 4)
    2.0
    >>> same = build_cnn(3, seed=1).get_weights()[0], build_cnn(3, seed=1).get_weights()[0]
    >>> bool(np.array_equal(*same))
    True
    """
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}")
    seeds = iter(layer_seeds(seed, 2 * len(filters) + 2))
    inputs = keras.Input(input_shape)
    x = inputs
    for width in filters:
        for _ in range(2):
            initializer = keras.initializers.GlorotUniform(seed=next(seeds))
            x = keras.layers.Conv2D(
                width, 3, padding="same", use_bias=False, kernel_initializer=initializer
            )(x)
            x = keras.layers.BatchNormalization(momentum=batchnorm_momentum)(x)
            x = keras.layers.ReLU()(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.GlobalAveragePooling2D(name="features")(x)
    x = keras.layers.Dropout(dropout, seed=next(seeds))(x)
    dense_init = keras.initializers.GlorotUniform(seed=next(seeds))
    outputs = keras.layers.Dense(num_classes, activation="softmax", kernel_initializer=dense_init)(
        x
    )
    model = keras.Model(inputs, outputs, name="lesion_cnn")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        jit_compile=jit_compile,
    )
    return model


def batchnorm_variances(
    model: keras.Model, data: LesionData, max_images: int = 512
) -> tuple[float, float]:
    """Moving variance of the first batch-normalisation layer, and the variance it should track.

    Both are averaged over channels; the second is the actual variance of the layer's input (the
    first convolution's output) on up to ``max_images`` images of ``data``. At prediction time
    the layer divides by the square root of the first, so a large gap distorts every prediction.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> moving, actual = batchnorm_variances(build_cnn(3, filters=(4,)), synthetic_lesions(4))
    >>> moving, actual < 1  # a new layer's moving variance starts at 1
    (1.0, True)
    """
    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if not norms:
        raise ValueError("the model has no BatchNormalization layer: build it with build_cnn")
    if len(data) == 0:
        raise ValueError("no images: pass a non-empty LesionData")
    before_norm = keras.Model(model.input, norms[0].input)
    outputs = before_norm(data.images[:max_images].astype(np.float32) / 255.0, training=False)
    actual = keras.ops.convert_to_numpy(keras.ops.var(outputs, axis=(0, 1, 2)))
    moving = keras.ops.convert_to_numpy(norms[0].moving_variance)
    return float(np.mean(moving)), float(np.mean(actual))


def balanced_class_weight(data: LesionData) -> dict[str, float]:
    """Weights ``n / (k * n_c)`` per class, so each class counts equally in the loss.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> balanced_class_weight(synthetic_lesions({"mel": 30, "bcc": 10}))
    {'bcc': 2.0, 'mel': 0.6666666666666666}
    """
    counts = data.class_counts()
    return {code: len(data) / (len(counts) * n) for code, n in counts.items()}


def check_validation_data(train: LesionData, val: LesionData | None) -> None:
    """Raise ``ValueError`` unless ``val`` can validate a model trained on ``train``.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> check_validation_data(synthetic_lesions(4), None)
    Traceback (most recent call last):
    ...
    ValueError: fit_classifier needs validation data for early stopping: pass val=splits.val
    """
    if val is None or len(val) == 0:
        raise ValueError(
            "fit_classifier needs validation data for early stopping: pass val=splits.val"
        )
    if val.images.shape[1:] != train.images.shape[1:]:
        raise ValueError(
            f"validation images are {val.images.shape[1:]} but training images are "
            f"{train.images.shape[1:]}: load both at the same size"
        )
    if val.classes != train.classes:
        raise ValueError(
            f"validation classes {val.classes} differ from training classes {train.classes}: "
            "split one LesionData so every part holds every class"
        )


def fit_classifier(
    model: keras.Model,
    train: LesionData,
    val: LesionData,
    epochs: int,
    batch_size: int = 64,
    class_weight: Mapping[str, float] | str | None = None,
    seed: int = 0,
    augment: bool = True,
    patience: int = 10,
    verbose: int | str = "auto",
    callbacks: Sequence[keras.callbacks.Callback] | None = None,
    restore_best_weights: bool = True,
) -> keras.callbacks.History:
    """Train ``model`` with Adam and early stopping on validation loss (best weights restored).

    The learning rate is halved when the validation loss has not improved for a third of
    ``patience`` epochs. ``seed`` fixes the shuffling and the augmentation draws (each through
    its own seed, never the global random state), but two runs on a multi-threaded CPU still
    differ slightly, and training amplifies it: compare settings over several seeds, not one run.

    Parameters
    ----------
    class_weight : mapping, "balanced" or None
        Weight per class code, or "balanced" (:func:`balanced_class_weight`).
    augment : bool
        Apply :func:`classic_augmentation` to training batches.
    verbose
        Keras' verbosity: "auto" shows a progress bar, 2 one line per epoch, 0 nothing.
    callbacks
        Extra Keras callbacks (for example a compact printer such as ``PrintEvery``).
    restore_best_weights
        Keep the weights of the epoch with the lowest validation loss (default); ``False`` keeps
        the last epoch's weights.

    Returns
    -------
    keras.callbacks.History
        ``model.class_names`` is set to the class codes, in label order.

    Examples
    --------
    >>> from ganaug.data import split_by_lesion, synthetic_lesions
    >>> splits = split_by_lesion(synthetic_lesions(n_per_class=8, seed=0), 0.25, 0.25, seed=0)
    >>> model = build_cnn(3, filters=(4,))
    >>> history = fit_classifier(model, splits.train, splits.val, epochs=1, verbose=0)
    >>> {"loss", "val_loss"} <= set(history.history), model.class_names
    (True, ['bcc', 'bkl', 'mel'])
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    check_validation_data(train, val)
    classes = train.classes
    if model.output_shape[-1] != len(classes):
        raise ValueError(
            f"the model has {model.output_shape[-1]} outputs for {len(classes)} training "
            f"classes {classes}: build it with build_cnn({len(classes)})"
        )
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(f"class_weight must be a mapping, 'balanced' or None: {class_weight}")
        class_weight = balanced_class_weight(train)
    weights = None
    if class_weight is not None:
        weights = {i: float(class_weight[code]) for i, code in enumerate(classes)}
    augmentation = classic_augmentation(seed=seed) if augment else None
    train_set = make_dataset(train, classes, batch_size, True, augmentation, seed)
    val_set = make_dataset(val, classes, batch_size)
    stopping = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=patience, restore_best_weights=restore_best_weights
    )
    halving = keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", factor=0.5, patience=max(1, patience // 3), min_lr=1e-5
    )
    model.class_names = list(classes)
    return model.fit(
        train_set,
        validation_data=val_set,
        epochs=epochs,
        callbacks=[stopping, halving, *(callbacks or [])],
        class_weight=weights,
        shuffle=False,
        verbose=verbose,
    )


def predict_proba(model: keras.Model, data: LesionData, batch_size: int = 256) -> np.ndarray:
    """Class probabilities, ``(N, num_classes)``, columns in ``model.class_names`` order.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> probabilities = predict_proba(build_cnn(3, filters=(4,)), synthetic_lesions(2, seed=0))
    >>> probabilities.shape, bool(np.allclose(probabilities.sum(axis=1), 1, atol=1e-5))
    ((6, 3), True)
    """
    if len(data) == 0:
        raise ValueError("no images to predict: pass a non-empty LesionData")
    return call_in_batches(model, data.images.astype(np.float32) / 255.0, batch_size)


def predict(
    model: keras.Model, data: LesionData, classes: Sequence[str] | None = None
) -> np.ndarray:
    """Predicted diagnosis code of each image (the most probable class).

    ``classes`` defaults to ``model.class_names``, which :func:`fit_classifier` sets.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> model = build_cnn(3, filters=(4,))
    >>> model.class_names = ["bcc", "bkl", "mel"]
    >>> codes = predict(model, synthetic_lesions(2, seed=0))
    >>> len(codes), set(codes.tolist()) <= {"bcc", "bkl", "mel"}
    (6, True)
    """
    if classes is None:
        classes = getattr(model, "class_names", None)
    if classes is None:
        raise ValueError(
            "the model has no class_names: train it with fit_classifier or pass classes="
        )
    classes = [str(code) for code in classes]
    if len(classes) != model.output_shape[-1]:
        raise ValueError(
            f"{len(classes)} class names {classes} for a model with "
            f"{model.output_shape[-1]} outputs: pass one name per output"
        )
    return np.asarray(classes)[predict_proba(model, data).argmax(axis=1)]
