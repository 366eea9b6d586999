"""The leak of the report's split by image, measured inside one model per unit (chapter 6).

The study's ``classic_by_image`` cell of each unit was trained on a split by image. Some of its
test images show a lesion that also has images in its training part ("seen"), the rest do not
("unseen"). :func:`ganaug.experiment.leak.cell_leak` scores that one model on both groups; this
module does so for every unit of a results folder and puts the gap in words. Rebuilding a unit's
split needs the very images the study ran on, so the folder's data fingerprint (``run.json``) is
checked first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ganaug.data.core import LesionData
from ganaug.experiment.leak import LEAK_ARM, cell_leak
from ganaug.experiment.provenance import data_fingerprint, read_run
from ganaug.experiment.store import load_predictions
from ganaug.metrics.seeds import paired_seed_difference
from ganaug.verdict.wording import zero_side


def data_matches(folder: str | Path, data: LesionData) -> bool:
    """Whether ``data`` are the images the results folder's study ran on (same fingerprint).

    Examples
    --------
    >>> import json, tempfile
    >>> from ganaug.data import synthetic_lesions
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "run.json").write_text(json.dumps({"data": {"fingerprint": "abc"}}))
    >>> data_matches(folder, synthetic_lesions(n_per_class=5))
    False
    """
    recorded = read_run(folder).get("data", {}).get("fingerprint")
    return bool(recorded) and recorded == data_fingerprint(data)


def unit_leak_gaps(
    folder: str | Path, data: LesionData, units: list[int] | None = None
) -> pd.DataFrame:
    """Per unit: the ``classic_by_image`` model's scores on its test images whose lesion it saw
    in training and on those it did not, and the gaps (seen minus unseen).

    Parameters
    ----------
    folder : path
        A results folder of ``python -m ganaug reproduce`` (its ``run.json`` names the protocol
        and the data fingerprint, its predictions hold the by-image cells).
    data : LesionData
        The images the study ran on: :func:`ganaug.experiment.plan.study_data` of the folder's
        profile, with the same data source.
    units : list of int, optional
        The units to read (default: every unit with a by-image cell).

    Returns
    -------
    pandas.DataFrame
        Index ``unit``; columns ``n_seen``, ``n_unseen``, ``accuracy_seen``, ``accuracy_unseen``,
        ``accuracy_gap``, ``balanced_accuracy_seen``, ``balanced_accuracy_unseen``,
        ``balanced_accuracy_gap``.

    Raises
    ------
    ValueError
        When ``data`` are not the folder's images (say which to load), or the folder holds no
        by-image cell.
    """
    folder = Path(folder)
    run = read_run(folder)
    if not data_matches(folder, data):
        raise ValueError(
            f"{folder.name}: these are not the images its study ran on (data fingerprint "
            f"differs from its run.json, which names {run.get('data', {}).get('name', '?')!r}); "
            "point GANAUG_DATA_DIR at that data set to rebuild its splits"
        )
    predictions = load_predictions(folder)
    predictions = predictions[predictions["arm"] == LEAK_ARM]
    present = sorted(int(unit) for unit in predictions["seed"].unique())
    chosen = present if units is None else [unit for unit in units if unit in present]
    if not chosen:
        raise ValueError(f"{folder.name} holds no {LEAK_ARM} cell: run that arm of the study")
    protocol = run.get("protocol", {})
    name, k = protocol.get("name", "resampled"), int(protocol.get("k", 5))
    rows = {unit: cell_leak(data, predictions, unit, name, k) for unit in chosen}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("unit")


def gap_interval(gaps: pd.DataFrame, metric: str = "balanced_accuracy") -> dict:
    """Mean of the per-unit gaps of :func:`unit_leak_gaps` in ``metric`` and its 95 %
    t-interval over the units (``low`` and ``high`` are NaN for one unit).

    Examples
    --------
    >>> gaps = pd.DataFrame({"balanced_accuracy_gap": [0.20, 0.25, 0.15]})
    >>> {k: round(v, 3) for k, v in gap_interval(gaps).items()}
    {'mean': 0.2, 'low': 0.076, 'high': 0.324, 'units': 3}
    """
    values = gaps[f"{metric}_gap"].to_numpy(dtype=float)
    if len(values) < 2:
        return {"mean": float(np.mean(values)), "low": np.nan, "high": np.nan, "units": 1}
    # Each unit's gap is already paired within its model: compare it with no gap at all.
    paired = paired_seed_difference(np.zeros(len(values)), values)
    return {k: paired[k] for k in ("mean", "low", "high")} | {"units": len(values)}


def describe_leak_gaps(gaps: pd.DataFrame, metric: str = "balanced_accuracy") -> str:
    """One sentence on the within-model gap of :func:`unit_leak_gaps`, with its t-interval over
    the units.

    Examples
    --------
    >>> gaps = pd.DataFrame({"balanced_accuracy_gap": [0.20, 0.25, 0.15],
    ...                      "n_seen": [100, 110, 90], "n_unseen": [400, 390, 410]})
    >>> describe_leak_gaps(gaps)  # doctest: +NORMALIZE_WHITESPACE
    'On the test images whose lesion it had seen in training, the model trained on the split by
    image scored 20.0 points more balanced accuracy than on the rest of its own test images
    (95 % interval over 3 units: 7.6 to 32.4 points; 100 of 500 test images per unit had a
    seen lesion).'
    """
    gap = gap_interval(gaps, metric)
    label = metric.replace("_", " ")
    mean = 100 * gap["mean"]
    direction = "more" if mean >= 0 else "less"
    seen = float(gaps["n_seen"].mean())
    total = float((gaps["n_seen"] + gaps["n_unseen"]).mean())
    if gap["units"] >= 2:
        low, high = 100 * gap["low"], 100 * gap["high"]
        spread = f"95 % interval over {gap['units']} units: {low:.1f} to {high:.1f} points; "
    else:
        spread = "one unit, so no interval; "
    return (
        f"On the test images whose lesion it had seen in training, the model trained on the "
        f"split by image scored {abs(mean):.1f} points {direction} {label} than on the rest of "
        f"its own test images ({spread}{seen:.0f} of {total:.0f} test images per unit had a seen "
        "lesion)."
    )


def leak_conclusion(gaps: pd.DataFrame, metric: str = "balanced_accuracy") -> str:
    """What the within-model gap allows one to say about the report's split by image, chosen
    by where its interval lies.

    Examples
    --------
    >>> leak_conclusion(pd.DataFrame({"balanced_accuracy_gap": [0.20, 0.25, 0.15]}))[:45]
    'Here the split by image does flatter the mode'
    >>> leak_conclusion(pd.DataFrame({"balanced_accuracy_gap": [0.02, -0.03, 0.01]}))[:40]
    'Here the gap cannot be told from zero: w'
    >>> leak_conclusion(pd.DataFrame({"balanced_accuracy_gap": [0.20]}))[:52]
    'With one unit there is no interval, so nothing about'
    """
    gap = gap_interval(gaps, metric)
    if gap["units"] < 2:
        return (
            "With one unit there is no interval, so nothing about the leak can be concluded "
            "from this gap: the per-unit gap varies from one split to another, and one split "
            "cannot show by how much. Run more units."
        )
    side = zero_side(gap["low"], gap["high"])
    if side > 0:
        return (
            "Here the split by image does flatter the model: it recognises lesions it has seen "
            "in another photograph, which measures memory as well as diagnosis."
        )
    if side < 0:
        return (
            "Here the lesions seen in training scored lower, not higher: the two groups of test "
            "images differ in more than the leak (their mix of classes and of lesions with "
            "several photographs), so the gap is no measure of memory on its own."
        )
    return (
        "Here the gap cannot be told from zero: with every class counted equally, this small "
        "CNN at 28 x 28 pixels shows no clear sign of recognising a lesion from another "
        "photograph of it, though the interval leaves room for a gap of some points either "
        "way (a gap in plain accuracy alone can come from the two groups' different mix of "
        "classes, which balanced accuracy removes). That holds for this model at this size, "
        "not in general: a larger model or larger images can memorise lesions, and only a "
        "split by lesion rules the leak out."
    )
