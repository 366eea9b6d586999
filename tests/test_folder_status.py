"""A partial or stale results folder is named as such, with the command that completes it."""

import json

import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import run_experiment
from ganaug.experiment.plan import study_plan
from ganaug.verdict.folder import describe_folder_status, folder_status


@pytest.fixture(scope="module")
def partial(tmp_path_factory):
    out = tmp_path_factory.mktemp("results") / "mine"
    data = synthetic_lesions({"bcc": 24, "bkl": 30, "mel": 30}, seed=2)
    run_experiment(data, out, "smoke", arms=["none", "classic"], seeds=[0], progress=False)
    return out


def test_a_partial_folder_names_its_missing_units_and_arms_and_the_command(partial):
    status = folder_status(partial)
    plan = study_plan("smoke")
    assert not status.whole and status.current
    assert sorted(status.missing) == list(range(plan.seeds))
    assert "none" not in status.missing[0] and "dcgan" in status.missing[0]
    assert status.missing[1] == list(plan.arms or status.planned_arms)
    text = describe_folder_status(status)
    assert text.startswith("Note:") and "unit 0 lacks" in text and "dcgan" in text
    assert "--profile smoke --out" in text and "mine" in text


def test_stale_pieces_are_counted_and_named_with_the_command(partial, tmp_path):
    import shutil

    folder = tmp_path / "stale"
    shutil.copytree(partial, folder)
    run = json.loads((folder / "run.json").read_text())
    run["pieces"]["cell/none/u0"]["version"] = "computed by older code"
    (folder / "run.json").write_text(json.dumps(run))
    status = folder_status(folder)
    assert status.stale == {"cell": 1} and not status.current
    text = describe_folder_status(status)
    assert "1 cell of " in text and "computed by code or a plan that has changed" in text
    assert "recomputes exactly those pieces" in text and "--out" in text


def test_a_whole_current_folder_gets_no_warning(partial, tmp_path, monkeypatch):
    from ganaug.experiment import ARMS
    from ganaug.verdict import folder as folder_module

    plan = study_plan("smoke")
    done = {(arm, seed) for seed in range(plan.seeds) for arm in plan.arms or ARMS}
    monkeypatch.setattr(folder_module, "finished_cells", lambda _: done)
    run = json.loads((partial / "run.json").read_text())
    code = folder_module.code_versions()
    for seed in range(plan.seeds):
        versions = folder_module.unit_versions(
            plan, seed, folder_module.get_arms(None), run["protocol"], code
        )
        run["pieces"].update({key: {"version": version} for key, version in versions.items()})
    (tmp_path / "run.json").write_text(json.dumps(run))
    status = folder_status(tmp_path)
    assert status.whole and status.current and describe_folder_status(status) == ""


def test_a_folder_without_run_json_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no run.json"):
        folder_status(tmp_path)


def test_only_whole_units_are_read_from_a_partial_folder(partial):
    from ganaug.experiment import load_results
    from ganaug.verdict.folder import whole_units

    status = folder_status(partial)
    rows = load_results(partial)
    assert set(rows["seed"]) == {0} and 0 in status.missing
    assert whole_units(rows, status).empty
    whole = folder_status(partial).__class__(partial, "smoke", {})
    assert len(whole_units(rows, whole)) == len(rows)
