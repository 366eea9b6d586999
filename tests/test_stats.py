"""Statistics and chapter 1 figures: properties, not snapshots."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from ganaug.data import lesion_groups, synthetic_lesions
from ganaug.data.stats import (
    channel_means,
    class_counts,
    cohens_d,
    compare_distributions,
    grey_means,
    images_per_lesion,
    per_lesion_means,
)
from ganaug.plots import (
    plot_channel_distributions,
    plot_class_counts,
    plot_images_per_lesion,
    plot_sample_grid,
)


def test_grey_matches_pillow_luma():
    images = synthetic_lesions(n_per_class=3, size=10).images
    pillow = np.array([np.asarray(Image.fromarray(i).convert("L"), float).mean() for i in images])
    assert np.allclose(grey_means(images), pillow, atol=0.6)  # Pillow rounds each pixel


def test_grey_of_a_constant_image_is_its_weighted_colour():
    image = np.zeros((1, 4, 4, 3), np.uint8) + np.array([100, 50, 200], np.uint8)
    assert grey_means(image)[0] == pytest.approx(0.299 * 100 + 0.587 * 50 + 0.114 * 200)


def test_grey_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"\(N, H, W, 3\)"):
        grey_means(np.zeros((4, 4, 3)))


def test_counts_add_up():
    data = synthetic_lesions(n_per_class={"mel": 9, "bcc": 4})
    table = class_counts(data)
    assert table["images"].sum() == len(data) and table.index[0] == "mel"
    assert (table["lesions"] <= table["images"]).all()
    assert images_per_lesion(data).mul(images_per_lesion(data).index).sum() == len(data)


def test_compare_finds_a_planted_shift():
    data = synthetic_lesions(n_per_class=60, seed=2)
    table = channel_means(data)
    table.loc[table["dx"] == "mel", "grey"] += 100
    result = compare_distributions(table, "grey")
    assert result.index[0] == "mel" and result.loc["mel", "ks_statistic"] > 0.9
    assert result.loc["mel", "cohens_d"] > 0


def test_compare_rejects_unknown_columns():
    with pytest.raises(ValueError, match="no column 'gray'"):
        compare_distributions(channel_means(synthetic_lesions(5)), "gray")


def test_cohens_d_is_antisymmetric_and_scale_free():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 50), rng.normal(1, 1, 60)
    assert cohens_d(a, b) == pytest.approx(-cohens_d(b, a))
    assert cohens_d(10 * a, 10 * b) == pytest.approx(cohens_d(a, b))


def test_per_lesion_means_have_one_row_per_lesion_group():
    data = synthetic_lesions(n_per_class=30)
    assert len(per_lesion_means(channel_means(data))) == len(set(data.lesion_id))
    bkl = np.flatnonzero(data.dx == "bkl")
    data.lesion_id[bkl[:2]] = ["HAM_0000955", "HAM_0007604"]  # one lesion under two ids
    data.lesion_id[bkl[2:]] = [f"HAM_1{i:06d}" for i in range(len(bkl) - 2)]  # others alone
    table = per_lesion_means(channel_means(data))
    assert len(table) == len(set(lesion_groups(data))) == len(set(data.lesion_id)) - 1
    merged = table.set_index("lesion_id").loc["HAM_0000955", "grey"]
    assert merged == pytest.approx(grey_means(data.images[bkl[:2]]).mean())


def test_figures_are_returned_and_labelled():
    data = synthetic_lesions(n_per_class=8)
    figures = [
        plot_class_counts(class_counts(data), data.source),
        plot_channel_distributions(channel_means(data), data.source),
        plot_sample_grid(data, n_per_class=3),
        plot_images_per_lesion(images_per_lesion(data), data.source),
    ]
    assert all(isinstance(f, Figure) for f in figures)
    assert "SYNTHETIC" in figures[0].axes[0].get_title()
    assert "SYNTHETIC" in figures[1]._suptitle.get_text()
    assert len(figures[1].axes) == 4


def test_sample_grid_rejects_zero_columns():
    with pytest.raises(ValueError, match="at least 1"):
        plot_sample_grid(synthetic_lesions(2), n_per_class=0)
