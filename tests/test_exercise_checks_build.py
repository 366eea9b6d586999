"""The checks of the exercises that build and train (2.5, 2.6, 3.6, 4.4, A.4): each accepts the
library's answer and a second right answer written another way, and rejects near misses with a
message that says what is wrong. (That each fails on the unchanged student edition is proven by
the Colab-like check, tests/colab_like.py.)"""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import stats
from sklearn.model_selection import StratifiedGroupKFold

from ganaug.classifier import build_cnn
from ganaug.data import lesion_groups, synthetic_lesions
from ganaug.data.folds import repeat_folds
from ganaug.experiment import load_results, results_dir
from ganaug.gan.losses import discriminator_loss, generator_loss
from ganaug.metrics import holm_correction
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.appendix_statistics_study import check_study_numbers, study_reference
from ganaug.teaching.exercises.ch02_cnn import accuracy_on, check_cnn, check_unscaled
from ganaug.teaching.exercises.ch03_step import MISTAKES, _one_pass, check_train_step
from ganaug.teaching.exercises.ch05_folds import check_lesion_folds, true_leaks

# --- 2.5: the CNN from its description ---------------------------------------------------


def _functional_cnn(num_classes, filters, bias=False, pooling="global", bn_after_relu=False):
    """A right answer in the functional style (or, with the options, a known mistake)."""
    x = inputs = keras.Input((28, 28, 3))
    for width in filters:
        for _ in range(2):
            x = keras.layers.Conv2D(width, (3, 3), padding="same", use_bias=bias)(x)
            if bn_after_relu:
                x = keras.layers.Activation("relu")(x)
            x = keras.layers.BatchNormalization(momentum=0.9)(x)
            if not bn_after_relu:
                x = keras.layers.Activation("relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    pool = keras.layers.GlobalAveragePooling2D() if pooling == "global" else keras.layers.Flatten()
    x = keras.layers.Dropout(0.3)(pool(x))
    return keras.Model(inputs, keras.layers.Dense(num_classes, activation="softmax")(x))


def test_cnn_check_accepts_right_answers():
    check_cnn(lambda n, filters: build_cnn(n, filters=filters))
    check_cnn(_functional_cnn)


def test_cnn_check_names_the_mistake():
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_cnn(lambda n, filters: None)
    with pytest.raises(ExerciseCheckError, match="needs no bias"):
        check_cnn(lambda n, f: _functional_cnn(n, f, bias=True))
    with pytest.raises(ExerciseCheckError, match="GlobalAveragePooling2D, not Flatten"):
        check_cnn(lambda n, f: _functional_cnn(n, f, pooling="flatten"))
    with pytest.raises(ExerciseCheckError, match="then a ReLU layer"):
        check_cnn(lambda n, f: _functional_cnn(n, f, bn_after_relu=True))
    with pytest.raises(ExerciseCheckError, match="outputs"):
        check_cnn(lambda n, f: _functional_cnn(3, f))  # ignores num_classes
    with pytest.raises(ExerciseCheckError, match="layers should be"):
        check_cnn(lambda n, f: _functional_cnn(n, (32, 64, 128)))  # ignores filters


# --- 2.6: unscaled validation images -----------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    data = synthetic_lesions(n_per_class=20, seed=4)
    model = build_cnn(3, filters=(4, 8))
    model.fit(data.images / 255, np.searchsorted(data.classes, data.dx), epochs=12, verbose=0)
    model.class_names = list(data.classes)
    return model, data


def test_unscaled_check_accepts_right_answers(trained):
    model, data = trained
    scaled = accuracy_on(model, data.images / 255, data.dx, data.classes)
    unscaled = accuracy_on(model, data.images, data.dx, data.classes)
    check_unscaled(model, data, scaled, unscaled)
    probabilities = model(tf.cast(data.images, tf.float32), training=False).numpy()  # one call
    by_keras = np.mean(np.array(data.classes)[probabilities.argmax(1)] == data.dx)
    check_unscaled(model, data, np.float32(scaled), by_keras)


def test_unscaled_check_names_the_mistake(trained):
    model, data = trained
    scaled = accuracy_on(model, data.images / 255, data.dx, data.classes)
    unscaled = accuracy_on(model, data.images, data.dx, data.classes)
    assert scaled != unscaled  # else the data below could not tell the mistake
    with pytest.raises(ExerciseCheckError, match="accuracy_scaled is None"):
        check_unscaled(model, data, None, None)
    with pytest.raises(ExerciseCheckError, match="you scaled the images"):
        check_unscaled(model, data, scaled, scaled)
    with pytest.raises(ExerciseCheckError, match="accuracy_scaled is not right"):
        check_unscaled(model, data, unscaled, scaled)  # swapped


# --- 3.6: the losses and one train_step ---------------------------------------------------

_bce = tf.nn.sigmoid_cross_entropy_with_logits


def _g_loss(fake_logits):  # with tf.nn, not keras.losses
    return tf.reduce_mean(_bce(labels=tf.ones_like(fake_logits), logits=fake_logits))


def _d_loss(real_logits, fake_logits):
    real = tf.reduce_mean(_bce(labels=tf.ones_like(real_logits), logits=real_logits))
    return real + tf.reduce_mean(_bce(labels=tf.zeros_like(fake_logits), logits=fake_logits))


def _another_step(real, noise, generator, discriminator, g_optimizer, d_optimizer):
    """A right step written another way: one persistent tape, one discriminator call on real
    and generated images together, the generator updated first, ``optimizer.apply``."""
    with tf.GradientTape(persistent=True) as tape:
        fake = generator(noise, training=True)
        logits = discriminator(tf.concat([real, fake], axis=0), training=True)
        real_logits, fake_logits = logits[: len(real)], logits[len(real) :]
        g_loss, d_loss = _g_loss(fake_logits), _d_loss(real_logits, fake_logits)
    g_optimizer.apply(tape.gradient(g_loss, generator.trainable_variables),
                      generator.trainable_variables)  # fmt: skip
    d_optimizer.apply(tape.gradient(d_loss, discriminator.trainable_variables),
                      discriminator.trainable_variables)  # fmt: skip
    del tape
    return d_loss, g_loss


def test_step_check_accepts_right_answers():
    check_train_step(_one_pass(), generator_loss, discriminator_loss)
    check_train_step(_another_step, _g_loss, _d_loss)


@pytest.mark.parametrize("message", list(MISTAKES), ids=["alternating", "minimax", "inference"])
def test_step_check_names_the_step_mistakes(message):
    with pytest.raises(ExerciseCheckError, match=message[:40].replace("(", r"\(")):
        check_train_step(MISTAKES[message], generator_loss, discriminator_loss)


def test_step_check_names_the_loss_mistakes():
    with pytest.raises(ExerciseCheckError, match="generator_loss\\(fake_logits\\) is None"):
        check_train_step(lambda *args: None, lambda f: None, lambda r, f: None)
    with pytest.raises(ExerciseCheckError, match="label 0, the discriminator's target"):
        check_train_step(_one_pass(), lambda f: _d_loss(f, f) - _g_loss(f), _d_loss)
    with pytest.raises(ExerciseCheckError, match="saturating minimax"):
        check_train_step(_one_pass(), lambda f: _g_loss(f) - _d_loss(f, f), _d_loss)
    with pytest.raises(ExerciseCheckError, match="swapped"):
        check_train_step(_one_pass(), _g_loss, lambda r, f: _d_loss(f, r))

    def generator_frozen(real, noise, generator, discriminator, g_optimizer, d_optimizer):
        return _another_step(real, noise, generator, discriminator, keras.optimizers.SGD(0.0),
                             d_optimizer)  # fmt: skip

    with pytest.raises(ExerciseCheckError, match="generator's weights did not change"):
        check_train_step(generator_frozen, _g_loss, _d_loss)
    with pytest.raises(ExerciseCheckError, match="return the two losses"):
        check_train_step(lambda *args: (_another_step(*args), None)[1] or 0.5, _g_loss, _d_loss)


# --- 4.4: a lesion-grouped, stratified k-fold with a leak check -----------------------------


def _sklearn_folds(data, k, seed):
    folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
    return [test for _, test in folds.split(data.images, data.dx, lesion_groups(data))]


def _leaks_by_pandas(folds, data):
    import pandas as pd

    table = pd.DataFrame({"group": lesion_groups(data), "fold": -1})
    for index, rows in enumerate(folds):
        table.loc[rows, "fold"] = index
    spread = table.groupby("group")["fold"].nunique()
    return set(spread.index[spread > 1])


def test_fold_check_accepts_right_answers():
    check_lesion_folds(lambda data, k, seed: repeat_folds(data, seed, k), true_leaks)
    check_lesion_folds(_sklearn_folds, _leaks_by_pandas)


def test_fold_check_names_the_mistake():
    with pytest.raises(ExerciseCheckError, match="lesion_folds\\(data, k=5, seed=0\\) is None"):
        check_lesion_folds(lambda data, k, seed: None, lambda folds, data: None)

    def raw_ids(data, k, seed):  # groups by the raw lesion_id: the pair is split
        folds = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed)
        return [t for _, t in folds.split(data.images, data.dx, data.lesion_id)]

    with pytest.raises(ExerciseCheckError, match="not by the raw lesion_id"):
        check_lesion_folds(raw_ids, true_leaks)
    with pytest.raises(ExerciseCheckError, match="lesion groups are in more than one fold"):
        check_lesion_folds(lambda d, k, s: np.array_split(np.arange(len(d)), k), true_leaks)

    def unstratified(data, k, seed):  # whole groups, but sorted by class: not stratified
        order = np.argsort(data.dx, kind="stable")
        return np.array_split(order, k)

    with pytest.raises(ExerciseCheckError, match="(stratify|more than one fold)"):
        check_lesion_folds(unstratified, true_leaks)
    with pytest.raises(ExerciseCheckError, match="same folds"):
        check_lesion_folds(lambda data, k, seed: repeat_folds(data, 0, k), true_leaks)
    with pytest.raises(ExerciseCheckError, match="leaked_groups found 0 groups"):
        check_lesion_folds(_sklearn_folds, lambda folds, data: set())
    with pytest.raises(ExerciseCheckError, match="every image must be in exactly one fold"):
        check_lesion_folds(lambda d, k, s: repeat_folds(d, s, k)[:-1] + [[0]], true_leaks)


# --- A.4: the committed study's numbers (appendix) -----------------------------------------


@pytest.fixture(scope="module")
def study():
    results = load_results(results_dir())
    return results, study_reference(results)


def _by_hand(reference):
    d = reference["differences"]
    n, mean, sd = len(d), d.mean(), d.std(ddof=1)
    t = stats.t.ppf(0.975, n - 1)
    se = sd * math.sqrt(1 / n + reference["n_test"] / reference["n_train"])
    return (mean, mean - t * sd / math.sqrt(n), mean + t * sd / math.sqrt(n)), (
        mean - t * se,
        mean + t * se,
    )


def _units_by_search(sd, gain=0.02):
    """Units by the noncentral t, counted up: a second way to the same number."""
    for n in range(2, 10_000):
        critical = stats.t.ppf(0.975, n - 1)
        shift = gain / sd * math.sqrt(n)
        power = stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(-critical, n - 1, shift)
        if power >= 0.8:
            return n
    raise AssertionError("no n reached the power")


def test_study_check_accepts_right_answers(study):
    results, reference = study
    holm = {arm: p for (arm, _), p in reference["holm"].items()}
    check_study_numbers(results, reference["paired"], reference["corrected"], holm_correction,
                        reference["holm"], reference["units"])  # fmt: skip
    paired, corrected = _by_hand(reference)
    units = _units_by_search(float(reference["differences"].std(ddof=1)))

    def holm_by_loop(p_values):
        p = list(p_values)
        order = sorted(range(len(p)), key=p.__getitem__)
        adjusted, running = [0.0] * len(p), 0.0
        for rank, index in enumerate(order):
            running = max(running, min(1.0, p[index] * (len(p) - rank)))
            adjusted[index] = running
        return adjusted

    check_study_numbers(results, list(paired), np.array(corrected), holm_by_loop, holm, units)


def test_study_check_names_the_mistake(study):
    results, reference = study
    paired, corrected = _by_hand(reference)
    holm = reference["holm"]
    args = (reference["paired"], reference["corrected"], holm_correction, holm, reference["units"])
    with pytest.raises(ExerciseCheckError, match="paired is None"):
        check_study_numbers(results, None, None, None, None, None)
    with pytest.raises(ExerciseCheckError, match="classic - dcgan"):
        check_study_numbers(results, [-paired[0], -paired[2], -paired[1]], *args[1:])
    with pytest.raises(ExerciseCheckError, match="independent samples"):
        welch = stats.ttest_ind(*(results.pipe(lambda r: _arms(r)))).confidence_interval(0.95)
        check_study_numbers(results, [paired[0], *welch], *args[1:])
    with pytest.raises(ExerciseCheckError, match="plain paired interval"):
        check_study_numbers(results, args[0], paired[1:], *args[2:])
    with pytest.raises(ExerciseCheckError, match="Bonferroni"):
        check_study_numbers(results, *args[:2], lambda p: np.minimum(1, np.array(p) * len(p)),
                            *args[3:])  # fmt: skip
    with pytest.raises(ExerciseCheckError, match="running maximum"):
        check_study_numbers(results, *args[:2], lambda p: np.minimum(
            1, np.array(p) * (len(p) - np.argsort(np.argsort(p)))), *args[3:])  # fmt: skip
    raw = {key: reference["p_corrected"][key] for key in holm}
    if not np.allclose(list(raw.values()), list(holm.values())):
        with pytest.raises(ExerciseCheckError, match="before Holm"):
            check_study_numbers(results, *args[:3], raw, args[4])
    with pytest.raises(ExerciseCheckError, match="one p-value per secondary comparison"):
        check_study_numbers(results, *args[:3], dict(list(holm.items())[:-1]), args[4])
    with pytest.raises(ExerciseCheckError, match="units"):
        check_study_numbers(results, *args[:4], reference["units"] + 5)


def _arms(results):
    from ganaug.metrics import seed_table

    table = seed_table(results, "balanced_accuracy")[["classic", "dcgan"]].dropna()
    return table["dcgan"], table["classic"]
