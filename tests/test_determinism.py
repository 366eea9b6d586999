"""Deterministic mode (ganaug.experiment.determinism): with it on, the smoke plan's cell and its
DCGAN, each trained twice with one seed in a fresh process, give the same numbers bit for bit;
run.json records whether a study ran with it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ganaug.config import DETERMINISTIC_ENV, deterministic
from ganaug.data import synthetic_lesions
from ganaug.experiment import runner

#: Trains the smoke cell and the smoke DCGAN twice each, on fresh folders, and prints digests.
TWICE = """
import hashlib, json, sys, tempfile
from pathlib import Path
from ganaug.data import synthetic_lesions
from ganaug.experiment.arms import get_arms
from ganaug.experiment.cells import run_cell
from ganaug.experiment.determinism import apply_determinism
from ganaug.experiment.gans import gan_pool
from ganaug.experiment.plan import study_plan
from ganaug.experiment.units import seed_splits

on = apply_determinism()
plan = study_plan("smoke")
splits = seed_splits(synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=2), 0,
                     plan.protocol, plan.folds)["lesion"]
cells, pools = [], []
for _ in range(2):
    result = run_cell(get_arms(["classic"])[0], 0, splits, plan)
    cells.append(hashlib.sha256(result.predictions.to_csv().encode()).hexdigest())
    with tempfile.TemporaryDirectory() as folder:
        pool = gan_pool("dcgan", splits.train, 16, plan.gan, 0, Path(folder))
    pools.append(hashlib.sha256(pool.tobytes()).hexdigest())
print(json.dumps({"on": on, "cells": cells, "pools": pools}))
"""


def test_the_smoke_cell_and_gan_repeat_bit_for_bit_in_deterministic_mode():
    env = {**os.environ, DETERMINISTIC_ENV: "1"}
    result = subprocess.run([sys.executable, "-c", TWICE], env=env, capture_output=True,
                            text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    digests = json.loads(result.stdout.strip().splitlines()[-1])
    assert digests["on"] is True
    assert digests["cells"][0] == digests["cells"][1]
    assert digests["pools"][0] == digests["pools"][1]


def test_run_json_records_the_mode(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "apply_determinism", lambda: True)  # not switched on here
    data = synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=2)
    runner.run_experiment(data, tmp_path, "smoke", arms=["none"], seeds=[0], progress=False)
    assert json.loads((tmp_path / "run.json").read_text())["deterministic"] is True


@pytest.mark.parametrize("value", ["2", "on", "enable"])
def test_an_unclear_setting_is_refused(value):
    with pytest.raises(ValueError, match="set it to 1"):
        deterministic({DETERMINISTIC_ENV: value})
