"""One feature extractor per unit: cached under its key, the same numbers when a pool is measured
twice, retrained when the key changes, different for different units; and the rule that
chooses the improved DCGAN's fixes."""

import shutil
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import extractor as extractor_module
from ganaug.experiment.choice import FALLBACK, choose_plus
from ganaug.experiment.extractor import extractor_folder, extractor_key, unit_extractor
from ganaug.experiment.plan import study_plan
from ganaug.experiment.quality import gan_quality_rows
from ganaug.experiment.units import seed_splits
from ganaug.metrics.gan_quality import classifier_features


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 30, "bkl": 36, "mel": 36}, seed=5)


@pytest.fixture(scope="module")
def plan():
    return study_plan("smoke")


def _splits(data, unit, plan):
    return seed_splits(data, unit, plan.protocol, plan.folds)["lesion"]


def _count_trainings(monkeypatch) -> list:
    calls = []
    real = extractor_module.fit_classifier
    monkeypatch.setattr(
        extractor_module, "fit_classifier", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    return calls


@pytest.fixture(scope="module")
def trained(tmp_path_factory, data, plan):
    """Unit 0's extractor on the smoke plan, trained once: its cache folder, model and key."""
    folder = tmp_path_factory.mktemp("extractors")
    model, key = unit_extractor(_splits(data, 0, plan), plan, 0, folder)
    return folder, model, key


@pytest.fixture
def cache(trained, tmp_path):
    """A copy of that cache folder, for a test to add to."""
    return shutil.copytree(trained[0], tmp_path / "cache")


def test_measuring_the_same_pool_twice_gives_the_same_numbers(
    trained, cache, data, plan, monkeypatch
):
    splits = _splits(data, 0, plan)
    _, first_model, first_key = trained  # a first run: trained
    calls = _count_trainings(monkeypatch)
    pool = np.random.default_rng(0).integers(0, 256, (40, 28, 28, 3), dtype=np.uint8)
    first = gan_quality_rows(first_model, splits, {"dcgan": pool}, 0)
    second_model, second_key = unit_extractor(splits, plan, 0, cache)  # a second run: loaded
    second = gan_quality_rows(second_model, splits, {"dcgan": pool}, 0)
    assert calls == [] and first_key == second_key == extractor_key(splits, plan, 0)
    assert second_model.class_names == splits.train.classes
    pd.testing.assert_frame_equal(first, second)
    assert np.isfinite(first["value"].astype(float)).sum() > 10


def test_a_changed_key_trains_a_new_extractor(cache, data, plan, monkeypatch):
    splits = _splits(data, 0, plan)
    calls = _count_trainings(monkeypatch)
    longer = replace(plan, cnn_epochs=plan.cnn_epochs + 1)
    assert extractor_key(splits, longer, 0) != extractor_key(splits, plan, 0)
    _, key = unit_extractor(splits, longer, 0, cache)
    assert len(calls) == 1 and key == extractor_key(splits, longer, 0)
    monkeypatch.setattr(extractor_module, "code_hash", lambda packages: "0" * 64)
    unit_extractor(splits, longer, 0, cache)  # other training code: trained again
    assert len(calls) == 2


def test_two_units_get_different_extractors(trained, cache, data, plan):
    images = data.images[:16]
    _, model_0, key_0 = trained
    model_1, key_1 = unit_extractor(_splits(data, 1, plan), plan, 1, cache)
    assert key_0["unit"] == "0" and key_1["unit"] == "1" and key_0["data"] != key_1["data"]
    assert extractor_folder(cache, 0) != extractor_folder(cache, 1)
    features_0 = classifier_features(model_0, images)
    features_1 = classifier_features(model_1, images)
    assert not np.allclose(features_0, features_1)


def test_the_study_records_the_extractor_it_measured_on(tmp_path, data):
    from ganaug.experiment import run_experiment
    from ganaug.experiment.provenance import read_run
    from ganaug.experiment.runner import study_cache

    out = tmp_path / "study"
    run_experiment(data, out, "smoke", arms=["classic", "dcgan"], seeds=[0], progress=False)
    run = read_run(out)
    plan = study_plan("smoke")
    assert run["extractors"]["0"] == extractor_key(_splits(data, 0, plan), plan, 0)
    assert (extractor_folder(study_cache(data, "smoke"), 0) / "extractor.weights.h5").exists()
    assert set(pd.read_csv(out / "gan_quality.csv")["generator"]) >= {"dcgan", "real_half"}
    run["pieces"]["extractor/u0"]["version"] = "another recipe"
    (out / "run.json").write_text(__import__("json").dumps(run))
    before = (out / "results.csv").read_bytes()
    run_experiment(data, out, "smoke", arms=["classic", "dcgan"], seeds=[0], progress=False)
    assert (out / "results.csv").read_bytes() == before  # a stale extractor re-measures quality
    assert read_run(out)["pieces"]["extractor/u0"]["version"] != "another recipe"


def _ablation(values: dict) -> pd.DataFrame:
    rows = [
        (unit, generator, metric, value)
        for generator, per_unit in values.items()
        for unit, metrics in enumerate(per_unit)
        for metric, value in metrics.items()
    ]
    return pd.DataFrame(rows, columns=["unit", "generator", "metric", "value"])


def _unit(fid, recall, near=0.0):
    return {"fid": fid, "recall": recall, "near_duplicates": near}


def test_the_rule_takes_the_lowest_fid_among_candidates_that_keep_recall_and_variety():
    ablation = _ablation(
        {
            "dcgan": [_unit(3, 0.5), _unit(3, 0.5)],
            "low_fid_low_recall": [_unit(1, 0.3), _unit(1, 0.3)],
            "copies_on_one_unit": [_unit(1.5, 0.6), _unit(1.5, 0.6, near=0.02)],
            "fair": [_unit(2.5, 0.5), _unit(2.0, 0.6)],
            "better": [_unit(2.0, 0.7), _unit(2.2, 0.5)],
        }
    )
    names = ["low_fid_low_recall", "copies_on_one_unit", "fair", "better"]
    choice = choose_plus(ablation, names)
    assert choice.chosen == "better" and not choice.fallback
    assert list(choice.table.index[choice.table["qualifies"]]) == ["fair", "better"]


def test_the_rule_falls_back_to_ema_when_no_candidate_qualifies_or_units_differ():
    ablation = _ablation({"dcgan": [_unit(3, 0.5)] * 2, "worse": [_unit(1, 0.4)] * 2})
    choice = choose_plus(ablation, ["worse"])
    assert choice.chosen == FALLBACK and choice.fallback
    with pytest.raises(ValueError, match="no 'missing'"):
        choose_plus(ablation, ["missing"])
    one_unit = ablation[~((ablation["generator"] == "worse") & (ablation["unit"] == 1))]
    with pytest.raises(ValueError, match="same units"):
        choose_plus(one_unit, ["worse"])
