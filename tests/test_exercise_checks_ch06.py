"""The Fréchet distance check (exercise 6.4, leaving for chapter 4) accepts right answers
however they are written and rejects near misses."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import linalg

from ganaug.metrics import frechet_distance_from_moments
from ganaug.teaching.exercises import ExerciseCheckError
from ganaug.teaching.exercises.ch06 import check_frechet_gaussians


def _frechet_by_eigenvalues(mean_a, cov_a, mean_b, cov_b):
    # tr((A B)^(1/2)) is the sum of the square roots of the eigenvalues of A B.
    roots = np.sqrt(np.clip(np.linalg.eigvals(cov_a @ cov_b).real, 0, None))
    return np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a) + np.trace(cov_b) - 2 * roots.sum()


def test_frechet_check_accepts_right_answers():
    check_frechet_gaussians(frechet_distance_from_moments)
    check_frechet_gaussians(_frechet_by_eigenvalues)


def test_frechet_check_names_the_mistake():
    def commuting(mean_a, cov_a, mean_b, cov_b):
        root = linalg.sqrtm(cov_a).real @ linalg.sqrtm(cov_b).real
        return np.sum((mean_a - mean_b) ** 2) + np.trace(cov_a + cov_b - 2 * root)

    def distance_not_squared(mean_a, cov_a, mean_b, cov_b):
        shift = np.sum((mean_a - mean_b) ** 2)
        return _frechet_by_eigenvalues(mean_a, cov_a, mean_b, cov_b) - shift + np.sqrt(shift)

    with pytest.raises(ExerciseCheckError, match="do not commute"):
        check_frechet_gaussians(commuting)
    with pytest.raises(ExerciseCheckError, match="squared distance"):
        check_frechet_gaussians(distance_not_squared)
    with pytest.raises(ExerciseCheckError, match="covariance term"):
        check_frechet_gaussians(lambda ma, ca, mb, cb: np.sum((ma - mb) ** 2))
    with pytest.raises(ExerciseCheckError, match="not right"):
        check_frechet_gaussians(lambda ma, ca, mb, cb: 2 * _frechet_by_eigenvalues(ma, ca, mb, cb))
