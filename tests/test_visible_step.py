"""What the lessons write out in view is what the library runs: chapter 3's networks and
``train_step`` (cells tagged ``gan-in-view``) against ``build_generator``,
``build_discriminator`` and ``DCGAN.step``, and chapter 2's CNN (tagged ``cnn-in-view``)
against ``build_cnn``.

The lesson cells are the source students read and edit, so the tests run those cells
themselves (extracted from the committed notebooks by tag), not a copy of them.
"""

from __future__ import annotations

import keras
import nbformat
import numpy as np
import pytest
import tensorflow as tf

from conftest import ROOT
from ganaug.classifier import build_cnn
from ganaug.gan import DCGAN, build_discriminator, build_generator
from ganaug.teaching.exercises.ch02_cnn import layer_table
from ganaug.teaching.exercises.ch03_step import (
    check_train_step,
    fixed_inputs,
    largest_gap,
    library_step,
    run_step,
)


def in_view(lesson: str, tag: str) -> dict:
    """Run the cells of ``lesson`` tagged ``tag`` (in order) and return what they define."""
    cells = nbformat.read(ROOT / "lessons" / lesson, 4).cells
    sources = [c.source for c in cells if tag in c.metadata.get("tags", [])]
    assert sources, f"{lesson} has no cell tagged {tag!r}"
    namespace: dict = {"keras": keras, "tf": tf}
    for source in sources:
        exec(compile(source, f"{lesson}[{tag}]", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(scope="module")
def gan_cells() -> dict:
    return in_view("03_dcgan.ipynb", "gan-in-view")


def _layers(model: keras.Model) -> list[tuple]:
    """Each layer's kind, output shape and number of weights, input layers left out."""
    return [
        (type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params())
        for layer in model.layers
        if not isinstance(layer, keras.layers.InputLayer)
    ]


@pytest.mark.parametrize("latent_dim, g_base, d_base", [(100, 64, 32), (16, 8, 4)])
def test_the_networks_in_view_are_the_library_networks(gan_cells, latent_dim, g_base, d_base):
    generator = gan_cells["make_generator"](latent_dim, base=g_base)
    assert _layers(generator) == _layers(build_generator(latent_dim, base_filters=g_base))
    discriminator = gan_cells["make_discriminator"](base=d_base)
    assert _layers(discriminator) == _layers(build_discriminator(base_filters=d_base))


def test_the_step_in_view_updates_like_the_library_step(gan_cells):
    """Same weights, images and noise, plain SGD: every weight changes by the same amount."""
    mine, reference = run_step(gan_cells["train_step"]), library_step()
    for network in ("generator", "discriminator"):
        assert largest_gap(mine[network], reference[network]) < 1e-6, network
        assert max(float(np.abs(c).max()) for c in mine[network]) > 1e-4  # it did move
    np.testing.assert_allclose([float(v) for v in mine["returned"]], reference["returned"], 1e-5)


def test_the_step_in_view_matches_the_library_with_adam_and_dropout(gan_cells):
    """The book's own settings: Adam(2e-4, 0.5) and dropout on, from networks built with the
    same seeds (same weights, same dropout draws), over two steps."""
    real, noise = fixed_inputs()
    models = [(build_generator(8, 8, seed=3), build_discriminator(base_filters=8, seed=3))]
    models.append((build_generator(8, 8, seed=3), build_discriminator(base_filters=8, seed=3)))
    gan = DCGAN(*models[1], latent_dim=8)
    gan.compile()
    optimizers = [keras.optimizers.Adam(2e-4, beta_1=0.5) for _ in range(2)]
    for _ in range(2):
        gan_cells["train_step"](real, noise, *models[0], *optimizers)
        gan.step(real, noise)
    for mine, library in zip(models[0], models[1], strict=True):
        for a, b in zip(mine.get_weights(), library.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, atol=1e-6)


def test_the_step_in_view_passes_the_exercise_check(gan_cells, capsys):
    check_train_step(
        gan_cells["train_step"], gan_cells["generator_loss"], gan_cells["discriminator_loss"]
    )
    assert "passed" in capsys.readouterr().out


def test_the_cnn_in_view_is_build_cnn():
    cells = in_view("02_cnn.ipynb", "cnn-in-view")
    for num_classes, widths in ((3, (16, 32, 64)), (5, (32, 64, 128)), (3, (4, 8))):
        mine = cells["make_cnn"](num_classes, widths)
        library = build_cnn(num_classes, filters=widths)
        assert layer_table(mine).equals(layer_table(library))
        assert _layers(mine) == _layers(library)
        assert mine.count_params() == library.count_params()
