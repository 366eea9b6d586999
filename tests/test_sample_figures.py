"""A study's real-and-generated figures: found in unit order, the kept GAN of a K-seed kind drawn,
and shown several to a row."""

from __future__ import annotations

import base64

import pytest

from ganaug.plots.experiment import figure_tiles, kept_candidates, sample_figures

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_figures_come_in_unit_order_and_every_one_is_tiled(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    for unit in (10, 2, 9):
        (figures / f"samples_seed{unit}.png").write_bytes(PNG)
    paths = sample_figures(tmp_path)
    assert [path.stem for path in paths] == ["samples_seed2", "samples_seed9", "samples_seed10"]
    html = figure_tiles(paths, per_row=2)
    assert html.count("<img ") == 3 and html.count(base64.b64encode(PNG).decode()) == 3
    assert 'style="width:49.5%"' in html
    with pytest.raises(ValueError, match="per_row"):
        figure_tiles(paths, per_row=0)


def test_the_kept_gan_of_each_kind_and_unit_is_read_from_the_choices():
    run = {
        "pieces": {
            "choice/chosen/u3": {"kept": 2},
            "choice/dcgan/u3": {"kept": 0},
            "pool/chosen/u3/s2": {"seconds": 1.0},
        }
    }
    assert kept_candidates(run) == {("chosen", 3): 2, ("dcgan", 3): 0}
    assert kept_candidates({}) == {}
