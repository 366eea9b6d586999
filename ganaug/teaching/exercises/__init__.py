"""Checks for the book's exercises: each says clearly what is wrong, or that the answer passes.

Every exercise in ``exercises/`` ends in a call such as ``check_grey_means(grey_means)``. A wrong or
unfinished answer raises :class:`ExerciseCheckError` with a hint; a right one prints a short
confirmation. The checks compare with the library's own functions, never with stored numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import numpy as np


class ExerciseCheckError(AssertionError):
    """Raised by a check when the answer is missing or wrong; the message says what to fix."""


def fail(exercise: str, message: str) -> NoReturn:
    """Raise :class:`ExerciseCheckError` for ``exercise`` with ``message``.

    Examples
    --------
    >>> fail("1.1", "expected 3 values")
    Traceback (most recent call last):
    ...
    ganaug.teaching.exercises.ExerciseCheckError: Exercise 1.1: expected 3 values
    """
    raise ExerciseCheckError(f"Exercise {exercise}: {message}")


def passed(exercise: str, message: str = "") -> None:
    """Print that ``exercise`` passed.

    Examples
    --------
    >>> passed("1.1", "well done")
    Exercise 1.1 passed: well done
    """
    print(f"Exercise {exercise} passed" + (f": {message}" if message else ""))


def require_answer(exercise: str, value: Any, name: str) -> Any:
    """Fail with a hint to fill in the cell when ``value`` is None or ``...``."""
    if value is None or value is Ellipsis:
        fail(
            exercise,
            f"{name} is {value!r}: fill in the cell marked '# YOUR CODE HERE' and run it again",
        )
    return value


def require_array(
    exercise: str, value: Any, name: str, shape: tuple[int, ...] | None = None
) -> np.ndarray:
    """Turn ``value`` into an array, failing with a hint if it is missing or has the wrong shape.

    Examples
    --------
    >>> require_array("1.1", [1, 2], "means", shape=(3,))
    Traceback (most recent call last):
    ...
    ganaug.teaching.exercises.ExerciseCheckError: Exercise 1.1: means has shape (2,), expected (3,)
    """
    require_answer(exercise, value, name)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        fail(exercise, f"{name} should be numbers (an array), got {type(value).__name__}")
    if shape is not None and array.shape != tuple(shape):
        fail(exercise, f"{name} has shape {array.shape}, expected {tuple(shape)}")
    return array


def require_close(
    exercise: str,
    actual: Any,
    expected: Any,
    name: str,
    atol: float = 1e-6,
    hint: str = "",
    mistakes: Mapping[str, Any] | None = None,
) -> np.ndarray:
    """Fail unless ``actual`` matches ``expected`` (same shape, within ``atol``).

    ``mistakes`` maps a message to the value a known mistake gives: an answer that matches it
    (and not ``expected``) fails with that message, which says what went wrong.

    Examples
    --------
    >>> require_close("2.3", 0.1745, 0.0024, "max_shift", atol=1e-3,
    ...               mistakes={"that angle is in radians": 0.1745})
    Traceback (most recent call last):
    ...
    ganaug.teaching.exercises.ExerciseCheckError: Exercise 2.3: max_shift: that angle is in radians
    """
    expected = np.asarray(expected, dtype=float)
    array = require_array(exercise, actual, name, shape=expected.shape)
    close = np.allclose(array, expected, atol=atol, equal_nan=False)
    for message, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong, dtype=float)
        if not close and wrong.shape == array.shape and np.allclose(array, wrong, atol=atol):
            fail(exercise, f"{name}: {message}")
    if not close:
        worst = int(np.argmax(np.abs(array - expected).ravel()))
        fail(
            exercise,
            f"{name} is not right: at position {worst} you have {array.ravel()[worst]:.6g}, "
            f"expected {expected.ravel()[worst]:.6g}. {hint}".strip(),
        )
    return array
