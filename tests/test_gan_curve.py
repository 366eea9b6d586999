"""The generator-quality curve: rows per checkpoint, references once, resumable, one version."""

import numpy as np
import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import gan_curve
from ganaug.experiment.gan_curve import check_steps, quality_curve
from ganaug.experiment.provenance import read_run


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


@pytest.fixture(scope="module")
def curve(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("curve")
    quality_curve(data, out, "smoke", ["dcgan", "dcgan_four_fixes"], [2, 4], progress=False)
    return out


def test_each_checkpoint_has_every_metric_and_the_references_appear_once(curve):
    table = pd.read_csv(curve / "curve.csv")
    points = table[table["steps"] > 0][["generator", "steps"]].drop_duplicates()
    assert sorted(map(tuple, points.values)) == [
        ("dcgan", 2), ("dcgan", 4), ("dcgan_four_fixes", 2), ("dcgan_four_fixes", 4)
    ]  # fmt: skip
    per_point = table[table["steps"] > 0].groupby(["generator", "steps"])["metric"].apply(set)
    assert all(metrics >= {"fid", "kid", "diversity", "gan_test"} for metrics in per_point)
    references = table[table["steps"] == 0]
    assert set(references["generator"]) == {"real_half", "blurred"}
    assert not references.duplicated(["generator", "metric"]).any()
    with np.load(curve / "samples" / "dcgan_four_fixes_4.npz") as samples:
        assert samples["images"].shape == (16, 28, 28, 3) and samples["images"].dtype == np.uint8
    run = read_run(curve)
    assert set(run["seconds"]) == {
        "dcgan__2", "dcgan__4", "dcgan_four_fixes__2", "dcgan_four_fixes__4"
    }  # fmt: skip
    assert run["finished"] and run["code"]["hash"]


def test_a_finished_curve_trains_nothing_again(curve, data, monkeypatch):
    before = (curve / "curve.csv").read_bytes()
    monkeypatch.setattr(gan_curve, "train_gan", lambda *a, **k: pytest.fail("retrained"))
    quality_curve(data, curve, "smoke", ["dcgan", "dcgan_four_fixes"], [2, 4], progress=False)
    assert (curve / "curve.csv").read_bytes() == before


def test_other_code_or_another_unit_is_refused(curve, data, monkeypatch):
    with pytest.raises(ValueError, match="another unit"):
        quality_curve(data, curve, "smoke", ["dcgan"], [2], unit=1, progress=False)
    monkeypatch.setattr(
        gan_curve.provenance, "code_version", lambda: {"hash": "0" * 64, "packages": {}}
    )
    with pytest.raises(ValueError, match="other code"):
        quality_curve(data, curve, "smoke", ["dcgan"], [6], progress=False)


def test_bad_checkpoints_and_generators_are_refused(tmp_path, data):
    with pytest.raises(ValueError, match="distinct positive"):
        check_steps([100, 100])
    with pytest.raises(ValueError, match="unknown generator"):
        quality_curve(data, tmp_path, "smoke", ["gan"], [2], progress=False)
    assert not any(tmp_path.iterdir())  # nothing written


def test_the_lesson_reads_the_curve_and_draws_it(curve):
    from ganaug.experiment.gan_curve import curve_table, load_curve
    from ganaug.plots import plot_curve_samples, plot_quality_curve

    table = curve_table(load_curve(curve), ["fid", "diversity"])
    assert list(table.index[:2]) == [("blurred", 0), ("real_half", 0)]
    assert list(table.index[2:]) == [
        ("dcgan", 2),
        ("dcgan", 4),
        ("dcgan_four_fixes", 2),
        ("dcgan_four_fixes", 4),
    ]
    assert len(plot_quality_curve(load_curve(curve), ["fid", "diversity"]).axes) == 2
    grid = plot_curve_samples(curve, ["dcgan", "dcgan_four_fixes"], [2, 4], n=4)
    assert len(grid.axes) == 16
    with pytest.raises(ValueError, match="no samples"):
        plot_curve_samples(curve, ["cgan"], [2])


def test_an_empty_curve_is_refused_with_its_path(tmp_path):
    from ganaug.experiment.gan_curve import load_curve

    (tmp_path / "curve.csv").write_text("generator,steps,metric,value\n")
    with pytest.raises(ValueError, match="no checkpoints yet") as error:
        load_curve(tmp_path)
    assert str(tmp_path / "curve.csv") in str(error.value)


#: The fixes each ablation kind must carry, written out by hand.
KIND_FIXES = {
    "dcgan": set(),
    "dcgan_diffaugment": {"diffaugment"},
    "dcgan_spectral_norm": {"spectral_norm"},
    "dcgan_resize": {"resize"},
    "dcgan_ema": {"ema"},
    "dcgan_ema_sn": {"ema", "spectral_norm"},
    "dcgan_ema_sn_translation": {"ema", "spectral_norm", "diffaugment"},
    "dcgan_four_fixes": {"diffaugment", "spectral_norm", "resize", "ema"},
}


@pytest.mark.parametrize("kind", [*KIND_FIXES, "dcgan_plus"])
def test_each_ablation_kind_carries_exactly_its_fixes(kind, data):
    import keras

    from ganaug.data import select_classes
    from ganaug.experiment.gan_curve import build_curve_gan
    from ganaug.experiment.plan import study_plan
    from ganaug.gan.spectral import SeededSpectralNormalization

    gan = build_curve_gan(kind, select_classes(data, ["bcc"]), study_plan("smoke").gan, seed=0)
    fixes = {
        "diffaugment": gan.augment_policy is not None,
        "spectral_norm": any(
            isinstance(layer, SeededSpectralNormalization) for layer in gan.discriminator.layers
        ),
        "resize": any(
            isinstance(layer, keras.layers.UpSampling2D) for layer in gan.generator.layers
        ),
        "ema": gan.ema_generator is not None,
    }
    from ganaug.experiment.gans import PLUS_CHOICE

    expected = KIND_FIXES[PLUS_CHOICE if kind == "dcgan_plus" else kind]
    assert {name for name, present in fixes.items() if present} == expected
    if kind == "dcgan_ema_sn_translation":
        assert gan.augment_policy == "translation"


def test_the_ablation_stacks_units_and_averages_them(curve, tmp_path):
    import json
    import shutil

    from ganaug.experiment.gan_curve import ablation_table, load_ablation

    for unit in (0, 1):
        shutil.copytree(curve, tmp_path / f"unit{unit}")
        run = json.loads((tmp_path / f"unit{unit}" / "run.json").read_text())
        (tmp_path / f"unit{unit}" / "run.json").write_text(json.dumps({**run, "unit": unit}))
    stacked = load_ablation(tmp_path)
    assert sorted(stacked["unit"].unique()) == [0, 1]
    table = ablation_table(stacked[stacked["steps"].isin([0, 4])], ["fid", "recall"])
    assert list(table.index) == ["blurred", "real_half", "dcgan", "dcgan_four_fixes"]
    assert (table["units"] == 2).all()
    one = load_curve_table(curve)
    assert table.loc["dcgan", "fid"] == pytest.approx(one.loc[("dcgan", 4), "fid"])
    with pytest.raises(FileNotFoundError, match="gan-curve --unit"):
        load_ablation(tmp_path / "nothing")


def load_curve_table(folder):
    from ganaug.experiment.gan_curve import curve_table, load_curve

    return curve_table(load_curve(folder), ["fid", "recall"])
