"""How big a study must be to see a given gain (chapter 5): seeds and test images.

A study has *power* 0.8 for a difference when, were the difference real, 80 % of such studies
would find it significant at level ``alpha``. These functions turn the spread seen in a study
into the number of seeds or test images a study with that power needs.
"""

from __future__ import annotations

import math

from scipy import stats
from statsmodels.stats.power import NormalIndPower, TTestPower
from statsmodels.stats.proportion import proportion_effectsize

#: The usual settings of a power calculation: a two-sided test at the 5 % level that finds a
#: real difference of the given size in 80 % of studies.
ALPHA = 0.05
POWER = 0.8


def _check_levels(alpha: float, power: float) -> None:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must lie between 0 and 1, got {alpha} and {power}")


def seeds_needed(
    sd_of_differences: float, difference: float = 0.02, alpha: float = ALPHA, power: float = POWER
) -> int:
    """Seeds a paired t-test needs to detect ``difference`` with the given power.

    ``sd_of_differences`` is the standard deviation, across seeds, of the per-seed difference
    between two arms (the ``sd`` of :func:`ganaug.metrics.paired_seed_difference`). Uses
    statsmodels' ``TTestPower`` with effect size ``difference / sd_of_differences``, two-sided,
    rounded up to a whole seed.

    Examples
    --------
    >>> seeds_needed(0.04, difference=0.02)  # effect size 0.5: the textbook 34 pairs
    34
    """
    _check_levels(alpha, power)
    if not sd_of_differences > 0 or not math.isfinite(sd_of_differences):
        raise ValueError(f"sd_of_differences must be a positive number, got {sd_of_differences}")
    if difference == 0 or not math.isfinite(difference):
        raise ValueError("difference must be a non-zero number (such as 0.02 for 2 points)")
    effect = abs(difference) / sd_of_differences
    n = TTestPower().solve_power(
        effect_size=effect, alpha=alpha, power=power, alternative="two-sided"
    )
    return max(2, math.ceil(n))


def test_images_needed(
    p_a: float,
    p_b: float,
    discordance: float | None = None,
    alpha: float = ALPHA,
    power: float = POWER,
) -> int:
    """Test images needed to tell accuracy ``p_a`` from ``p_b``.

    Without ``discordance`` the two models are tested on separate test sets of equal size (two
    independent proportions, statsmodels' ``NormalIndPower`` on Cohen's arcsine effect size);
    the result is the size of each set.

    With ``discordance``, both models are tested on the same images and compared with
    McNemar's test; ``discordance`` is the share of images on which exactly one of the two is
    right (``(only A + only B) / n`` of :func:`ganaug.metrics.mcnemar_table`). Connor's (1987)
    closed form then gives the number of images::

        n = (z(1 - alpha/2) * sqrt(psi) + z(power) * sqrt(psi - delta**2))**2 / delta**2

    with ``psi = discordance`` and ``delta = p_b - p_a``. The fewer images the models disagree
    on, the fewer it takes: pairing is worth a lot.

    Examples
    --------
    >>> test_images_needed(0.59, 0.61) > 9000  # each arm on its own test set
    True
    >>> test_images_needed(0.59, 0.61, discordance=0.10)  # same images, 10 % disagreement
    1960
    """
    _check_levels(alpha, power)
    if not (0 <= p_a <= 1 and 0 <= p_b <= 1) or p_a == p_b:
        raise ValueError(
            f"p_a and p_b must be two different proportions in [0, 1], got {p_a}, {p_b}"
        )
    delta = p_b - p_a
    if discordance is None:
        effect = abs(proportion_effectsize(p_b, p_a))
        n = NormalIndPower().solve_power(effect_size=effect, alpha=alpha, power=power, ratio=1.0)
        return math.ceil(n)
    if not abs(delta) <= discordance <= 1:
        raise ValueError(
            f"discordance must lie between |p_b - p_a| = {abs(delta):.4g} and 1 (the "
            f"models disagree at least that often), got {discordance}"
        )
    z_alpha, z_power = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    root = z_alpha * math.sqrt(discordance) + z_power * math.sqrt(discordance - delta**2)
    return math.ceil(root**2 / delta**2)


test_images_needed.__test__ = False  # its name starts with "test": tell pytest it is no test
