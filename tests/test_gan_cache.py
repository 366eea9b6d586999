"""A cached GAN pool is reused only under the same plan, GAN code and training images; any
other pool, and the checkpoints of any other key, are discarded and the GAN retrained."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from ganaug.data import report_split, synthetic_lesions
from ganaug.experiment import gans
from ganaug.experiment.gans import (
    GanPlan,
    checkpoint_folder,
    epochs_for_steps,
    gan_pool,
    pool_path,
    stored_key,
    trained_on,
    trained_steps,
)
from ganaug.experiment.plan import study_plan

PLAN = study_plan("smoke").gan
COUNT = 6


def first_epochs(train) -> int:
    """The epochs the smoke plan's DCGAN trains on ``train``'s bcc (its budget is in steps)."""
    bcc = int((train.dx == "bcc").sum())
    return epochs_for_steps(PLAN.dcgan_steps, bcc, min(PLAN.batch_size, bcc))


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


@pytest.fixture(scope="module")
def train(data):
    return report_split(data, seed=0).train


@pytest.fixture
def trainings(monkeypatch):
    """Every call of train_gan from gan_pool: how many epochs each really trained."""
    calls = []
    original = gans.train_gan

    def counting(*args, **kwargs):
        history = original(*args, **kwargs)
        calls.append(len(getattr(history, "epoch", [])))  # a finished run: an empty History
        return history

    monkeypatch.setattr(gans, "train_gan", counting)
    return calls


def test_the_same_key_reuses_the_pool_without_training(tmp_path, train, trainings):
    first = gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    assert trainings == [first_epochs(train)]
    assert first.shape == (COUNT, 28, 28, 3) and first.dtype == np.uint8
    again = gan_pool("dcgan", train, COUNT - 2, PLAN, 0, tmp_path)
    assert trainings == [first_epochs(train)]  # not trained, not even restored
    assert np.array_equal(again, first[: COUNT - 2])
    key = stored_key(pool_path(tmp_path, "dcgan"))
    assert key["plan"] == repr(PLAN) and key["code"] == gans.gan_code_version()
    bcc = train.image_id[train.dx == "bcc"]
    assert trained_on(tmp_path, "dcgan").tolist() == bcc.tolist()
    assert trained_steps(tmp_path, "dcgan") >= PLAN.dcgan_steps


def test_a_larger_pool_of_the_same_key_comes_from_the_checkpoint(tmp_path, train, trainings):
    first = gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    more = gan_pool("dcgan", train, 2 * COUNT, PLAN, 0, tmp_path)
    # the second call restored the finished run: zero epochs
    assert trainings == [first_epochs(train), 0]
    assert np.array_equal(more[:COUNT], first)


def test_a_pool_of_another_plan_is_retrained(tmp_path, train, trainings):
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    longer = dataclasses.replace(PLAN, dcgan_steps=3)
    gan_pool("dcgan", train, COUNT, longer, 0, tmp_path)
    bcc = int((train.dx == "bcc").sum())
    assert trainings == [first_epochs(train), epochs_for_steps(3, bcc, min(PLAN.batch_size, bcc))]
    assert stored_key(pool_path(tmp_path, "dcgan"))["plan"] == repr(longer)
    assert trained_steps(tmp_path, "dcgan") >= 3


def test_a_pool_of_other_gan_code_is_retrained(tmp_path, train, trainings, monkeypatch):
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    monkeypatch.setattr(gans, "gan_code_version", lambda: "edited since")
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    assert trainings == [first_epochs(train), first_epochs(train)]
    assert stored_key(pool_path(tmp_path, "dcgan"))["code"] == "edited since"


def test_a_pool_of_another_split_is_retrained(tmp_path, data, train, trainings):
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    other = report_split(data, seed=1).train
    gan_pool("dcgan", other, COUNT, PLAN, 0, tmp_path)
    assert trainings == [first_epochs(train), first_epochs(train)]
    assert trained_on(tmp_path, "dcgan").tolist() == other.image_id[other.dx == "bcc"].tolist()


def test_a_pool_without_a_key_is_refused(tmp_path, train, trainings):
    np.savez(pool_path(tmp_path, "dcgan"), images=np.zeros((50, 28, 28, 3), np.uint8))
    pool = gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    assert trainings == [first_epochs(train)] and pool.any()  # not the planted zeros


def test_checkpoints_of_another_key_are_discarded_not_resumed(tmp_path, train, trainings):
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    folder = checkpoint_folder(tmp_path, "dcgan")
    (folder / "sentinel").write_text("from the first key")
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)  # same key: kept
    assert (folder / "sentinel").exists()
    pool_path(tmp_path, "dcgan").unlink()  # only the checkpoints of the old key remain
    gan_pool("dcgan", train, COUNT, dataclasses.replace(PLAN, batch_size=8), 0, tmp_path)
    assert not (folder / "sentinel").exists()
    assert trainings[-1] >= 1  # trained afresh, not "already finished" from the old key
    assert "batch_size=8" in json.loads((folder / "key.json").read_text())["plan"]


def test_the_improved_kinds_make_pools_of_their_own(tmp_path, train, trainings):
    for generator in ("dcgan_plus", "cgan_plus"):
        pool = gan_pool(generator, train, COUNT, PLAN, 0, tmp_path)
        assert pool.shape == (COUNT, 28, 28, 3) and pool.dtype == np.uint8
        assert stored_key(pool_path(tmp_path, generator))["generator"] == generator
    assert len(trainings) == 2
    assert len(trained_on(tmp_path, "cgan_plus")) == len(train)  # the conditional one sees all
    with pytest.raises(ValueError, match="unknown generator"):
        gan_pool("stylegan", train, COUNT, PLAN, 0, tmp_path)


def test_budgets_are_steps_and_epochs_follow_from_them():
    plan = GanPlan(900, 1200, 64)
    assert plan.steps("dcgan") == plan.steps("dcgan_plus") == 900
    assert plan.steps("cgan_plus") == 1200
    assert epochs_for_steps(900, 360, 64) == 180  # 5 full batches of 64 in 360 images
    assert epochs_for_steps(1200, 1900, 64) == 42
    with pytest.raises(ValueError, match="full batch"):
        epochs_for_steps(10, 20, 64)


def test_the_search_choice_at_its_kinds_budget_is_the_very_gan_of_that_kind(
    tmp_path, train, trainings
):
    kind, multiple = gans.SEARCH_CHOICE
    own = gan_pool(kind, train, COUNT, PLAN, 0, tmp_path)
    if multiple == 1:  # same kind, plan, seed and images: the cached pool, nothing trained
        assert np.array_equal(gan_pool("chosen", train, COUNT, PLAN, 0, tmp_path), own)
        assert trainings == [first_epochs(train)]
    assert PLAN.steps("chosen") == multiple * PLAN.steps(kind)


def test_a_choice_at_twice_the_budget_trains_a_gan_of_its_own(
    tmp_path, train, trainings, monkeypatch
):
    monkeypatch.setattr(gans, "SEARCH_CHOICE", ("dcgan", 2))
    gan_pool("dcgan", train, COUNT, PLAN, 0, tmp_path)
    gan_pool("chosen", train, COUNT, PLAN, 0, tmp_path)
    assert len(trainings) == 2 and pool_path(tmp_path, "chosen") != pool_path(tmp_path, "dcgan")
    assert trained_steps(tmp_path, "chosen") >= 2 * PLAN.dcgan_steps
    assert trained_steps(tmp_path, "dcgan") < 2 * PLAN.dcgan_steps
    assert stored_key(pool_path(tmp_path, "chosen"))["generator"] == "dcgan"
