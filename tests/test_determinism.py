"""Deterministic mode (ganaug.experiment.determinism): on the smoke plan, a study cell with its
GAN and extractor, run twice in fresh processes with one seed, writes the same numbers bit for
bit; run.json records the mode."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ganaug.experiment.determinism import DETERMINISTIC_ENV, deterministic_requested


def _reproduce(out, cache, *flags):
    env = {**os.environ, "GANAUG_CACHE_DIR": str(cache)}
    env.pop(DETERMINISTIC_ENV, None)
    command = [sys.executable, "-m", "ganaug", "reproduce", "--profile", "smoke",
               "--arms", "dcgan", "--seeds", "0", "--out", str(out), *flags]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def test_a_deterministic_study_gives_the_same_numbers_twice(tmp_path):
    # fresh caches: the GAN, the extractor and the cell are trained anew each time
    first = _reproduce(tmp_path / "a", tmp_path / "cache_a", "--deterministic")
    second = _reproduce(tmp_path / "b", tmp_path / "cache_b", "--deterministic")
    for name in ("gan_quality.csv", "gan_candidates.csv", "predictions/dcgan__seed0.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    lines = [(folder / "results.csv").read_text().splitlines() for folder in (first, second)]
    results = [[line for line in part if ",seconds," not in line] for part in lines]
    assert results[0] == results[1] and len(results[0]) > 10
    run = json.loads((first / "run.json").read_text())
    assert run["deterministic"] is True and "--deterministic" in run["command"]


@pytest.mark.parametrize("value", ["2", "on", "enable"])
def test_an_unclear_setting_is_refused(value):
    with pytest.raises(ValueError, match="set it to 1"):
        deterministic_requested({DETERMINISTIC_ENV: value})
