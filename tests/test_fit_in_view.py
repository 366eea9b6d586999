"""Chapter 2 writes one training run out in view (the cell tagged ``fit-in-view``: tf.data
input, augmentation, ``compile`` and ``fit`` with early stopping and the learning-rate
schedule). It must be the run ``fit_classifier`` makes: from the same seed, the same history
and the same weights.

The test runs the lesson's own cell, extracted from the committed notebook, not a copy of it.
"""

from __future__ import annotations

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf

from conftest import ROOT
from ganaug import classifier
from ganaug.data import split_by_lesion, synthetic_lesions

SETTINGS = {"epochs": 6, "batch_size": 8, "patience": 3}


@pytest.fixture(scope="module")
def train_in_view():
    cells = nbformat.read(ROOT / "lessons" / "02_cnn.ipynb", 4).cells
    sources = [c.source for c in cells if "fit-in-view" in c.metadata.get("tags", [])]
    assert len(sources) == 1, "chapter 2 has one cell tagged fit-in-view"
    namespace: dict = {"keras": keras, "tf": tf, "classifier": classifier}
    exec(compile(sources[0], "02_cnn.ipynb[fit-in-view]", "exec"), namespace)  # noqa: S102
    return namespace["train_in_view"]


@pytest.fixture(scope="module")
def splits():
    return split_by_lesion(synthetic_lesions(n_per_class=20, seed=0), 0.25, 0.25, seed=0)


_RUNS: dict = {}


def _run(train, splits, seed):
    """One training run (kept: both tests compare the run in view from seed 2)."""
    key = (train, id(splits), seed)
    if key not in _RUNS:
        _RUNS[key] = _train(train, splits, seed)
    return _RUNS[key]


def _train(train, splits, seed):
    model = classifier.build_cnn(3, filters=(4, 8), seed=1)
    history = train(model, splits.train, splits.val, seed=seed, **SETTINGS)
    return history.history, model.get_weights(), model.class_names


def _library(model, train, val, seed, **settings):
    return classifier.fit_classifier(model, train, val, seed=seed, verbose=0, **settings)


def test_the_training_in_view_is_fit_classifier(train_in_view, splits):
    mine, library = _run(train_in_view, splits, 2), _run(_library, splits, 2)
    assert mine[0].keys() == library[0].keys()
    for key in library[0]:
        np.testing.assert_allclose(mine[0][key], library[0][key], rtol=1e-6, err_msg=key)
    for a, b in zip(mine[1], library[1], strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)
    assert mine[2] == library[2] == splits.train.classes
    # The run exercised both callbacks: it stopped early and halved the learning rate.
    rates = library[0]["learning_rate"]
    assert len(rates) < SETTINGS["epochs"] and min(rates) < max(rates)


def test_another_seed_gives_another_run(train_in_view, splits):
    """The comparison above can fail: the seed reaches the shuffling and the augmentation."""
    first, second = _run(train_in_view, splits, 2), _run(train_in_view, splits, 3)
    assert not np.allclose(first[0]["loss"][:2], second[0]["loss"][:2], rtol=1e-6)
