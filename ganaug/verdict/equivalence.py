"""Can the study rule out the report's 2 points? Equivalence tests (TOST) of the primary
comparisons of a results folder, in plain and balanced accuracy, for these images (paired t
over units) and for new images (Nadeau and Bengio's corrected t), shown for reading.

"No evidence of a gain or a loss" says only that zero is inside an interval; a TOST at
``+-margin`` says whether a difference as large as the report's is inside it too
(:mod:`ganaug.metrics.equivalence`).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ganaug.experiment.primary import unit_sizes
from ganaug.experiment.store import load_results
from ganaug.metrics.equivalence import equivalence_word, tost_corrected, tost_paired
from ganaug.metrics.pvalues import format_p_value
from ganaug.verdict.analysis import primary_intervals, seed_differences

#: The report's gain: 2 points of accuracy (59 % to 61 %).
MARGIN = 0.02
#: The measures the equivalence is tested in: the report's own (plain accuracy) first.
MEASURES = {"accuracy": "plain accuracy", "balanced_accuracy": "balanced accuracy"}
#: The two questions, as the study's intervals ask them.
QUESTIONS = {"paired": "these images", "corrected": "new images"}


def equivalence_table(
    results: pd.DataFrame,
    margin: float = MARGIN,
    metrics: tuple[str, ...] = tuple(MEASURES),
    alpha: float = 0.05,
) -> pd.DataFrame:
    """A TOST at ``+-margin`` for each primary comparison the results allow
    (:func:`ganaug.verdict.primary_intervals`), each metric and each question: ``comparison,
    arm, baseline, metric, question`` (``"paired"``: these images; ``"corrected"``: new images),
    ``units``, ``mean_difference``, ``low``/``high`` (the ``1 - 2 alpha`` interval), ``p`` (the
    TOST p-value) and ``answer`` (``"ruled out"`` or ``"not ruled out"``: a difference of
    ``margin`` or more, either way).

    Examples
    --------
    >>> sizes = {"n_test": 2, "n_train": 8, "n_synthetic": 0}
    >>> d = [0.004, -0.006, 0.002, 0.001, -0.003, 0.005]
    >>> rows = pd.DataFrame(
    ...     [{"arm": "classic", "seed": s, "metric": m, "value": v}
    ...      for s in range(6) for m, v in sizes.items()]
    ...     + [{"arm": a, "seed": s, "metric": m, "value": 0.6 + (a == "dcgan") * d[s]}
    ...        for a in ("classic", "dcgan") for s in range(6)
    ...        for m in ("accuracy", "balanced_accuracy")])
    >>> table = equivalence_table(rows)
    >>> table[["metric", "question", "answer"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['accuracy', 'paired', 'ruled out'], ['accuracy', 'corrected', 'ruled out'],
     ['balanced_accuracy', 'paired', 'ruled out'], ['balanced_accuracy', 'corrected', 'ruled out']]
    """
    n_test, n_train = unit_sizes(results)
    pairs = primary_intervals(results)[["comparison", "arm", "baseline"]]
    rows = []
    for comparison, arm, baseline in pairs.itertuples(index=False):
        for metric in metrics:
            d = seed_differences(results, arm, baseline, metric)["difference"].to_numpy()
            tests = {
                "paired": tost_paired(d, margin, alpha),
                "corrected": tost_corrected(d, n_test, n_train, margin, alpha),
            }
            for question, test in tests.items():
                rows.append(
                    {
                        "comparison": comparison,
                        "arm": arm,
                        "baseline": baseline,
                        "metric": metric,
                        "question": question,
                        "units": test["units"],
                        "mean_difference": test["estimate"],
                        "low": test["low"],
                        "high": test["high"],
                        "p": test["p"],
                        "answer": equivalence_word(test["p"], alpha),
                    }
                )
    return pd.DataFrame(rows)


def folder_equivalence(
    folder: str | os.PathLike | None = None, margin: float = MARGIN
) -> pd.DataFrame:
    """:func:`equivalence_table` of a results folder (the committed ``results/book`` when
    ``folder`` is None, see :func:`ganaug.experiment.load_results`)."""
    return equivalence_table(load_results(folder), margin)


def equivalence_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`equivalence_table` for reading: one row per comparison, measure and question,
    differences and the 90 % interval in points (one decimal), the p-value as text and the
    answer.

    Examples
    --------
    >>> rows = pd.DataFrame({"arm": ["dcgan"], "baseline": ["classic"], "metric": ["accuracy"],
    ...     "question": ["paired"], "units": [10], "mean_difference": [0.0021],
    ...     "low": [-0.0098], "high": [0.014], "p": [0.0151], "answer": ["ruled out"]})
    >>> equivalence_display(rows).iloc[0].astype(str).tolist()
    ['10', '+0.2', '-1.0 to +1.4', '0.015', 'ruled out']
    """
    shown = {}
    for row in table.itertuples(index=False):
        key = (f"{row.arm} - {row.baseline}", MEASURES.get(row.metric, row.metric),
               QUESTIONS.get(row.question, row.question))  # fmt: skip
        shown[key] = {
            "units": int(row.units),
            "difference": f"{100 * row.mean_difference:+.1f}",
            "90 % interval": f"{100 * row.low:+.1f} to {100 * row.high:+.1f}",
            "p (TOST)": "n/a" if np.isnan(row.p) else format_p_value(row.p),
            "a difference of the margin": row.answer,
        }
    frame = pd.DataFrame.from_dict(shown, orient="index", dtype=object)
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["comparison", "measure", "for"])
    return frame
