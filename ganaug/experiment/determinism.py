"""Opt-in deterministic mode: the same seed gives the same numbers, bit for bit, run after run.

By default some TensorFlow operations may add floating-point numbers in a different order on
each run (many GPU kernels do), so a cell or a GAN trained twice with one seed can end apart.
On the book's 2-core CPU two such runs came out the same (:mod:`ganaug.experiment.run_to_run`
measured it); across machines they need not, and no setting makes two machines agree. Deterministic
mode turns on TensorFlow's op determinism (``tf.config.experimental.enable_op_determinism``):
every op then takes a deterministic implementation, and the ``tf.data`` pipelines keep their
order (they shuffle with the cell's seed and map in order; op determinism makes tf.data refuse
any non-deterministic option). It costs speed; ``benchmarks/measured/determinism_cost.md``
says how much.

Ask for it with ``GANAUG_DETERMINISTIC=1`` (:func:`ganaug.config.deterministic`; a study's Ray
workers inherit it) or ``python -m ganaug reproduce --deterministic``; ``run.json`` records
whether a run had it.
"""

from __future__ import annotations

from ganaug import config


def enable_determinism() -> None:
    """Turn TensorFlow's op determinism on for this process."""
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()


def apply_determinism() -> bool:
    """Turn deterministic mode on when the settings ask for it (:func:`ganaug.config.
    deterministic`); return whether it is on."""
    if config.deterministic():
        enable_determinism()
        return True
    return False
