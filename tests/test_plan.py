"""One budget registry: the study's plans take chapter 2's CNN budget, name real arms, and
their k-fold units come in whole repeats."""

import pytest

from ganaug import config
from ganaug.experiment import ARMS, STUDY_PLANS, get_arms


@pytest.mark.parametrize("name", ["smoke", "book"])
def test_the_study_trains_chapter_2s_cnn_budget(name):
    plan, chapter = STUDY_PLANS[name], config.get_profile(name)
    assert (plan.cnn_epochs, plan.cnn_patience, plan.batch_size) == (
        chapter.cnn_epochs,
        chapter.cnn_patience,
        chapter.batch_size,
    )


def test_full_keeps_the_reports_study_and_the_books_lessons():
    """On a Colab GPU (full) a lesson's runs have the book's sizes; the full study the report's
    protocol (up to 200 CNN epochs, ~12k DCGAN steps)."""
    from dataclasses import replace

    from ganaug.experiment import live_plan

    full, book = config.get_profile("full"), config.get_profile("book")
    assert replace(full, name="book", synthetic_per_class=book.synthetic_per_class,
                   seeds=book.seeds) == book  # fmt: skip
    assert (STUDY_PLANS["full"].cnn_epochs, STUDY_PLANS["full"].gan.dcgan_steps) == (200, 12000)
    assert live_plan("full") == replace(live_plan("book"), profile="full")


@pytest.mark.parametrize("name", sorted(STUDY_PLANS))
def test_plans_name_real_arms_and_whole_repeats(name):
    plan = STUDY_PLANS[name]
    assert [arm.name for arm in get_arms(plan.arms)] == [
        a for a in ARMS if a in (plan.arms or ARMS)
    ]
    if plan.protocol == "kfold" and name != "smoke":  # smoke runs two units, for speed
        assert plan.seeds % plan.folds == 0, "units should cover whole repeats of the k folds"


def test_the_book_plan_has_ten_units_and_the_primary_arms():
    book = STUDY_PLANS["book"]
    assert book.seeds >= 10 and {"classic", "dcgan", "dcgan_plus", "none"} <= set(book.arms)
