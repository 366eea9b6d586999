"""Chapter 5's analysis of a results folder, on a made-up study whose effects are known."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from ganaug.metrics import classification_metrics, seeds_needed
from ganaug.plots.verdict import (
    plot_gan_quality,
    plot_leakage,
    plot_paired_differences,
    plot_report_intervals,
)
from ganaug.verdict import (
    LEAKAGE_ARM,
    arms_with_evidence,
    describe_difference,
    describe_gan_position,
    describe_leakage,
    describe_results,
    discordance,
    gan_quality_summary,
    leakage_effect,
    mcnemar_for_seed,
    power_summary,
    report_uncertainty,
    seed_differences,
    verdict_display,
    verdict_sentence,
    verdict_table,
)

LABELS = ["bcc", "bkl", "mel"]
#: Chance of a right answer per arm: "strong" clearly beats classic, "same" does not differ.
SKILL = {"classic": 0.6, "strong": 0.9, "same": 0.6, LEAKAGE_ARM: 0.75}


def _study(n_seeds=6, n_test=120):
    rng = np.random.default_rng(0)
    results, predictions = [], []
    for seed in range(n_seeds):
        true = rng.choice(LABELS, n_test)
        easy = rng.random(n_test)  # shared by the arms of one seed: they are paired
        for arm, skill in SKILL.items():
            ids = [f"{'img' if arm != LEAKAGE_ARM else 'other'}{seed}_{i}" for i in range(n_test)]
            right = (easy + rng.normal(0, 0.1, n_test)) < skill
            pred = np.where(right, true, np.roll(true, 1))
            pred = np.where(pred == true, pred, np.where(true == "mel", "bkl", "mel"))
            predictions.append(
                pd.DataFrame(
                    {"image_id": ids, "true": true, "pred": pred, "arm": arm, "seed": seed}
                )
            )
            scores = classification_metrics(true, pred, LABELS)
            for metric, value in (
                ("accuracy", scores["accuracy"]),
                ("balanced_accuracy", scores["balanced_accuracy"]),
                ("recall_bcc", scores["recall"]["bcc"]),
            ):
                results.append((arm, seed, metric, value))
    return pd.DataFrame(results, columns=["arm", "seed", "metric", "value"]), pd.concat(
        predictions, ignore_index=True
    )


RESULTS, PREDICTIONS = _study()


def test_the_report_could_not_tell_its_two_results_apart():
    table = report_uncertainty()
    assert table["validation_images"].is_monotonic_increasing
    assert table["half_width_points"].is_monotonic_decreasing
    assert (table["half_width_points"] > 4).all() and table["overlap"].all()
    assert (table["images_needed"] > 10 * table["validation_images"]).all()
    for name in ("without GAN images", "with GAN images"):
        assert (table[f"{name} low"] < table[f"{name} high"]).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        report_uncertainty([10])


def test_verdict_table_finds_the_real_gain_and_only_it():
    table = verdict_table(RESULTS)
    assert table.index.get_level_values("arm").unique().tolist() == ["strong", "same"]
    assert LEAKAGE_ARM not in table.index.get_level_values("arm")
    assert arms_with_evidence(table) == ["strong"]
    same = table.loc[("balanced_accuracy", "same")]
    assert same["low"] < 0 < same["high"]
    assert (table["p_holm"] >= table["p_ttest"]).all()


def test_sentences_follow_the_numbers():
    table = verdict_table(RESULTS)
    strong = describe_difference(table.loc[("balanced_accuracy", "strong")], "strong")
    same = describe_difference(table.loc[("balanced_accuracy", "same")], "same")
    assert strong.endswith("evidence of a gain.") and strong.startswith("strong against classic: +")
    assert "no evidence of a gain" in same
    row = pd.Series(
        {"n_seeds": 6, "mean_difference": 0.01, "low": 0.002, "high": 0.018, "p_holm": 0.09}
    )
    assert "not significant" in describe_difference(row, "x")
    row = pd.Series(
        {"n_seeds": 6, "mean_difference": -0.03, "low": -0.05, "high": -0.01, "p_holm": 0.01}
    )
    assert describe_difference(row, "x").endswith("evidence of a loss.")
    row = pd.Series(
        {"n_seeds": 2, "mean_difference": 0.3, "low": 0.3, "high": 0.3, "p_holm": np.nan}
    )
    assert "no test is possible" in describe_difference(row, "x")


def test_mcnemar_pairs_images_of_one_seed_and_refuses_other_test_sets():
    result = mcnemar_for_seed(PREDICTIONS, "classic", "strong", seed=0)
    assert result["n"] == 120 and result["only_b"] > result["only_a"]
    assert result["p_value"] < 0.05
    with pytest.raises(ValueError, match="different test images"):
        mcnemar_for_seed(PREDICTIONS, "classic", LEAKAGE_ARM, seed=0)
    with pytest.raises(ValueError, match="no predictions"):
        mcnemar_for_seed(PREDICTIONS, "classic", "strong", seed=99)
    shuffled = PREDICTIONS.sample(frac=1, random_state=0)
    again = mcnemar_for_seed(shuffled, "classic", "strong", seed=0)
    assert again["p_value"] == result["p_value"]


def test_leakage_effect_is_the_paired_difference_of_the_two_splits():
    effect = leakage_effect(RESULTS)
    table = seed_differences(RESULTS, LEAKAGE_ARM)
    assert effect["mean"] == pytest.approx(table["difference"].mean())
    assert effect["low"] > 0


def test_power_summary_uses_the_observed_spread():
    summary = power_summary(RESULTS, PREDICTIONS, arm="same")
    spread = seed_differences(RESULTS, "same")["difference"].std(ddof=1)
    assert summary["seeds_needed"] == seeds_needed(spread, 0.02)
    assert summary["discordance"] == pytest.approx(discordance(PREDICTIONS, "classic", "same"))
    assert 0 < summary["discordance"] < 1 and summary["n_test"] == 120
    assert summary["images_needed"] > summary["n_test"]


def test_gan_quality_summary_orders_the_generators_from_best_reference_to_worst():
    quality = pd.DataFrame(
        [
            (seed, generator, metric, value + seed)
            for seed in range(3)
            for generator, value in (("blurred", 30.0), ("dcgan", 10.0), ("real_half", 1.0))
            for metric in ("fid", "kid")
        ],
        columns=["seed", "generator", "metric", "value"],
    )
    summary = gan_quality_summary(quality)
    assert summary.index.tolist() == ["real_half", "dcgan", "blurred"]
    assert summary["fid"].tolist() == [2.0, 11.0, 31.0]
    assert summary["fid sd"].tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert summary["seeds"].tolist() == [3, 3, 3]
    with pytest.raises(ValueError, match="missing column"):
        gan_quality_summary(quality.drop(columns="generator"))
    figure = plot_gan_quality(quality)
    assert [axis.get_title() for axis in figure.axes] == ["Fréchet distance", "KID"]
    plt.close("all")


def test_figures_show_every_arm_and_split():
    figure = plot_paired_differences(RESULTS)
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    assert labels == ["strong", "same"]
    assert len(plot_leakage(RESULTS).axes[0].lines) == 6 + 1  # one per seed, and the mean
    assert len(plot_report_intervals(report_uncertainty()).axes[0].get_yticklabels()) == 3
    plt.close("all")


def test_the_verdict_sentence_names_the_arms_with_evidence():
    table = verdict_table(RESULTS)
    sentence = verdict_sentence(table, "same")
    assert "no evidence of a gain" in sentence
    assert sentence.endswith(
        "Of the 2 arms compared with classic, only strong showed evidence of a gain in balanced "
        "accuracy after the Holm correction."
    )
    shown = verdict_display(table)
    assert shown.loc[("balanced_accuracy", "strong"), "mean difference (points)"] == round(
        100 * table.loc[("balanced_accuracy", "strong"), "mean_difference"], 1
    )
    assert (shown["p_wilcoxon"] != "").all()


def test_leakage_and_gan_sentences_follow_the_numbers():
    assert describe_leakage(leakage_effect(RESULTS)).endswith("it flatters the classifier.")
    lower = {"mean": -0.04, "low": -0.06, "high": -0.02, "n_seeds": 4}
    assert describe_leakage(lower).endswith("look worse.")
    unclear = {"mean": 0.01, "low": -0.02, "high": 0.04, "n_seeds": 4}
    assert "no evidence of a difference" in describe_leakage(unclear)
    summary = pd.DataFrame(
        {"fid": [1.0, 0.5, 4.0, 30.0, 9.0]}, index=["real_half", "copy", "dcgan", "bad", "blurred"]
    )
    assert describe_gan_position(summary, "dcgan") == "between the two references, at 0.38"
    assert describe_gan_position(summary, "copy").startswith("as close to the real images")
    assert describe_gan_position(summary, "bad").startswith("farther")
    flipped = summary.rename(index={"real_half": "blurred", "blurred": "real_half"})
    assert describe_gan_position(flipped, "dcgan").startswith("not placeable")
    with pytest.raises(ValueError, match="no 'cgan' row"):
        describe_gan_position(summary, "cgan")


def test_describe_results_reads_run_json_and_warns_about_synthetic_data(tmp_path):
    run = {"profile": "book", "arms": ["classic", "dcgan"], "data": {"name": "HAM10000"}}
    (tmp_path / "run.json").write_text(json.dumps(run))
    line = describe_results(tmp_path)
    assert "profile book" in line and "HAM10000" in line and "2 arms" in line
    assert not line.startswith("WARNING")
    run["data"]["source"] = "synthetic"
    (tmp_path / "run.json").write_text(json.dumps(run))
    assert describe_results(tmp_path).startswith("WARNING")
    with pytest.raises(FileNotFoundError, match="run.json"):
        describe_results(tmp_path / "missing")
