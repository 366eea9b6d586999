"""A quiet TensorFlow start-up: its C++ start-up lines never reach a terminal, a log or a page.

TensorFlow 2.21 writes lines such as the oneDNN notice, ``Could not find cuda drivers``,
``failed call to cuInit`` and ``All log messages before absl::InitializeLog() is called are
written to STDERR`` straight to file descriptor 2, from C++, before its logging is set up, so
``TF_CPP_MIN_LOG_LEVEL`` does not stop them and Python cannot catch them. :func:`install` (run
by ``import ganaug``) therefore makes the first ``import tensorflow`` of the process run with
descriptor 2 pointed at a temporary file, probes the devices there too (where ``cuInit`` is
reported), and then writes back every captured line that is not known start-up noise: a real
error or warning during the import still shows, only later than it was written.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile
from collections.abc import Iterator

#: Lines TensorFlow prints while it starts on a machine without (or with) a GPU; nothing else
#: that reaches descriptor 2 during the import is dropped.
NOISE = re.compile(
    r"All log messages before absl::InitializeLog\(\) is called"
    r"|oneDNN custom operations are on"
    r"|Could not find cuda drivers"
    r"|failed call to cuInit"
    r"|cuda_(platform|diagnostics|executor)\.cc"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation_placer\.cc.*already registered"
    r"|TF-TRT Warning: Could not find TensorRT"
    r"|cpu_feature_guard\.cc"
    r"|^To enable the following instructions: .*rebuild TensorFlow"
    r"|^\s*$"
)


def start_up_noise(text: str) -> str:
    """``text`` without TensorFlow's start-up lines (what :func:`quiet_fd2` writes back).

    Examples
    --------
    >>> captured = ("WARNING: All log messages before absl::InitializeLog() is called are "
    ...             "written to STDERR\\nI0000 00:00:1.5 9 port.cc:153] oneDNN custom "
    ...             "operations are on.\\nE0000 00:00:1.6 9 foo.cc:1] disk full\\n")
    >>> start_up_noise(captured)
    'E0000 00:00:1.6 9 foo.cc:1] disk full\\n'
    >>> start_up_noise("")
    ''
    """
    kept = [line for line in text.splitlines(keepends=True) if not NOISE.search(line)]
    return "".join(kept)


@contextlib.contextmanager
def quiet_fd2() -> Iterator[None]:
    """Point descriptor 2 at a temporary file for the block, then write back what was not
    start-up noise (:func:`start_up_noise`) to the real descriptor 2.

    Examples
    --------
    >>> with quiet_fd2():
    ...     _ = os.write(2, b"I0000 00:00:1.5 9 port.cc:153] oneDNN custom operations are on.\\n")
    """
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 (a service without stderr): nothing to keep quiet
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = start_up_noise(captured.read().decode(errors="replace"))
            if kept:
                os.write(2, kept.encode())


class _QuietLoader(importlib.abc.Loader):
    """Runs the real loader of ``tensorflow`` inside :func:`quiet_fd2`."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        with quiet_fd2():
            self.loader.exec_module(module)
            module.__loader__ = module.__spec__.loader = self.loader
            with contextlib.suppress(Exception):  # where CUDA is probed (cuInit)
                module.config.list_physical_devices()


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds ``tensorflow`` once, with its loader wrapped in :class:`_QuietLoader`."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


def install() -> None:
    """Make the process's first ``import tensorflow`` quiet (nothing to do once it is imported).

    Examples
    --------
    >>> install()
    >>> sum(isinstance(finder, _QuietFinder) for finder in sys.meta_path) <= 1
    True
    """
    if "tensorflow" in sys.modules or any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _QuietFinder())
