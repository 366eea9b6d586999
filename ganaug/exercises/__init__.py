"""Checks for the book's exercises: each says clearly what is wrong, or that the answer passes.

Every exercise in ``exercises/`` ends in a call such as ``check_grey_means(grey_means)``. A wrong or
unfinished answer raises :class:`ExerciseCheckError` with a hint; a right one prints a short
confirmation. The checks compare with the library's own functions, never with stored numbers.
"""

from __future__ import annotations

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
    ganaug.exercises.ExerciseCheckError: Exercise 1.1: expected 3 values
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
        fail(exercise, f"{name} is {value!r}: fill in the cell marked '# YOUR CODE HERE' and "
                       "run it again")  # fmt: skip
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
    ganaug.exercises.ExerciseCheckError: Exercise 1.1: means has shape (2,), expected (3,)
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
    exercise: str, actual: Any, expected: Any, name: str, atol: float = 1e-6, hint: str = ""
) -> np.ndarray:
    """Fail unless ``actual`` matches ``expected`` (same shape, within ``atol``)."""
    expected = np.asarray(expected, dtype=float)
    array = require_array(exercise, actual, name, shape=expected.shape)
    if not np.allclose(array, expected, atol=atol, equal_nan=False):
        worst = int(np.argmax(np.abs(array - expected).ravel()))
        fail(
            exercise,
            f"{name} is not right: at position {worst} you have {array.ravel()[worst]:.6g}, "
            f"expected {expected.ravel()[worst]:.6g}. {hint}".strip(),
        )
    return array
