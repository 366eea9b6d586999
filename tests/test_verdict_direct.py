"""chosen against dcgan directly (issue 36, deliverable 3), on the committed study: both
intervals follow from the folder's per-unit values (scipy's paired t, the corrected formula),
and the units whose kept GAN is the dcgan arm's own follow from gan_candidates.csv."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from ganaug.experiment import load_gan_candidates, load_results, unit_sizes
from ganaug.metrics import seed_table
from ganaug.verdict.direct import direct_intervals, units_sharing_gan


def test_direct_intervals_of_the_committed_study():
    results = load_results("results/book")
    table = direct_intervals(results)
    assert {(r.arm, r.baseline) for r in table.itertuples()} == {
        ("chosen", "dcgan"), ("chosen_no_classic", "dcgan_no_classic")}  # fmt: skip
    n_test, n_train = unit_sizes(results)
    for row in table.itertuples():
        values = seed_table(results, row.metric)[[row.baseline, row.arm]].dropna()
        d = (values[row.arm] - values[row.baseline]).to_numpy()
        low, high = stats.ttest_rel(values[row.arm], values[row.baseline]).confidence_interval()
        assert (row.paired_low, row.paired_high) == pytest.approx((low, high))
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1)
        half *= math.sqrt(1 / len(d) + n_test / n_train)
        assert (row.corrected_low, row.corrected_high) == pytest.approx(
            (d.mean() - half, d.mean() + half)
        )


def test_units_sharing_the_dcgan_arms_gan():
    candidates = load_gan_candidates("results/book")
    shared = units_sharing_gan(candidates)
    kept = candidates[candidates["kept"].astype(bool) & (candidates["metric"] == "fid")]
    fid = kept.pivot(index="seed", columns="generator", values="value")
    assert shared == sorted(
        int(u) for u in fid.index if fid.loc[u, "chosen"] == fid.loc[u, "dcgan"]
    )
    assert 0 < len(shared) < len(fid)


def test_the_kept_seeds_of_the_committed_study_are_the_lowest_validation_kid():
    from ganaug.verdict.direct import validation_kids

    kids = validation_kids("results/book")
    assert not kids.empty and set(kids["generator"]) == {"chosen"}
    for _, rows in kids.groupby(["generator", "unit"]):
        assert rows.loc[rows["val_kid"].idxmin(), "kept"] and rows["kept"].sum() == 1
    candidates = load_gan_candidates("results/book")
    flagged = candidates[candidates["kept"].astype(bool) & (candidates["generator"] == "chosen")]
    flagged = flagged[["seed", "gan_seed"]].drop_duplicates()
    kept = kids[kids["kept"]]
    assert sorted(zip(flagged["seed"], flagged["gan_seed"], strict=True)) == sorted(
        zip(kept["unit"], kept["gan_seed"], strict=True)
    )
