"""One code version per results folder: each cell records its commit and code hash, and a
folder is never resumed by other study code; the k-fold protocol is recorded the same way."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from ganaug.data import fold_splits, synthetic_lesions
from ganaug.experiment import cells as cells_module
from ganaug.experiment import load_predictions, load_results, render_report, run_experiment
from ganaug.experiment.provenance import STUDY_PACKAGES, code_version, read_run, version_line
from ganaug.experiment.report import write_report
from ganaug.experiment.versions import code_hash, package_hashes


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


@pytest.fixture(scope="module")
def study(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("versioned")
    run_experiment(data, out, "smoke", arms=["none"], seeds=[0], progress=False)
    return out


@pytest.fixture
def copy(study, tmp_path):
    target = tmp_path / "study"
    shutil.copytree(study, target)
    return target


def folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_each_cell_records_its_code_and_commit(study):
    run = read_run(study)
    code = code_version()
    assert run["code"] == code and set(code["packages"]) == set(STUDY_PACKAGES)
    cell = run["cells"]["none__seed0"]
    assert cell["code"] == code["hash"] and cell["commit"] == run["git_commit"]
    assert cell["seconds"] == run["seconds_per_cell"]["none__seed0"]  # old key still there
    assert run["protocol"] == {"name": "kfold", "k": 3}  # the smoke plan's protocol
    assert run["sessions"][-1]["code"] == code["hash"]


def test_the_report_names_the_code_version(copy):
    text = write_report(copy)
    assert f"Study code {code_version()['hash'][:12]} (commit " in text
    assert "protocol kfold" in text
    plain = render_report(load_results(copy))  # callable as before, without a version line
    assert text.replace(version_line(read_run(copy)) + "\n\n", "") == plain


def test_validation_metrics_are_recorded(study):
    metrics = set(load_results(study)["metric"])
    assert {"val_balanced_accuracy", "val_accuracy"} <= metrics


def test_a_resumed_run_with_the_same_code_continues(copy, data, monkeypatch):
    ran, original = [], cells_module.run_cell

    def counting(arm, seed, *args, **kwargs):
        ran.append((arm.name, seed))
        return original(arm, seed, *args, **kwargs)

    monkeypatch.setattr("ganaug.experiment.units.run_cell", counting)
    run_experiment(data, copy, "smoke", arms=["none"], seeds=[0, 1], progress=False)
    assert ran == [("none", 1)]
    assert set(read_run(copy)["cells"]) == {"none__seed0", "none__seed1"}


def test_other_code_is_refused_and_the_folder_is_untouched(copy, data, monkeypatch):
    before = folder_digest(copy)
    monkeypatch.setattr("ganaug.experiment.versions.code_hash", lambda packages: "f" * 64)
    with pytest.raises(ValueError) as refused:
        run_experiment(data, copy, "smoke", arms=["none"], seeds=[0, 1], progress=False)
    message = str(refused.value)
    assert str(copy) in message and "none__seed0" in message
    assert "ganaug.experiment" in message and "changed" in message
    assert "new --out" in message and "delete those cells" in message
    assert folder_digest(copy) == before


def test_a_folder_without_recorded_code_is_refused(copy, data):
    run = read_run(copy)
    for key in ("cells", "code"):
        run.pop(key)
    (copy / "run.json").write_text(json.dumps(run))
    before = folder_digest(copy)
    with pytest.raises(ValueError, match="no code was recorded"):
        run_experiment(data, copy, "smoke", arms=["none"], seeds=[1], progress=False)
    assert folder_digest(copy) == before


def test_another_protocol_is_refused(copy, data):
    before = folder_digest(copy)
    with pytest.raises(ValueError, match="units of two protocols cannot be paired"):
        run_experiment(data, copy, "smoke", arms=["none"], seeds=[1], protocol="resampled")
    with pytest.raises(ValueError, match="units of two protocols cannot be paired"):
        run_experiment(data, copy, "smoke", arms=["none"], seeds=[1], protocol="kfold", k=5)
    assert folder_digest(copy) == before


def test_a_kfold_study_tests_each_unit_on_its_fold(tmp_path, data):
    run_experiment(
        data, tmp_path, "smoke", arms=["none"], seeds=[0, 6], protocol="kfold", k=5, progress=False
    )
    assert read_run(tmp_path)["protocol"] == {"name": "kfold", "k": 5}
    predictions = load_predictions(tmp_path)
    for unit in (0, 6):
        tested = predictions[predictions["seed"] == unit]["image_id"]
        assert sorted(tested) == sorted(fold_splits(data, unit, 5).test.image_id.tolist())


def test_code_hash_follows_the_sources(tmp_path, monkeypatch):
    package = tmp_path / "hashme_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    first = code_hash(["hashme_pkg"])
    assert code_hash(["hashme_pkg"]) == first
    (package / "a.py").write_text("x = 2\n")
    assert code_hash(["hashme_pkg"]) != first
    (package / "a.py").write_text("x = 1\n")
    assert code_hash(["hashme_pkg"]) == first
    (package / "b.py").write_text("")
    assert code_hash(["hashme_pkg"]) != first
    assert set(package_hashes(["hashme_pkg", "ganaug.data"])) == {"hashme_pkg", "ganaug.data"}
    with pytest.raises(ValueError, match="no importable package"):
        code_hash(["hashme_pkg.missing"])
    with pytest.raises(ValueError, match="non-empty list"):
        code_hash("ganaug.data")
