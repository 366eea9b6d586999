"""Reading the generator search for the book (``ganaug.experiment.search_report``): every GAN
with its targets and validation's choice, whole units only for the rule, seed-averaged effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ganaug.experiment import search_report
from ganaug.experiment.search import SEARCH_PLANS
from ganaug.experiment.search_rule import apply_rule, kept_seeds

COLUMNS = ["unit", "candidate", "gan_seed", "metric", "value"]


def fake_search(units=(0,), seeds=2, skip=()) -> pd.DataFrame:
    """Rows shaped like the smoke plan's search.csv; ``skip``: (unit, candidate, seed) left out."""
    rng = np.random.default_rng(0)
    rows = []
    for unit in units:
        rows += [(unit, "real_half", -1, "fid", 1.0), (unit, "blurred", -1, "fid", 6.0),
                 (unit, "real_half", -1, "diversity", 4.0),
                 (unit, "real_half", -1, "gan_test", 0.6)]  # fmt: skip
        for kind, checkpoints in SEARCH_PLANS["smoke"].kinds:
            for steps in checkpoints:
                for seed in range(seeds):
                    if (unit, f"{kind}@{steps}", seed) in skip:
                        continue
                    values = {"fid": rng.uniform(1, 8), "val_kid": rng.uniform(0, 1),
                              "diversity": rng.uniform(3, 4.5), "gan_test": 0.6,
                              "near_duplicates": 0.0}  # fmt: skip
                    rows += [(unit, f"{kind}@{steps}", seed, m, v) for m, v in values.items()]
    return pd.DataFrame(rows, columns=COLUMNS)


def test_every_gan_has_one_row_and_validation_keeps_exactly_one_per_kind_and_unit():
    search = fake_search(units=(0, 1))
    gans = search_report.every_gan(search)
    assert len(gans) == len(search[search["gan_seed"] >= 0].groupby(
        ["unit", "candidate", "gan_seed"]))  # fmt: skip
    assert (gans.groupby(["candidate", "unit"])["kept"].sum() == 1).all()
    expected = kept_seeds(search).set_index(["candidate", "unit"])["gan_seed"].sort_index()
    chosen = gans[gans["kept"]].set_index(["candidate", "unit"])["gan_seed"].sort_index()
    assert chosen.equals(expected)
    meets = gans.filter(like="meets_")
    assert (gans["targets_met"] == meets.sum(axis=1)).all()
    assert (gans["all"] == meets.all(axis=1)).all()


def test_a_unit_missing_one_gan_is_not_whole_and_takes_no_part_in_the_rule():
    candidate = "dcgan_diffaugment@2"
    search = fake_search(units=(0, 1), skip={(1, candidate, 1)})
    assert search_report.whole_units(search, "smoke") == [0]
    table, chosen = search_report.search_choice(search, "smoke")
    expected_table, expected = apply_rule(search[search["unit"] == 0], "dcgan@2")
    assert chosen == expected and table.equals(expected_table)
    assert set(table["units"]) == {1}


def test_no_whole_unit_means_no_choice_yet():
    search = fake_search(skip={(0, "dcgan@2", 0)})
    table, chosen = search_report.search_choice(search, "smoke")
    assert chosen is None and table.empty


def test_seed_spread_and_seed_averages_count_every_seed():
    gans = search_report.every_gan(fake_search(units=(0, 1), seeds=2))
    spread = search_report.seed_spread(gans)
    assert (spread["ratio"] >= 1).all() and (spread["seeds"] == 2).all()
    assert ((spread["kept"] >= spread["lowest"]) & (spread["kept"] <= spread["highest"])).all()
    effect = search_report.seeds_averaged(gans, "dcgan_diffaugment@2", "dcgan@2")
    means = gans.groupby("candidate")["fid"].mean()
    assert effect["candidate"] == pytest.approx(means["dcgan_diffaugment@2"])
    assert effect["baseline"] == pytest.approx(means["dcgan@2"])
    assert effect["units"] == 2 and 0 <= effect["lower_on"] <= 2


def test_an_unknown_candidate_and_a_missing_folder_say_what_to_do(tmp_path):
    gans = search_report.every_gan(fake_search())
    with pytest.raises(ValueError, match="choose one of"):
        search_report.seeds_averaged(gans, "stylegan@1", "dcgan@2")
    with pytest.raises(ValueError, match="gan-search"):
        search_report.load_search(tmp_path)


def test_the_committed_search_reads_and_each_gan_is_kept_or_not():
    gans = search_report.every_gan(search_report.load_search())
    assert set(gans["kept"]) <= {True, False} and gans["kept"].any()
    assert gans["fid"].gt(0).all()


def test_the_studys_chosen_kind_is_what_the_rule_chose_from_the_whole_committed_search():
    """The study trains ``gans.SEARCH_CHOICE`` as its ``chosen`` arms only once every unit of the
    search is measured, and it is the candidate the committed rule picks from them."""
    from ganaug.experiment.gans import SEARCH_CHOICE
    from ganaug.experiment.plan import study_plan
    from ganaug.experiment.search import candidate_name

    search = search_report.load_search()
    assert search_report.whole_units(search) == list(SEARCH_PLANS["book"].units)
    _, chosen = search_report.search_choice(search)
    kind, multiple = SEARCH_CHOICE
    assert chosen == candidate_name(kind, multiple * study_plan("book").gan.steps(kind))


def exact_seed_wins(search: pd.DataFrame) -> dict[str, float]:
    """The rule's winner over every possible kept seed, by enumeration: each candidate's kept
    seeds are drawn on each unit independently and uniformly, so a candidate's outcome (units
    meeting every target, mean FID) runs over its own K ** units combinations, and it wins with
    the chance that every other candidate's outcome ranks below its own."""
    import itertools

    gans = search_report.every_gan(search)
    outcomes = {}
    for candidate, rows in gans.groupby("candidate"):
        per_unit = [list(zip(g["all"], g["fid"], strict=True)) for _, g in rows.groupby("unit")]
        outcomes[candidate] = [
            (sum(m for m, _ in combo), float(np.mean([f for _, f in combo])))
            for combo in itertools.product(*per_unit)
        ]

    def ahead(a, b):  # a ranks before b under the rule
        return a[0] > b[0] or (a[0] == b[0] and a[1] < b[1])

    wins = {}
    for candidate, mine in outcomes.items():
        others = [o for c, o in outcomes.items() if c != candidate]
        chance = 0.0
        for outcome in mine:
            below = [np.mean([ahead(outcome, other) for other in rest]) for rest in others]
            chance += float(np.prod(below)) / len(mine)
        wins[candidate] = chance
    return wins


def test_the_rules_stability_matches_an_enumeration_of_every_kept_seed():
    search = search_report.load_search()
    table = search_report.rule_stability(search, resamples=4000)
    exact = exact_seed_wins(search)
    assert set(table.index) == set(exact)
    for candidate, share in exact.items():
        assert table.loc[candidate, "seeds"] == pytest.approx(share, abs=0.03), candidate
    assert table["seeds"].sum() == pytest.approx(1.0)
    assert table["seeds_and_units"].sum() == pytest.approx(1.0)
    assert table["chosen"].sum() == 1
