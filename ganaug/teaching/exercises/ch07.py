"""Checks for chapter 7's exercises: a generator of one's own, through the interface, the smoke
study and the verdict, and an edit that reruns only its pieces."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np  # noqa: F401 (the examples use it)
import pandas as pd

from ganaug.data import select_classes, synthetic_lesions
from ganaug.experiment.primary import unit_sizes
from ganaug.generators import fit_and_sample, make_generator
from ganaug.teaching.exercises import fail, passed, require_answer
from ganaug.verdict.analysis import pair_intervals
from ganaug.verdict.wording import describe_difference


def check_own_generator(factory: Callable) -> None:
    """Exercise 7.1: ``factory`` (a class or function) makes a generator that meets the
    interface (uint8 samples of the training images' shape, exactly ``n``, from read-only
    training images) and adds something: its samples differ from each other and are not all
    copies of its training images.

    Examples
    --------
    >>> class Jitter:
    ...     def fit(self, images, seed):
    ...         self.images = images
    ...     def sample(self, n, seed):
    ...         rng = np.random.default_rng(seed)
    ...         picked = self.images[rng.integers(len(self.images), size=n)].astype(int)
    ...         return np.clip(picked + rng.integers(-9, 10, picked.shape), 0, 255).astype(np.uint8)
    >>> check_own_generator(Jitter)
    Exercise 7.1 passed: 16 samples from 30 training bcc images, uint8, 16 different, not copies
    """
    require_answer("7.1", factory, "MyGenerator")
    train = select_classes(synthetic_lesions({"bcc": 30, "bkl": 2, "mel": 2}, seed=7), ["bcc"])
    try:
        samples = fit_and_sample(make_generator(factory, "smoke"), train.images, 16, seed=0)
    except ValueError as error:
        fail("7.1", f"the study would refuse it: {error}")
    except (AttributeError, TypeError) as error:
        fail("7.1", f"fit(images, seed) then sample(n, seed) failed: {error!r}")
    distinct = len({image.tobytes() for image in samples})
    if distinct == 1:
        fail("7.1", "all 16 samples are one image: n copies of one image add nothing new")
    copies = {image.tobytes() for image in train.images}
    if all(image.tobytes() in copies for image in samples):
        fail(
            "7.1",
            "every sample is a training image as it was: that is oversampling, which the study "
            "already has (arm oversample); change the images, or learn a model of them",
        )
    passed(
        "7.1",
        f"16 samples from {len(train)} training bcc images, uint8, {distinct} different, "
        "not copies",
    )


def _own_row(results: pd.DataFrame, name: str) -> pd.Series:
    n_test, n_train = unit_sizes(results)
    intervals = pair_intervals(results, name, "classic", "balanced_accuracy", n_test, n_train, 0.95)
    return pd.Series({"family": "primary", "arm": name, "baseline": "classic", **intervals})


def check_smoke_verdict(results: pd.DataFrame, words: str, name: str = "mine") -> None:
    """Exercise 7.2: ``results`` (what ``run_experiment`` returned) holds the arms ``classic``
    and ``name`` on at least two units, and ``words`` is chapter 6's
    sentence for ``name`` against ``classic``, declared as the one primary comparison
    (:func:`ganaug.verdict.wording.describe_difference`).

    Examples
    --------
    >>> arms = (("classic", 0.5), ("x", 0.6))
    >>> rows = [{"arm": arm, "seed": s, "metric": "balanced_accuracy", "value": v + 0.01 * s}
    ...         for s in (0, 1) for arm, v in arms]
    >>> rows += [{"arm": "classic", "seed": s, "metric": m, "value": n} for s in (0, 1)
    ...          for m, n in (("n_test", 20), ("n_train", 60), ("n_synthetic", 0))]
    >>> results = pd.DataFrame(rows)
    >>> check_smoke_verdict(results, describe_difference(_own_row(results, "x")), "x")
    Exercise 7.2 passed: x against classic on 2 units, in chapter 6's words
    """
    require_answer("7.2", results, "results")
    require_answer("7.2", words, "words")
    if not isinstance(results, pd.DataFrame) or "arm" not in results:
        fail("7.2", "results must be the table run_experiment returns (columns arm, seed, ...)")
    wanted = {"classic", name}
    missing = wanted - set(results["arm"])
    if missing:
        fail("7.2", f"the study lacks the arm(s) {sorted(missing)}: run arms {sorted(wanted)}")
    units = results.loc[results["arm"] == name, "seed"].nunique()
    if units < 2:
        fail("7.2", f"{units} unit: an interval needs at least two (the smoke plan runs two)")
    expected = describe_difference(_own_row(results, name))
    if words != expected:
        fail(
            "7.2",
            "words are not chapter 6's sentence for these results: build the row with "
            "verdict.analysis.pair_intervals (family 'primary', baseline 'classic') and pass "
            f"it to verdict.describe_difference; expected {expected!r}",
        )
    passed("7.2", f"{name} against classic on {units} units, in chapter 6's words")


def _kind(key: str, name: str) -> bool:
    parts = key.split("/")
    return parts[1] in (name, f"{name}_no_classic") if len(parts) > 2 else False


def check_only_its_pieces(before: dict, after: dict, name: str = "mine") -> None:
    """Exercise 7.3: ``before`` and ``after`` are a study folder's pieces (``run.json``'s
    ``pieces``) before and after an edit to generator ``name`` and a second run: its pool was
    made again, and every piece that changed is one of its own (pool, choice, quality, its two
    arms' cells) while every other piece stayed as it was.

    Examples
    --------
    >>> before = {"cell/classic/u0": {"version": "a"}, "pool/x/u0/s0": {"version": "b"},
    ...           "cell/x/u0": {"version": "c"}}
    >>> after = {**before, "pool/x/u0/s0": {"version": "B"}, "cell/x/u0": {"version": "C"}}
    >>> check_only_its_pieces(before, after, "x")
    Exercise 7.3 passed: 2 pieces of x ran again (cell/x/u0, pool/x/u0/s0); the 1 other stayed
    """
    require_answer("7.3", before, "before")
    require_answer("7.3", after, "after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        fail("7.3", "pass the pieces of run.json: experiment.provenance.read_run(folder)['pieces']")
    if before == after:
        fail("7.3", "nothing changed: edit the generator, register it again, run the study again")
    changed = sorted(
        k for k in after if (before.get(k) or {}).get("version") != after[k]["version"]
    )
    others = [key for key in changed if not _kind(key, name)]
    if others:
        fail("7.3", f"pieces not of {name} changed too: {', '.join(others)}")
    if not any(key.startswith(f"pool/{name}/") for key in changed):
        fail("7.3", f"the pool of {name} did not run again: was the edit to its code?")
    kept = [key for key in before if key not in changed]
    if any(key not in after for key in kept):
        fail(
            "7.3", "some pieces of before are missing after: run the same arms into the same folder"
        )
    passed(
        "7.3",
        f"{len(changed)} pieces of {name} ran again ({', '.join(changed)}); the {len(kept)} "
        f"other{'s' * (len(kept) != 1)} stayed",
    )
