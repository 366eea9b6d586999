"""TensorFlow's C++ start-up lines reach neither the command line nor a notebook (its outputs or
the terminal of the process that runs it); real errors and warnings still do.

See ganaug.common.quiet."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from conftest import ROOT

#: What TensorFlow 2.x prints on start-up on a CPU machine, when nothing stops it.
NOISE = re.compile(
    r"oneDNN custom operations|Could not find cuda drivers|cuInit|absl::InitializeLog"
    r"|cpu_feature_guard|^[IWE]\d{4} \d\d:\d\d:",
    re.MULTILINE,
)

RUN_NOTEBOOK = """
import json, sys
import nbformat
from nbclient import NotebookClient
notebook = nbformat.v4.new_notebook()
notebook.cells = [nbformat.v4.new_code_cell(source) for source in json.loads(sys.argv[1])]
NotebookClient(notebook, kernel_name="python3", timeout=300).execute()
print(json.dumps([output for cell in notebook.cells for output in cell.outputs]))
"""


def environment() -> dict[str, str]:
    """This process's environment without a log level: the library's own defaults apply."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TF_CPP_", "ABSL_"))}


def test_the_command_line_prints_its_error_and_no_start_up_lines(tmp_path):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me\n")
    command = [sys.executable, "-m", "ganaug", "reproduce", "--profile", "smoke", "--out",
               str(existing)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=environment(), cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("error: ")
    ], result.stderr
    assert "is a file" in result.stderr and not NOISE.search(result.stdout + result.stderr)


def test_a_notebook_shows_its_warning_and_no_start_up_lines():
    cells = [
        "import ganaug\nimport tensorflow as tf\nprint(float(tf.reduce_sum(tf.ones(3))))",
        'import warnings\nwarnings.warn("a real warning")',
    ]
    command = [sys.executable, "-c", RUN_NOTEBOOK, json.dumps(cells)]
    result = subprocess.run(command, capture_output=True, text=True, env=environment(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout.strip().splitlines()[-1])
    shown = "".join(output.get("text", "") for output in outputs)
    assert "3.0" in shown and "UserWarning: a real warning" in shown
    assert not NOISE.search(shown), shown  # not in the notebook, so not on its page
    assert not NOISE.search(result.stderr), result.stderr  # nor in the terminal running it
