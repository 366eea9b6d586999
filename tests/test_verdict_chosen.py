"""The search's generator in the study: its arms against classic and class_weight."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ganaug.experiment.primary import primary_table, unit_sizes
from ganaug.verdict import chosen

SIZES = {"n_test": 500, "n_train": 2000, "n_synthetic": 0}


def results(gains: dict[str, float], units: int = 10, seed: int = 0) -> pd.DataFrame:
    """Test and validation balanced accuracy per unit: classic plus noise, each arm a gain."""
    rng = np.random.default_rng(seed)
    base = 0.6 + rng.normal(0, 0.02, units)
    rows = [{"arm": "classic", "seed": u, "metric": m, "value": v}
            for u in range(units) for m, v in SIZES.items()]  # fmt: skip
    for arm, gain in {"classic": 0.0, **gains}.items():
        values = base + gain + rng.normal(0, 0.003, units) * (arm != "classic")
        for metric in ("balanced_accuracy", "val_balanced_accuracy"):
            rows += [{"arm": arm, "seed": u, "metric": metric, "value": v}
                     for u, v in enumerate(values)]  # fmt: skip
    return pd.DataFrame(rows)


def test_against_classic_it_is_the_studys_own_secondary_row():
    frame = results(
        {"class_weight": 0.01, "dcgan": 0.0, "chosen": 0.03, "chosen_no_classic": -0.02}
    )
    table = chosen.chosen_intervals(frame).set_index(["arm", "baseline"])
    study = primary_table(frame, *unit_sizes(frame)).set_index(["arm", "baseline"])
    for arm in chosen.CHOSEN_ARMS:
        assert table.loc[(arm, "classic"), "family"] == "secondary"
        for column in ("corrected_low", "corrected_high", "p_holm"):
            assert table.loc[(arm, "classic"), column] == study.loc[(arm, "classic"), column]
        assert table.loc[(arm, "class_weight"), "family"] == "description"
    gain = table.loc[("chosen", "class_weight"), "mean_difference"]
    assert abs(gain - 0.02) < 0.005  # chosen's gain minus class_weight's


def test_a_study_without_the_chosen_arms_gives_an_empty_table():
    frame = results({"class_weight": 0.0, "dcgan": 0.0})
    table = chosen.chosen_intervals(frame)
    assert table.empty
