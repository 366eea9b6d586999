"""The Ray engine runs the same cells as the in-process one (smoke profile, this machine)."""

from __future__ import annotations

import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import load_predictions, load_results, run_experiment
from ganaug.experiment.plan import study_plan
from ganaug.experiment.store import finished_cells
from ganaug.experiment.units import seed_splits

ray = pytest.importorskip("ray", reason='the Ray engine is optional: pip install "ganaug[ray]"')


def test_ray_engine_writes_the_same_cells(tmp_path):
    data = synthetic_lesions({"bcc": 20, "bkl": 36, "mel": 40}, seed=5)
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        run_experiment(
            data,
            tmp_path / "ray",
            "smoke",
            arms=["none", "dcgan"],
            seeds=[0],
            engine="ray",
            progress=False,
        )
    finally:
        ray.shutdown()
    assert finished_cells(tmp_path / "ray") == {("none", 0), ("dcgan", 0)}
    results = load_results(tmp_path / "ray")
    synthetic = results.query("metric == 'n_synthetic'").set_index("arm")["value"]
    assert synthetic["none"] == 0 and synthetic["dcgan"] > 0
    # The test images of the unit's split, as an in-process run takes them: the split does not
    # depend on where the cell runs.
    plan = study_plan("smoke")
    split = seed_splits(data, 0, plan.protocol, plan.folds)["lesion"]
    ray_ids = sorted(load_predictions(tmp_path / "ray", arm="none")["image_id"])
    assert ray_ids == sorted(split.test.image_id.tolist())
