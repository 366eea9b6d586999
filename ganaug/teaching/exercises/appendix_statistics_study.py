"""Checks for the statistical toolbox's exercise on the committed study
(``results/book/results.csv``): the report's claim as a paired and a corrected interval, Holm
over the secondary comparisons, and the units a 2-point gain needs.

The reference numbers come from the library's own analysis
(:func:`ganaug.experiment.primary_table` with :func:`ganaug.experiment.unit_sizes`, and
:func:`ganaug.metrics.units_needed_paired`), so the check
follows the library's definition of the comparisons and of the secondary family.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ganaug.experiment import primary_table, unit_sizes
from ganaug.metrics import holm_correction, seed_table, units_needed_paired
from ganaug.teaching.exercises import fail, passed, require_answer, require_close

#: The gain the power question asks about: 2 points of balanced accuracy.
GAIN = 0.02


def study_reference(results: pd.DataFrame) -> dict:
    """The library's answers: ``paired`` (mean, low, high), ``corrected`` (low, high),
    ``holm`` ({(arm, baseline): adjusted p}) and ``units`` for :data:`GAIN`."""
    n_test, n_train = unit_sizes(results)
    table = primary_table(results, n_test, n_train)
    claim = table[(table["arm"] == "dcgan") & (table["baseline"] == "classic")].iloc[0]
    secondary = table[table["family"] == "secondary"]
    per_unit = seed_table(results, "balanced_accuracy")[["classic", "dcgan"]].dropna()
    sd = float((per_unit["dcgan"] - per_unit["classic"]).std(ddof=1))
    return {
        "paired": [claim["mean_difference"], claim["paired_low"], claim["paired_high"]],
        "corrected": [claim["corrected_low"], claim["corrected_high"]],
        "holm": {(r.arm, r.baseline): float(r.p_holm) for r in secondary.itertuples()},
        "p_corrected": {(r.arm, r.baseline): float(r.p_corrected) for r in secondary.itertuples()},
        "units": units_needed_paired(sd, GAIN),
        "differences": (per_unit["dcgan"] - per_unit["classic"]).to_numpy(),
        "n_test": n_test,
        "n_train": n_train,
    }


def _interval_mistakes(results: pd.DataFrame, reference: dict) -> dict:
    d = reference["differences"]
    n, mean, sd = len(d), float(d.mean()), float(d.std(ddof=1))
    t = stats.t.ppf(0.975, n - 1)
    per_unit = seed_table(results, "balanced_accuracy")[["classic", "dcgan"]].dropna()
    unpaired = {
        equal: stats.ttest_ind(
            per_unit["dcgan"], per_unit["classic"], equal_var=equal
        ).confidence_interval(0.95)
        for equal in (True, False)
    }
    ratio = reference["n_test"] / reference["n_train"]
    return {
        "paired": {
            "that is classic - dcgan: subtract classic from dcgan, unit by unit": [
                -mean, -mean - t * sd / math.sqrt(n), -mean + t * sd / math.sqrt(n)
            ],
            "that treats the two arms as independent samples (Welch): pair them by unit, "
            "then take the t-interval of the per-unit differences": [mean, *unpaired[False]],
            "that treats the two arms as independent samples (pooled two-sample t): pair them "
            "by unit, then take the t-interval of the per-unit differences": [
                mean, *unpaired[True]
            ],
            "with 1.96 in place of Student's t on n - 1 degrees of freedom": [
                mean, mean - 1.96 * sd / math.sqrt(n), mean + 1.96 * sd / math.sqrt(n)
            ],
        },
        "corrected": {
            "that is the plain paired interval: the corrected one multiplies the variance by "
            "(1/J + n_test/n_train), not 1/J": [mean - t * sd / math.sqrt(n),
                                                 mean + t * sd / math.sqrt(n)],
            "the ratio is upside down: use n_test / n_train": [
                mean - t * sd * math.sqrt(1 / n + 1 / ratio),
                mean + t * sd * math.sqrt(1 / n + 1 / ratio),
            ],
        },
    }  # fmt: skip


#: p-values on which Holm, Bonferroni and Holm without its running maximum all differ.
HOLM_EXAMPLE = (0.01, 0.04, 0.03, 0.2, 0.012)


def _check_holm_function(holm_adjust) -> None:
    require_answer("A.4", holm_adjust, "holm_adjust")
    example = np.array(HOLM_EXAMPLE)
    have = require_answer("A.4", holm_adjust(list(example)), "holm_adjust(p_values)")
    order = np.argsort(example)
    steps = np.empty_like(example)
    steps[order] = np.minimum(1, example[order] * (len(example) - np.arange(len(example))))
    require_close(
        "A.4", have, holm_correction(example), f"holm_adjust({list(HOLM_EXAMPLE)})", atol=1e-9,
        mistakes={
            "that is Bonferroni (every p-value times m): Holm multiplies the smallest by m, "
            "the next by m - 1, and so on": np.minimum(1, example * len(example)),
            "keep the adjusted values non-decreasing in the order of the raw p-values (a "
            "running maximum): a larger raw p-value never gets a smaller adjusted one": steps,
        },
    )  # fmt: skip


def _check_holm(holm, reference: dict) -> None:
    holm = require_answer("A.4", holm, "holm")
    wanted = reference["holm"]
    by_arm = {arm: (arm, baseline) for arm, baseline in wanted}
    try:
        given = {
            tuple(map(str, k))
            if isinstance(k, tuple)
            else by_arm.get(str(k), (str(k), "?")): float(v)
            for k, v in dict(holm).items()
        }
    except (TypeError, ValueError):
        fail("A.4", "holm should be a dict: arm (or (arm, baseline)) -> adjusted p-value")
    if set(given) != set(wanted):
        names = ", ".join(f"{a} vs {b}" for a, b in sorted(wanted))
        fail("A.4", f"holm should have one p-value per secondary comparison: {names}")
    keys = sorted(wanted)
    have, want = [given[k] for k in keys], [wanted[k] for k in keys]
    raw = np.array([reference["p_corrected"][k] for k in keys])
    mistakes = {
        "those are the corrected p-values before Holm's adjustment": raw,
    }
    require_close(
        "A.4", have, want, "holm", atol=1e-6, mistakes=mistakes,
        hint="Holm over the corrected p-values: sort them, multiply the i-th smallest (from 0) "
        "by m - i, keep the results non-decreasing in that order, and cap them at 1",
    )  # fmt: skip


def check_study_numbers(results: pd.DataFrame, paired, corrected, holm_adjust, holm, units) -> None:
    """Exercise A.4: ``paired`` = (mean, low, high) and ``corrected`` = (low, high) for dcgan -
    classic; ``holm_adjust(p_values)``, Holm's adjustment, and ``holm`` = {arm: adjusted
    corrected p} over the secondary comparisons; ``units`` for a 2-point gain; all from
    ``results`` (the committed study)."""
    reference = study_reference(results)
    mistakes = _interval_mistakes(results, reference)
    for name, value in (("paired", paired), ("corrected", corrected)):
        require_answer("A.4", value, name)
        require_close("A.4", value, reference[name], name, atol=1e-6,
                      mistakes=mistakes[name])  # fmt: skip
    _check_holm_function(holm_adjust)
    _check_holm(holm, reference)
    units = require_answer("A.4", units, "units")
    sd = float(reference["differences"].std(ddof=1))
    one_sided = units_needed_paired(sd, GAIN, alpha=0.10)
    normal = math.ceil(((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * sd / GAIN) ** 2)
    require_close(
        "A.4", units, reference["units"], "units", atol=0.5,
        hint="a paired t-test's sample size for effect size 0.02 / sd, alpha 0.05 (two-sided), "
        "power 0.8 (statsmodels' TTestPower), rounded up",
        mistakes={
            "that is a one-sided test's number: the question is two-sided": one_sided,
            "that is the normal approximation: a t-test over few units needs a few more": normal,
        } if normal != reference["units"] else {"that is one-sided": one_sided},
    )  # fmt: skip
    low, high = reference["corrected"]
    passed(
        "A.4",
        f"dcgan - classic {100 * reference['paired'][0]:+.1f} points, corrected interval "
        f"{100 * low:+.1f} to {100 * high:+.1f}; {len(reference['holm'])} secondary comparisons; "
        f"{reference['units']} units for a 2-point gain",
    )
