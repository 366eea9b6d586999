"""Ruff lint and format over the whole repository (library, tests, notebooks)."""

import subprocess
import sys

from conftest import ROOT


def run_ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args, str(ROOT)], capture_output=True,
                          text=True, cwd=ROOT)  # fmt: skip


def test_ruff_check():
    result = run_ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    result = run_ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
