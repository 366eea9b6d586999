"""The per-class recall table (issue 36, deliverable 6) on the committed study: every row's
numbers are the plain paired t and the corrected resampled t of that folder's own per-unit
recalls, computed here with scipy and the formula."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from ganaug.experiment import load_results, unit_sizes
from ganaug.metrics import seed_table
from ganaug.verdict.recall import balancing_arms, folder_recall, recall_classes, recall_display


def test_recall_table_of_the_committed_study():
    results = load_results("results/book")
    table = folder_recall("results/book")
    n_test, n_train = unit_sizes(results)
    assert recall_classes(results) == ["bcc", "bkl", "mel"]
    pairs = list(dict.fromkeys(zip(table["arm"], table["baseline"], strict=True)))
    assert pairs[:2] == [("dcgan", "classic"), ("dcgan_no_classic", "class_weight")]
    assert len(pairs) == len(set(pairs))
    for arm in balancing_arms(results):
        assert (arm, "classic") in pairs
    assert ("none", "classic") not in pairs and ("classic_by_image", "classic") not in pairs
    for row in table.itertuples():
        values = seed_table(results, f"recall_{row[4]}")[[row.baseline, row.arm]].dropna()
        d = (values[row.arm] - values[row.baseline]).to_numpy()
        test = stats.ttest_rel(values[row.arm], values[row.baseline])
        low, high = test.confidence_interval(0.95)
        assert (row.paired_low, row.paired_high) == pytest.approx((low, high))
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1)
        half *= math.sqrt(1 / len(d) + n_test / n_train)
        assert row.corrected_low == pytest.approx(d.mean() - half)
        assert row.arm_recall == pytest.approx(values[row.arm].mean())
    shown = recall_display(table)
    assert len(shown) == len(table)
