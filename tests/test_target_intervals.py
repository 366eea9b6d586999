"""Quality targets with their uncertainty (issue 36, deliverable 1): the bootstrap intervals,
the verdicts read from them and the real reference's pass rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ganaug.experiment import load_gan_quality, load_predictions
from ganaug.metrics.target_intervals import (
    binomial_gap_pass,
    interval_verdict,
    real_pass_rates,
    target_intervals,
)
from ganaug.metrics.targets import TARGETS, quality_targets
from ganaug.verdict.quality import half_images

REAL = {"fid": 1.0, "diversity": 4.0, "gan_test": 0.60, "recall": 0.9}


def _quality(generator, units=8, jitter=0.0, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for unit in range(units):
        rows += [(unit, "real_half", m, v) for m, v in REAL.items()]
        rows += [(unit, "real_half", "near_duplicates", 0.0), (unit, "blurred", "fid", 6.0)]
        rows += [(unit, "gen", m, v * (1 + jitter * rng.normal())) for m, v in generator.items()]
    return pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])


def test_far_from_every_threshold_the_verdicts_are_firm():
    good = {"fid": 1.2, "diversity": 3.9, "gan_test": 0.61, "near_duplicates": 0.0,
            "recall": 0.88}  # fmt: skip
    table = target_intervals(_quality(good, jitter=0.02)).loc["gen"]
    assert (table["verdict"] == "met").all(), table
    bad = {"fid": 9.0, "diversity": 1.0, "gan_test": 0.95, "near_duplicates": 0.2,
           "recall": 0.2}  # fmt: skip
    table = target_intervals(_quality(bad, jitter=0.02)).loc["gen"]
    missed = set(table.index[table["verdict"] == "missed"])
    assert missed == set(TARGETS) - {"gan_test_spread"}  # a steady bad gap is steady


def test_near_a_threshold_noisy_units_cannot_say():
    near = {"fid": 2.0, "diversity": 3.2, "gan_test": 0.7, "near_duplicates": 0.0, "recall": 0.72}
    table = target_intervals(_quality(near, jitter=0.3)).loc["gen"]
    for name in ("fid_near_reference", "diversity", "gan_test_bias", "recall"):
        assert table.loc[name, "verdict"] == "undecided", name


def test_the_committed_quality_agrees_with_the_point_targets():
    quality = load_gan_quality("results/book")
    table = target_intervals(quality)
    points = quality_targets(quality)
    for (generator, name), row in table.iterrows():
        assert row["passes"] == bool(points.loc[generator, name]), (generator, name)
        if row["verdict"] == "met":
            assert row["passes"]
        if row["verdict"] == "missed":
            assert not row["passes"]
        if name != "near_duplicates" and np.isfinite(row["low"]):
            assert row["low"] <= row["estimate"] <= row["high"] or name == "gan_test_spread"


def test_interval_verdicts_on_the_band_around_zero():
    assert interval_verdict("gan_test_bias", -0.05, 0.05) == "met"
    assert interval_verdict("gan_test_bias", -0.3, -0.11) == "missed"
    assert interval_verdict("gan_test_bias", -0.3, 0.3) == "undecided"
    assert interval_verdict("recall", np.nan, 0.9) == "undecided"


@pytest.mark.parametrize("p, images", [(0.6, 51), (0.9, 20), (0.3, 80)])
def test_the_binomial_gap_against_a_simulation(p, images):
    rng = np.random.default_rng(7)
    a = rng.binomial(images, p, 200_000) / images
    b = rng.binomial(images, p, 200_000) / images
    simulated = float(np.mean(np.abs(a - b) <= 0.10 + 1e-12))
    assert binomial_gap_pass(p, images, 0.10) == pytest.approx(simulated, abs=0.005)


def test_real_pass_rates_of_the_committed_study():
    quality = load_gan_quality("results/book")
    predictions = load_predictions("results/book", arm="classic")
    halves = half_images(predictions)
    assert len(halves) == quality["seed"].nunique() and min(halves.values()) > 10
    rates = real_pass_rates(quality, halves)
    real = quality[quality["generator"] == "real_half"].pivot(
        index="seed", columns="metric", values="value"
    )
    blurred = quality[(quality["generator"] == "blurred") & (quality["metric"] == "fid")]
    below = (real["fid"].to_numpy() < blurred.set_index("seed")["value"].loc[real.index]).mean()
    assert rates.loc["fid_below_blurred", "pass_rate"] == pytest.approx(below)
    assert 0.5 < rates.loc["gan_test_bias", "pass_rate"] < 0.95  # noise alone fails some units
    assert rates.loc[["fid_near_reference", "diversity"], "pass_rate"].isna().all()
