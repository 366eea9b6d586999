"""The command line."""

import os
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


def test_reproduce_refuses_an_out_that_is_a_file(tmp_path, capsys):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n")
    assert main(["reproduce", "--profile", "smoke", "--out", str(existing)]) == 2
    error = capsys.readouterr().err
    assert str(existing) in error and "is a file" in error and "Traceback" not in error
    assert existing.read_text() == "keep me\n"  # nothing written over it


def test_report_only_on_an_empty_results_csv_names_the_path(tmp_path, capsys):
    (tmp_path / "results.csv").write_text("")
    assert main(["reproduce", "--out", str(tmp_path), "--report-only"]) == 2
    error = capsys.readouterr().err
    assert str(tmp_path / "results.csv") in error and "empty" in error
    assert not (tmp_path / "report.md").exists()


def test_build_key_prints_the_key_the_book_build_uses(capsys, tmp_path):
    from ganaug.teaching.build import build_inputs, build_key

    assert main(["build-key", "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    assert f"key: {build_key(build_inputs(ROOT, os.environ))}" in out and "results:" in out
    assert main(["build-key", "--root", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err
