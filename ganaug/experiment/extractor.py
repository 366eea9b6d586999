"""One feature extractor per unit: the CNN whose features every generator-quality number of that
unit is measured on (FID, KID, precision/recall, near-duplicates, GAN-test), in the quality
curve, the ablation and the study alike.

A Fréchet distance on a CNN's features depends on the CNN: two CNNs trained on the same images
from different starts score the same generator differently (the committed curve and ablation
put the same DCGAN of unit 0 at FID 2.48 and 5.26). So the extractor is trained once per unit,
on that unit's training part with chapter 2's budget and classic augmentation, and cached under a
key (:func:`extractor_key`: the unit, the CNN budget, the unit's images, the code that trains
it and the libraries). Every run that measures that unit loads the same weights; a changed key
trains a new one. ``run.json`` records the key of each unit's extractor.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganaug.classifier import build_cnn, fit_classifier
from ganaug.data.cache import atomic_file
from ganaug.data.splits import Splits
from ganaug.experiment.plan import StudyPlan
from ganaug.experiment.provenance import data_fingerprint
from ganaug.experiment.versions import code_hash

#: The code whose change makes a cached extractor stale: the CNN and its training, the seeding
#: and this module.
EXTRACTOR_CODE = ("ganaug.classifier", "ganaug.common", "ganaug.experiment.extractor")

WEIGHTS_FILE = "extractor.weights.h5"
KEY_FILE = "extractor_key.json"


def extractor_recipe(plan: StudyPlan) -> dict[str, str]:
    """What every unit's extractor of ``plan`` shares: the CNN and its budget, the code that
    trains it and the libraries (the part of the key that is not the unit's).

    Examples
    --------
    >>> from ganaug.experiment.plan import study_plan
    >>> sorted(extractor_recipe(study_plan("smoke")))
    ['cnn', 'code', 'libraries']
    """
    cnn = {
        "filters": list(plan.cnn_filters),
        "epochs": plan.cnn_epochs,
        "patience": plan.cnn_patience,
        "batch_size": plan.batch_size,
        "augment": True,
    }
    return {
        "cnn": json.dumps(cnn, sort_keys=True),
        "code": code_hash(EXTRACTOR_CODE),
        "libraries": f"tensorflow {tf.__version__}, keras {keras.__version__}",
    }


def extractor_key(splits: Splits, plan: StudyPlan, unit: int) -> dict[str, str]:
    """The cache key of unit ``unit``'s extractor: :func:`extractor_recipe` plus the unit and a
    fingerprint of the images it trains (training part) and stops (validation part) on."""
    digest = hashlib.sha256()
    for part in (splits.train, splits.val):
        digest.update(data_fingerprint(part).encode())
    return {"unit": str(unit), "data": digest.hexdigest(), **extractor_recipe(plan)}


def extractor_folder(cache: Path, unit: int) -> Path:
    """Where unit ``unit``'s extractor lives inside a cache folder."""
    return Path(cache) / "extractors" / f"unit{unit}"


def unit_extractor(
    splits: Splits, plan: StudyPlan, unit: int, cache: Path
) -> tuple[keras.Model, dict[str, str]]:
    """Unit ``unit``'s feature extractor and its key: loaded from ``cache`` when a model of
    the same key is there, else trained (the plan's CNN, chapter 2's budget, classic
    augmentation, seed ``unit``) and saved, weights and key each written atomically.

    The model carries ``class_names`` (GAN-test needs them), as after
    :func:`ganaug.classifier.fit_classifier`.
    """
    key = extractor_key(splits, plan, unit)
    folder = extractor_folder(cache, unit)
    classes = splits.train.classes
    model = build_cnn(len(classes), splits.train.images.shape[1:], plan.cnn_filters, seed=unit)
    if _stored_key(folder) == key and (folder / WEIGHTS_FILE).exists():
        model.load_weights(folder / WEIGHTS_FILE)
        model.class_names = list(classes)
        return model, key
    fit_classifier(
        model,
        splits.train,
        splits.val,
        plan.cnn_epochs,
        plan.batch_size,
        seed=unit,
        augment=True,
        patience=plan.cnn_patience,
        verbose=0,
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / KEY_FILE).unlink(missing_ok=True)  # a key never outlives the weights it names
    partial = folder / f"partial-{np.random.default_rng().integers(1 << 30)}.weights.h5"
    try:
        model.save_weights(partial)
        partial.replace(folder / WEIGHTS_FILE)
    finally:
        partial.unlink(missing_ok=True)
    with atomic_file(folder / KEY_FILE, "w") as handle:
        handle.write(json.dumps(key, sort_keys=True, indent=1))
    return model, key


def _stored_key(folder: Path) -> dict | None:
    path = Path(folder) / KEY_FILE
    return json.loads(path.read_text()) if path.exists() else None
