"""Chapter 3's 2-D toy GAN: the ring it learns and the count of clusters its points cover, run
from the lesson's own cell (tagged ``toy-in-view``), and the figure that shows it."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from conftest import ROOT
from ganaug.plots import plot_toy_snapshots


@pytest.fixture(scope="module")
def toy() -> dict:
    cells = nbformat.read(ROOT / "lessons" / "03_dcgan.ipynb", 4).cells
    sources = [c.source for c in cells if "toy-in-view" in c.metadata.get("tags", [])]
    assert len(sources) == 1, "chapter 3 has one cell tagged toy-in-view"
    namespace: dict = {"np": np, "keras": keras}
    exec(compile(sources[0], "03_dcgan.ipynb[toy-in-view]", "exec"), namespace)  # noqa: S102
    return namespace


def test_the_ring_covers_every_cluster(toy):
    points = toy["ring_of_gaussians"](4000, np.random.default_rng(1))
    assert points.shape == (4000, 2) and points.dtype == np.float32
    assert np.allclose(np.linalg.norm(points, axis=1).mean(), 2.0, atol=0.05)
    assert toy["modes_covered"](points) == 8


def test_a_collapsed_generator_covers_one_cluster_or_none(toy):
    rng = np.random.default_rng(2)
    on_one = np.array([2.0, 0.0]) + rng.normal(0, 0.05, (500, 2))
    assert toy["modes_covered"](on_one) == 1
    between = np.array([1.5, 1.5]) * 0.6 + rng.normal(0, 0.05, (500, 2))  # inside the ring
    assert toy["modes_covered"](between) == 0
    half = np.concatenate([on_one, toy["ring_of_gaussians"](500, rng)])
    assert toy["modes_covered"](half) == 8  # every cluster gets its share


def test_the_small_networks_map_points_to_points_and_logits(toy):
    generator, discriminator = toy["small_network"](2), toy["small_network"](1)
    assert generator.output_shape == (None, 2) and discriminator.output_shape == (None, 1)


def test_one_panel_per_snapshot_in_step_order():
    rng = np.random.default_rng(0)
    snapshots = {300: rng.normal(size=(10, 2)), 100: rng.normal(size=(10, 2))}
    figure = plot_toy_snapshots(rng.normal(size=(40, 2)), snapshots, columns=4)
    assert [axis.get_title() for axis in figure.axes] == ["step 100", "step 300"]
    plt.close(figure)


@pytest.mark.parametrize(
    "real, snapshots, message",
    [
        (np.zeros((4, 2)), {}, "snapshots is empty"),
        (np.zeros((4, 2)), {1: np.zeros((3, 3))}, r"snapshots\[1\] must be"),
        (np.zeros((0, 2)), {1: np.zeros((3, 2))}, "real must be a non-empty"),
    ],
)
def test_bad_inputs_say_what_is_wrong(real, snapshots, message):
    with pytest.raises(ValueError, match=message):
        plot_toy_snapshots(real, snapshots)
    plt.close("all")


def test_a_panel_counts_the_points_outside_its_frame():
    far = np.array([[9.0, -7.5], [9.5, -8.0], [1.0, 1.0]])
    figure = plot_toy_snapshots(np.zeros((4, 2)), {5: far, 6: far[2:]}, limit=3.0)
    assert [axis.get_title() for axis in figure.axes] == ["step 5 (2 outside)", "step 6"]
    assert figure.axes[0].get_xlim() == (-3.0, 3.0)
    plt.close("all")
