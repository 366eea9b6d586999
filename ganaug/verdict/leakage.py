"""The leak of the report's split by image, measured inside one model per unit (chapter 6).

The study's ``classic_by_image`` cell of each unit was trained on a split by image. Some of its
test images show a lesion that also has images in its training part ("seen"), the rest do not
("unseen"). :func:`ganaug.experiment.leak.cell_leak` scores that one model on both groups; this
module does so for every unit of a results folder, with the gap's interval over the units.
Rebuilding a unit's split needs the very images the study ran on, so the folder's data
fingerprint (``run.json``) is checked first.
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
