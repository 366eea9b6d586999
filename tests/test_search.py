"""The generator search: K GAN seeds per kind and unit, every GAN measured, resumable, and the
rule fixed before measuring applied to what it wrote."""

from __future__ import annotations

import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment.provenance import read_run
from ganaug.experiment.search import SEARCH_PLANS, baseline_candidate, run_search
from ganaug.experiment.search_rule import apply_rule, kept_seeds


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    out = tmp_path_factory.mktemp("search")
    data = synthetic_lesions({"bcc": 40, "bkl": 40, "mel": 40}, seed=4)
    return out, data, run_search(data, out, "smoke", progress=False)


def test_every_gan_of_every_kind_seed_and_checkpoint_is_measured(searched):
    out, _, search = searched
    plan = SEARCH_PLANS["smoke"]
    expected = {
        (f"{kind}@{steps}", seed)
        for kind, checkpoints in plan.kinds
        for steps in checkpoints
        for seed in range(plan.seeds)
    }
    generated = search[search["gan_seed"] >= 0]
    assert (
        set(map(tuple, generated[["candidate", "gan_seed"]].drop_duplicates().values)) == expected
    )
    for _, rows in generated.groupby(["candidate", "gan_seed"]):
        assert {"fid", "kid", "val_kid", "diversity", "gan_test"} <= set(rows["metric"])
    references = search[search["gan_seed"] == -1]
    assert set(references["candidate"]) == {"real_half", "blurred"}
    run = read_run(out)
    assert len(run["points"]) == len(expected) and set(run["extractors"]) == {"0"}
    assert all(point["seconds"] >= 0 and point["version"] for point in run["points"].values())


def test_a_second_run_measures_nothing_again(searched, monkeypatch):
    out, data, search = searched
    calls = []
    monkeypatch.setattr(
        "ganaug.experiment.search.train_gan", lambda *args, **kwargs: calls.append(args)
    )
    again = run_search(data, out, "smoke", progress=False)
    assert calls == []
    pd.testing.assert_frame_equal(again, search)


def test_the_rule_keeps_the_lowest_validation_kid_and_ranks_the_kinds(searched):
    _, _, search = searched
    kept = kept_seeds(search)
    kids = search[search["metric"] == "val_kid"]
    for _, row in kept.iterrows():
        mine = kids[(kids["candidate"] == row["candidate"]) & (kids["unit"] == row["unit"])]
        assert mine.loc[mine["value"].idxmin(), "gan_seed"] == row["gan_seed"]
    table, chosen = apply_rule(search, baseline_candidate("smoke"))
    assert chosen == table.index[0] and table["baseline"].sum() == 1
    ranked = list(zip(-table["units_met"], table["mean_fid"], strict=True))
    assert ranked == sorted(ranked)


def test_a_search_of_other_data_is_refused(searched):
    out, _, _ = searched
    other = synthetic_lesions({"bcc": 40, "bkl": 40, "mel": 40}, seed=5)
    with pytest.raises(ValueError, match="another data fingerprint"):
        run_search(other, out, "smoke", progress=False)
