"""The Sphinx extension behind ``make book``: a keyed execution cache (see
:mod:`ganaug.teaching.build`), failed notebooks that fail the build, and ``execution.json``.

Named in ``_config.yml`` (``sphinx: extra_extensions``) next to ``execute_notebooks: cache``.
On each build it

1. names myst-nb's jupyter-cache folder by the build key (``<cache>/<key>``), before myst-nb
   reads its configuration; a new key is a configuration change, so Sphinx reads every page
   again and each notebook executes into the new, empty cache;
2. reads again every page whose notebook failed in the previous build, and executes the
   notebooks of the pages it reads that the cache lacks several at a time
   (:mod:`ganaug.teaching.execute_ahead`, ``GANAUG_BUILD_JOBS``) before Sphinx reads them;
3. after the build writes ``execution.json`` beside the ``html`` folder: the key, its inputs and
   for each notebook whether this build ``executed`` it, took its outputs from the cache
   (``cached``) or did not read it (``unchanged``), and the seconds its outputs took to compute;
4. when a notebook failed: removes its page from the output, says which, and exits with
   status 1 (myst-nb's traceback is above it; jupyter-cache never stores a failed run).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from ganaug import config
from ganaug.teaching.build import REPORT, build_inputs, build_key, keyed_cache
from ganaug.teaching.execute_ahead import execute_ahead


def _logger():
    from sphinx.util import logging

    return logging.getLogger(__name__)


def key_the_cache(app, sphinx_config) -> None:
    """``config-inited``: point ``nb_execution_cache_path`` at this key's cache folder."""
    inputs = build_inputs(app.srcdir, os.environ)  # the kernels inherit this environment
    key = build_key(inputs)
    base = sphinx_config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    sphinx_config.nb_execution_cache_path = str(keyed_cache(base, key))
    app.ganaug_build = {"key": key, "inputs": inputs, "records": set(), "read": set()}
    _logger().info(f"ganaug build key {key}: jupyter-cache {sphinx_config.nb_execution_cache_path}")


def _cache_records(app) -> dict[tuple[int, str], Path]:
    """The records of this key's jupyter-cache: (id, created) -> the notebook cached."""
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    return {(r.pk, str(r.created)): Path(r.uri).resolve() for r in cache.list_cache_records()}


def _exec_data(env) -> dict[str, dict]:
    metadata = getattr(env, "nb_metadata", {})
    return {doc: data["exec_data"] for doc, data in metadata.items() if data.get("exec_data")}


def failed_last_time(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: the pages whose notebook failed are read (executed) again."""
    return sorted(doc for doc, data in _exec_data(env).items() if not data.get("succeeded"))


def note_reads(app, env, docnames) -> None:
    """``env-before-read-docs``: which pages this build reads, and the cache before it; then
    the notebooks among them that the cache lacks execute, several at a time
    (:mod:`ganaug.teaching.execute_ahead`), before Sphinx reads them one by one."""
    app.ganaug_build["read"] = set(docnames)
    app.ganaug_build["records"] = set(_cache_records(app))
    profile = config.get_profile().name
    execute_ahead(app, sorted(docnames), jobs=config.build_jobs(), profile=profile)


def report(app, exception) -> None:
    """``build-finished``: write ``execution.json``; fail the build on a failed notebook."""
    if exception is not None or not hasattr(app, "ganaug_build"):
        return
    build = app.ganaug_build
    created = {
        path for record, path in _cache_records(app).items() if record not in build["records"]
    }
    notebooks, failed = {}, []
    for doc, data in sorted(_exec_data(app.env).items()):
        status = "unchanged"
        if doc in build["read"]:
            executed = Path(app.env.doc2path(doc)).resolve() in created
            status = "executed" if executed or not data.get("succeeded") else "cached"
        if not data.get("succeeded"):
            status = "failed"
            failed.append(doc)
        notebooks[doc] = {"status": status, "seconds": data.get("runtime")}
    text = {
        "key": build["key"],
        "inputs": build["inputs"],
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "notebooks": notebooks,
    }
    (Path(app.outdir).parent / REPORT).write_text(json.dumps(text, indent=1) + "\n")
    if failed:
        for doc in failed:
            if hasattr(app.builder, "get_outfilename"):  # html: no half-executed page
                Path(app.builder.get_outfilename(doc)).unlink(missing_ok=True)
        _logger().warning(
            f"{len(failed)} notebook(s) failed: {', '.join(failed)} (traceback above); their "
            "pages are not in the output, nothing of them was cached, and the next build "
            "executes them again"
        )
        app.statuscode = 1


def setup(app) -> dict:
    """Register the extension (after myst-nb, whose ``nb_execution_cache_path`` it sets)."""
    app.connect("config-inited", key_the_cache, priority=100)
    app.connect("env-get-outdated", failed_last_time)
    app.connect("env-before-read-docs", note_reads)
    app.connect("build-finished", report)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
