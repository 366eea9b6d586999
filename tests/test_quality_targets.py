"""Generator quality against its targets: each target fails on a generator built to miss it."""

import pandas as pd
import pytest

from ganaug.metrics.targets import QUALITY_TARGETS, target_table, unit_targets
from ganaug.verdict.quality import TARGETS, describe_targets, quality_per_unit, quality_targets

GOOD = {"fid": 1.5, "diversity": 3.6, "gan_test": 0.65, "near_duplicates": 0.0, "recall": 0.8}
REAL = {"fid": 1.0, "diversity": 4.0, "gan_test": 0.60, "recall": 0.9}


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
        ({"generator": GOOD | {"fid": 2.5}}, "fid_near_reference"),
        ({"generator": GOOD | {"diversity": 3.0}}, "diversity"),
        ({"unit_override": {2: {"near_duplicates": 0.02}}}, "near_duplicates"),
        ({"generator": GOOD | {"gan_test": 0.45}}, "gan_test_bias"),
        ({"unit_override": {0: {"gan_test": 0.40}, 1: {"gan_test": 0.90}}}, "gan_test_spread"),
        ({"generator": GOOD | {"recall": 0.5}}, "recall"),
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


def test_rows_without_recall_cannot_meet_the_coverage_target():
    quality = _quality(GOOD)
    row = quality_targets(quality[quality["metric"] != "recall"]).loc["gen"]
    assert not row["recall"] and not row["all"] and row["fid_near_reference"]


def test_the_search_rule_never_reads_the_coverage_target():
    """The per-unit targets (the search's rule) are those fixed before the search ran."""
    checks = unit_targets(quality_per_unit(_quality(GOOD | {"recall": 0.1})))
    assert "recall" not in checks.columns and checks["all"].all()


def test_missing_references_or_rows_are_refused():
    quality = _quality(GOOD)
    with pytest.raises(ValueError, match="reference"):
        quality_targets(quality[quality["generator"] != "blurred"])
    with pytest.raises(ValueError, match="empty"):
        quality_targets(quality.iloc[:0])


def test_every_target_is_declared_with_its_definition_threshold_and_reason():
    table = target_table()
    assert list(table.index) == list(TARGETS) == [target.name for target in QUALITY_TARGETS]
    for column in ("label", "definition", "over", "reason", "missed_means"):
        assert table[column].str.len().min() > 5, column


def test_targets_per_unit_count_the_units_where_every_target_is_met():
    quality = _quality(GOOD, unit_override={1: {"fid": 9.0}})
    per_unit = unit_targets(quality_per_unit(quality))
    assert per_unit["all"].tolist() == [True, False, True]
    assert not per_unit.loc[("gen", 1), "fid_near_reference"]
