"""Chapter 5's checks accept right answers written differently and refuse near-misses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch05 import (
    check_gan_training_images,
    check_images_to_balance,
    check_oversample,
)


def test_images_to_balance_accepts_a_pandas_answer_and_names_mistakes():
    check_images_to_balance(lambda counts: int(pd.Series(counts).max() - pd.Series(counts)["bcc"]))
    with pytest.raises(ExerciseCheckError, match="largest class's size"):
        check_images_to_balance(lambda counts: max(counts.values()))
    with pytest.raises(ExerciseCheckError, match="mean class size"):
        check_images_to_balance(lambda c: round(sum(c.values()) / len(c)) - c["bcc"])
    with pytest.raises(ExerciseCheckError, match="fill in the cell"):
        check_images_to_balance(lambda counts: None)


def test_oversample_accepts_another_way_and_refuses_near_misses():
    def with_pandas(train, seed):
        rows = pd.Series(np.arange(len(train)))[train.dx == "bcc"]
        extra = max(train.class_counts().values()) - len(rows)
        repeats = rows.sample(extra, replace=True, random_state=seed).to_numpy()
        return train.subset(np.r_[np.arange(len(train)), repeats])

    check_oversample(with_pandas)

    def everything(train, seed):  # oversamples every class, not just bcc
        return train.subset(np.r_[np.arange(len(train)), np.arange(len(train))])

    with pytest.raises(ExerciseCheckError, match="should match the largest class"):
        check_oversample(everything)

    def unseeded(train, seed):
        rows = np.flatnonzero(train.dx == "bcc")
        extra = max(train.class_counts().values()) - len(rows)
        return train.subset(np.r_[np.arange(len(train)), np.random.choice(rows, extra)])

    with pytest.raises(ExerciseCheckError, match="use the seed"):
        check_oversample(unseeded)

    def drops_originals(train, seed):
        rows = np.flatnonzero(train.dx == "bcc")
        others = np.flatnonzero(train.dx != "bcc")
        target = max(train.class_counts().values())
        return train.subset(np.r_[others, np.repeat(rows[:1], target)])

    with pytest.raises(ExerciseCheckError, match="dropped"):
        check_oversample(drops_originals)


def test_gan_training_images_catches_the_leak():
    check_gan_training_images(lambda s: s.train.subset(s.train.dx == "bcc").images)
    with pytest.raises(ExerciseCheckError, match="every bcc image"):
        check_gan_training_images(
            lambda s: np.concatenate([p.images[p.dx == "bcc"] for p in s.parts().values()])
        )
    with pytest.raises(ExerciseCheckError, match="test part"):
        check_gan_training_images(lambda s: s.test.images[s.test.dx == "bcc"])
    with pytest.raises(ExerciseCheckError, match="other classes, or some missing"):
        check_gan_training_images(lambda s: s.train.images)
