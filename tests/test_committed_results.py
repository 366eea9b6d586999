"""The committed study results (results/<profile>/) are whole, traceable, and their report
still follows from their CSVs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from ganaug.experiment import ARMS, load_gan_quality, load_results, render_report, study_plan
from ganaug.experiment.arms import get_arms
from ganaug.experiment.pieces import code_versions, stale_pieces, unit_versions, version_line
from ganaug.experiment.provenance import read_run
from ganaug.experiment.store import finished_cells
from ganaug.verdict.folder import describe_folder_status, folder_status

FOLDERS = sorted(path.parent for path in (ROOT / "results").glob("*/run.json"))
PROVENANCE = {
    "command",
    "profile",
    "plan",
    "data",
    "versions",
    "machine",
    "git_commit",
    "started",
    "finished",
    "pieces",
}


def test_the_book_results_are_committed():
    assert ROOT / "results" / "book" in FOLDERS, "run `make reproduce` and commit results/book"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_report_follows_from_the_csv(folder):
    run = read_run(folder)
    expected = render_report(load_results(folder), load_gan_quality(folder), version_line(run))
    actual = (folder / "report.md").read_text()
    assert actual == expected, (
        f"{folder.name}/report.md differs from what its CSVs give: run "
        f"`python -m ganaug reproduce --out results/{folder.name} --report-only`"
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_run_covers_every_arm_and_seed_of_its_profile(folder):
    run = read_run(folder)
    assert folder.name == run["profile"]
    assert run.get("plan") == repr(study_plan(run["profile"])), (
        f"results/{folder.name} was made under another study plan than this version of ganaug "
        "runs: rerun it into a fresh --out and commit it"
    )
    plan = study_plan(run["profile"])
    expected = {(arm, seed) for arm in plan.arms or ARMS for seed in range(plan.seeds)}
    assert expected <= finished_cells(folder)
    assert PROVENANCE <= set(run) and run["finished"]
    assert all(run["pieces"][f"cell/{arm}/u{seed}"]["seconds"] > 0 for arm, seed in expected)
    assert run["data"]["source"] == "ham10000", "committed results must be on real HAM10000"
    quality = load_gan_quality(folder)
    assert set(quality["seed"]) >= set(range(plan.seeds))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_every_piece_is_current_for_its_own_code_or_its_version_is_named(folder):
    """A folder may hold pieces of several code versions: each is recorded (version, code,
    commit), and those not current for this code are exactly the ones a reader is told of."""
    status = folder_status(folder)
    assert status.whole, describe_folder_status(status)
    run = read_run(folder)
    plan = study_plan(status.profile)
    code = code_versions()
    stale = set()
    for unit in range(plan.seeds):
        wanted = unit_versions(plan, unit, get_arms(list(plan.arms or ARMS)), run["protocol"], code)
        assert set(wanted) <= set(run["pieces"]), "a piece of the plan has no recorded version"
        stale |= set(stale_pieces(run["pieces"], wanted))
    for key in stale:
        record = run["pieces"][key]
        assert record["version"] and record["code"] and len(record["commit"]) >= 40, key
    counted = {kind: sum(key.startswith(kind + "/") for key in stale) for kind in status.stale}
    assert counted == status.stale
    if stale:
        assert "recomputes exactly those pieces" in describe_folder_status(status)
    # the baseline cells (no generator) are current: a study that adds arms keeps them
    baseline = [arm.name for arm in get_arms(list(plan.arms or ARMS)) if not arm.generator]
    assert not {key for key in stale if key.split("/")[1] in baseline and key.startswith("cell/")}
    extractors = run["extractors"]
    assert set(extractors) == {str(seed) for seed in range(plan.seeds)}
    assert len({e["code"] for e in extractors.values()}) == 1, "units measured by two recipes"


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_predictions_agree_with_the_metrics(folder):
    results = load_results(folder)
    for (arm, seed), rows in results.groupby(["arm", "seed"]):
        predictions = pd.read_csv(folder / "predictions" / f"{arm}__seed{seed}.csv")
        accuracy = rows.set_index("metric").loc["accuracy", "value"]
        assert (predictions["true"] == predictions["pred"]).mean() == pytest.approx(accuracy)
        assert len(predictions) == rows.set_index("metric").loc["n_test", "value"]


def test_the_committed_gan_curve_and_ablation_are_whole_and_of_one_version():
    from ganaug.experiment.gan_curve import finished_points, load_ablation, load_curve

    curve_folder = ROOT / "results" / "gan_curve" / "book"
    run = read_run(curve_folder)
    assert run["finished"] and run["data_fingerprint"] and run["code"]["hash"]
    points = finished_points(load_curve(curve_folder))
    assert {(g, s) for g, s in points if s > 0} == {
        (g, s) for g in ("dcgan", "dcgan_four_fixes") for s in (750, 1500, 3000, 6000)
    }
    assert all((curve_folder / "samples" / f"{g}_{s}.npz").exists() for g, s in points if s)
    ablation_folder = ROOT / "results" / "gan_ablation" / "book"
    runs = [read_run(folder) for folder in sorted(ablation_folder.glob("unit*"))]
    assert [r["unit"] for r in runs] == [0, 1, 2] and all(r["finished"] for r in runs)
    assert len({r["code"]["hash"] for r in runs}) == 1, "the ablation's units ran different code"
    ablation = load_ablation(ablation_folder)
    kinds = ablation.loc[ablation["steps"] > 0].groupby("unit")["generator"].nunique()
    assert (kinds == 6).all()


def test_the_committed_choice_of_the_improved_dcgan_follows_from_its_ablation():
    from ganaug.experiment.choice import choose_plus
    from ganaug.experiment.gan_curve import load_ablation
    from ganaug.experiment.gans import PLUS_CANDIDATES, PLUS_CHOICE

    folder = ROOT / "results" / "gan_choice" / "book"
    runs = [read_run(unit) for unit in sorted(folder.glob("unit*"))]
    assert [r["unit"] for r in runs] == [0, 1, 2] and all(r["finished"] for r in runs)
    assert len({r["code"]["hash"] for r in runs}) == 1, "the units ran different code"
    assert all(r["extractor"]["unit"] == str(r["unit"]) for r in runs)
    ablation = load_ablation(folder)
    measured = set(ablation.loc[ablation["steps"] > 0, "generator"])
    assert measured == {"dcgan", *PLUS_CANDIDATES}
    assert choose_plus(ablation, list(PLUS_CANDIDATES)).chosen == PLUS_CHOICE
