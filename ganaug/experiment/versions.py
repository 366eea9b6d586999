"""Which version of the code computed a result: a hash of the source files of some packages.

Two results with the same hash were computed by the same Python sources (the installed
libraries are recorded separately, in ``run.json``'s ``versions``). :func:`code_hash` hashes
files byte for byte (the caches' keys); :func:`source_version` hashes the code of modules or of
single definitions, without docstrings, and is what each piece of a study records
(:mod:`ganaug.experiment.pieces`).
"""

from __future__ import annotations

import ast
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


def _module_file(module: str, root: Path) -> list[Path]:
    """The ``.py`` file(s) of ``module`` below ``root`` (the folder that holds ``ganaug``)."""
    base = root.joinpath(*module.split("."))
    if base.is_dir():
        return sorted(base.rglob("*.py"))
    if base.with_suffix(".py").exists():
        return [base.with_suffix(".py")]
    raise ValueError(f"no module or package named {module!r} below {root}")


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    """``tree`` without docstrings (they compute nothing)."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def _definition_names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {
            name.id for target in targets for name in ast.walk(target) if isinstance(name, ast.Name)
        }
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return set()


def _definitions(tree: ast.Module, names: set[str]) -> list[ast.stmt]:
    """The top-level statements of ``tree`` that define ``names``, and, transitively, every
    top-level name of the same module they use (imports included)."""
    defines = {name: node for node in tree.body for name in _definition_names(node)}
    unknown = names - set(defines)
    if unknown:
        raise ValueError(f"no top-level definition of {sorted(unknown)}")
    wanted, queue = set(), list(names)
    while queue:
        name = queue.pop()
        if name in wanted or name not in defines:
            continue
        wanted.add(name)
        used = {n.id for n in ast.walk(defines[name]) if isinstance(n, ast.Name)}
        queue += sorted(used - wanted)
    kept = []
    for node in tree.body:
        if not _definition_names(node) & wanted:
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):  # only the names used, one by one
            aliases = [a for a in node.names if (a.asname or a.name).split(".")[0] in wanted]
            for alias in sorted(aliases, key=lambda a: a.asname or a.name):
                if isinstance(node, ast.ImportFrom):
                    kept.append(ast.ImportFrom(node.module, [alias], node.level))
                else:
                    kept.append(ast.Import([alias]))
        else:
            kept.append(node)
    return kept


def source_version(specs: Sequence[str], root: str | Path | None = None) -> str:
    """SHA-256 (hex) of the code that ``specs`` name, docstrings and comments left out.

    A spec is a module or package (``"ganaug.data"``: every module below it) or top-level
    definitions of one module (``"ganaug.experiment.units:seed_splits"``: that function and,
    transitively, every top-level name of its module that it uses). ``root`` is the folder that
    holds ``ganaug`` (default: this installation), so the version of an older commit's code
    can be computed from a copy of its tree. Editing code that a spec covers changes the hash;
    editing a docstring, a comment or code outside the specs does not.

    Examples
    --------
    >>> source_version(["ganaug.experiment.units:seed_splits"]) == source_version(
    ...     ["ganaug.experiment.units:seed_splits"])
    True
    >>> source_version(["ganaug.data"]) != source_version(["ganaug.data", "ganaug.gan"])
    True
    >>> source_version(["ganaug.experiment.units:no_such_function"])
    Traceback (most recent call last):
    ...
    ValueError: no top-level definition of ['no_such_function'] in ganaug.experiment.units
    """
    if isinstance(specs, str) or not specs:
        raise ValueError(f"specs must be a non-empty list of names, got {specs!r}")
    root = Path(root) if root is not None else Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for spec in sorted(set(specs)):
        module, _, names = spec.partition(":")
        for path in _module_file(module, root):
            tree = _strip_docstrings(ast.parse(path.read_text()))
            if names:
                wanted = {name.strip() for name in names.split(",")}
                try:
                    tree = ast.Module(body=_definitions(tree, wanted), type_ignores=[])
                except ValueError as error:
                    raise ValueError(f"{error} in {module}") from None
            name = path.relative_to(root).as_posix()
            digest.update(f"{name}:{names}".encode() + b"\0" + ast.dump(tree).encode() + b"\0")
    return digest.hexdigest()
