"""A study grows piece by piece: each piece records the version of its own code, and
``reproduce`` recomputes exactly the stale pieces (``ganaug.experiment.pieces``)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ganaug.data import fold_splits, synthetic_lesions
from ganaug.experiment import (
    load_gan_quality,
    load_predictions,
    load_results,
    render_report,
    run_experiment,
)
from ganaug.experiment.arms import get_arms
from ganaug.experiment.pieces import code_versions, unit_versions, version_line
from ganaug.experiment.plan import study_plan
from ganaug.experiment.provenance import read_run
from ganaug.experiment.report import write_report
from ganaug.experiment.versions import code_hash, package_hashes, source_version

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = {"name": "kfold", "k": 3}
ARMS = ["none", "classic", "dcgan"]


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


@pytest.fixture(scope="module")
def study(tmp_path_factory, data):
    out = tmp_path_factory.mktemp("pieces")
    run_experiment(data, out, "smoke", arms=ARMS, seeds=[0], progress=False)
    return out


@pytest.fixture
def copy(study, tmp_path):
    target = tmp_path / "study"
    shutil.copytree(study, target)
    return target


@pytest.fixture
def counted(monkeypatch):
    """What a run computes: cells, GAN trainings, quality measurements, extractor loads."""
    calls = {"cell": [], "gan": [], "quality": [], "extractor": []}
    from ganaug.experiment import units

    def spy(name, function):
        def wrapper(*args, **kwargs):
            calls[name].append((args[0].name, args[1]) if name == "cell" else None)
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(units, "run_cell", spy("cell", units.run_cell))
    monkeypatch.setattr(units, "gan_quality_rows", spy("quality", units.gan_quality_rows))
    monkeypatch.setattr(units, "unit_extractor", spy("extractor", units.unit_extractor))
    monkeypatch.setattr("ganaug.experiment.gans.train_gan", spy("gan", _train_gan()))
    return calls


def _train_gan():
    from ganaug.experiment import gans

    return gans.train_gan


def folder_digest(folder: Path, pattern: str = "*") -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob(pattern))
        if path.is_file() and path.name != "run.json"
    }


def edited(kind: str) -> dict[str, str]:
    return {**code_versions(), kind: "edited since"}


# --- which kinds of piece an edit to the sources touches ------------------------------------


def _tree_with(tmp_path: Path, relative: str, line: str) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(ROOT / "ganaug", root / "ganaug", ignore=shutil.ignore_patterns("__pycache__"))
    with open(root / relative, "a") as handle:
        handle.write(line)
    return root


@pytest.mark.parametrize(
    ("relative", "kinds"),
    [
        ("ganaug/metrics/gan_quality.py", {"quality"}),
        ("ganaug/metrics/fidelity.py", {"quality"}),
        ("ganaug/experiment/quality.py", {"quality"}),
        ("ganaug/experiment/selection.py", {"choice"}),
        ("ganaug/gan/dcgan.py", {"pool"}),
        ("ganaug/experiment/gans.py", {"pool"}),
        ("ganaug/experiment/extractor.py", {"extractor"}),
        ("ganaug/experiment/cells.py", {"cell"}),
        ("ganaug/classifier/model.py", {"cell", "pool", "extractor"}),
        ("ganaug/data/core.py", {"cell", "pool", "extractor"}),
        ("ganaug/experiment/units.py", set()),  # the orchestration computes nothing itself
        ("ganaug/experiment/runner.py", set()),
        ("ganaug/verdict/quality.py", set()),
    ],
)
def test_an_edit_changes_the_code_of_exactly_the_kinds_that_run_it(tmp_path, relative, kinds):
    before = code_versions()
    after = code_versions(_tree_with(tmp_path, relative, "\nEDITED_SINCE = 1\n"))
    assert {kind for kind in before if before[kind] != after[kind]} == kinds


def test_a_changed_split_function_changes_every_kind_that_reads_a_split(tmp_path):
    root = _tree_with(tmp_path, "ganaug/experiment/units.py", "")
    path = root / "ganaug/experiment/units.py"
    path.write_text(
        path.read_text().replace('if protocol == "kfold":', 'if protocol in ("kfold",):')
    )
    before, after = code_versions(), code_versions(root)
    assert {kind for kind in before if before[kind] != after[kind]} == {"cell", "pool", "extractor"}


def test_docstrings_and_comments_do_not_change_a_version(tmp_path):
    root = _tree_with(tmp_path, "ganaug/experiment/cells.py", "# a comment\n")
    path = root / "ganaug/experiment/cells.py"
    path.write_text(path.read_text().replace("Train and score one cell.", "Train, score."))
    assert code_versions(root) == code_versions()


@pytest.mark.parametrize(
    ("kind", "stale"),
    [
        ("quality", {"quality/dcgan/u0", "quality/floor/u0"}),
        ("pool", {"pool/dcgan/u0/s0", "choice/dcgan/u0", "quality/dcgan/u0", "cell/dcgan/u0"}),
        ("choice", set()),  # K = 1: nothing is chosen, so no choice code runs
    ],
)
def test_a_kind_edited_makes_exactly_its_readers_stale(kind, stale):
    plan, arms = study_plan("smoke"), get_arms(ARMS)
    before = unit_versions(plan, 0, arms, PROTOCOL)
    after = unit_versions(plan, 0, arms, PROTOCOL, edited(kind))
    assert {key for key in before if before[key] != after[key]} == stale


@pytest.mark.parametrize("kind", ["cell", "extractor"])
def test_classifier_or_data_code_edited_makes_every_piece_of_its_readers_stale(kind):
    plan, arms = study_plan("smoke"), get_arms(ARMS)
    code = {**code_versions(), "cell": "x", "pool": "x", "extractor": "x"}  # what data edits do
    before = unit_versions(plan, 0, arms, PROTOCOL)
    after = unit_versions(plan, 0, arms, PROTOCOL, code)
    assert all(before[key] != after[key] for key in before)


def test_k_seeds_add_pools_and_a_choice_that_reads_the_choice_code():
    import dataclasses

    plan = dataclasses.replace(study_plan("smoke"), gan_seeds=(("dcgan", 3),))
    before = unit_versions(plan, 0, get_arms(ARMS), PROTOCOL)
    assert {key for key in before if key.startswith("pool/")} == {
        f"pool/dcgan/u0/s{seed}" for seed in range(3)
    }
    after = unit_versions(plan, 0, get_arms(ARMS), PROTOCOL, edited("choice"))
    assert {key for key in before if before[key] != after[key]} == {
        "choice/dcgan/u0",
        "quality/dcgan/u0",
        "cell/dcgan/u0",
    }


# --- the runner recomputes exactly the stale pieces ------------------------------------------


def test_each_piece_records_its_version_and_commit(study):
    run = read_run(study)
    wanted = unit_versions(study_plan("smoke"), 0, get_arms(ARMS), PROTOCOL)
    assert set(run["pieces"]) == set(wanted)
    assert all(run["pieces"][key]["version"] == wanted[key] for key in wanted)
    assert all(record["commit"] == run["git_commit"] for record in run["pieces"].values())
    assert run["pieces"]["cell/none/u0"]["seconds"] > 0
    assert run["pieces"]["pool/dcgan/u0/s0"]["seconds"] >= 0  # GAN seconds per unit
    assert run["pieces"]["extractor/u0"]["seconds"] >= 0
    assert run["pieces"]["choice/dcgan/u0"]["kept"] == 0
    assert run["protocol"] == PROTOCOL


def test_an_edit_to_quality_code_remeasures_only_the_quality_rows(
    copy, study, data, monkeypatch, counted
):
    before = folder_digest(copy)
    monkeypatch.setattr("ganaug.experiment.runner.code_versions", lambda: edited("quality"))
    run_experiment(data, copy, "smoke", arms=ARMS, seeds=[0], progress=False)
    assert counted["cell"] == [] and counted["gan"] == []
    assert len(counted["quality"]) == 1 and len(counted["extractor"]) == 1
    after = folder_digest(copy)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= {"gan_quality.csv", "gan_candidates.csv"}  # rows rewritten, cells kept
    pieces, earlier = read_run(copy)["pieces"], read_run(study)["pieces"]
    rewritten = {key.split("/")[0] for key in pieces if pieces[key] != earlier[key]}
    assert rewritten == {"quality"}


def test_an_edit_to_generator_code_reruns_only_pools_generator_cells_and_quality(
    copy, data, monkeypatch, counted
):
    before = folder_digest(copy, "predictions/*")
    monkeypatch.setattr("ganaug.experiment.runner.code_versions", lambda: edited("pool"))
    monkeypatch.setattr("ganaug.experiment.gans.gan_code_version", lambda: "edited since")
    run_experiment(data, copy, "smoke", arms=ARMS, seeds=[0], progress=False)
    assert (
        counted["cell"] == [("dcgan", 0)]
        and len(counted["gan"]) == 1
        and len(counted["quality"]) == 1
    )
    after = folder_digest(copy, "predictions/*")
    assert {name for name in before if before[name] != after[name]} <= {
        "predictions/dcgan__seed0.csv"
    }


def test_an_edit_to_classifier_or_data_code_reruns_everything(copy, data, monkeypatch, counted):
    code = {**code_versions(), "cell": "x", "pool": "x", "extractor": "x"}
    monkeypatch.setattr("ganaug.experiment.runner.code_versions", lambda: code)
    run_experiment(data, copy, "smoke", arms=ARMS, seeds=[0], progress=False)
    assert (
        sorted(counted["cell"]) == [("classic", 0), ("dcgan", 0), ("none", 0)]
        and len(counted["quality"]) == 1
    )
    assert len(counted["extractor"]) == 1
    assert all(
        read_run(copy)["pieces"][key]["version"] == version
        for key, version in unit_versions(
            study_plan("smoke"), 0, get_arms(ARMS), PROTOCOL, code
        ).items()
    )


def test_adding_an_arm_or_a_unit_leaves_every_finished_piece_byte_for_byte(copy, data, counted):
    before = folder_digest(copy, "predictions/*")
    results = load_results(copy)
    recorded = read_run(copy)["pieces"]
    run_experiment(data, copy, "smoke", arms=[*ARMS, "oversample"], seeds=[0], progress=False)
    run_experiment(data, copy, "smoke", arms=["none"], seeds=[1], progress=False)  # a unit
    after = folder_digest(copy, "predictions/*")
    assert all(after[name] == digest for name, digest in before.items())
    assert sorted(counted["cell"]) == [("none", 1), ("oversample", 0)]
    new = load_results(copy)
    kept = new[new["arm"].isin(ARMS) & (new["seed"] == 0)].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept, results.reset_index(drop=True))
    pieces = read_run(copy)["pieces"]
    assert all(pieces[key] == record for key, record in recorded.items())


def test_a_baseline_cell_rerun_on_unchanged_code_gives_its_numbers_bit_for_bit(copy, data):
    results = load_results(copy)
    run = read_run(copy)
    del run["pieces"]["cell/classic/u0"]
    (copy / "run.json").write_text(json.dumps(run))
    run_experiment(data, copy, "smoke", arms=ARMS, seeds=[0], progress=False)
    again = load_results(copy)
    key = ["arm", "seed", "metric"]
    old = results[results["metric"] != "seconds"].sort_values(key).reset_index(drop=True)
    new = again[again["metric"] != "seconds"].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(old, new, check_exact=True)


def test_a_k_seed_kind_measures_every_candidate_and_marks_the_kept_one(tmp_path, data, monkeypatch):
    import dataclasses

    from ganaug.experiment import plan as plan_module

    smoke = dataclasses.replace(plan_module.STUDY_PLANS["smoke"], gan_seeds=(("dcgan", 2),))
    monkeypatch.setitem(plan_module.STUDY_PLANS, "smoke", smoke)
    run_experiment(data, tmp_path, "smoke", arms=["classic", "dcgan"], seeds=[0], progress=False)
    choice = read_run(tmp_path)["pieces"]["choice/dcgan/u0"]
    assert choice["kept"] in (0, 1) and len(choice["validation_kid"]) == 2
    assert choice["kept"] == min(range(2), key=choice["validation_kid"].__getitem__)
    candidates = pd.read_csv(tmp_path / "gan_candidates.csv")
    assert set(candidates["gan_seed"]) == {0, 1}
    kept = candidates[candidates["kept"]]
    assert set(kept["gan_seed"]) == {choice["kept"]}
    quality = pd.read_csv(tmp_path / "gan_quality.csv")
    dcgan = quality[quality["generator"] == "dcgan"].set_index("metric")["value"]
    assert dcgan.equals(kept.set_index("metric")["value"].rename("value"))


# --- reports, protocols and hashes -------------------------------------------------------------


def test_the_report_names_the_pieces_versions(copy):
    text = write_report(copy)
    assert "Pieces: " in text and "protocol kfold" in text
    plain = render_report(load_results(copy), load_gan_quality(copy))  # without a version line
    assert text.replace(version_line(read_run(copy)) + "\n\n", "") == plain


def test_validation_metrics_are_recorded(study):
    metrics = set(load_results(study)["metric"])
    assert {"val_balanced_accuracy", "val_accuracy"} <= metrics


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


def test_a_definition_spec_follows_what_the_definition_uses(tmp_path):
    root = tmp_path / "tree"
    (root / "ganaug").mkdir(parents=True)
    module = root / "ganaug" / "m.py"
    module.write_text("import os\nLIMIT = 1\ndef f():\n    return LIMIT\ndef g():\n    return 2\n")
    first = source_version(["ganaug.m:f"], root)
    module.write_text(module.read_text().replace("return 2", "return 3"))
    assert source_version(["ganaug.m:f"], root) == first  # g is not f's
    module.write_text(module.read_text().replace("LIMIT = 1", "LIMIT = 2"))
    assert source_version(["ganaug.m:f"], root) != first  # f uses LIMIT
