"""The real HAM10000 folder has the report's class counts, the book's committed HAM10000 leak
figures follow from it, and a reader on DermaMNIST is told, in plain words, what the leak pages
cannot show, with the book's figures beside theirs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from ganaug.data import REPORT_CLASSES, lesson_data, load_ham10000, select_classes, split_by_lesion
from ganaug.data.core import from_arrays
from ganaug.data.synthetic import synthetic_lesions
from ganaug.teaching.lesion_ids import (
    FACTS,
    FACTS_FOLDER,
    book_study_gaps,
    leak_facts,
    lesion_id_note,
    study_gap_note,
)

COMMITTED = ROOT / FACTS_FOLDER / FACTS


def dermamnist_like(n: int = 30):
    ids = np.array([f"ISIC_{i:07d}" for i in range(n)])
    dx = np.array(["bcc", "bkl", "mel"] * (n // 3))
    return from_arrays(np.zeros((n, 8, 8, 3), np.uint8), dx, ids, ids, "dermamnist",
                       has_lesion_ids=False)  # fmt: skip


#: The real HAM10000 folder. Its tests share one module, so one pytest worker converts its JPEGs
#: to 28 px (into the worker's cache) and both read the array.
REAL = os.environ.get("GANAUG_DATA_DIR", "")
needs_ham10000 = pytest.mark.skipif(
    not (Path(REAL) / "HAM10000_metadata.csv").is_file(),
    reason="needs the real HAM10000 folder in GANAUG_DATA_DIR",
)


@needs_ham10000
def test_real_ham10000_counts():
    data = select_classes(load_ham10000(REAL, progress=False), REPORT_CLASSES)
    assert data.class_counts() == {"bcc": 514, "bkl": 1099, "mel": 1113}
    assert len(set(data.lesion_id)) == 1668
    assert split_by_lesion(data, seed=0).shared_lesions() == set()


@needs_ham10000
def test_the_committed_figures_follow_from_ham10000():
    committed = json.loads(COMMITTED.read_text())
    data = lesson_data(profile="book")
    assert committed["images"] == len(data)
    recomputed = leak_facts(data)
    assert recomputed == {k: committed[k] for k in recomputed}
    assert committed["leak_by_image"] > 0.1 and committed["leak_by_lesion"] == 0.0
    from ganaug.experiment import results_dir
    from ganaug.experiment.plan import study_data
    from ganaug.verdict.leakage import unit_leak_gaps

    gaps = unit_leak_gaps(results_dir(), study_data("book"))
    pd.testing.assert_frame_equal(book_study_gaps(committed), gaps, check_dtype=False)


def test_chapter_6s_note_says_whose_gaps_it_shows():
    note = study_gap_note(dermamnist_like())
    assert "no lesion ids" in note and "book's, measured on HAM10000" in note


def test_dermamnist_readers_get_plain_words_and_the_books_figures():
    facts = json.loads(COMMITTED.read_text())
    note = lesion_id_note(dermamnist_like(), {"leak_by_image": 0.0, "leak_by_lesion": 0.0})
    assert "no lesion ids" in note and "says nothing about leakage" in note
    book = f"{facts['leak_by_image']:.1%}".replace("%", " %")
    assert book in note and "0.0 %" in note and "the book, HAM10000" in note


def test_data_with_lesion_ids_gets_no_note():
    assert lesion_id_note(synthetic_lesions(10, size=8)) is None


def test_the_leak_figures_refuse_data_without_lesion_ids():
    with pytest.raises(ValueError, match="no lesion ids"):
        leak_facts(dermamnist_like())
