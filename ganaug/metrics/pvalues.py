"""P-values as readers should see them: never "0.0", rounded tables with p-values as text."""

from __future__ import annotations

import math

import pandas as pd


def format_p_value(p: float, digits: int = 2) -> str:
    """A p-value as text: scientific notation, and never "0.0".

    Below about 1e-16 a double-precision p-value is rounding noise, so it is shown as a bound.

    Examples
    --------
    >>> format_p_value(0.0)
    '< 1e-16'
    >>> format_p_value(3.2e-7)
    '3.2e-07'
    >>> format_p_value(0.0412)
    '0.041'
    """
    if not (0 <= p <= 1) or math.isnan(p):
        raise ValueError(f"a p-value lies in [0, 1], got {p}")
    if p < 1e-16:
        return "< 1e-16"
    if p < 0.01:
        return f"{p:.{digits - 1}e}"
    return f"{p:.{digits}g}"


def with_p_values(table: pd.DataFrame, decimals: int = 3, columns: tuple = ("p_value",)):
    """``table`` rounded to ``decimals``, its p-value columns as text (see :func:`format_p_value`).

    Examples
    --------
    >>> with_p_values(pd.DataFrame({"d": [1.23456], "p_value": [0.0]}))
           d  p_value
    0  1.235  < 1e-16
    """
    shown = table.round(decimals)
    for column in columns:
        if column in shown.columns:
            shown[column] = [format_p_value(float(p)) for p in table[column]]
    return shown
