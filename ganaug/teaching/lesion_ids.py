"""What a page whose point needs lesion ids says when the reader's data has none (DermaMNIST)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping

from ganaug.data.core import LesionData
from ganaug.data.facts import FACTS
from ganaug.experiment.store import committed_folder

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
