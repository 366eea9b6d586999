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


#: Three exercises: ``answer_k`` must equal ``k``; the blank edition leaves each None.
CHECK = (
    "from ganaug.teaching.exercises import fail\n"
    "def check(k, value):\n"
    "    if value != k:\n"
    "        fail(str(k), f'expected {k}, got {value!r}')\n"
)


def exercise_pair(solution: str = "answer_{k} = {k}", blank: str = "answer_{k} = None",
                  check: str = "check({k}, answer_{k})"):  # fmt: skip
    """A blank and a filled exercise edition, cell for cell (as ``editions`` makes them)."""
    made = {}
    for name, exercise in (("blank", blank), ("filled", solution)):
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_code_cell(CHECK)]
        for k in (1, 2, 3):
            checking = nbformat.v4.new_code_cell(check.format(k=k))
            checking.metadata["tags"] = ["check"]
            notebook.cells += [
                nbformat.v4.new_markdown_cell(f"Exercise {k}"),
                nbformat.v4.new_code_cell(exercise.format(k=k)),
                nbformat.v4.new_code_cell(f"shown_{k} = answer_{k}"),  # runs blank, then filled
                checking,
            ]
        made[name] = notebook
    return colab_like.Exercises(**made)


def work_through(pair, tmp_path) -> str:
    from nbclient import NotebookClient

    client = NotebookClient(pair.filled, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})  # fmt: skip
    client.allow_errors = True
    with client.setup_kernel():
        return colab_like.run_exercises(client, pair)


def test_each_check_must_reject_the_blank_and_accept_the_solution(tmp_path):
    pair = exercise_pair()
    assert work_through(pair, tmp_path) == "passed"
    # the edition kept is the finished one: every check passed on it
    checks = [c for c in pair.filled.cells if "check" in c.metadata.get("tags", [])]
    assert len(checks) == 3 and all(c.outputs == [] and c.execution_count for c in checks)
    assert "answer_3 = 3" in pair.filled.cells[-3].source


def test_a_check_that_accepts_the_blank_exercise_fails_the_edition(tmp_path):
    lenient = exercise_pair(check="check({k}, answer_{k}) if answer_{k} is not None else None")
    assert "did not reject the blank exercise" in work_through(lenient, tmp_path)


def test_a_solution_its_check_rejects_fails_the_edition(tmp_path):
    wrong = exercise_pair(solution="answer_{k} = {k} + 1")
    assert "raised ExerciseCheckError once filled in" in work_through(wrong, tmp_path)


def test_an_edition_whose_blank_is_its_solution_proves_nothing(tmp_path):
    same = exercise_pair(blank="answer_{k} = {k}")
    assert "has no blank exercise above it" in work_through(same, tmp_path)
