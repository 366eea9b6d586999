"""An entry point's quiet: TensorFlow's known runtime noise is dropped, real errors and
warnings still get through (in a separate process, as a terminal sees it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )


def test_known_noise_is_dropped_and_real_errors_and_warnings_get_through():
    done = run(
        """
        import os, sys, time, warnings
        from ganaug.common.quiet import quiet_runtime
        quiet_runtime()
        os.write(2, b"E0000 00:00:1.1 9 meta_optimizer.cc:967] remapper failed: x\\n")
        os.write(2, b"E0000 00:00:1.2 9 foo.cc:1] disk full\\n")
        warnings.warn("Skipping variable loading for optimizer x", UserWarning)
        warnings.warn("a real warning the reader must see", UserWarning)
        print("progress", file=sys.stderr)
        time.sleep(0.5)
        """
    )
    assert done.returncode == 0, done.stderr
    assert "remapper failed" not in done.stderr
    assert "Skipping variable loading" not in done.stderr
    for shown in ("foo.cc:1] disk full", "a real warning the reader must see", "progress"):
        assert shown in done.stderr


def test_without_the_entry_point_nothing_is_filtered():
    done = run(
        """
        import os
        import ganaug
        os.write(2, b"E0000 meta_optimizer.cc:967] remapper failed: x\\n")
        """
    )
    assert "remapper failed" in done.stderr
