"""The book build executes its notebooks several at a time (``ganaug.teaching.execute_ahead``).

The build itself, with a notebook executed ahead and one failing, is in ``test_build_cache.py``.
"""

from __future__ import annotations

import threading

import pytest

from ganaug import config
from ganaug.teaching.execute_ahead import Outcome, order_longest_first, run_pool


def test_the_pool_runs_jobs_at_once():
    both_started = threading.Barrier(2, timeout=10)  # breaks unless two run at the same time

    def execute(doc):
        both_started.wait()
        return Outcome(doc, 0.0)

    outcomes = list(run_pool(["a", "b"], execute, jobs=2))
    assert sorted(outcome.docname for outcome in outcomes) == ["a", "b"]


def test_one_job_runs_them_one_by_one_in_order():
    running, started = [], []

    def execute(doc):
        running.append(doc)
        assert len(running) == 1, running
        started.append(doc)
        running.remove(doc)
        return Outcome(doc, 0.0)

    list(run_pool(["c", "a", "b"], execute, jobs=1))
    assert started == ["c", "a", "b"]


def test_a_failure_is_an_outcome_not_an_exception_of_the_pool():
    def execute(doc):
        return Outcome(doc, 1.0, "CellExecutionError" if doc == "b" else None)

    errors = {o.docname: o.error for o in run_pool(["a", "b"], execute, jobs=2)}
    assert errors == {"a": None, "b": "CellExecutionError"}


def test_longest_first_by_the_measured_times():
    pages = ["lessons/01_data", "exercises/solutions/02_cnn", "lessons/02_cnn", "book/setup"]
    ordered = order_longest_first(pages, "book")
    assert ordered[0] == "lessons/02_cnn" and ordered[-1] == "book/setup"


def test_zero_jobs_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        list(run_pool(["a"], lambda doc: Outcome(doc, 0.0), jobs=0))


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_build_jobs_refuses_what_is_no_count(value):
    with pytest.raises(ValueError, match="GANAUG_BUILD_JOBS"):
        config.build_jobs({"GANAUG_BUILD_JOBS": value})
