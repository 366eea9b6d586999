"""Primary comparisons fixed before the run, chosen on validation; and the leak in one model."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ganaug.data import synthetic_lesions
from ganaug.experiment.leak import cell_leak, leak_gap
from ganaug.experiment.primary import (
    BEST_GENERATOR,
    BEST_WITHOUT_GENERATOR,
    PRIMARY_COMPARISONS,
    choose_on_validation,
    primary_table,
    unit_sizes,
)
from ganaug.experiment.units import seed_splits

#: Balanced accuracy per unit (4 units). On TEST, oversample and dcgan_x4 look best; on
#: VALIDATION, class_weight and cgan do: the choice must follow validation.
TEST = {
    "classic": [0.60, 0.58, 0.62, 0.61],
    "class_weight": [0.61, 0.60, 0.61, 0.62],
    "oversample": [0.64, 0.63, 0.66, 0.65],
    "dcgan": [0.62, 0.58, 0.63, 0.63],
    "cgan": [0.61, 0.59, 0.63, 0.61],
    "dcgan_x4": [0.66, 0.65, 0.67, 0.66],
    "classic_by_image": [0.70, 0.69, 0.71, 0.72],
}
VALIDATION = {
    "classic": [0.60, 0.60, 0.60, 0.60],
    "class_weight": [0.63, 0.63, 0.63, 0.63],
    "oversample": [0.61, 0.61, 0.61, 0.61],
    "dcgan": [0.60, 0.61, 0.60, 0.61],
    "cgan": [0.64, 0.64, 0.64, 0.64],
    "dcgan_x4": [0.59, 0.59, 0.59, 0.59],
    "classic_by_image": [0.90, 0.90, 0.90, 0.90],  # leaky validation: never chosen
}
N_TEST, N_TRAIN = 200, 700


def long_table(values: dict, metric: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"arm": arm, "seed": seed, "metric": metric, "value": value}
            for arm, row in values.items()
            for seed, value in enumerate(row)
        ]
    )


@pytest.fixture
def results():
    return pd.concat(
        [long_table(TEST, "balanced_accuracy"), long_table(VALIDATION, "val_balanced_accuracy")],
        ignore_index=True,
    )


def test_the_primary_comparisons_are_declared():
    report, best = PRIMARY_COMPARISONS
    assert (report.arm, report.baseline) == ("dcgan", "classic")
    assert (best.arm, best.baseline) == (BEST_GENERATOR, BEST_WITHOUT_GENERATOR)


def test_arms_are_chosen_on_validation_never_on_test(results):
    assert choose_on_validation(results) == ("cgan", "class_weight")
    # Swapping the test values changes nothing.
    swapped = results.copy()
    test_rows = swapped["metric"] == "balanced_accuracy"
    swapped.loc[test_rows, "value"] = swapped.loc[test_rows, "value"].to_numpy()[::-1]
    assert choose_on_validation(swapped) == ("cgan", "class_weight")


def test_ties_go_to_the_registry_order(results):
    tied = results.copy()
    tied.loc[tied["metric"] == "val_balanced_accuracy", "value"] = 0.5
    assert choose_on_validation(tied) == ("dcgan", "classic")  # first in ARMS of each kind


def test_old_results_without_validation_rows_are_refused(results):
    with pytest.raises(ValueError, match="no 'val_balanced_accuracy' rows"):
        choose_on_validation(results[results["metric"] == "balanced_accuracy"])


def test_primary_table_gives_both_intervals(results):
    table = primary_table(results, N_TEST, N_TRAIN).set_index("comparison")
    assert table["family"].tolist()[:2] == ["primary", "primary"]
    claim = table.loc["report's claim"]
    d = np.subtract(TEST["dcgan"], TEST["classic"])  # 0.02, 0.00, 0.01, 0.02
    assert claim["mean_difference"] == pytest.approx(0.0125)
    plain = stats.ttest_rel(TEST["dcgan"], TEST["classic"])
    assert (claim["paired_low"], claim["paired_high"]) == pytest.approx(
        tuple(plain.confidence_interval(0.95))
    )
    half = stats.t.ppf(0.975, 3) * d.std(ddof=1) * math.sqrt(1 / 4 + N_TEST / N_TRAIN)
    assert claim["corrected_high"] - claim["mean_difference"] == pytest.approx(half)
    assert claim["corrected_low"] < claim["paired_low"]
    primary = table[table["family"] == "primary"]  # Holm over the two primary ones alone
    expected = multipletests(primary["p_corrected"], method="holm")[1]
    assert primary["p_holm"].to_numpy() == pytest.approx(expected)
    best = table.loc["best generator vs best without"]
    assert (best["arm"], best["baseline"], best["units"]) == ("cgan", "class_weight", 4)


def test_secondary_comparisons_are_holm_corrected(results):
    table = primary_table(results, N_TEST, N_TRAIN)
    secondary = table[table["family"] == "secondary"]
    # every lesion-split arm against classic except the primary pair (dcgan vs classic)
    assert sorted(secondary["arm"]) == ["cgan", "class_weight", "dcgan_x4", "oversample"]
    assert (secondary["baseline"] == "classic").all()
    expected = multipletests(secondary["p_corrected"], method="holm")[1]
    assert secondary["p_holm"].to_numpy() == pytest.approx(expected)
    assert (secondary["p_holm"] >= secondary["p_corrected"]).all()


def test_unit_sizes_count_real_training_images():
    rows = pd.DataFrame(
        {
            "arm": "classic",
            "seed": [0, 0, 0, 1, 1, 1],
            "metric": ["n_test", "n_train", "n_synthetic"] * 2,
            "value": [200, 700, 0, 210, 690, 0],
        }
    )
    assert unit_sizes(rows) == (205.0, 695.0)


# The leak, measured inside one model.


def test_leak_gap_by_hand():
    # Lesions a and b were in training; c, d, e were not. Seen: 4 images, 4 right. Unseen: 4
    # images, 2 right (bcc 1 of 2, mel 1 of 2) -> accuracy gap 0.5, balanced accuracy gap 0.5.
    rows = pd.DataFrame(
        {
            "lesion_group": ["a", "a", "b", "b", "c", "d", "d", "e"],
            "true": ["bcc", "bcc", "mel", "mel", "bcc", "bcc", "mel", "mel"],
            "pred": ["bcc", "bcc", "mel", "mel", "bcc", "mel", "mel", "bcc"],
        }
    )
    result = leak_gap(rows, train_lesions=["a", "b", "z"])
    assert (result["n_seen"], result["n_unseen"]) == (4, 4)
    assert result["accuracy_gap"] == pytest.approx(0.5)
    assert result["balanced_accuracy_unseen"] == pytest.approx(0.5)
    assert result["balanced_accuracy_gap"] == pytest.approx(0.5)


def test_leak_gap_merges_the_same_lesion_pairs():
    rows = pd.DataFrame(
        {"lesion_id": ["HAM_0007604", "HAM_0000001"], "true": ["bkl"] * 2, "pred": ["bkl"] * 2}
    )
    assert leak_gap(rows, ["HAM_0000955"])["n_seen"] == 1  # 7604 is the same lesion as 0955


def test_leak_gap_needs_both_kinds_of_test_image():
    rows = pd.DataFrame({"lesion_group": ["a"], "true": ["mel"], "pred": ["mel"]})
    with pytest.raises(ValueError, match="needs both kinds"):
        leak_gap(rows, ["a"])


def test_cell_leak_takes_the_training_lesions_of_the_unit():
    data = synthetic_lesions({"bcc": 30, "bkl": 45, "mel": 50}, seed=3)
    split = seed_splits(data, 1, protocol="kfold")["image"]
    predictions = pd.DataFrame(
        {
            "image_id": split.test.image_id,
            "lesion_group": split.test.lesion_id,
            "true": split.test.dx,
            "pred": split.test.dx,
            "arm": "classic_by_image",
            "seed": 1,
        }
    )
    result = cell_leak(data, predictions, 1, protocol="kfold")
    assert result["n_seen"] + result["n_unseen"] == len(split.test)
    assert result["n_seen"] == pytest.approx(split.leaked_test_fraction() * len(split.test))
    with pytest.raises(ValueError, match="not on the test images"):
        cell_leak(data, predictions.assign(seed=0), 0, protocol="kfold")
