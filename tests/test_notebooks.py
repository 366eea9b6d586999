"""The committed notebooks: no outputs, in step with their generator, in the book, and every
exercise with a solution and a check.

(The lessons and solutions notebooks run in the book build, ``make book-check``: see
test_book.py. Every check is proven to reject its blank exercise and accept its solution in the
Colab-like check, ``make colab-check``, where the student editions run as students run them:
see tests/colab_like.py.)
"""

from __future__ import annotations

import re

import nbformat
import pytest
import yaml

from conftest import ROOT
from ganaug.teaching.editions import edition_path
from ganaug.teaching.notebooks import HEADER_TAG, repository, sync

NOTEBOOKS = sorted(ROOT.glob("lessons/*.ipynb")) + sorted(ROOT.glob("exercises/**/*.ipynb"))
EDITIONS = sorted(ROOT.glob("colab/*/*.ipynb"))
#: The pages' notebooks: chapters (NN_topic) and appendices (appendix_topic).
PAGES = ("[0-9][0-9]_*.ipynb", "appendix_*.ipynb")
STUDENT = sorted(p for pattern in PAGES for p in ROOT.glob(f"exercises/{pattern}"))
SOLUTIONS = sorted(p for pattern in PAGES for p in ROOT.glob(f"exercises/solutions/{pattern}"))


def ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


def test_there_are_notebooks():
    assert STUDENT and SOLUTIONS and len(STUDENT) == len(SOLUTIONS)


@pytest.mark.parametrize("path", NOTEBOOKS + EDITIONS, ids=ids(NOTEBOOKS + EDITIONS))
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_headers_and_student_editions_are_in_step():
    stale = sync(ROOT, check_only=True)
    assert stale == [], f"run `python -m ganaug notebooks`; stale: {ids(stale)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_colab_badge_points_at_the_notebook_readers_should_get(path):
    """A lesson's or student edition's badge opens its Colab edition; a solutions notebook's
    badge opens its student edition's, so no path from the book leads a student to the answers."""
    url, branch = repository(ROOT)
    header = [c for c in nbformat.read(path, 4).cells if HEADER_TAG in c.metadata.get("tags", [])]
    relative = edition_path(path.relative_to(ROOT).as_posix())
    assert (ROOT / relative).is_file()
    github = url.removeprefix("https://github.com/")
    assert f"{github}/blob/{branch}/{relative})" in header[0].source
    assert "/solutions/" not in re.search(r"\]\((https://colab[^)]*)\)", header[0].source)[1]
    assert 'if "google.colab" in sys.modules:' in header[1].source


def test_every_lesson_and_solution_is_in_the_table_of_contents():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    lessons = [p for pattern in PAGES for p in ROOT.glob(f"lessons/{pattern}")]
    wanted = {p.relative_to(ROOT).with_suffix("").as_posix() for p in [*lessons, *SOLUTIONS]}
    assert wanted <= files, wanted - files


@pytest.mark.parametrize("path", SOLUTIONS, ids=ids(SOLUTIONS))
def test_each_exercise_has_a_solution_and_a_check(path):
    cells = nbformat.read(path, 4).cells
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    exercises = re.findall(r"\{exercise\}\n:label: (\S+)", text)
    starts = re.findall(r"\{solution-start\} (\S+)", text)
    checks = [c for c in cells if "check" in c.metadata.get("tags", [])]
    assert len(exercises) >= 3 and exercises == starts and len(checks) == len(exercises)
