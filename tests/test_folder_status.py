"""A partial or mixed results folder is named as such, with the command that completes it."""

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
    assert not status.whole and status.current_plan and not status.mixed
    assert sorted(status.missing) == list(range(plan.seeds))
    assert "none" not in status.missing[0] and "dcgan" in status.missing[0]
    assert status.missing[1] == list(plan.arms or status.planned_arms)
    text = describe_folder_status(status)
    assert text.startswith("Note:") and "unit 0 lacks" in text and "dcgan" in text
    assert "--profile smoke --out" in text and "mine" in text


def test_mixed_code_versions_and_an_older_plan_are_named(partial, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in partial.rglob("*"):
        target = folder / path.relative_to(partial)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(path.read_bytes())
    run = json.loads((folder / "run.json").read_text())
    run["cells"]["none__seed0"]["code"] = "f" * 64
    (folder / "run.json").write_text(json.dumps(run))
    status = folder_status(folder)
    assert status.mixed and len(status.versions) == 2
    assert "more than one code version" in describe_folder_status(status)
    run["plan"] = "StudyPlan(an older one)"
    (folder / "run.json").write_text(json.dumps(run))
    assert "earlier 'smoke' study plan" in describe_folder_status(folder_status(folder))


def test_a_whole_folder_of_one_version_gets_no_warning(partial, tmp_path, monkeypatch):
    from ganaug.experiment import ARMS
    from ganaug.verdict import folder as folder_module

    plan = study_plan("smoke")
    done = {(arm, seed) for seed in range(plan.seeds) for arm in plan.arms or ARMS}
    monkeypatch.setattr(folder_module, "finished_cells", lambda _: done)
    run = json.loads((partial / "run.json").read_text())
    run["cells"] = {f"{arm}__seed{seed}": {"code": "a" * 64} for arm, seed in done}
    (tmp_path / "run.json").write_text(json.dumps(run))
    status = folder_status(tmp_path)
    assert status.whole and not status.mixed and describe_folder_status(status) == ""


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
