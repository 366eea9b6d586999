"""What a page whose point needs lesion ids says when the reader's data has none (DermaMNIST).

DermaMNIST has no lesion ids, so on it chapter 1's leak and exercise 1.4 measure nothing (every
image is its own lesion). ``python -m ganaug data-facts`` computes those figures on HAM10000 with
the chapter's own functions and writes them to ``results/data_facts/book/facts.json``, which
travels with the package like every committed result; a test recomputes them from the real data.
(They live here, not in ``ganaug.data``: every piece of the committed study hashes that package.)
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Mapping
from pathlib import Path

from ganaug.data.core import LesionData
from ganaug.data.splits import report_split
from ganaug.experiment.store import committed_folder

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


def write_facts(
    folder: str | os.PathLike,
    data: LesionData,
    study: str | os.PathLike | None = None,
    study_data: LesionData | None = None,
) -> Path:
    """Write :func:`leak_facts` of ``data`` (with what they were measured on) to
    ``folder/facts.json``, and with ``study`` and its images ``study_data``, chapter 6's leak
    gaps of that study per unit (:func:`ganaug.verdict.leakage.unit_leak_gaps`); refuses the
    synthetic stand-in (its figures are no HAM10000's)."""
    if data.is_synthetic or (study_data is not None and study_data.is_synthetic):
        raise ValueError("the synthetic stand-in is no HAM10000: set GANAUG_DATA_DIR to one")
    record = {
        "data": data.description,
        "images": len(data),
        "classes": sorted(set(data.dx.tolist())),
        **leak_facts(data),
    }
    if study is not None and study_data is not None:
        from ganaug.verdict.leakage import unit_leak_gaps

        gaps = unit_leak_gaps(study, study_data).reset_index()
        record["study_leak_gaps"] = gaps.to_dict("records")
    path = Path(folder) / FACTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1) + "\n")
    return path


def book_study_gaps(facts: dict | None = None):
    """Chapter 6's leak gaps per unit of the committed study, as computed on its HAM10000
    images (a DataFrame indexed by unit, like ``unit_leak_gaps``), or None."""
    import pandas as pd

    facts = book_facts() if facts is None else facts
    if not facts or "study_leak_gaps" not in facts:
        return None
    return pd.DataFrame(facts["study_leak_gaps"]).set_index("unit")


def study_gap_note(data: LesionData) -> str:
    """What chapter 6's leak section says when the reader's images are not the study's."""
    reason = (
        f"your images ({data.description}) have no lesion ids"
        if not data.has_lesion_ids
        else f"your images ({data.description}) are not the ones the study ran on"
    )
    return textwrap.fill(
        f"This section needs the study's own images, to tell each test image whose lesion the "
        f"model saw in training from one it did not, and {reason}. The gaps below are the "
        "book's, measured on HAM10000 when its study was committed (python -m ganaug "
        "data-facts), not yours.",
        92,
    )


#: The committed HAM10000 figures (``python -m ganaug data-facts``).
FACTS_FOLDER = "results/data_facts/book"
LABELS = {"leak_by_image": "split by image", "leak_by_lesion": "split by lesion"}


def book_facts() -> dict | None:
    """The book's committed HAM10000 leak figures, or None when no copy is found."""
    folder = committed_folder(FACTS_FOLDER, FACTS)
    return None if folder is None else json.loads((folder / FACTS).read_text())


def lesion_id_note(
    data: LesionData, yours: Mapping[str, float] | None = None, facts: dict | None = None
) -> str | None:
    """For data without lesion ids: plain words on what this page cannot show with it, and the
    book's HAM10000 figures beside the reader's (``yours``: fractions under the keys of
    :data:`LABELS`). None for data with lesion ids (nothing to say).

    Examples
    --------
    >>> from ganaug.data.core import from_arrays
    >>> import numpy as np
    >>> ids = np.array(["a", "b"])
    >>> derma = from_arrays(np.zeros((2, 8, 8, 3), np.uint8), np.array(["bcc", "mel"]), ids, ids,
    ...                     "dermamnist", has_lesion_ids=False)
    >>> facts = {"data": "HAM10000", "images": 2726, "leak_by_image": 0.2, "leak_by_lesion": 0.0}
    >>> print(lesion_id_note(derma, {"leak_by_image": 0.0, "leak_by_lesion": 0.0}, facts))
    ... # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    Your images have no lesion ids (real HAM10000 images via DermaMNIST ...): every image
    counts as its own lesion, so a photograph's siblings cannot be found and the leak this page
    measures shows as 0 %. That 0 says nothing about leakage: DermaMNIST's own split leaks
    lesions. On HAM10000, whose metadata names each image's lesion, the book measured (2726 images):
                        the book, HAM10000   your data
    split by image                  20.0 %       0.0 %
    split by lesion                  0.0 %       0.0 %
    """
    if data.has_lesion_ids:
        return None
    facts = book_facts() if facts is None else facts
    words = (
        f"Your images have no lesion ids ({data.description}): every image counts as its own "
        "lesion, so a photograph's siblings cannot be found and the leak this page measures "
        "shows as 0 %. That 0 says nothing about leakage: DermaMNIST's own split leaks lesions."
    )
    if facts is None:
        return textwrap.fill(words + " (The book's HAM10000 figures were not found.)", 92)
    words += (
        " On HAM10000, whose metadata names each image's lesion, the book measured "
        f"({facts['images']} images):"
    )
    lines = [textwrap.fill(words, 92)]
    lines.append(f"{'':<18}{'the book, HAM10000':>20}{'your data' if yours else '':>12}")
    for key, label in LABELS.items():
        mine = f"{yours[key]:.1%}".replace("%", " %") if yours and key in yours else ""
        book = f"{facts[key]:.1%}".replace("%", " %")
        lines.append(f"{label:<18}{book:>20}{mine:>12}")
    return "\n".join(lines)


def show_lesion_id_note(data: LesionData, yours: Mapping[str, float] | None = None) -> None:
    """Print :func:`lesion_id_note` when there is something to say."""
    note = lesion_id_note(data, yours)
    if note:
        print(note)
