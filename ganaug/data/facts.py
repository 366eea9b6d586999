"""The book's HAM10000 figures that need lesion ids, committed so that every reader can see them.

DermaMNIST has no lesion ids, so on it chapter 1's leak and exercise 1.4 measure nothing (every
image is its own lesion). ``python -m ganaug data-facts`` computes those figures on HAM10000 with
the chapter's own functions and writes them to ``results/data_facts/book.json``, which travels
with the package like every committed result; a test recomputes them from the real data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ganaug.data.core import LesionData
from ganaug.data.splits import report_split

FACTS = "facts.json"


def leak_facts(data: LesionData, seed: int = 0) -> dict[str, float]:
    """Chapter 1's leak figures: the fraction of test images whose lesion is also in training,
    for the report's split by image and by lesion (``seed`` as in the chapter).

    Raises
    ------
    ValueError
        For data without lesion ids (DermaMNIST), on which the figures mean nothing.

    Examples
    --------
    >>> from ganaug.data.synthetic import synthetic_lesions
    >>> facts = leak_facts(synthetic_lesions(40, size=8))
    >>> facts["leak_by_lesion"]
    0.0
    """
    if not data.has_lesion_ids:
        raise ValueError(
            f"{data.description} has no lesion ids: the leak figures need HAM10000 "
            "(set GANAUG_DATA_DIR to a HAM10000 folder)"
        )
    by_image = report_split(data, seed=seed, by="image").leaked_test_fraction()
    by_lesion = report_split(data, seed=seed).leaked_test_fraction()
    return {"leak_by_image": float(by_image), "leak_by_lesion": float(by_lesion)}


def write_facts(folder: str | os.PathLike, data: LesionData) -> Path:
    """Write :func:`leak_facts` of ``data`` (with what they were measured on) to
    ``folder/facts.json``; refuses the synthetic stand-in (its figures are no HAM10000's)."""
    if data.is_synthetic:
        raise ValueError("the synthetic stand-in is no HAM10000: set GANAUG_DATA_DIR to one")
    record = {
        "data": data.description,
        "images": len(data),
        "classes": sorted(set(data.dx.tolist())),
        **leak_facts(data),
    }
    path = Path(folder) / FACTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path
