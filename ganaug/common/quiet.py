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


#: Lines TensorFlow's C++ runtime writes while it trains, at error level, though nothing failed
#: for the reader: a graph-rewriting pass of Grappler that gives up on a graph (the graph then
#: runs as written). Any other line written to descriptor 2 is passed on.
RUNTIME_NOISE = re.compile(r"meta_optimizer\.cc:\d+\] remapper failed")


def _forward(source: int, target: int, noise: re.Pattern) -> None:
    """Copy lines from descriptor ``source`` to ``target``, dropping those ``noise`` matches;
    a part-line is passed on at once when no more bytes are waiting."""
    pending = b""
    with os.fdopen(source, "rb", buffering=0) as stream:
        while chunk := stream.read(65536):
            pending += chunk
            *lines, pending = pending.split(b"\n")
            kept = [line for line in lines if not noise.search(line.decode(errors="replace"))]
            if kept:
                os.write(target, b"\n".join(kept) + b"\n")
    if pending:
        os.write(target, pending)


def filter_runtime_noise(noise: re.Pattern = RUNTIME_NOISE) -> bool:
    """From now on, drop the lines ``noise`` matches from what this process writes to
    descriptor 2 (C++ code: TensorFlow's runtime), and pass on everything else, real errors and
    warnings included. Python's own ``sys.stderr`` keeps writing straight to where descriptor 2
    went before (a terminal: progress bars stay live). Returns False when it was already on or
    there is no descriptor 2.

    An entry point calls it (the command line, a lesson's set-up cell), never the library.
    """
    global _FILTERING
    if _FILTERING:
        return False
    try:
        original = os.dup(2)
    except OSError:
        return False
    import threading

    with contextlib.suppress(Exception):
        sys.stderr.flush()
    import io

    if isinstance(sys.stderr, io.TextIOWrapper):  # not a notebook's stream
        with contextlib.suppress(Exception):
            if sys.stderr.fileno() == 2:  # a terminal or a file: keep Python's writes direct
                sys.stderr = os.fdopen(os.dup(original), "w", buffering=1, errors="replace")
    read_end, write_end = os.pipe()
    os.dup2(write_end, 2)
    os.close(write_end)
    threading.Thread(target=_forward, args=(read_end, original, noise), daemon=True).start()
    _FILTERING = True
    return True


_FILTERING = False


#: Python warnings that say nothing the reader can act on, each with its reason.
KNOWN_WARNINGS = (
    # A study's feature extractor is reloaded for inference only: its optimizer's state is not
    # needed, and Keras says so on every reload.
    r"Skipping variable loading for optimizer",
)


def quiet_runtime() -> None:
    """What an entry point calls once: :func:`filter_runtime_noise`, and Python's warnings in
    :data:`KNOWN_WARNINGS` ignored (every other warning still shows)."""
    import warnings

    for message in KNOWN_WARNINGS:
        warnings.filterwarnings("ignore", message=message, category=UserWarning)
    filter_runtime_noise()
