"""What a lesson shows beside its outputs: glued numbers, readable p-values, package versions.

Every number in a lesson's prose is computed on the page and handed to the text with
:func:`glue` (myst-nb's ``{glue:text}`` role), so the prose cannot contradict the output beside
it. Outside a book build (Colab, plain Jupyter, the editions in ``colab/``) :func:`glue` also
prints ``name: value``: there the text shows the name in bold code (``ganaug.teaching.editions``)
and the student reads the value of their own run. A lesson glues a cell's numbers with one
:func:`glue_all` call, in a cell of its own that the book does not show (tag ``remove-cell``):
plumbing stays off the page.
:func:`rounded` prints a result without sixteen digits or NumPy's ``np.float64(...)``.
:func:`show_source` puts a library function's code on the page, so a lesson can show the one
operation it teaches and still run the tested version.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Mapping
from importlib import metadata

import pandas as pd

from ganaug.config import in_book_build
from ganaug.metrics.pvalues import format_p_value, with_p_values

__all__ = [
    "PACKAGES",
    "format_p_value",
    "glue",
    "glue_all",
    "package_versions",
    "rounded",
    "show_source",
    "with_p_values",
]

#: Packages whose versions the reproducibility page lists.
PACKAGES = (
    *("ganaug", "tensorflow", "keras", "numpy", "pandas", "scipy", "statsmodels"),
    *("scikit-learn", "matplotlib", "seaborn", "pillow", "jupyter-book", "myst-nb"),
    "sphinx-exercise",
)


def _store(name: str, value: object) -> None:
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # Colab or a plain Jupyter without the book extra
        return
    myst_glue(name, value, display=False)


def glue(name: str, value: object) -> None:
    """Store ``value`` under ``name`` for the prose (``{glue:text}`name```); outside a book
    build also print ``name: value``, where the text only names it.

    Examples
    --------
    >>> glue("answer", 42)  # outside a book build: printed for the reader
    answer: 42
    """
    if not name or not isinstance(name, str):
        raise ValueError(f"a glued value needs a name (a non-empty string), not {name!r}")
    _store(name, value)
    if not in_book_build():
        print(f"{name}: {value}")


def glue_all(values: Mapping[str, object]) -> None:
    """Store each value of ``values`` under its name for the prose, as :func:`glue` does.

    One call glues every number a cell hands to the text, so the cell that computes them stays
    readable; the book hides the cell that holds the call. Outside a book build the values are
    printed under a heading, for the paragraphs that name them.

    Parameters
    ----------
    values
        Names (as used in ``{glue:text}`name```) and the values to show in their place.

    Examples
    --------
    >>> glue_all({"n_images": 180, "share": f"{0.254:.0%}"})  # outside a book: printed
    Values for the text below:
    n_images: 180
    share: 25%
    """
    if not in_book_build() and values:
        print("Values for the text below:")
    for name, value in values.items():
        glue(name, value)


def rounded(value: object, digits: int = 3) -> object:
    """``value`` with every float in it (also inside tuples, lists and dicts) rounded to
    ``digits`` decimals and NumPy scalars made plain Python numbers, for printing a result.

    Anything else (text, ``None`` from an unfinished exercise) comes back as it is.

    Examples
    --------
    >>> import numpy as np
    >>> rounded((np.float64(0.5675730863), np.float64(0.6833351317)))
    (0.568, 0.683)
    >>> rounded({"bcc": np.float64(0.675), "n": np.int64(3), "ok": True}, digits=2)
    {'bcc': 0.68, 'n': 3, 'ok': True}
    >>> print(rounded(None))
    None
    """
    import numpy as np

    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        return round(float(value), digits)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return rounded(value.tolist(), digits)
    if isinstance(value, tuple | list):
        return type(value)(rounded(item, digits) for item in value)
    if isinstance(value, dict):
        return {key: rounded(item, digits) for key, item in value.items()}
    return value


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


def source_text(obj: object, docstring: bool = False) -> str:
    """The source code of a function, method or class, dedented; without its docstring unless
    ``docstring`` (the page's prose says what it does).

    Examples
    --------
    >>> print(source_text(source_text).splitlines()[0])
    def source_text(obj: object, docstring: bool = False) -> str:
    >>> "Examples" in source_text(source_text)
    False
    """
    try:
        text = textwrap.dedent(inspect.getsource(obj))
    except (TypeError, OSError) as error:
        raise ValueError(f"no source code to show for {obj!r}: {error}") from None
    doc = inspect.getdoc(obj)
    if not docstring and doc:
        start = text.find('"""')
        end = text.find('"""', start + 3)
        if start != -1 and end != -1:
            line_end = text.find("\n", end)
            text = text[: text.rfind("\n", 0, start) + 1] + text[line_end + 1 :]
    return text


def show_source(obj: object, docstring: bool = False):
    """Show :func:`source_text` of ``obj`` as a highlighted Python block (a Markdown object that
    Jupyter and the book render; print it elsewhere).

    Examples
    --------
    >>> print(show_source(rounded).data.splitlines()[0])
    ```python
    """
    from IPython.display import Markdown

    return Markdown(f"```python\n{source_text(obj, docstring)}```")
