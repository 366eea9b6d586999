"""How big a study must be to see a given gain (chapter 6): units and test images.

A study has *power* 0.8 for a difference when, were the difference real, 80 % of such studies
would find it significant at level ``alpha``. These functions turn the spread seen in a study
into the number of units or test images a study with that power needs.

Every power is :func:`t_test_power`, one numerical integral that stays right at large effects.
Two questions, two answers. :func:`units_needed_paired` sizes the plain paired t over units,
which speaks only for the data set the units were cut from (conditional on it).
:func:`units_needed_corrected` sizes Nadeau and Bengio's corrected resampled t, which speaks
for new data from the same source; under that approximation a difference at or below
:func:`detectable_floor` is found with the stated power by no number of units.
"""

from __future__ import annotations

import math

from scipy import integrate, special, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from ganaug.metrics.resampled import smallest_units

#: The usual settings of a power calculation: a two-sided test at the 5 % level that finds a
#: real difference of the given size in 80 % of studies.
ALPHA = 0.05
POWER = 0.8


def _check_levels(alpha: float, power: float) -> None:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ValueError(f"alpha and power must lie between 0 and 1, got {alpha} and {power}")


def _check_spread(sd: float, difference: float) -> None:
    if not sd > 0 or not math.isfinite(sd):
        raise ValueError(f"sd_of_differences must be a positive number, got {sd}")
    if difference == 0 or not math.isfinite(difference):
        raise ValueError("difference must be a non-zero number (such as 0.02 for 2 points)")


def t_test_power(noncentrality: float, df: float, alpha: float = ALPHA) -> float:
    """Power of a two-sided t-test at level ``alpha`` whose statistic follows a noncentral t
    with ``df`` degrees of freedom and noncentrality ``noncentrality``.

    The statistic is ``(Z + lambda) / sqrt(V / df)`` with ``Z`` standard normal and ``V`` a
    chi-square on ``df`` degrees of freedom. Given ``V = v`` (``w = sqrt(v / df)``) it exceeds
    the critical value ``c`` with probability ``Phi(lambda - c w)`` and falls below ``-c`` with
    probability ``Phi(-lambda - c w)``; the power is their sum averaged over ``V``, integrated
    here (``scipy.integrate.quad``, in pieces split at the chi-square's bulk and where the first
    term turns). When the power exceeds about a half its complement, the chance of missing,
    is integrated instead, so that a power near 1 keeps its digits. Unlike scipy's noncentral
    t, whose tails return NaN far from the centre (and statsmodels' ``TTestPower``, which
    passes them on), this stays right at any effect.

    Examples
    --------
    >>> round(t_test_power(0.0, 9), 6)  # no effect: the test's level
    0.05
    >>> round(t_test_power(0.5 * math.sqrt(34), 33), 4)  # effect size 0.5 with 34 pairs
    0.8078
    >>> f"{1 - t_test_power(10.714, 4):.2e}"  # the chance of a miss; scipy's nct: NaN
    '3.49e-08'
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha}")
    if not (df > 0 and math.isfinite(df) and math.isfinite(noncentrality)):
        raise ValueError(f"need a finite df > 0 and noncentrality, got {df}, {noncentrality}")
    shift, df = abs(float(noncentrality)), float(df)
    critical = float(special.stdtrit(df, 1 - alpha / 2))
    log_scale = -float(special.gammaln(df / 2)) - df / 2 * math.log(2)
    missing = shift > critical  # found more often than not: integrate the chance of a miss

    def term(v: float) -> float:
        if v <= 0:
            return 0.0
        w = math.sqrt(v / df)
        if missing:
            given = special.ndtr(critical * w - shift) - special.ndtr(-critical * w - shift)
        else:
            given = special.ndtr(shift - critical * w) + special.ndtr(-shift - critical * w)
        return float(given) * math.exp(float(special.xlogy(df / 2 - 1, v)) - v / 2 + log_scale)

    bulk = 12 * math.sqrt(2 * df)
    edges = sorted({e for e in (df - bulk, df, df + bulk, df * (shift / critical) ** 2) if e > 0})
    total = sum(
        integrate.quad(term, low, high, limit=200, epsabs=1e-14, epsrel=1e-10)[0]
        for low, high in zip([0.0, *edges], [*edges, math.inf], strict=True)
    )
    return min(1.0, max(0.0, 1 - total if missing else total))


def paired_power(
    sd_of_differences: float, difference: float, units: int, alpha: float = ALPHA
) -> float:
    """Power of the two-sided paired t-test over ``units`` units (:func:`t_test_power` with
    noncentrality ``difference / sd * sqrt(units)`` on ``units - 1`` degrees of freedom).

    Examples
    --------
    >>> round(paired_power(0.04, 0.02, 34), 2)
    0.81
    """
    _check_spread(sd_of_differences, difference)
    if units < 2:
        raise ValueError(f"need at least 2 units, got {units}")
    shift = abs(difference) / sd_of_differences * math.sqrt(units)
    return t_test_power(shift, units - 1, alpha)


def units_needed_paired(
    sd_of_differences: float,
    difference: float = 0.02,
    alpha: float = ALPHA,
    power: float = POWER,
    max_units: int = 10**6,
) -> int:
    """Units a plain paired t-test needs to detect ``difference`` with the given power.

    ``sd_of_differences`` is the standard deviation, across units, of the per-unit difference
    between two arms (the ``sd`` of :func:`ganaug.metrics.paired_seed_difference`). The
    smallest number of units (at least 2) whose :func:`paired_power` reaches ``power``,
    two-sided. The answer is conditional on the data set the units are cut from: it ignores
    what the units share (see :func:`units_needed_corrected`).

    Examples
    --------
    >>> units_needed_paired(0.04, difference=0.02)  # effect size 0.5: the textbook 34 pairs
    34
    >>> units_needed_paired(0.005, difference=0.04)  # effect size 8: 2 units find it 63 %
    3
    """
    _check_levels(alpha, power)
    _check_spread(sd_of_differences, difference)

    def reaches(units: int) -> bool:
        return paired_power(sd_of_differences, difference, units, alpha) >= power

    needed = smallest_units(reaches, max_units)
    if needed is None:
        raise ValueError(
            f"a difference of {difference} with sd {sd_of_differences} needs more than "
            f"{max_units} units: raise max_units or ask about a larger difference"
        )
    return needed


def detectable_floor(
    sd_of_differences: float,
    n_test: float,
    n_train: float,
    alpha: float = ALPHA,
    power: float = POWER,
) -> float:
    """The smallest true difference the corrected resampled t finds with ``power``, however
    many units are run: ``(z(1 - alpha/2) + z(power)) * sd * sqrt(n_test / n_train)``.

    With ``J`` units the corrected standard error is ``sd * sqrt(1/J + n_test/n_train)``; as
    ``J`` grows it falls to ``sd * sqrt(n_test/n_train)`` and no lower, and the t quantile falls
    to the normal one. A difference must lie ``z(1 - alpha/2)`` such errors from zero to be
    found half the time (``power=0.5``: the half-width floor of
    :func:`ganaug.metrics.smallest_resolvable_effect`) and ``z(power)`` more to be found with
    ``power``. This holds under Nadeau and Bengio's approximation of the units' correlation
    for this ``n_test/n_train``.

    Examples
    --------
    >>> round(detectable_floor(0.04, n_test=1, n_train=4, power=0.5), 4)  # 1.96 * 0.04 * 0.5
    0.0392
    >>> round(detectable_floor(0.04, n_test=1, n_train=4), 4)  # (1.96 + 0.84) * 0.04 * 0.5
    0.056
    """
    _check_levels(alpha, power)
    if not (n_test > 0 and n_train > 0):
        raise ValueError(f"n_test and n_train must be positive, got {n_test}, {n_train}")
    if not (sd_of_differences >= 0 and math.isfinite(sd_of_differences)):
        raise ValueError(f"sd_of_differences must be >= 0, got {sd_of_differences}")
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(z * sd_of_differences * math.sqrt(n_test / n_train))


def corrected_power(
    sd_of_differences: float,
    difference: float,
    units: int,
    n_test: float,
    n_train: float,
    alpha: float = ALPHA,
) -> float:
    """Power of the two-sided corrected resampled t with ``units`` units.

    The corrected t is a one-sample t on ``J - 1`` degrees of freedom whose standard error is
    ``sd * sqrt(1/J + n_test/n_train)``; under Nadeau and Bengio's model its noncentrality is
    ``difference / (sd * sqrt(1/J + n_test/n_train))`` (:func:`t_test_power`).

    Examples
    --------
    >>> round(corrected_power(0.04, 0.02, 34, n_test=1, n_train=10**9), 2)  # plain paired t
    0.81
    >>> corrected_power(0.04, 0.02, 34, n_test=1, n_train=4) < 0.2
    True
    """
    _check_spread(sd_of_differences, difference)
    if units < 2:
        raise ValueError(f"need at least 2 units, got {units}")
    if not (n_test > 0 and n_train > 0):
        raise ValueError(f"n_test and n_train must be positive, got {n_test}, {n_train}")
    se = sd_of_differences * math.sqrt(1 / units + n_test / n_train)
    return t_test_power(abs(difference) / se, units - 1, alpha)


def units_needed_corrected(
    sd_of_differences: float,
    difference: float,
    n_test: float,
    n_train: float,
    alpha: float = ALPHA,
    power: float = POWER,
    max_units: int = 10**6,
) -> int | None:
    """Units the corrected resampled t needs to detect ``difference`` with ``power``.

    ``None`` when ``difference`` is at or below :func:`detectable_floor` (no number of units
    suffices under Nadeau and Bengio's approximation) or needs more than ``max_units``.

    Examples
    --------
    >>> units_needed_corrected(0.04, 0.02, n_test=1, n_train=10**9)  # plain paired t: 34
    34
    >>> units_needed_corrected(0.02, 0.03, n_test=1, n_train=9)  # floor 1.87 points
    10
    >>> units_needed_corrected(0.04, 0.02, n_test=1, n_train=4) is None  # floor 5.6 points
    True
    """
    _check_levels(alpha, power)
    _check_spread(sd_of_differences, difference)
    if abs(difference) <= detectable_floor(sd_of_differences, n_test, n_train, alpha, power):
        return None

    def reaches(units: int) -> bool:
        found = corrected_power(sd_of_differences, difference, units, n_test, n_train, alpha)
        return found >= power

    return smallest_units(reaches, max_units)


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
