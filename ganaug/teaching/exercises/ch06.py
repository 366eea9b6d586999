"""Check for the Fréchet distance exercise (it leaves chapter 6 for chapter 4's exercises)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import linalg

from ganaug.metrics import frechet_distance_from_moments
from ganaug.teaching.exercises import passed, require_answer, require_close


def _gaussian_cases() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(54)
    cases = [(np.zeros(3), np.eye(3), np.array([1.0, 2.0, 2.0]), 4 * np.eye(3))]
    for d in (2, 4):
        factors = rng.normal(size=(2, d, d))
        cov_a, cov_b = (f @ f.T + 0.5 * np.eye(d) for f in factors)  # they do not commute
        cases.append((rng.normal(size=d), cov_a, rng.normal(size=d), cov_b))
    return cases


def check_frechet_gaussians(student: Callable[..., float]) -> None:
    """Exercise 6.4: the Fréchet distance between two Gaussians, from their means and
    covariances.

    Examples
    --------
    >>> check_frechet_gaussians(frechet_distance_from_moments)
    Exercise 6.4 passed: right on 3 pairs of Gaussians, including covariances that do not commute
    """
    require_answer("6.4", student, "frechet")
    for mean_a, cov_a, mean_b, cov_b in _gaussian_cases():
        value = require_answer("6.4", student(mean_a, cov_a, mean_b, cov_b), "frechet(...)")
        expected = frechet_distance_from_moments(mean_a, cov_a, mean_b, cov_b)
        root_product = linalg.sqrtm(cov_a).real @ linalg.sqrtm(cov_b).real
        shift = float(np.sum((mean_a - mean_b) ** 2))
        spread = expected - shift
        mistakes = {
            "(cov_a cov_b)^(1/2) is not cov_a^(1/2) cov_b^(1/2) when the covariances do not "
            "commute: take the matrix square root of the product (scipy.linalg.sqrtm)": shift
            + np.trace(cov_a + cov_b - 2 * root_product),
            "the mean term is the squared distance |mean_a - mean_b|^2, not the distance": (
                np.sqrt(shift) + spread
            ),
            "you left out the covariance term tr(cov_a + cov_b - 2 (cov_a cov_b)^(1/2))": shift,
        }
        require_close(
            "6.4",
            value,
            expected,
            "the distance",
            atol=1e-5,
            mistakes=mistakes,
            hint="|mean_a - mean_b|^2 + tr(cov_a + cov_b - 2 sqrtm(cov_a @ cov_b))",
        )
    passed("6.4", "right on 3 pairs of Gaussians, including covariances that do not commute")
