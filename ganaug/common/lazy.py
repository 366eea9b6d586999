"""Packages whose public names load their module on first use (PEP 562).

``import ganaug.experiment`` then costs nothing until a name is used, and a page that only reads
the committed CSVs never starts TensorFlow, which only the modules that train import (about six
seconds of CPU a kernel).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping


def lazy_package(
    package: str, exports: Mapping[str, tuple[str, ...]], submodules: tuple[str, ...] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``: each name of ``exports``
    (module -> names) is imported from its module when first used, and so is each submodule;
    ``__all__`` lists the names, then ``submodules`` (the ones it makes public).

    Examples
    --------
    >>> get, names, public = lazy_package("json", {"json.decoder": ("JSONDecodeError",)}, ("tool",))
    >>> get("JSONDecodeError").__name__, "JSONDecodeError" in names(), public
    ('JSONDecodeError', True, ['JSONDecodeError', 'tool'])
    >>> get("tool").__name__
    'json.tool'
    >>> get("nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'json' has no attribute 'nothing'
    """
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> object:
        if name in where:
            value = getattr(importlib.import_module(where[name]), name)
        elif not name.startswith("_") and importlib.util.find_spec(f"{package}.{name}"):
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(where) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, [*where, *submodules]
