"""The chapter 5 study: arms as data, no leak, resumable cells, clear errors, the report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import (
    ARMS,
    generated_data,
    get_arms,
    is_generated,
    load_predictions,
    load_results,
    render_report,
    run_experiment,
    seed_splits,
    study_plan,
    synthetic_count,
    training_set,
)
from ganaug.experiment import cells as cells_module
from ganaug.experiment.gans import trained_on
from ganaug.experiment.store import finished_cells

SMOKE = study_plan("smoke")


def smoke_split(data):
    """Unit 0's lesion split under the smoke plan's protocol, as the study makes it."""
    return seed_splits(data, 0, SMOKE.protocol, SMOKE.folds)["lesion"]


REQUIRED_ARMS = {
    "none",
    "classic",
    "class_weight",
    "oversample",
    "dcgan",
    "dcgan_no_classic",
    "cgan",
    "dcgan_x0.5",
    "dcgan_x1",
    "dcgan_x2",
    "dcgan_x4",
    "classic_by_image",
}


@pytest.fixture(scope="module")
def data():
    # Imbalanced like the report's classes: bcc is the smallest.
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


@pytest.fixture(scope="module")
def study(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("study")
    run_experiment(data, out, "smoke", arms=["classic", "dcgan", "cgan"], seeds=[0], progress=False)
    return out


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def test_registry_has_every_arm_the_study_needs():
    assert REQUIRED_ARMS <= set(ARMS)
    assert {arm.split for arm in ARMS.values()} == {"lesion", "image"}
    assert [arm.name for arm in get_arms(["dcgan_x4", "none"])] == ["none", "dcgan_x4"]


def test_training_sets_follow_their_arm(data):
    train = smoke_split(data).train
    counts = train.class_counts()
    largest = max(counts.values())
    pool = {
        "dcgan": np.zeros((500, 28, 28, 3), np.uint8),
        "cgan": np.ones((500, 28, 28, 3), np.uint8),
    }
    assert training_set(ARMS["oversample"], train, seed=1).class_counts()["bcc"] == largest
    for name in ("dcgan", "cgan", "dcgan_no_classic"):
        grown = training_set(ARMS[name], train, pool)
        assert grown.class_counts()["bcc"] == largest
        assert is_generated(grown).sum() == largest - counts["bcc"]
    for factor in (0.5, 1, 2, 4):
        grown = training_set(ARMS[f"dcgan_x{factor:g}"], train, pool)
        assert is_generated(grown).sum() == round(factor * counts["bcc"])
        assert set(grown.dx[is_generated(grown)]) == {"bcc"}
    assert training_set(ARMS["classic"], train) is train


def test_an_arm_without_its_pool_is_refused(data):
    train = smoke_split(data).train
    with pytest.raises(ValueError, match="needs .* dcgan images"):
        training_set(ARMS["dcgan"], train, {})
    with pytest.raises(ValueError, match="needs .* cgan images, got 3"):
        training_set(ARMS["cgan"], train, {"cgan": np.zeros((3, 28, 28, 3), np.uint8)})


def test_generated_images_never_reach_validation_or_test(data):
    splits = smoke_split(data)
    fake = generated_data(np.zeros((2, 28, 28, 3), np.uint8), splits.train, "dcgan")
    assert synthetic_count(ARMS["classic"], splits.train) == 0
    from ganaug.experiment.arms import concatenate

    poisoned = type(splits)(splits.train, concatenate(splits.val, fake), splits.test)
    with pytest.raises(ValueError, match="generated images found in the val part"):
        cells_module.check_no_leak(splits.train, poisoned)
    leaky_train = concatenate(splits.train, splits.test.subset([0]))
    with pytest.raises(ValueError, match="test images are in the training set"):
        cells_module.check_no_leak(leaky_train, splits)


def test_study_writes_every_cell_and_its_predictions(study, data):
    results = load_results(study)
    assert set(results.columns) >= {"arm", "seed", "metric", "value"}
    assert finished_cells(study) == {("classic", 0), ("dcgan", 0), ("cgan", 0)}
    metrics = set(results["metric"])
    assert {"balanced_accuracy", "accuracy", "macro_f1", "recall_bcc", "recall_mel"} <= metrics
    test = smoke_split(data).test
    predictions = load_predictions(study)
    for arm, rows in predictions.groupby("arm"):
        # every arm of one seed is scored on the same test images, none of them generated
        assert sorted(rows["image_id"]) == sorted(test.image_id.tolist()), arm
        assert np.allclose(rows[["p_bcc", "p_bkl", "p_mel"]].sum(axis=1), 1, atol=1e-3)
    # Each cell's balanced accuracy is the one its written predictions file gives.
    from sklearn.metrics import balanced_accuracy_score

    scores = results.query("metric == 'balanced_accuracy'").set_index(["arm", "seed"])["value"]
    files = sorted((study / "predictions").glob("*.csv"))
    assert len(files) == len(scores) == 3
    for file in files:  # predictions/<arm>__seed<k>.csv
        arm, seed = file.stem.rsplit("__seed", 1)
        written = pd.read_csv(file)
        assert len(written) == len(test)
        expected = balanced_accuracy_score(written["true"], written["pred"])
        assert scores[(arm, int(seed))] == pytest.approx(expected, abs=1e-9), arm
    synthetic = results.query("metric == 'n_synthetic'").set_index("arm")["value"]
    assert synthetic["classic"] == 0 and synthetic["dcgan"] > 0


def test_no_test_or_validation_image_reaches_a_gan(study, data):
    splits = smoke_split(data)
    from ganaug.experiment import study_cache

    cache = study_cache(data, "smoke") / "seed0"
    held_out = set(splits.val.image_id.tolist()) | set(splits.test.image_id.tolist())
    for generator in ("dcgan", "cgan"):
        seen = set(trained_on(cache, generator).tolist())
        assert seen and seen <= set(splits.train.image_id.tolist())
        assert not seen & held_out
    assert set(trained_on(cache, "dcgan")) == set(splits.train.image_id[splits.train.dx == "bcc"])


def test_gan_quality_has_its_references(study):
    quality = pd.read_csv(study / "gan_quality.csv")
    assert set(quality["generator"]) == {"dcgan", "cgan", "real_half", "blurred"}
    assert set(quality["metric"]) >= {"fid", "kid", "memorised_fraction", "diversity"}


def test_resume_skips_finished_cells(study, data, monkeypatch):
    before = (study / "predictions" / "classic__seed0.csv").read_bytes()
    ran = []
    original = cells_module.run_cell

    def counting(arm, *args, **kwargs):
        ran.append(arm.name)
        return original(arm, *args, **kwargs)

    monkeypatch.setattr("ganaug.experiment.units.run_cell", counting)
    run_experiment(data, study, "smoke", arms=["classic", "none"], seeds=[0], progress=False)
    assert ran == ["none"]
    assert (study / "predictions" / "classic__seed0.csv").read_bytes() == before
    assert ("none", 0) in finished_cells(study)


def test_an_interrupted_run_keeps_whole_cells_only(tmp_path, data, monkeypatch):
    original, calls = cells_module.run_cell, []

    def crash_on_second(arm, *args, **kwargs):
        calls.append(arm.name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-cell
        return original(arm, *args, **kwargs)

    monkeypatch.setattr("ganaug.experiment.units.run_cell", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(
            data, tmp_path, "smoke", arms=["none", "class_weight"], seeds=[0], progress=False
        )
    assert finished_cells(tmp_path) == {("none", 0)}
    assert set(load_results(tmp_path)["arm"]) == {"none"}
    assert not list(tmp_path.rglob("*.partial"))
    monkeypatch.setattr("ganaug.experiment.units.run_cell", original)
    run_experiment(
        data, tmp_path, "smoke", arms=["none", "class_weight"], seeds=[0], progress=False
    )
    assert finished_cells(tmp_path) == {("none", 0), ("class_weight", 0)}


def test_bad_arguments_leave_results_untouched(study, data):
    digest = folder_digest(study)
    with pytest.raises(ValueError, match="unknown arm"):
        run_experiment(data, study, "smoke", arms=["gan"], progress=False)
    with pytest.raises(ValueError, match="zero seeds"):
        run_experiment(data, study, "smoke", seeds=[], progress=False)
    with pytest.raises(ValueError, match="'smoke' profile, not 'book'"):
        run_experiment(data, study, "book", arms=["none"], seeds=[0], progress=False)
    other = synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=4)
    with pytest.raises(ValueError, match="other data"):
        run_experiment(other, study, "smoke", arms=["none"], seeds=[0], progress=False)
    with pytest.raises(ValueError, match="unknown engine"):
        run_experiment(data, study, "smoke", arms=["none"], seeds=[0], engine="spark")
    assert folder_digest(study) == digest


def test_report_is_a_function_of_the_csv(study):
    results = load_results(study)
    text = render_report(results)
    assert text == render_report(results.sample(frac=1, random_state=0))
    assert "| classic |" in text and "| dcgan |" in text
    mean = results.query("arm == 'dcgan' and metric == 'balanced_accuracy'")["value"].mean()
    assert f"| dcgan | {ARMS['dcgan'].description} | 1 | {100 * mean:.1f}" in text


def test_cli_reproduce_refuses_bad_arguments(tmp_path, capsys):
    from ganaug.cli import main

    assert main(["reproduce", "--profile", "smoke", "--out", str(tmp_path), "--arms", "x"]) == 2
    assert "unknown arm(s) 'x'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
    with pytest.raises(SystemExit):
        main(["reproduce", "--profile", "smoke", "--out", str(tmp_path), "--seeds"])


def test_the_smoke_study_data_splits_on_every_source(monkeypatch, capsys):
    from ganaug.data import report_split
    from ganaug.experiment.plan import MIN_PER_CLASS, study_data

    monkeypatch.delenv("GANAUG_DATA_DIR", raising=False)
    monkeypatch.setenv("HOME", "/nonexistent-home")  # no per-user data folder either
    monkeypatch.setenv("XDG_DATA_HOME", "/nonexistent-data")
    with pytest.warns(UserWarning, match="SYNTHETIC"):
        data = study_data("smoke")  # offline: the balanced synthetic stand-in
    assert min(data.class_counts().values()) >= MIN_PER_CLASS
    splits = report_split(data, seed=0)
    assert all(part.classes == data.classes for part in splits.parts().values())
    assert "SYNTHETIC" in capsys.readouterr().out


def test_a_smaller_plan_keeps_its_gans_in_its_own_folder(data, tmp_path, monkeypatch):
    # A lesson's live run (experiment.live_plan) must never overwrite the study's cached pools.
    from dataclasses import replace

    from ganaug.experiment import gan_folder, live_plan, study_cache

    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))
    smaller = replace(SMOKE, cnn_epochs=1, gan=replace(SMOKE.gan, dcgan_steps=1))
    out = tmp_path / "live"
    results = run_experiment(data, out, "smoke", arms=["dcgan"], seeds=[0], progress=False,
                             plan=smaller)  # fmt: skip
    assert set(results["arm"]) == {"dcgan"}
    assert results.loc[results["metric"] == "epochs", "value"].max() <= 1
    assert gan_folder(data, out, smaller) == out / "gans"
    assert list((out / "gans").rglob("*.npz")), "the smaller plan's pool is in its own folder"
    assert not study_cache(data, "smoke").exists() or not list(
        study_cache(data, "smoke").rglob("*.npz")
    )
    assert gan_folder(data, out, SMOKE) == study_cache(data, "smoke")
    assert live_plan("smoke") == SMOKE
    with pytest.raises(ValueError, match="profile's"):
        run_experiment(data, tmp_path / "other", "smoke", plan=live_plan("book"), progress=False)
    assert not (tmp_path / "other").exists()
