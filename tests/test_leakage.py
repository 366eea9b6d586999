"""The leak of the split by image, measured inside one model per unit of a results folder."""

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score

from ganaug.data import synthetic_lesions
from ganaug.experiment import run_experiment
from ganaug.experiment.plan import study_plan
from ganaug.experiment.store import load_predictions
from ganaug.experiment.units import seed_splits
from ganaug.verdict.leakage import data_matches, unit_leak_gaps

DATA = synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=2)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("results") / "leak"
    run_experiment(DATA, out, "smoke", arms=["classic_by_image"], seeds=[0], progress=False)
    return out


def test_the_gap_is_the_models_score_on_seen_minus_unseen_lesions(folder):
    gaps = unit_leak_gaps(folder, DATA)
    assert gaps.index.tolist() == [0]
    plan = study_plan("smoke")
    split = seed_splits(DATA, 0, plan.protocol, plan.folds)["image"]
    rows = load_predictions(folder)
    rows = rows.set_index("image_id").loc[split.test.image_id.tolist()]
    seen = np.isin(split.test.lesion_id, split.train.lesion_id)  # no merged pairs in the stand-in
    assert 0 < seen.sum() < len(seen), "the stand-in must have lesions on both sides"
    expected = {
        "seen": balanced_accuracy_score(rows["true"][seen], rows["pred"][seen]),
        "unseen": balanced_accuracy_score(rows["true"][~seen], rows["pred"][~seen]),
    }
    row = gaps.loc[0]
    assert row["n_seen"] == seen.sum() and row["n_unseen"] == (~seen).sum()
    assert row["balanced_accuracy_seen"] == pytest.approx(expected["seen"])
    assert row["balanced_accuracy_unseen"] == pytest.approx(expected["unseen"])
    assert row["balanced_accuracy_gap"] == pytest.approx(expected["seen"] - expected["unseen"])


def test_other_images_than_the_studys_are_refused(folder):
    other = synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=3)
    assert data_matches(folder, DATA) and not data_matches(folder, other)
    with pytest.raises(ValueError, match="GANAUG_DATA_DIR"):
        unit_leak_gaps(folder, other)


def test_a_folder_without_the_by_image_arm_is_named(tmp_path):
    out = tmp_path / "none_only"
    run_experiment(DATA, out, "smoke", arms=["none"], seeds=[0], progress=False)
    with pytest.raises(ValueError, match="classic_by_image"):
        unit_leak_gaps(out, DATA)
