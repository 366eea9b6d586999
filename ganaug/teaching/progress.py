"""A lesson's progress lines for a long training run, with the learning rate readable.

:class:`ganaug.gan.PrintEvery` prints every value with three decimals, so a learning rate that
a schedule halved below 0.0005 reads ``0.000``. The study's code keeps that class as it was
computed with (every piece of the study hashes ``ganaug.gan``); lessons print with this one.
"""

from __future__ import annotations

import time

from ganaug.gan import PrintEvery as StudyPrintEvery


def log_value(name: str, value: float) -> str:
    """One value of a log line: three decimals, except the learning rate, with three
    significant digits.

    Examples
    --------
    >>> log_value("loss", 0.12345), log_value("learning_rate", 0.000125)
    ('loss 0.123', 'learning_rate 0.000125')
    """
    return f"{name} {value:.3g}" if name == "learning_rate" else f"{name} {value:.3f}"


class PrintEvery(StudyPrintEvery):
    """:class:`ganaug.gan.PrintEvery` with the learning rate printed by :func:`log_value`."""

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        number = epoch + 1
        if number == 1 or number % self.every == 0:
            values = "  ".join(log_value(k, v) for k, v in (logs or {}).items())
            seconds = time.perf_counter() - self.started
            print(f"epoch {number:5d}  {values}  ({seconds:.0f} s)", flush=True)
