"""The CNN, its input pipeline, training and prediction, on tiny synthetic data."""

import keras
import numpy as np
import pytest

from ganaug.classifier import (
    balanced_class_weight,
    batchnorm_variances,
    build_cnn,
    encode_labels,
    fit_classifier,
    make_dataset,
    predict,
    predict_proba,
)
from ganaug.data import split_by_lesion, synthetic_lesions

DATA = synthetic_lesions(n_per_class=40, seed=3)
SPLITS = split_by_lesion(DATA, 0.2, 0.2, seed=0)


def test_pipeline_scales_shuffles_and_batches():
    batches = list(make_dataset(DATA, DATA.classes, batch_size=32, training=True, seed=1))
    images, labels = batches[0]
    assert images.shape == (32, 28, 28, 3) and 0 <= float(images.numpy().min())
    assert float(images.numpy().max()) <= 1.0 and sum(len(b[1]) for b in batches) == len(DATA)
    ordered = np.concatenate([b[1] for b in make_dataset(DATA, DATA.classes, batch_size=32)])
    assert np.array_equal(ordered, encode_labels(DATA.dx, DATA.classes))
    shuffled = np.concatenate([b[1] for b in batches])
    assert not np.array_equal(shuffled, ordered)


def test_pipeline_rejects_bad_input():
    with pytest.raises(ValueError, match="batch_size"):
        make_dataset(DATA, DATA.classes, batch_size=0)
    with pytest.raises(ValueError, match="not among the model's classes"):
        make_dataset(DATA, ["mel", "bkl"])


def test_model_outputs_probabilities():
    model = build_cnn(4)
    out = model.predict(np.random.default_rng(0).random((3, 28, 28, 3)), verbose=0)
    assert out.shape == (3, 4) and np.allclose(out.sum(axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError, match="at least 2"):
        build_cnn(1)


def test_fit_predict_returns_codes_and_learns():
    data = synthetic_lesions(n_per_class=60, seed=3)  # the classes differ in colour and size
    splits = split_by_lesion(data, 0.2, 0.2, seed=0)
    model = build_cnn(3, filters=(8, 16), batchnorm_momentum=0.5, seed=1)
    history = fit_classifier(
        model,
        splits.train,
        splits.val,
        epochs=10,
        batch_size=16,
        seed=1,
        augment=False,
        class_weight="balanced",
        verbose=0,
    )
    assert set(history.history) >= {"loss", "val_loss", "accuracy", "val_accuracy"}
    predicted = predict(model, splits.test)
    assert predicted.shape == (len(splits.test),) and set(predicted) <= set(data.classes)
    assert predict_proba(model, splits.test).shape == (len(splits.test), 3)
    majority = max(np.mean(splits.test.dx == code) for code in data.classes)
    assert np.mean(predicted == splits.test.dx) > majority + 0.25  # held-out images


def test_fit_checks_its_arguments():
    model = build_cnn(3, filters=(8,))
    with pytest.raises(ValueError, match="epochs"):
        fit_classifier(model, SPLITS.train, SPLITS.val, epochs=0)
    with pytest.raises(ValueError, match="2 outputs for 3 training classes"):
        fit_classifier(build_cnn(2, filters=(8,)), SPLITS.train, SPLITS.val, epochs=1)
    with pytest.raises(ValueError, match="class_weight"):
        fit_classifier(model, SPLITS.train, SPLITS.val, epochs=1, class_weight="equal")


def test_predict_needs_class_names_matching_the_outputs():
    with pytest.raises(ValueError, match="class_names"):
        predict(keras.Sequential([keras.Input((28, 28, 3)), keras.layers.Flatten()]), DATA)
    with pytest.raises(ValueError, match="one name per output"):
        predict(build_cnn(3, filters=(4,)), DATA, classes=["bcc", "mel"])
    with pytest.raises(ValueError, match="non-empty"):
        predict_proba(build_cnn(3, filters=(4,)), DATA.subset(np.array([], int)))


def test_same_seed_same_initial_weights():
    def weights(seed):
        return build_cnn(3, filters=(4,), seed=seed).get_weights()

    def same(a, b):
        return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))

    assert same(weights(5), weights(5)) and not same(weights(5), weights(6))


def test_balanced_weights_equalise_classes():
    data = synthetic_lesions({"mel": 60, "bkl": 30, "bcc": 10})
    weights = balanced_class_weight(data)
    totals = {c: weights[c] * n for c, n in data.class_counts().items()}
    assert max(totals.values()) == pytest.approx(min(totals.values()))


def test_batchnorm_variances_start_apart_and_move_with_training():
    model = build_cnn(3, filters=(8,), batchnorm_momentum=0.5)
    moving, actual = batchnorm_variances(model, SPLITS.val)
    assert moving == pytest.approx(1.0) and 0 < actual < 1
    fit_classifier(model, SPLITS.train, SPLITS.val, epochs=1, batch_size=16, verbose=0)
    after, _ = batchnorm_variances(model, SPLITS.val)
    assert after < moving  # the moving estimate has come down towards the data's variance
    with pytest.raises(ValueError, match="BatchNormalization"):
        batchnorm_variances(keras.Sequential([keras.Input((28, 28, 3))]), DATA)


def test_predict_accepts_class_names_as_an_array():
    from ganaug.classifier import build_cnn, predict

    model = build_cnn(3, filters=(4,), seed=0)
    codes = predict(model, DATA.subset(np.arange(4)), classes=np.array(["bcc", "bkl", "mel"]))
    assert set(codes.tolist()) <= {"bcc", "bkl", "mel"}


def test_fit_classifier_refuses_unusable_validation_data():
    from ganaug.classifier import build_cnn, fit_classifier
    from ganaug.data import select_classes, synthetic_lesions

    model = build_cnn(3, filters=(4,), seed=0)
    with pytest.raises(ValueError, match="needs validation data"):
        fit_classifier(model, DATA, None, epochs=1)
    with pytest.raises(ValueError, match="at the same size"):
        fit_classifier(model, DATA, synthetic_lesions(4, size=20), epochs=1)
    with pytest.raises(ValueError, match="validation classes"):
        fit_classifier(model, DATA, select_classes(DATA, ["bcc", "mel"]), epochs=1)
