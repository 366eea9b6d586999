"""The Colab-like check's own judgement (tests/colab_like.py): what makes an edition fail."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests"))
import colab_like  # noqa: E402


def executed(*outputs: str):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in outputs]
    notebook.cells = [nbformat.v4.new_markdown_cell("The share is {glue:text}`share`."), cell]
    return notebook


def test_a_glued_value_must_be_printed_as_glue_prints_it():
    assert colab_like.names_not_printed(executed("Values for the text below:\nshare: 25%\n"),
                                        ["share"]) == []  # fmt: skip
    assert colab_like.names_not_printed(executed("the share is 25%\n"), ["share"]) == ["share"]


def test_tensorflow_noise_in_an_output_is_found():
    clean = executed("epoch 1  loss 0.5\n")
    noisy = executed("epoch 1\nWARNING:tensorflow:5 out of the last 5 calls to <function f> "
                     "triggered tf.function retracing. Tracing is expensive\n")  # fmt: skip
    assert colab_like.noise_printed(clean) is None
    assert "triggered tf.function retracing" in colab_like.noise_printed(noisy)


def test_the_pages_glued_names_come_from_the_book_source():
    names = colab_like.glued_names(ROOT / "lessons" / "01_data.ipynb")
    assert names and all(n.isidentifier() for n in names)


def test_the_snapshot_carries_untracked_files_and_installs_from_git(tmp_path):
    url = colab_like.snapshot(ROOT, tmp_path)
    assert url == f"git+file://{tmp_path}@main"
    listed = subprocess.run(["git", "ls-files"], cwd=tmp_path, capture_output=True, text=True)
    assert "setup.py" in listed.stdout.split() and "results/book/results.csv" in listed.stdout
