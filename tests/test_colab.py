"""The Colab set-up, run as on Colab: a stand-in ``google.colab`` module in ``sys.modules``."""

from __future__ import annotations

import os
import re
import sys
import types

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient

from conftest import ROOT
from ganaug.teaching import colab
from ganaug.teaching.colab import METADATA, setup_colab
from ganaug.teaching.notebooks import HEADER_TAG, header_cells, repository

URL, BRANCH = "https://github.com/example/book", "main"


#: GANAUG_DATA_DIR when this module was imported, before any of its tests ran.
ENVIRONMENT_BEFORE = os.environ.get("GANAUG_DATA_DIR")


@pytest.fixture
def on_colab(monkeypatch):
    """Pretend to be on Colab, with no profile or data chosen yet."""
    google = types.ModuleType("google")
    google.colab = types.ModuleType("google.colab")
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    for name in ("GANAUG_PROFILE", "GANAUG_DATA_DIR"):
        # setenv first, so monkeypatch records the value before (even "unset") and restores it:
        # setup_colab() writes os.environ itself, and a leak would reach every later test.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return monkeypatch


def test_does_nothing_off_colab(monkeypatch, capsys):
    monkeypatch.setenv("GANAUG_PROFILE", "smoke")
    assert setup_colab(find_gpu=lambda: "should not be asked") is None
    assert capsys.readouterr().out == "" and colab.on_colab() is False


def test_gpu_runtime_gets_the_full_profile_and_dermamnist(on_colab, tmp_path, capsys):
    chosen = setup_colab(drive_root=tmp_path, find_gpu=lambda: "Tesla T4")
    out = capsys.readouterr().out
    assert chosen.profile == "full" and chosen.gpu == "Tesla T4"
    assert "GANAUG_DATA_DIR" not in os.environ
    assert "DermaMNIST" in out and "leaks" in out and "Tesla T4" in out


def test_without_a_gpu_it_says_how_to_get_one(on_colab, tmp_path, capsys):
    chosen = setup_colab(drive_root=tmp_path, find_gpu=lambda: None)
    assert chosen.profile == "book" and chosen.gpu is None
    assert "Change runtime type" in capsys.readouterr().out


def test_a_ham10000_folder_on_drive_is_used(on_colab, tmp_path, capsys):
    folder = tmp_path / "HAM10000"
    folder.mkdir()
    (folder / METADATA).write_text("lesion_id,image_id,dx\n")
    chosen = setup_colab(drive_root=tmp_path, find_gpu=lambda: None)
    assert str(folder) in chosen.data and "Google Drive" in capsys.readouterr().out
    assert os.environ["GANAUG_DATA_DIR"] == str(folder)


def test_choices_made_before_are_kept(on_colab, tmp_path, capsys):
    on_colab.setenv("GANAUG_PROFILE", "smoke")
    on_colab.setenv("GANAUG_DATA_DIR", str(tmp_path))
    chosen = setup_colab(drive_root=tmp_path, find_gpu=lambda: "Tesla T4")
    assert chosen.profile == "smoke" and str(tmp_path) in chosen.data
    assert capsys.readouterr().out.count("was set before") == 2


def _run_header_cell(monkeypatch, source: str | None = None):
    """Run the generated set-up cell (or ``source``) as IPython would, recording %pip instead of
    installing."""
    if source is None:
        source = header_cells("lessons/01_data.ipynb", URL, BRANCH)[1].source
    calls = []
    shell = types.SimpleNamespace(run_line_magic=lambda name, line: calls.append((name, line)))
    code = TransformerManager().transform_cell(source)
    exec(compile(code, "header", "exec"), {"get_ipython": lambda: shell})
    return calls


def test_the_header_cell_installs_and_sets_up_only_on_colab(on_colab, tmp_path, capsys):
    on_colab.setattr(colab, "DRIVE_ROOT", tmp_path)
    on_colab.setattr(colab, "gpu_name", lambda: "Tesla T4")
    calls = _run_header_cell(on_colab)
    assert calls and calls[0][0] == "pip" and f"git+{URL}@{BRANCH}" in calls[0][1]
    assert "profile: full" in capsys.readouterr().out


def test_the_header_cell_off_colab_installs_nothing(monkeypatch, capsys):
    monkeypatch.setattr(colab, "gpu_name", lambda: None)
    assert _run_header_cell(monkeypatch) == []
    out = capsys.readouterr().out
    assert out.startswith("Expected run time") and "profile:" not in out


@pytest.mark.parametrize(
    "path",
    [
        *sorted(ROOT.glob("lessons/[0-9][0-9]_*.ipynb")),
        *sorted(ROOT.glob("exercises/[0-9][0-9]_*.ipynb")),
        *sorted(ROOT.glob("colab/*/[0-9][0-9]_*.ipynb")),
    ],  # fmt: skip
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_every_notebook_asks_colab_for_a_gpu_and_starts_with_the_setup(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("accelerator") == "GPU"
    setup = [c for c in notebook.cells if HEADER_TAG in c.metadata.get("tags", [])][1]
    page = path.relative_to(ROOT).as_posix().removesuffix(".ipynb")
    assert f'setup_colab("{page}")' in setup.source


EDITIONS = sorted(ROOT.glob("colab/*/[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_edition_installs_and_chooses_profile_and_data_on_colab(on_colab, tmp_path, capsys,
                                                                      path):  # fmt: skip
    url, branch = repository(ROOT)
    (tmp_path / "HAM10000").mkdir()
    (tmp_path / "HAM10000" / METADATA).write_text("lesion_id,image_id,dx\n")
    on_colab.setattr(colab, "DRIVE_ROOT", tmp_path)
    on_colab.setattr(colab, "gpu_name", lambda: "Tesla T4")
    cells = nbformat.read(path, as_version=4).cells
    setup = [c for c in cells if HEADER_TAG in c.metadata.get("tags", [])][1]
    assert cells.index(setup) <= 3, "the set-up cell comes first, after the title and badge"
    calls = _run_header_cell(on_colab, setup.source)
    assert calls == [("pip", f'install --quiet "ganaug @ git+{url}@{branch}"')]
    out = capsys.readouterr().out
    assert "profile: full (GPU: Tesla T4)" in out and "HAM10000 from your Google Drive" in out


#: First cell of the kernel run below: Colab as the tests see it (no GPU, no Drive folder,
#: nothing chosen yet), %pip recorded instead of run.
COLAB_PRELUDE = """
import os, sys, types
from pathlib import Path
from IPython.core.magic import register_line_magic

import google  # the namespace package of protobuf, which TensorFlow needs; Colab's beside it

google.colab = sys.modules["google.colab"] = types.ModuleType("google.colab")
for name in ("GANAUG_PROFILE", "GANAUG_DATA_DIR", "GANAUG_BOOK_BUILD"):
    os.environ.pop(name, None)

@register_line_magic
def pip(line):
    print("recorded %pip " + line)

from ganaug.teaching import colab
colab.gpu_name = lambda: None
colab.DRIVE_ROOT = Path({drive!r})
"""


def test_a_lesson_edition_runs_on_colab_and_prints_the_values_its_text_names(tmp_path):
    """The first cells of chapter 1's edition, in a kernel: set-up, profile, data, and the
    values its first paragraph with glued numbers names."""
    path = ROOT / "colab" / "lessons" / "01_data.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first_glue = next(i for i, c in enumerate(notebook.cells) if "glue_all(" in c.source)
    prose = [c.source for c in notebook.cells[first_glue:] if c.cell_type == "markdown"]
    names = re.findall(r"\*\*`(\w+)`\*\*", prose[0])
    prelude = nbformat.v4.new_code_cell(COLAB_PRELUDE.format(drive=str(tmp_path)))
    notebook.cells = [prelude] + notebook.cells[: first_glue + 1]
    NotebookClient(notebook, timeout=300,
                   resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
    out = "\n".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code"
                    for o in c.outputs)  # fmt: skip
    url, branch = repository(ROOT)
    assert f'recorded %pip install --quiet "ganaug @ git+{url}@{branch}"' in out
    assert "profile: book, because no GPU is attached" in out and "data: DermaMNIST" in out
    assert "Values for the text below:" in out and names
    for name in names:
        assert re.search(rf"^{name}: \S", out, re.MULTILINE), f"{name} is not printed:\n{out}"


def test_the_colab_tests_leave_the_environment_as_they_found_it():
    # Runs after the tests above (file order): none of their settings may leak into later tests.
    assert os.environ.get("GANAUG_PROFILE") == "smoke"
    assert os.environ.get("GANAUG_DATA_DIR") == ENVIRONMENT_BEFORE


def test_the_study_folders_a_page_names_are_those_it_reads():
    """setup_colab names the study folders of a page (colab.STUDY_FOLDERS): every page that
    reads one is listed, with the folders its calls read, and no other page is."""
    calls = {
        "results/book": re.compile(r"results_dir\(|load_results\("),
        "results/gan_search/book": re.compile(r"search_dir\("),
        "results/gan_curve/book": re.compile(r"curve_dir\("),
        "results/real_reference/book": re.compile(r"load_real_reference\(|real_reference_dir\("),
        "results/run_to_run/book": re.compile(r"load_runs\(|run_to_run_dir\("),
    }
    pages = sorted(ROOT.glob("lessons/*.ipynb")) + sorted(ROOT.glob("exercises/solutions/*.ipynb"))
    for path in pages:
        page = path.relative_to(ROOT).as_posix().removesuffix(".ipynb").replace("solutions/", "")
        code = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
        )
        read = {folder for folder, call in calls.items() if call.search(code)}
        assert read == set(colab.STUDY_FOLDERS.get(page, ())), page


def test_setup_colab_fetches_ham10000_from_kaggle_with_a_token(on_colab, tmp_path, capsys):
    on_colab.setenv("KAGGLE_USERNAME", "student")
    on_colab.setenv("KAGGLE_KEY", "secret")

    asked = []
    chosen = setup_colab(
        drive_root=tmp_path, find_gpu=lambda: None, fetch=lambda t: asked.append(t) or t
    )
    assert asked == [colab.KAGGLE_FOLDER] and os.environ["GANAUG_DATA_DIR"] == str(
        colab.KAGGLE_FOLDER
    )
    assert "HAM10000 from Kaggle" in chosen.data and "DermaMNIST" not in chosen.data


def test_a_failed_kaggle_fetch_falls_back_to_dermamnist_and_says_why(on_colab, tmp_path, capsys):
    on_colab.setenv("KAGGLE_USERNAME", "student")
    on_colab.setenv("KAGGLE_KEY", "secret")

    def refuse(target):
        raise ValueError("Kaggle refused the download (403 - Forbidden)")

    chosen = setup_colab(drive_root=tmp_path, find_gpu=lambda: None, fetch=refuse)
    assert "GANAUG_DATA_DIR" not in os.environ
    assert "DermaMNIST" in chosen.data and "403 - Forbidden" in chosen.data
