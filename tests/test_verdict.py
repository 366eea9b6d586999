"""Chapter 6's analysis of a results folder, on a made-up study whose effects are known."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ganaug.metrics import classification_metrics
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
    gan_quality_summary,
    leakage_effect,
    mcnemar_for_seed,
    power_summary,
    report_uncertainty,
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


def _row(family="primary", paired=(-0.01, 0.02), corrected=(-0.03, 0.04), p_holm=0.5):
    return pd.Series(
        {"family": family, "arm": "x", "baseline": "classic", "units": 6,
         "mean_difference": (paired[0] + paired[1]) / 2, "paired_low": paired[0],
         "paired_high": paired[1], "corrected_low": corrected[0],
         "corrected_high": corrected[1], "p_holm": p_holm}
    )  # fmt: skip


def test_sentences_follow_the_numbers():
    assert describe_difference(_row()).endswith("no evidence of a gain or a loss.")
    both = describe_difference(_row(paired=(0.02, 0.04), corrected=(0.01, 0.05)))
    assert both.endswith("evidence of a gain for new images too.")
    paired_only = describe_difference(_row(paired=(0.002, 0.02), corrected=(-0.01, 0.03)))
    assert paired_only.endswith(
        "a gain on these images that this study cannot carry to new images."
    )
    loss = describe_difference(_row(paired=(-0.05, -0.02), corrected=(-0.06, -0.01)))
    assert loss.endswith("evidence of a loss for new images too.")
    weak = describe_difference(_row("secondary", (0.01, 0.03), (0.002, 0.04), p_holm=0.09))
    assert "no firm evidence after Holm's correction" in weak
    found = describe_difference(_row("secondary", (0.01, 0.03), (0.002, 0.04), p_holm=0.01))
    assert "evidence of a gain after Holm's correction" in found


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


def _long(values: dict[str, list[float]], metric: str = "balanced_accuracy") -> pd.DataFrame:
    """A results table (arm, seed, metric, value) from one list of per-seed values per arm."""
    rows = [
        (arm, seed, metric, value)
        for arm, per_seed in values.items()
        for seed, value in enumerate(per_seed)
        if not np.isnan(value)
    ]
    return pd.DataFrame(rows, columns=["arm", "seed", "metric", "value"])


def test_leakage_effect_is_the_paired_difference_of_the_two_splits():
    # Per seed, split by image minus split by lesion: 0.06, 0.07, 0.04, 0.07 (seed 4 has no
    # leaky run, so it is left out). By hand: mean 0.06, sd sqrt(6e-4 / 3) = 0.01414, and the
    # 95 % t-interval mean +- t(0.975, 3) * sd / 2.
    results = _long(
        {
            "classic": [0.60, 0.58, 0.62, 0.61, 0.10],
            LEAKAGE_ARM: [0.66, 0.65, 0.66, 0.68, np.nan],
            "dcgan": [0.90, 0.10, 0.50, 0.30, 0.70],
        }
    )
    results = pd.concat([results, _long({"classic": [0.0] * 5}, "accuracy")])
    results = results.sample(frac=1, random_state=1)  # pairing is by seed, not by row order
    effect = leakage_effect(results)
    half = stats.t.ppf(0.975, 3) * np.sqrt(6e-4 / 3) / 2
    assert effect["units"] == 4
    assert effect["mean"] == pytest.approx(0.06)
    assert effect["sd"] == pytest.approx(np.sqrt(6e-4 / 3))
    assert (effect["low"], effect["high"]) == pytest.approx((0.06 - half, 0.06 + half))
    t = 0.06 / (np.sqrt(6e-4 / 3) / 2)
    assert effect["p_ttest"] == pytest.approx(2 * stats.t.sf(t, 3))
    # And on the made-up study, where the leaky split is the easier one by construction.
    assert leakage_effect(RESULTS)["low"] > 0


def _paired_t_seeds(effect: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Smallest number of pairs whose two-sided paired t-test reaches ``power``, by scipy's
    noncentral t distribution (independent of statsmodels, which the library uses)."""
    for n in range(2, 10_000):
        critical = stats.t.ppf(1 - alpha / 2, n - 1)
        shift = effect * np.sqrt(n)
        reached = stats.nct.sf(critical, n - 1, shift) + stats.nct.cdf(-critical, n - 1, shift)
        if reached >= power:
            return n
    raise AssertionError("no n reaches the power")


def test_power_summary_uses_the_observed_spread():
    # Four seeds, four test images each, every image "mel"; 1 = right, 0 = wrong.
    right = {
        "classic": [[1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 0]],
        "same": [[1, 0, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [0, 1, 1, 1]],
    }  # exactly one arm right: 3, 0, 0 and 2 of 4 images, so discordance (3/4 + 2/4) / 4
    predictions = pd.DataFrame(
        [
            (f"img{seed}_{i}", "mel", "mel" if hit else "bcc", arm, seed)
            for arm, seeds in right.items()
            for seed, hits in enumerate(seeds)
            for i, hit in enumerate(hits)
        ],
        columns=["image_id", "true", "pred", "arm", "seed"],
    )
    # Balanced accuracy differences same - classic per seed: 0.02, 0, 0.03, 0.01.
    results = pd.concat(
        [
            _long({"classic": [0.60, 0.62, 0.58, 0.61], "same": [0.62, 0.62, 0.61, 0.62]}),
            _long({"classic": [0.5, 0.75, 0.5, 0.75], "same": [0.75, 0.75, 0.5, 0.75]}, "accuracy"),
            *(_long({"classic": [v] * 4}, m) for m, v in (("n_test", 4), ("n_train", 16))),
            _long({"classic": [0] * 4}, "n_synthetic"),
        ]
    )
    summary = power_summary(results, predictions, arm="same")
    sd = np.sqrt((0.005**2 + 0.015**2 + 0.015**2 + 0.005**2) / 3)  # around the mean 0.015
    assert summary["sd"] == pytest.approx(sd) and summary["units"] == 4
    assert _paired_t_seeds(0.5) == 34  # the textbook value for effect size 0.5 (Cohen 1988)
    assert summary["units_needed_paired"] == _paired_t_seeds(0.02 / sd)
    # The floor at 80 % power: (z(0.975) + z(0.8)) * sd * sqrt(n_test / n_train).
    floor = (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) * sd * np.sqrt(4 / 16)
    assert summary["floor"] == pytest.approx(floor)
    assert summary["units_needed_corrected"] > summary["units_needed_paired"]
    assert summary["discordance"] == pytest.approx(0.3125)
    assert summary["accuracy"] == pytest.approx(0.625) and summary["n_test"] == 4  # classic's
    # Connor (1987): n = (z(0.975) sqrt(psi) + z(0.8) sqrt(psi - delta^2))^2 / delta^2.
    z_a, z_b, psi, delta = stats.norm.ppf(0.975), stats.norm.ppf(0.8), 0.3125, 0.02
    connor = (z_a * np.sqrt(psi) + z_b * np.sqrt(psi - delta**2)) ** 2 / delta**2
    assert summary["images_needed"] == int(np.ceil(connor))


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
    assert summary["units"].tolist() == [3, 3, 3]
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


def test_arms_with_evidence_need_a_corrected_interval_off_zero():
    table = pd.DataFrame([_row(), _row(), _row("secondary", p_holm=0.01)])
    table["arm"] = ["dcgan", "best", "strong"]
    assert arms_with_evidence(table) == []  # its corrected interval includes zero


def test_leakage_and_gan_sentences_follow_the_numbers():
    assert describe_leakage(leakage_effect(RESULTS)).endswith("it flatters the classifier.")
    lower = {"mean": -0.04, "low": -0.06, "high": -0.02, "units": 4}
    assert describe_leakage(lower).endswith("look worse.")
    unclear = {"mean": 0.01, "low": -0.02, "high": 0.04, "units": 4}
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
