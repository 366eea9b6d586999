"""What a lesson shows beside its outputs: glued numbers, readable p-values, package versions.

Every number in a lesson's prose is computed on the page and handed to the text with
:func:`glue` (myst-nb's ``{glue:text}`` role), so the prose cannot contradict the output beside
it. Outside a book build (Colab, plain Jupyter) :func:`glue` does nothing: the same numbers are
in the printed outputs.
"""

from __future__ import annotations

import math
from importlib import metadata

import pandas as pd

#: Packages whose versions the reproducibility page lists.
PACKAGES = (
    *("ganaug", "tensorflow", "keras", "numpy", "pandas", "scipy", "statsmodels"),
    *("scikit-learn", "matplotlib", "seaborn", "pillow", "jupyter-book", "myst-nb"),
    "sphinx-exercise",
)


def glue(name: str, value: object) -> None:
    """Store ``value`` under ``name`` for the prose (``{glue:text}`name```), without showing it.

    Examples
    --------
    >>> glue("answer", 42)  # outside a book build: nothing visible happens
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab or a plain Jupyter without the book extra
        return
    myst_glue(name, value, display=False)


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


def package_versions(packages: tuple[str, ...] = PACKAGES) -> pd.DataFrame:
    """Installed version of each package (``"not installed"`` when absent), and Python's.

    Examples
    --------
    >>> package_versions(("numpy",)).index.tolist()
    ['python', 'numpy']
    """
    import platform

    rows = {"python": platform.python_version()}
    for name in packages:
        try:
            rows[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            rows[name] = "not installed"
    return pd.DataFrame({"version": rows})
