"""Every sentence true: one definition per family of comparisons, power for the question asked,
and words about zero that agree with the rounded numbers printed beside them."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from conftest import ROOT
from ganaug.experiment import load_results, primary_table, unit_sizes
from ganaug.experiment.report import comparisons_display
from ganaug.metrics import (
    corrected_power,
    detectable_floor,
    smallest_resolvable_effect,
    units_needed_corrected,
    units_needed_paired,
)
from ganaug.verdict import LEAKAGE_ARM, describe_difference, describe_leakage

BOOK = ROOT / "results" / "book"


def _power_by_hand(sd, difference, units, n_test, n_train, alpha=0.05):
    """Power of the corrected t from scipy's noncentral t, written out from its definition."""
    se = sd * math.sqrt(1 / units + n_test / n_train)
    df, ncp = units - 1, difference / se
    critical = stats.t.ppf(1 - alpha / 2, df)
    return stats.nct.sf(critical, df, ncp) + stats.nct.cdf(-critical, df, ncp)


@pytest.mark.parametrize(
    ("sd", "difference", "n_test", "n_train"),
    [(0.02, 0.03, 1, 9), (0.03, 0.02, 700, 1700), (0.01, 0.02, 1, 4), (0.04, 0.05, 1, 20)],
)
def test_corrected_units_needed_is_the_first_that_reaches_the_power(
    sd, difference, n_test, n_train
):
    floor = detectable_floor(sd, n_test, n_train)
    needed = units_needed_corrected(sd, difference, n_test, n_train)
    if difference <= floor:
        assert needed is None
        return
    assert _power_by_hand(sd, difference, needed, n_test, n_train) >= 0.8
    assert _power_by_hand(sd, difference, needed - 1, n_test, n_train) < 0.8
    assert corrected_power(sd, difference, needed, n_test, n_train) == pytest.approx(
        _power_by_hand(sd, difference, needed, n_test, n_train)
    )
    assert needed >= units_needed_paired(sd, difference)  # what the units share costs units


def test_the_floor_at_80_percent_power_lies_above_the_half_width_floor():
    sd, n_test, n_train = 0.03, 740, 1715
    half = smallest_resolvable_effect(sd, n_test, n_train)
    assert detectable_floor(sd, n_test, n_train, power=0.5) == pytest.approx(half)
    ratio = (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / stats.norm.ppf(0.975)
    assert detectable_floor(sd, n_test, n_train) == pytest.approx(ratio * half)  # about 1.43
    # Just above the 50 % floor, no number of units reaches 80 % power.
    assert units_needed_corrected(sd, 1.05 * half, n_test, n_train) is None
    with pytest.raises(ValueError):
        units_needed_corrected(0.0, 0.02, n_test, n_train)


def _report_table(text: str, heading: str) -> pd.DataFrame:
    """The Markdown table that follows ``heading`` in ``report.md``, as text."""
    lines = text.split(heading, 1)[1].splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("|")), 0)
    rows = []
    for line in lines[end:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    header, body = rows[0], rows[2:]
    return pd.DataFrame(
        [row[1:] for row in body], index=[row[0] for row in body], columns=header[1:]
    )


def test_the_secondary_table_is_the_same_on_the_page_and_in_the_report():
    results = load_results(BOOK)
    table = primary_table(results, *unit_sizes(results))
    page = comparisons_display(table, "secondary")  # what chapter 6 shows
    report = _report_table((BOOK / "report.md").read_text(), "### Secondary")
    assert report.index.tolist() == page.index.tolist()
    assert report.columns.tolist() == page.columns.tolist()
    assert (report.to_numpy() == page.to_numpy()).all()


def test_each_family_is_adjusted_alone():
    results = load_results(BOOK)
    table = primary_table(results, *unit_sizes(results))
    # secondary: every arm of the folder against classic, but classic itself, the primary arm
    # judged against classic and the split by image (its own comparison, the leak)
    primary = table[table["family"] == "primary"]
    assert len(primary) == 2
    against_classic = set(primary.loc[primary["baseline"] == "classic", "arm"])
    others = set(results["arm"]) - {"classic", LEAKAGE_ARM} - against_classic
    secondary = table[table["family"] == "secondary"]
    assert set(secondary["arm"]) == others and len(secondary) == len(others)
    assert set(secondary["baseline"]) == {"classic"}
    assert {"chosen", "chosen_no_classic"} <= others  # the search's arms are in the family
    for family in ("primary", "secondary"):
        rows = table[table["family"] == family]
        expected = multipletests(rows["p_corrected"], method="holm")[1]
        assert rows["p_holm"].to_numpy() == pytest.approx(expected)


def test_describe_difference_judges_the_rounded_bounds():
    row = pd.Series(
        {"family": "primary", "arm": "a", "baseline": "classic", "units": 10,
         "mean_difference": 0.01, "paired_low": 0.0004, "paired_high": 0.02,
         "corrected_low": -0.01, "corrected_high": 0.03, "p_holm": 0.04}
    )  # fmt: skip
    sentence = describe_difference(row)
    assert "+0.0 to +2.0, which includes zero" in sentence
    assert sentence.endswith("no evidence of a gain or a loss.")


ZERO_CLAIM = re.compile(
    r"([+-]?\d+\.\d) to ([+-]?\d+\.\d)\)?,? (?:which )?(includes|excludes) zero"
)


def _claims_agree(sentence: str) -> int:
    claims = ZERO_CLAIM.findall(sentence)
    for low, high, word in claims:
        includes = float(low) <= 0 <= float(high)
        assert (word == "includes") == includes, f"{low} to {high} {word} zero in: {sentence}"
    return len(claims)


def test_every_glued_claim_about_zero_agrees_with_the_rounded_numbers():
    rng = np.random.default_rng(24)
    checked = 0
    for _ in range(400):
        # Bounds near zero on purpose: within a rounding step of it, on either side.
        paired = np.sort(rng.choice([-1, 1]) * rng.uniform(0, 0.001, 2) + rng.normal(0, 0.01, 2))
        corrected = np.sort([paired[0] - rng.uniform(0, 0.02), paired[1] + rng.uniform(0, 0.02)])
        row = pd.Series(
            {"family": rng.choice(["primary", "secondary"]), "arm": "a", "baseline": "b",
             "units": 10, "mean_difference": paired.mean(), "paired_low": paired[0],
             "paired_high": paired[1], "corrected_low": corrected[0],
             "corrected_high": corrected[1], "p_holm": rng.uniform()}
        )  # fmt: skip
        checked += _claims_agree(describe_difference(row))
        effect = {"mean": paired.mean(), "low": paired[0], "high": paired[1], "units": 5}
        leakage = describe_leakage(effect)
        side = "includes" if round(100 * paired[0], 1) <= 0 <= round(100 * paired[1], 1) else ""
        assert ("no evidence of a difference" in leakage) == bool(side)
    assert checked == 400 * 2  # the sentence's two intervals
