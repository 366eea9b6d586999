"""The committed noise measurements beside the study are whole and of the study's data:
``results/real_reference/book`` (every unit's real generator, with both references) and
``results/run_to_run/book`` (every planned run)."""

from __future__ import annotations

import json

import pandas as pd

from conftest import ROOT
from ganaug.experiment.plan import study_plan
from ganaug.experiment.real_reference import REAL_GENERATOR
from ganaug.experiment.run_to_run import CELL_METRICS, GAN_METRICS, planned_runs

STUDY = ROOT / "results" / "book"
REAL = ROOT / "results" / "real_reference" / "book"
RUNS = ROOT / "results" / "run_to_run" / "book"


def _run(folder):
    return json.loads((folder / "run.json").read_text())


def test_the_real_reference_covers_every_unit_with_both_references():
    rows = pd.read_csv(REAL / "gan_quality.csv")
    units = set(range(study_plan("book").seeds))
    for generator in ("real_half", "blurred", REAL_GENERATOR):
        assert set(rows.loc[rows["generator"] == generator, "seed"]) == units, generator
    assert rows["value"].notna().sum() >= len(units) * 3 * 8  # 9 measures, memorised NaN once
    run = _run(REAL)
    assert run["data_fingerprint"] == _run(STUDY)["data"]["fingerprint"] and run.get("finished")
    assert set(run["units"]) == {str(unit) for unit in units}


def test_the_run_to_run_folder_holds_every_planned_run():
    runs = pd.read_csv(RUNS / "runs.csv")
    run = _run(RUNS)
    planned = planned_runs(run["unit"], 2, 2)
    made = set(runs[["what", "seed", "repeat"]].itertuples(index=False, name=None))
    assert made == set(planned)
    for what, metrics in (("cell", CELL_METRICS), ("gan", GAN_METRICS)):
        assert set(runs.loc[runs["what"] == what, "metric"]) == set(metrics)
    assert run["data_fingerprint"] == _run(STUDY)["data"]["fingerprint"] and run.get("finished")
