"""Which version of the code computed a result: a hash of the source files of some packages.

Two results with the same hash were computed by the same Python sources (the installed
libraries are recorded separately, in ``run.json``'s ``versions``).
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from pathlib import Path


def source_files(package: str) -> list[Path]:
    """The ``.py`` files of ``package`` (a package: every one below its folder; a module: its
    file), sorted.

    Examples
    --------
    >>> [path.name for path in source_files("ganaug.experiment.versions")]
    ['versions.py']
    """
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None or (spec.origin is None and not spec.submodule_search_locations):
        raise ValueError(f"no importable package or module named {package!r}")
    if spec.submodule_search_locations:
        return sorted(
            path
            for folder in spec.submodule_search_locations
            for path in Path(folder).rglob("*.py")
        )
    return [Path(spec.origin)]


def code_hash(packages: Sequence[str]) -> str:
    """SHA-256 (hex) of the sorted ``.py`` sources of ``packages``: each file's path inside its
    package and its bytes. Any edit, added or removed file changes it; nothing else does.

    Examples
    --------
    >>> code_hash(["ganaug.data"]) == code_hash(("ganaug.data",))
    True
    >>> code_hash(["ganaug.data"]) != code_hash(["ganaug.data", "ganaug.metrics"])
    True
    """
    if isinstance(packages, str) or not packages:
        raise ValueError(f"packages must be a non-empty list of names, got {packages!r}")
    digest = hashlib.sha256()
    for package in sorted(set(packages)):
        files = source_files(package)
        top = Path(importlib.util.find_spec(package.split(".")[0]).origin or "").parent.parent
        for path in files:
            name = path.relative_to(top).as_posix() if path.is_relative_to(top) else path.name
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def package_hashes(packages: Sequence[str]) -> dict[str, str]:
    """:func:`code_hash` of each package on its own, to say which one changed.

    Examples
    --------
    >>> list(package_hashes(["ganaug.metrics", "ganaug.data"]))
    ['ganaug.data', 'ganaug.metrics']
    """
    return {package: code_hash([package]) for package in sorted(set(packages))}
