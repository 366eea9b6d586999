"""Opt-in deterministic mode: the same seed gives the same numbers, bit for bit, run after run.

By default TensorFlow may add floating-point numbers in a different order on each run (its
multi-threaded reductions), so a cell or a GAN trained twice with one seed can end apart; the
run-to-run spread (:mod:`ganaug.experiment.run_to_run`) measures by how much. Deterministic
mode turns on TensorFlow's op determinism (``tf.config.experimental.enable_op_determinism``):
every op then takes a deterministic implementation, and the ``tf.data`` pipelines keep their
order (they shuffle with the cell's seed and map in order; op determinism makes tf.data refuse
any non-deterministic option). It costs speed; ``benchmarks/determinism.md`` says how much.

Ask for it with ``GANAUG_DETERMINISTIC=1`` (a study's Ray workers inherit it) or ``python -m
ganaug reproduce --deterministic``; ``run.json`` records whether a run had it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: The environment variable that asks for deterministic mode.
DETERMINISTIC_ENV = "GANAUG_DETERMINISTIC"


def deterministic_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``environ`` (default ``os.environ``) asks for deterministic mode: ``1``,
    ``true`` or ``yes``; a ``ValueError`` for any other non-empty value.

    Examples
    --------
    >>> deterministic_requested({}), deterministic_requested({"GANAUG_DETERMINISTIC": "1"})
    (False, True)
    >>> deterministic_requested({"GANAUG_DETERMINISTIC": "maybe"})
    Traceback (most recent call last):
    ...
    ValueError: GANAUG_DETERMINISTIC='maybe': set it to 1 (deterministic mode) or 0 (off)
    """
    value = (os.environ if environ is None else environ).get(DETERMINISTIC_ENV, "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return False
    if value.lower() in ("1", "true", "yes"):
        return True
    raise ValueError(f"{DETERMINISTIC_ENV}={value!r}: set it to 1 (deterministic mode) or 0 (off)")


def enable_determinism() -> None:
    """Turn deterministic mode on for this process and the processes it starts."""
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    os.environ[DETERMINISTIC_ENV] = "1"


def apply_determinism(environ: Mapping[str, str] | None = None) -> bool:
    """Turn deterministic mode on when ``environ`` asks for it; return whether it is on."""
    if deterministic_requested(environ):
        enable_determinism()
        return True
    return False
