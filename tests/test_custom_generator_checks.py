"""Chapter 7's exercise checks: right answers pass however they are written, and each mistake
fails with a message that names it. (The blank student edition failing every check, and the
solutions passing, are proven on the notebooks: the Colab-like check, tests/colab_like.py.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch07 import (
    _own_row,
    check_only_its_pieces,
    check_own_generator,
    check_smoke_verdict,
)
from ganaug.verdict import describe_difference


class Flipper:
    def fit(self, images, seed):
        self.images = images

    def sample(self, n, seed):
        rng = np.random.default_rng(seed)
        picked = self.images[rng.integers(len(self.images), size=n)].astype(float)
        return np.clip(picked[:, :, ::-1] + rng.normal(0, 9, picked.shape), 0, 255).astype("u1")


def test_own_generator_check():
    check_own_generator(Flipper)
    check_own_generator(lambda: Flipper())  # a factory function is a generator too

    class Copies(Flipper):
        def sample(self, n, seed):
            return self.images[np.arange(n) % len(self.images)]

    class One(Flipper):
        def sample(self, n, seed):
            return np.repeat(super().sample(1, seed), n, axis=0)

    class Floats(Flipper):
        def sample(self, n, seed):
            return super().sample(n, seed) / 255

    class NoFit:
        def sample(self, n, seed):
            return np.zeros((n, 28, 28, 3), np.uint8)

    class Unfinished:
        def fit(self, images, seed):
            pass

        def sample(self, n, seed):
            return None

    cases = [
        (Copies, "oversampling"),
        (One, "one image"),
        (Floats, "dtype float64"),
        (NoFit, "lacks fit"),
        (Unfinished, "is None"),
        (None, "YOUR CODE HERE"),
    ]
    for factory, message in cases:
        with pytest.raises(ExerciseCheckError, match=message):
            check_own_generator(factory)


def _results(mine=(0.62, 0.60, 0.64)) -> pd.DataFrame:
    arms = {"classic": (0.60, 0.58, 0.61), "mine": mine, "mine_no_classic": (0.55, 0.57, 0.56)}
    rows = [
        {"arm": arm, "seed": seed, "metric": "balanced_accuracy", "value": value}
        for arm, values in arms.items()
        for seed, value in enumerate(values)
    ]
    rows += [
        {"arm": "classic", "seed": seed, "metric": metric, "value": value}
        for seed in range(3)
        for metric, value in (("n_test", 40), ("n_train", 120), ("n_synthetic", 0))
    ]
    return pd.DataFrame(rows)


def test_smoke_verdict_check():
    results = _results()
    words = describe_difference(_own_row(results, "mine"))
    check_smoke_verdict(results, words, "mine")
    assert "mine against classic" in words and "3 units" in words
    secondary = _own_row(results, "mine").copy()
    secondary["family"], secondary["p_holm"] = "secondary", 0.5
    with pytest.raises(ExerciseCheckError, match="chapter 6's sentence"):
        check_smoke_verdict(results, describe_difference(secondary), "mine")
    with pytest.raises(ExerciseCheckError, match="lacks the arm"):
        check_smoke_verdict(results[results["arm"] != "classic"], words, "mine")
    with pytest.raises(ExerciseCheckError, match="at least two"):
        check_smoke_verdict(results[results["seed"] == 0], words, "mine")
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_smoke_verdict(None, None, "mine")


def test_only_its_pieces_check():
    before = {
        "cell/classic/u0": {"version": "a", "commit": "c"},
        "pool/mine/u0/s0": {"version": "b", "commit": "c"},
        "choice/mine/u0": {"version": "d", "commit": "c"},
        "cell/mine_no_classic/u0": {"version": "e", "commit": "c"},
        "quality/floor/u0": {"version": "f", "commit": "c"},
    }
    edited = {key: {**record, "version": record["version"] + "2"} for key, record in before.items()}
    mine = [key for key in before if "/mine" in key]
    check_only_its_pieces(before, {**before, **{key: edited[key] for key in mine}}, "mine")
    with pytest.raises(ExerciseCheckError, match="not of mine changed too: cell/classic/u0"):
        check_only_its_pieces(before, {**before, **edited}, "mine")
    cell_only = {**before, "cell/mine_no_classic/u0": edited["cell/mine_no_classic/u0"]}
    with pytest.raises(ExerciseCheckError, match="pool of mine did not run"):
        check_only_its_pieces(before, cell_only, "mine")
    with pytest.raises(ExerciseCheckError, match="nothing changed"):
        check_only_its_pieces(before, dict(before), "mine")
    with pytest.raises(ExerciseCheckError, match="YOUR CODE HERE"):
        check_only_its_pieces(None, None, "mine")
