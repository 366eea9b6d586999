"""The notebook tooling: solution stripping, student editions and header cells."""

import nbformat
import pytest

from ganaug.teaching.notebooks import (
    HEADER_TAG,
    header_cells,
    strip_solution,
    student_edition,
    with_header,
)

URL, BRANCH = "https://github.com/example/book", "main"


def test_strip_keeps_code_outside_and_stub_indentation():
    source = (
        "x = 1\nif x:\n    # BEGIN SOLUTION\n    # STUB y = None\n    y = 2\n    # END SOLUTION\nz"
    )
    assert strip_solution(source) == "x = 1\nif x:\n    # YOUR CODE HERE\n    y = None\nz"


@pytest.mark.parametrize("source", ["# BEGIN SOLUTION\nx = 1", "x = 1\n# END SOLUTION"])
def test_unbalanced_markers_are_errors(source):
    with pytest.raises(ValueError, match="without"):
        strip_solution(source)


def _solutions_notebook():
    cells = [
        nbformat.v4.new_markdown_cell("# Exercises"),
        nbformat.v4.new_markdown_cell("```{exercise}\n:label: ex-a\nDo it.\n```"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-a\n:class: dropdown\n```"),
        nbformat.v4.new_markdown_cell("The secret explanation."),
        nbformat.v4.new_code_cell(
            "# BEGIN SOLUTION\n# STUB answer = None\nanswer = 42\n# END SOLUTION"
        ),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        nbformat.v4.new_code_cell("check(answer)"),
    ]
    cells[4].outputs = [nbformat.v4.new_output("stream", text="42")]
    return nbformat.v4.new_notebook(cells=cells)


def test_student_edition_hides_solutions_and_keeps_the_exercise():
    student = student_edition(_solutions_notebook(), "exercises/01_x.ipynb", URL, BRANCH)
    text = nbformat.writes(student)
    assert "42" not in text and "secret" not in text and "solution-start" not in text
    assert "answer = None" in text and "{exercise}" in text and "check(answer)" in text
    assert "exercises/01_x.ipynb" in student.cells[1].source  # the badge follows the title
    assert all(c.outputs == [] for c in student.cells if c.cell_type == "code")


@pytest.mark.parametrize(
    "source",
    [
        "# BEGIN SOLUTION\n# STUB\nanswer = 42\n# END SOLUTION",  # a bare STUB
        "# STUB answer = None\nanswer = 42",  # a STUB outside a block
    ],
)
def test_misplaced_stub_lines_are_errors_not_silently_dropped_or_copied(source):
    with pytest.raises(ValueError, match="STUB"):
        strip_solution(source)


def test_a_solution_cell_without_markers_is_an_error():
    notebook = _solutions_notebook()
    notebook.cells[4].source = "answer = 42"  # inside {solution-start} ... {solution-end}
    with pytest.raises(ValueError, match="BEGIN SOLUTION"):
        student_edition(notebook, "exercises/01_x.ipynb", URL, BRANCH)


def test_no_marker_reaches_the_student_edition():
    student = student_edition(_solutions_notebook(), "exercises/01_x.ipynb", URL, BRANCH)
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    assert "# BEGIN SOLUTION" not in code and "# STUB" not in code and "# END" not in code


def test_a_solutions_notebook_badge_opens_the_student_editions_colab_edition():
    notebook = with_header(_solutions_notebook(), "exercises/solutions/01_x.ipynb", URL, BRANCH)
    badge = notebook.cells[1].source
    assert "/blob/main/colab/exercises/01_x.ipynb)" in badge and "solutions/01_x" not in badge


def test_student_edition_links_lessons_from_its_own_folder():
    notebook = _solutions_notebook()
    notebook.cells[
        0
    ].source = "# Exercises\n\nOn {doc}`../../lessons/01_x` and {doc}`a <../../book/s>`."
    student = student_edition(notebook, "exercises/01_x.ipynb", URL, BRANCH)
    assert "{doc}`../lessons/01_x`" in student.cells[0].source
    assert "{doc}`a <../book/s>`" in student.cells[0].source


def test_notebooks_ask_colab_for_a_gpu():
    notebook = with_header(_solutions_notebook(), "lessons/01_x.ipynb", URL, BRANCH)
    assert notebook.metadata["accelerator"] == "GPU"


def test_header_cells_install_only_on_colab():
    badge, install = header_cells("lessons/01_data.ipynb", URL, BRANCH)
    assert HEADER_TAG in badge.metadata["tags"] and "hide-cell" in install.metadata["tags"]
    assert (
        "colab.research.google.com/github/example/book/blob/main/colab/lessons/01_data.ipynb"
        in (badge.source)
    )
    assert install.source.index('if "google.colab" in sys.modules:') < install.source.index("%pip")
    assert install.source.rstrip().endswith('setup_colab("lessons/01_data")')
