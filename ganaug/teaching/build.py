"""What the book's pages depend on, and a Sphinx extension that executes a page again exactly
when it changed.

myst-nb's ``execute_notebooks: cache`` keeps each notebook's outputs in a jupyter-cache, keyed
on its code cells and kernel only: a markdown edit re-renders the page from the cache, but a new
library, profile or data set would not run anything. So the cache folder is named by a
*build key*, a hash of everything else a notebook's outputs depend on (:func:`build_inputs`):

- ``ganaug``: the library's ``.py`` sources (those the kernels import);
- ``packages``: Python and every installed distribution's version;
- ``settings``: the environment the kernels inherit (``GANAUG_*``, ``KERAS_*``, ``TF_*`` but
  the log level, ``CUDA_VISIBLE_DEVICES``), profile and data folder included;
- ``data``: the data folder (``GANAUG_DATA_DIR``, else the per-user one): the SHA-256 of its
  metadata CSV(s) and ready arrays, and the name and size of every file below it;
- ``results``: every file below the book's ``results/`` and ``GANAUG_RESULTS_DIR``.

Any change gives a new key, so a new, empty cache: Sphinx reads every page again (the key is
part of its configuration) and every notebook executes. Within one key, a page executes again
only when its code changed. A notebook that fails is never cached, its page is removed from the
output and the build exits with status 1; the next build executes it again.

The Sphinx extension :mod:`ganaug.teaching.sphinx_build` (named in ``_config.yml``) uses it;
``python -m ganaug build-key`` prints the key and its inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import sysconfig
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from ganaug import config

#: Environment variables whose values the kernels' outputs may depend on (by prefix).
SETTING_PREFIXES = ("GANAUG_", "KERAS_", "TF_", "CUDA_VISIBLE_DEVICES")
#: Settings that never change a book page's outputs: what is logged, and the flag the book
#: build itself sets for its kernels (``config.BOOK_BUILD_ENV``: always on inside a build, so
#: a key computed outside one, by ``python -m ganaug build-key`` or a test, must agree).
LOG_SETTINGS = (
    "TF_CPP_MIN_LOG_LEVEL",
    "TF_CPP_MAX_VLOG_LEVEL",
    config.BOOK_BUILD_ENV,
    config.BUILD_JOBS_ENV,  # how many notebooks execute at once, not what they compute
)
#: How many keyed caches are kept (the newest): switching back to an earlier profile or data
#: set finds its outputs still there.
KEEP_CACHES = 4
#: Where a build writes which notebooks it executed (next to ``html/``).
REPORT = "execution.json"


def _digest(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk + b"\0")
    return digest.hexdigest()


#: Files of the package the key leaves out: the measured time per page (``timing``) is written
#: after a build from that build's own times, and changes no computation; counting it would
#: make every build after a measurement execute every notebook again.
NOT_IN_KEY = frozenset({"teaching/lesson_times.json"})


def files_digest(
    folder: str | os.PathLike, contents: bool = True, skip: frozenset[str] = frozenset()
) -> str:
    """SHA-256 of the files below ``folder``: each relative path with its bytes (``contents``)
    or only its size; hidden files, bytecode, editors' backups and the relative paths in
    ``skip`` do not count. A missing folder has the digest of an empty one.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> empty = files_digest(folder)
    >>> _ = (folder / "a.csv").write_text("x,y\\n")
    >>> files_digest(folder) != empty and files_digest(folder / "missing") == empty
    True
    >>> before = files_digest(folder)
    >>> _ = (folder / ".a.csv.swp").write_text("editing")
    >>> files_digest(folder) == before
    True
    """
    folder = Path(folder)
    chunks = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts = path.relative_to(folder).parts
            if "__pycache__" in parts or any(part.startswith(".") for part in parts):
                continue  # bytecode, editors' and systems' hidden files
            if path.suffix in {".pyc", ".swp"} or path.name.endswith("~"):
                continue
            if path.relative_to(folder).as_posix() in skip:
                continue
            body = path.read_bytes() if contents else str(path.stat().st_size).encode()
            chunks.append(path.relative_to(folder).as_posix().encode() + b"\0" + body)
    return _digest(*chunks)


def data_digest(folder: str | os.PathLike) -> str:
    """A cheap fingerprint of a data folder (or ``.npz`` file): the SHA-256 of its metadata
    CSV(s) and ready arrays (the checksums ``run.json`` records) and the name and size of
    every file below it, not the bytes of every image.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> before = data_digest(folder)
    >>> _ = (folder / "HAM10000_metadata.csv").write_text("image_id,dx\\n")
    >>> data_digest(folder) != before
    True
    """
    folder = Path(folder)
    if folder.is_file():
        return _digest(folder.name.encode(), folder.read_bytes())
    if not folder.is_dir():
        return _digest(b"missing")
    ready = sorted([*folder.glob("*.csv"), *folder.glob("*.npz")])
    checksums = [p.name.encode() + b"\0" + p.read_bytes() for p in ready]
    return _digest(*checksums, files_digest(folder, contents=False).encode())


def build_inputs(root: str | os.PathLike, environ: Mapping[str, str]) -> dict[str, str]:
    """Everything beside its code cells that a notebook of the book at ``root`` depends on,
    each as a digest (see the module's docstring). ``environ`` is the environment the kernels
    will run in (an entry point passes ``os.environ``).

    Examples
    --------
    >>> inputs = build_inputs(".", {"GANAUG_PROFILE": "smoke"})
    >>> sorted(inputs)
    ['data', 'ganaug', 'packages', 'results', 'settings']
    >>> inputs == build_inputs(".", {"GANAUG_PROFILE": "book"})
    False
    """
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"the book's root {root} is not a folder")
    package = Path(__file__).resolve().parents[1]  # the ganaug the kernels import
    # The environment's own site folders, not sys.path: a process that runs from the root also
    # sees ganaug.egg-info, and one that imported Ray sees the copies Ray bundles.
    site = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    versions = sorted(
        {
            f"{dist.metadata['Name']}=={dist.version}".lower().encode()
            for dist in metadata.distributions(path=site)
            if dist.metadata["Name"]
        }
    )
    settings = sorted(
        f"{name}={value}".encode()
        for name, value in environ.items()
        if name.startswith(SETTING_PREFIXES) and name not in LOG_SETTINGS
    )
    results = [files_digest(root / "results").encode()]
    if environ.get(config.RESULTS_ENV):
        results.append(files_digest(Path(environ[config.RESULTS_ENV]).expanduser()).encode())
    return {
        "ganaug": files_digest(package, skip=NOT_IN_KEY),
        "packages": _digest(sys.version.encode(), platform.machine().encode(), *versions),
        "settings": _digest(*settings),
        "data": data_digest(config.data_dir(environ.get(config.DATA_ENV) or None)),
        "results": _digest(*results),
    }


def build_key(inputs: dict[str, str]) -> str:
    """The build key: 16 hex digits of the SHA-256 of ``inputs`` (:func:`build_inputs`).

    Examples
    --------
    >>> build_key({"ganaug": "a", "data": "b"})
    '9c45f59d5b27e908'
    >>> build_key({})
    Traceback (most recent call last):
    ...
    ValueError: no build inputs given: call build_inputs(root) for a book's inputs
    """
    if not inputs:
        raise ValueError("no build inputs given: call build_inputs(root) for a book's inputs")
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:16]


def keyed_cache(base: str | os.PathLike, key: str, keep: int = KEEP_CACHES) -> Path:
    """The cache folder ``base/key`` (marked as used now); of the other keys' folders only the
    ``keep - 1`` used last stay.

    Examples
    --------
    >>> import tempfile
    >>> base = Path(tempfile.mkdtemp())
    >>> for key in "abcde":
    ...     _ = keyed_cache(base, key, keep=2).mkdir()
    >>> sorted(p.name for p in base.iterdir())
    ['d', 'e']
    """
    base = Path(base)
    if keep < 1:
        raise ValueError(f"keep must be at least 1 (the current cache), got {keep}")
    if (base / key).is_dir():
        os.utime(base / key)  # used now
    if base.is_dir():
        others = [p for p in base.iterdir() if p.is_dir() and p.name != key]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[keep - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
    return base / key
