"""The command line."""

import subprocess
import sys

from conftest import ROOT
from ganaug.cli import main


def test_info_names_profile_and_folders(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "profile:" in out and "smoke" in out and "cache dir:" in out


def test_notebooks_check_reports_nothing_stale(capsys):
    assert main(["notebooks", "--check", "--root", str(ROOT)]) == 0
    assert "stale" not in capsys.readouterr().out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "ganaug", "--help"], capture_output=True,
                            text=True)  # fmt: skip
    assert result.returncode == 0 and "notebooks" in result.stdout
