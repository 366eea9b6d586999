"""chosen against dcgan directly (issue 36, deliverable 3), on the committed study: both
intervals follow from the folder's per-unit values (scipy's paired t, the corrected formula),
the units whose kept GAN is the dcgan arm's own follow from gan_candidates.csv, and the recipe
is worded from the plan."""

from __future__ import annotations

import dataclasses
import math

import pytest
from scipy import stats

from ganaug.experiment import gans, load_gan_candidates, load_results, study_plan, unit_sizes
from ganaug.metrics import seed_table
from ganaug.verdict import direct
from ganaug.verdict.direct import (
    describe_chosen_recipe,
    describe_direct,
    direct_intervals,
    units_sharing_gan,
)


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
    words = describe_direct(table)
    assert words.count("chosen - dcgan:") == 2 and "plain accuracy" in words


def test_units_sharing_the_dcgan_arms_gan():
    candidates = load_gan_candidates("results/book")
    shared = units_sharing_gan(candidates)
    kept = candidates[candidates["kept"].astype(bool) & (candidates["metric"] == "fid")]
    fid = kept.pivot(index="seed", columns="generator", values="value")
    assert shared == sorted(
        int(u) for u in fid.index if fid.loc[u, "chosen"] == fid.loc[u, "dcgan"]
    )
    assert 0 < len(shared) < len(fid)


def test_recipe_words_follow_the_plan(monkeypatch):
    plan = study_plan("book")
    words = describe_chosen_recipe(plan, [1, 2], 10)
    assert f"best of {plan.gan_seed_count('chosen')} seeds of the same recipe as dcgan" in words
    assert "on 2 of the 10 units" in words
    single = dataclasses.replace(plan, gan_seeds=())
    assert "best of" not in describe_chosen_recipe(single, [], 10)
    monkeypatch.setattr(direct, "SEARCH_CHOICE", ("dcgan_diffaugment", 2))
    other = describe_chosen_recipe(plan, [1, 2], 10)
    assert "same recipe" not in other and "dcgan_diffaugment" in other and "2 times" in other
    assert gans.SEARCH_CHOICE  # the module's own constant is untouched


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
