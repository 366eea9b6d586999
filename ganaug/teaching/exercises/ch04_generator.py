"""Check for exercise 4.4: measuring a GAN of one's own against the real-half and blurred
references, and saying from the numbers whether it collapsed."""

from __future__ import annotations

from collections.abc import Mapping

import keras
import numpy as np
import pandas as pd

from ganaug.data import Splits
from ganaug.experiment.quality import gan_quality_rows
from ganaug.metrics.targets import get_target
from ganaug.teaching.exercises import fail, passed, require_answer

#: The rows and columns exercise 4.4's table must have.
ROWS = ("real_half", "blurred", "mine")
COLUMNS = ("fid", "diversity", "near_duplicates")


def reference_table(
    model: keras.Model, splits: Splits, generated: np.ndarray, seed: int = 0
) -> pd.DataFrame:
    """What exercise 4.4 asks for, computed by the library: one row per set (``real_half``,
    ``blurred``, ``mine``), one column per measure of :data:`COLUMNS`
    (:func:`ganaug.experiment.quality.gan_quality_rows` with ``generated`` as ``mine``)."""
    rows = gan_quality_rows(model, splits, {"mine": np.asarray(generated)}, seed)
    table = rows.pivot_table(index="generator", columns="metric", values="value")
    return table.loc[list(ROWS), list(COLUMNS)]


def collapse_rule(table: pd.DataFrame) -> bool:
    """Exercise 4.4's rule, read from chapter 4's per-unit targets: a generator collapsed when
    its diversity is below the diversity target's share of the real half's, or its share of
    near-duplicate pairs is above the near-duplicate target.

    Examples
    --------
    >>> table = pd.DataFrame({"diversity": [4.0, 1.0], "near_duplicates": [0.0, 0.3]},
    ...                      index=["real_half", "mine"])
    >>> collapse_rule(table)
    True
    """
    share, most = get_target("diversity").threshold, get_target("near_duplicates").threshold
    mine, real = table.loc["mine"], table.loc["real_half"]
    return bool(mine["diversity"] < share * real["diversity"] or mine["near_duplicates"] > most)


def _as_table(value) -> pd.DataFrame:
    if isinstance(value, Mapping):
        value = pd.DataFrame(value)
    if not isinstance(value, pd.DataFrame):
        fail("4.4", f"table should be a pandas DataFrame, got {type(value).__name__}")
    if not set(ROWS) <= set(value.index) and set(ROWS) <= set(value.columns):
        value = value.T  # one column per set: turn it round
    missing_rows = [row for row in ROWS if row not in value.index]
    missing_columns = [column for column in COLUMNS if column not in value.columns]
    if missing_rows or missing_columns:
        fail(
            "4.4",
            f"table needs the rows {list(ROWS)} and the columns {list(COLUMNS)}; missing "
            f"{missing_rows + missing_columns}",
        )
    try:
        return value.loc[list(ROWS), list(COLUMNS)].astype(float)
    except (TypeError, ValueError):
        fail("4.4", "table should hold numbers")


def check_own_generator(
    table,
    collapsed,
    model: keras.Model,
    splits: Splits,
    generated: np.ndarray,
    seed: int = 0,
) -> None:
    """Exercise 4.4: ``table`` holds FID, diversity and near-duplicates of the real half, the
    blurred real half and ``generated`` (each measured against the first half of the unit's
    test bcc, with as many images as the second half), and ``collapsed`` says what the numbers
    say by :func:`collapse_rule`."""
    table = _as_table(require_answer("4.4", table, "table"))
    collapsed = require_answer("4.4", collapsed, "collapsed")
    expected = reference_table(model, splits, generated, seed)
    for row in ROWS:
        for column in COLUMNS:
            have, want = table.loc[row, column], expected.loc[row, column]
            if not np.isclose(have, want, rtol=2e-3, atol=1e-6):
                fail(
                    "4.4",
                    f"table[{column!r}] of {row!r} is {have:.4g}, expected {want:.4g}. Measure "
                    "every set against the reference half (the first half of the test bcc), "
                    "with as many images as the second half (your GAN's first ones); "
                    "near-duplicates use the threshold from the training bcc",
                )
    if not isinstance(collapsed, bool | np.bool_):
        fail("4.4", f"collapsed should be True or False, got {collapsed!r}")
    truth = collapse_rule(expected)
    if bool(collapsed) != truth:
        mine, real = expected.loc["mine"], expected.loc["real_half"]
        fail(
            "4.4",
            f"the numbers say collapsed = {truth}: your GAN's diversity is "
            f"{mine['diversity']:.2f} against {real['diversity']:.2f} for the real half (the "
            f"target asks at least {get_target('diversity').threshold:g} times it) and "
            f"{mine['near_duplicates']:.1%} of its pairs are near-duplicates (the target asks at "
            f"most {get_target('near_duplicates').threshold:.0%})",
        )
    verdict = "collapsed" if truth else "did not collapse"
    passed("4.4", f"the table matches the library's, and by the numbers your GAN {verdict}")
