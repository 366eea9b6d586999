"""Equivalence tests (TOST) at the report's 2 points (issue 36, deliverable 4), checked against
statsmodels' own TOST for the paired case and against the corrected interval's definition for
the corrected case."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.weightstats import ttost_paired

from ganaug.experiment import load_results, unit_sizes
from ganaug.metrics import corrected_resampled_t, seed_table
from ganaug.metrics.equivalence import equivalence_word, tost, tost_corrected, tost_paired
from ganaug.verdict.equivalence import equivalence_display, equivalence_table, folder_equivalence

RNG = np.random.default_rng(36)
SAMPLES = [RNG.normal(mean, sd, size) for mean, sd, size in
           ((0.002, 0.02, 10), (0.015, 0.01, 8), (-0.01, 0.03, 20), (0.0, 0.005, 5))]  # fmt: skip


@pytest.mark.parametrize("index", range(len(SAMPLES)))
@pytest.mark.parametrize("margin", [0.01, 0.02, 0.05])
def test_paired_tost_is_statsmodels_tost(index, margin):
    d = SAMPLES[index]
    baseline = RNG.uniform(0.6, 0.7, len(d))
    p, lower, upper = ttost_paired(baseline + d, baseline, -margin, margin)
    mine = tost_paired(d, margin)
    assert mine["p"] == pytest.approx(p, rel=1e-9, abs=1e-12)
    assert mine["p_lower"] == pytest.approx(lower[1], rel=1e-9, abs=1e-12)
    assert mine["p_upper"] == pytest.approx(upper[1], rel=1e-9, abs=1e-12)
    assert mine["ruled_out"] == (p < 0.05)


@pytest.mark.parametrize("index", range(len(SAMPLES)))
@pytest.mark.parametrize("margin", [0.01, 0.02, 0.05])
def test_corrected_tost_rules_out_exactly_when_the_90_interval_is_inside(index, margin):
    d = SAMPLES[index]
    mine = tost_corrected(d, 300, 1200, margin)
    interval = corrected_resampled_t(d, 300, 1200, confidence=0.90)
    assert (mine["low"], mine["high"]) == pytest.approx((interval["low"], interval["high"]))
    assert mine["ruled_out"] == (-margin < interval["low"] and interval["high"] < margin)
    if mine["ruled_out"]:  # what new images rule out, these images rule out too
        assert tost_paired(d, margin)["ruled_out"]


def test_no_spread_and_bad_input():
    assert tost(0.001, 0.0, 5, 0.02)["ruled_out"] and not tost(0.03, 0.0, 5, 0.02)["ruled_out"]
    with pytest.raises(ValueError, match="margin"):
        tost(0.0, 0.01, 5, 0.0)
    with pytest.raises(ValueError, match="n_test"):
        tost_corrected([0.01, 0.02], 0, 10)


def test_words():
    assert [equivalence_word(p) for p in (0.049, 0.05, float("nan"))] == [
        "ruled out", "not ruled out", "not ruled out"]  # fmt: skip


def test_committed_folder():
    """The report's claim in the committed study: every row's p is the TOST of that folder's
    own per-unit differences (statsmodels for the paired question), its answer follows p."""
    results = load_results("results/book")
    table = folder_equivalence("results/book")
    assert set(table["metric"]) == {"accuracy", "balanced_accuracy"}
    assert set(table["question"]) == {"paired", "corrected"}
    n_test, n_train = unit_sizes(results)
    for row in table.itertuples():
        values = seed_table(results, row.metric)[[row.baseline, row.arm]].dropna()
        d = (values[row.arm] - values[row.baseline]).to_numpy()
        if row.question == "paired":
            expected = ttost_paired(values[row.arm], values[row.baseline], -0.02, 0.02)[0]
        else:
            expected = tost_corrected(d, n_test, n_train, 0.02)["p"]
        assert row.p == pytest.approx(expected, rel=1e-9)
        assert row.answer == ("ruled out" if row.p < 0.05 else "not ruled out")
    claim = table[(table["arm"] == "dcgan") & (table["baseline"] == "classic")]
    assert len(claim) == 4
    shown = equivalence_display(table)
    assert len(shown) == len(table)


def test_table_on_a_small_study():
    sizes = {"n_test": 2, "n_train": 8, "n_synthetic": 0}
    d = [0.05, 0.03, 0.06, 0.04]
    rows = [
        {"arm": "classic", "seed": s, "metric": m, "value": v}
        for s in range(4)
        for m, v in sizes.items()
    ] + [
        {"arm": a, "seed": s, "metric": m, "value": 0.6 + (a == "dcgan") * d[s]}
        for a in ("classic", "dcgan")
        for s in range(4)
        for m in ("accuracy", "balanced_accuracy")
    ]
    table = equivalence_table(pd.DataFrame(rows))
    assert (table["answer"] == "not ruled out").all()  # a 4.5-point gain: 2 points is not out
