"""What a lesson shows beside its outputs: glued numbers, readable p-values, package versions.

Every number in a lesson's prose is computed on the page and handed to the text with
:func:`glue` (myst-nb's ``{glue:text}`` role), so the prose cannot contradict the output beside
it. Outside a book build (Colab, plain Jupyter) :func:`glue` does nothing: the same numbers are
in the printed outputs.
"""

from __future__ import annotations

from importlib import metadata

import pandas as pd

from ganaug.metrics.pvalues import format_p_value, with_p_values

__all__ = ["PACKAGES", "format_p_value", "glue", "package_versions", "with_p_values"]

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
