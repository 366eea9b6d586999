"""The committed study results (results/<profile>/) are whole, traceable, and their report
still follows from their CSVs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from ganaug.experiment import ARMS, load_gan_quality, load_results, render_report, study_plan
from ganaug.experiment.provenance import read_run, version_line
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
    "seconds_per_cell",
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
    assert set(run["seconds_per_cell"]) >= {f"{arm}__seed{seed}" for arm, seed in expected}
    assert run["data"]["source"] == "ham10000", "committed results must be on real HAM10000"
    quality = load_gan_quality(folder)
    assert set(quality["seed"]) >= set(range(plan.seeds))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_a_committed_study_is_whole_and_of_one_code_version(folder):
    status = folder_status(folder)
    assert status.whole and status.current_plan, describe_folder_status(status)
    assert not status.mixed, describe_folder_status(status)
    extractors = read_run(folder)["extractors"]
    assert set(extractors) == {str(seed) for seed in range(study_plan(status.profile).seeds)}
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
        (g, s) for g in ("dcgan", "dcgan_plus") for s in (750, 1500, 3000, 6000)
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
