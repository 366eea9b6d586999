"""Generator quality against its targets: each target fails on a generator built to miss it."""

import pandas as pd
import pytest

from ganaug.verdict.quality import TARGETS, describe_targets, quality_targets

GOOD = {"fid": 1.5, "diversity": 3.6, "gan_test": 0.65, "near_duplicates": 0.0}
REAL = {"fid": 1.0, "diversity": 4.0, "gan_test": 0.60}


def _quality(generator: dict, units=(0, 1, 2), unit_override=None) -> pd.DataFrame:
    rows = []
    for unit in units:
        values = dict(generator)
        if unit_override and unit in unit_override:
            values.update(unit_override[unit])
        rows += [(unit, "real_half", m, v) for m, v in REAL.items()]
        rows += [(unit, "blurred", "fid", values.pop("blurred_fid", 6.0))]
        rows += [(unit, "gen", m, v) for m, v in values.items()]
    return pd.DataFrame(rows, columns=["seed", "generator", "metric", "value"])


@pytest.mark.parametrize(
    "change, missed",
    [
        ({}, None),
        ({"unit_override": {1: {"blurred_fid": 1.4}}}, "fid_below_blurred"),
        ({"generator": GOOD | {"fid": 2.5}}, "fid_near_floor"),
        ({"generator": GOOD | {"diversity": 3.0}}, "diversity"),
        ({"unit_override": {2: {"near_duplicates": 0.02}}}, "near_duplicates"),
        ({"generator": GOOD | {"gan_test": 0.45}}, "gan_test"),
    ],
)
def test_each_target_is_missed_by_a_generator_built_to_miss_it(change, missed):
    quality = _quality(change.get("generator", GOOD), unit_override=change.get("unit_override"))
    row = quality_targets(quality).loc["gen"]
    failed = [name for name in TARGETS if not row[name]]
    if missed is None:
        assert (
            failed == []
            and row["all"]
            and "met all" in describe_targets(quality_targets(quality), "gen")
        )
    else:
        assert failed == [missed] and not row["all"]


def test_missing_references_or_rows_are_refused():
    quality = _quality(GOOD)
    with pytest.raises(ValueError, match="reference"):
        quality_targets(quality[quality["generator"] != "blurred"])
    with pytest.raises(ValueError, match="empty"):
        quality_targets(quality.iloc[:0])
