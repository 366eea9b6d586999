"""Ruff lint and format over the whole repository (library, tests, notebooks)."""

import shutil
import subprocess
import sys
from pathlib import Path

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


def lint_imports(root, env=None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(script), "--no-cache"], capture_output=True, text=True, cwd=root, env=env
    )


def test_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_import_contracts_catch_a_cycle_and_a_layer_breach(tmp_path):
    """The contracts can fail: a copy of the library with the old runner <-> ray_engine cycle,
    and one where the data layer imports the classifier, are each refused."""
    import os

    breaches = {
        "cycle": ("experiment/ray_engine.py", "from ganaug.experiment.runner import ENGINES\n"),
        "layer": ("data/core.py", "from ganaug.classifier import build_cnn\n"),
    }
    for name, (module, line) in breaches.items():
        copy = tmp_path / name
        shutil.copytree(
            ROOT / "ganaug", copy / "ganaug", ignore=shutil.ignore_patterns("__pycache__")
        )
        shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
        with open(copy / "ganaug" / module, "a") as stream:
            stream.write(line)
        env = {**os.environ, "PYTHONPATH": str(copy)}
        result = lint_imports(copy, env)
        assert result.returncode != 0, f"{name}: {result.stdout}"
        assert "BROKEN" in result.stdout, result.stdout
