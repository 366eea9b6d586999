"""Execute a build's notebooks several at a time, before Sphinx reads them one by one.

myst-nb's ``cache`` mode executes a notebook while Sphinx reads its page, so a book's notebooks
run one after another. On a 2-core machine two TensorFlow kernels at once did about 1.2 times
the work of one (``benchmarks/measured/parallel_execution.md``). :func:`execute_ahead` runs the
notebooks a build is about to read in a pool of ``jobs`` kernels (the longest first, by
``lesson_times.json``) and stores each success in the build's jupyter-cache exactly as myst-nb
would; when Sphinx then reads the page, myst-nb finds the outputs in the cache. A notebook that
fails here is not cached: myst-nb executes it again while reading its page and reports its
traceback there, so a failure still fails the build.

Examples
--------
>>> order_longest_first(["lessons/01_data", "lessons/03_dcgan"], "book")
['lessons/03_dcgan', 'lessons/01_data']
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ganaug.teaching.timing import measured_times, page_key


@dataclass(frozen=True)
class Outcome:
    """What one notebook's execution gave: its seconds and, when it failed, the error's name."""

    docname: str
    seconds: float
    error: str | None = None


def expected_seconds(docname: str, profile: str) -> float:
    """The seconds a page last took on ``profile`` (0 for a page never measured).

    Examples
    --------
    >>> expected_seconds("exercises/solutions/02_cnn", "book") > 0
    True
    >>> expected_seconds("book/setup", "book")
    0.0
    """
    try:
        key = page_key(docname)
    except ValueError:
        return 0.0
    return float(measured_times()["seconds"].get(profile, {}).get(key, 0.0))


def order_longest_first(docnames: list[str], profile: str) -> list[str]:
    """The pages in the order that ends a pool soonest: the longest first (ties by name)."""
    return sorted(docnames, key=lambda doc: (-expected_seconds(doc, profile), doc))


def excluded(docname: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """Whether myst-nb's ``nb_execution_excludepatterns`` leave this page unexecuted.

    Examples
    --------
    >>> excluded("lessons/02_cnn", ["lessons/*"]), excluded("lessons/02_cnn", [])
    (True, False)
    """
    return any(fnmatch.fnmatch(docname, pattern) for pattern in patterns)


def run_pool(
    docnames: list[str], execute: Callable[[str], Outcome], jobs: int
) -> Iterator[Outcome]:
    """``execute`` each page, ``jobs`` at a time, started in the order given; yields each
    outcome, in the caller's thread, as soon as it ends.

    Examples
    --------
    >>> sorted(o.docname for o in run_pool(["a", "b", "c"], lambda d: Outcome(d, 0.0), jobs=2))
    ['a', 'b', 'c']
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(execute, doc) for doc in docnames]
        for future in as_completed(futures):
            yield future.result()


def _not_cached(cache, notebook) -> bool:
    try:
        cache.match_cache_notebook(notebook)
    except KeyError:
        return True
    return False


def execute_ahead(app, docnames: list[str], jobs: int, profile: str) -> list[Outcome]:
    """Execute the notebooks among ``docnames`` that the build's cache lacks, ``jobs`` at a
    time, and cache each success as myst-nb's ``cache`` mode does. Returns the outcomes.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.executors.utils import single_nb_execution

    config = app.config
    if config.nb_execution_mode != "cache" or jobs < 2:
        return []
    cache = get_cache(config.nb_execution_cache_path)
    notebooks = {}
    for doc in docnames:
        path = Path(app.env.doc2path(doc))
        if path.suffix != ".ipynb" or excluded(doc, config.nb_execution_excludepatterns):
            continue
        notebook = nbformat.read(path, as_version=4)
        if notebook.metadata.get("mystnb", {}).get("execution_mode", "cache") != "cache":
            continue
        if any(cell.cell_type == "code" for cell in notebook.cells) and _not_cached(
            cache, notebook
        ):
            notebooks[doc] = (path, notebook)
    if len(notebooks) < 2:
        return []  # nothing to gain: myst-nb executes it while reading
    logger = _logger()
    logger.info(f"ganaug: executing {len(notebooks)} notebooks, {jobs} at a time")

    def execute(doc: str) -> Outcome:
        path, notebook = notebooks[doc]
        result = single_nb_execution(
            notebook,
            cwd=str(path.parent.resolve()),
            allow_errors=config.nb_execution_allow_errors,
            timeout=config.nb_execution_timeout,
            meta_override=True,
        )
        error = None if result.err is None else type(result.err).__name__
        return Outcome(doc, result.time, error)  # its time, failed or not

    outcomes = []
    # each success is cached as soon as it ends, from this thread alone (the cache's database)
    for outcome in run_pool(order_longest_first(list(notebooks), profile), execute, jobs):
        outcomes.append(outcome)
        path, notebook = notebooks[outcome.docname]
        if outcome.error is not None:
            logger.warning(
                f"ganaug: {outcome.docname} failed ({outcome.error}) after "
                f"{outcome.seconds:.0f} s; it executes again while its page is read"
            )
            continue
        record = cache.add_nb_to_project(str(path))
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, record.uri, data={"execution_seconds": outcome.seconds}),
            check_validity=False,
            overwrite=True,
        )
        logger.info(f"ganaug: executed {outcome.docname} in {outcome.seconds:.0f} s")
    return outcomes


def _logger():
    from sphinx.util import logging

    return logging.getLogger(__name__)
