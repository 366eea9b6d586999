"""The generator search: K GAN seeds per kind and unit, every GAN measured, resumable, and the
rule fixed before measuring applied to what it wrote."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import quality, search
from ganaug.experiment.provenance import read_run
from ganaug.experiment.search import SEARCH_PLANS, baseline_candidate, measured_on, run_search
from ganaug.experiment.search_rule import apply_rule, kept_seeds

#: Every image array the search hands to the extractor or to a quality measure, by row hash,
#: and every unit's test and validation images, so a test can prove which images the rule read.
SEEN: dict[str, set] = {"measured": set(), "test": set(), "val": set()}


def _hashes(images) -> set[str]:
    images = np.asarray(images)
    if images.ndim != 4:  # features or one image: not a batch of images
        return set()
    return {hashlib.sha1(np.ascontiguousarray(row).tobytes()).hexdigest() for row in images}


def _spy(function):
    def spied(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, np.ndarray):
                SEEN["measured"] |= _hashes(value)
        return function(*args, **kwargs)

    return spied


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    out = tmp_path_factory.mktemp("search")
    data = synthetic_lesions({"bcc": 40, "bkl": 40, "mel": 40}, seed=4)
    splits_of = search.seed_splits

    def recorded(*args, **kwargs):
        splits = splits_of(*args, **kwargs)
        SEEN["test"] |= _hashes(splits["lesion"].test.images)
        SEEN["val"] |= _hashes(splits["lesion"].val.images)
        return splits

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "seed_splits", recorded)
        for module, name in (
            (search, "classifier_features"),
            (quality, "classifier_features"),
            (quality, "gan_test"),
            (quality, "memorisation_table"),
            (quality, "diversity"),
            (quality, "near_duplicate_share"),
            (quality, "blur_images"),
            (quality, "checkerboard_score"),
        ):
            patch.setattr(module, name, _spy(getattr(module, name)))  # fmt: skip
        return out, data, run_search(data, out, "smoke", progress=False)


def test_no_test_image_reaches_the_rule(searched):
    """Every image the search measured (its references, their blurred copies, the features of
    the validation KID) is a validation image or a generated one: none is a test image."""
    out, _, _ = searched
    assert SEEN["test"] and SEEN["val"] and not SEEN["test"] & SEEN["val"]
    assert not SEEN["measured"] & SEEN["test"]
    assert SEEN["measured"] & SEEN["val"]  # the references are validation bcc
    run = read_run(out)
    assert measured_on(run) == {"validation": len(run["points"])}


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
