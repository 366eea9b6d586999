"""Keeping the book's notebooks in shape: Colab header cells, stripped outputs, student editions.

The repository URL lives only in ``_config.yml``; the Colab badge and the install cell of every
notebook are generated from it. The student edition of an exercise notebook is generated from its
solutions notebook (``exercises/solutions/NN_topic.ipynb`` -> ``exercises/NN_topic.ipynb``):

- markdown cells from ``{solution-start}`` to ``{solution-end}`` (both included) are dropped,
  except code cells between them;
- in every code cell, the lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` become
  ``# YOUR CODE HERE`` followed by each ``# STUB <code>`` line of that block, as ``<code>``.

Nothing is copied or dropped silently: a code cell inside a solution that has no
``# BEGIN SOLUTION`` block, a bare ``# STUB`` line, or a ``# STUB`` line outside a block is an
error, so a solution cannot leak into the student edition and no marker reaches a reader.
Every lesson and student edition asks Colab for a GPU runtime (notebook metadata) and starts
with the Colab cell of :func:`header_cells`. Each lesson and student edition also has a Colab and
Jupyter edition without raw MyST (``colab/lessons/``, ``colab/exercises/``; see
:mod:`ganaug.teaching.editions`), and every badge opens one: a solutions notebook's badge opens
its student edition's.

Run ``python -m ganaug notebooks`` after editing a notebook; the tests fail when a committed
notebook differs from what this module makes of it.
"""

from __future__ import annotations

import copy
import posixpath
import re
from pathlib import Path

from ganaug.teaching.editions import edition, edition_path, read_book

HEADER_TAG = "ganaug-header"
COLAB = "https://colab.research.google.com/github"
BEGIN, END, STUB = "# BEGIN SOLUTION", "# END SOLUTION", "# STUB"
NOTEBOOK_DIRS = ("lessons", "exercises/solutions")
#: The notebooks of those folders that are pages: the chapters and the appendices.
PAGE_PATTERNS = ("[0-9][0-9]_*.ipynb", "appendix_*.ipynb")


def repository(root: Path) -> tuple[str, str]:
    """``(url, branch)`` of the repository, read from ``_config.yml``."""
    import yaml

    settings = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    return settings["url"].rstrip("/"), settings.get("branch", "main")


def colab_url(relative_path: str, url: str, branch: str) -> str:
    """The Colab address that opens ``relative_path`` of the repository.

    Examples
    --------
    >>> colab_url("lessons/01_data.ipynb", "https://github.com/o/r", "main")
    'https://colab.research.google.com/github/o/r/blob/main/lessons/01_data.ipynb'
    """
    return f"{COLAB}/{url.removeprefix('https://github.com/')}/blob/{branch}/{relative_path}"


def student_path(relative_path: str) -> str:
    """Where a notebook's readers should land: a solutions notebook's student edition.

    Examples
    --------
    >>> student_path("exercises/solutions/02_cnn.ipynb"), student_path("lessons/02_cnn.ipynb")
    ('exercises/02_cnn.ipynb', 'lessons/02_cnn.ipynb')
    """
    return relative_path.replace("exercises/solutions/", "exercises/", 1)


def header_cells(relative_path: str, url: str, branch: str) -> list:
    """The Colab badge and the Colab set-up cell for the notebook at ``relative_path``.

    The badge opens the notebook's Colab edition (a solutions notebook's: its student
    edition's). The set-up cell installs ganaug only on Colab, then
    :func:`ganaug.teaching.colab.setup_colab` picks profile and data there.
    """
    import nbformat

    target = edition_path(relative_path)
    badge_text = (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"({colab_url(target, url, branch)})"
    )
    if "solutions/" in relative_path:
        badge_text += " opens these exercises without the solutions (the student edition)."
    badge = nbformat.v4.new_markdown_cell(badge_text)
    install = nbformat.v4.new_code_cell(
        "# On Google Colab: install ganaug, then choose the profile and the data. Everywhere:\n"
        "# how long this page takes, and which study folder it reads (the book's setup page).\n"
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install --quiet "ganaug @ git+{url}@{branch}"\n'
        "from ganaug.teaching.colab import setup_colab\n\n"
        f'setup_colab("{student_path(relative_path).removesuffix(".ipynb")}")'
    )
    for cell, tags in ((badge, [HEADER_TAG]), (install, [HEADER_TAG, "hide-cell"])):
        cell.metadata["tags"] = tags
    return [badge, install]


def clean(notebook) -> None:
    """Strip outputs, execution counts and cell ids in place (cell ids are regenerated)."""
    for cell in notebook.cells:
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.nbformat_minor = 4  # no cell ids, so the files stay byte-stable
    notebook.metadata.pop("widgets", None)
    notebook.metadata.pop("language_info", None)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    notebook.metadata["accelerator"] = "GPU"  # Colab opens it on a GPU runtime where it can
    notebook.metadata["colab"] = {"gpuType": "T4", "provenance": []}


def with_header(notebook, relative_path: str, url: str, branch: str):
    """A copy of ``notebook`` with fresh header cells after its title cell."""
    result = copy.deepcopy(notebook)
    body = [c for c in result.cells if HEADER_TAG not in c.metadata.get("tags", [])]
    result.cells = body[:1] + header_cells(relative_path, url, branch) + body[1:]
    clean(result)
    return result


def strip_solution(source: str) -> str:
    """Replace each ``# BEGIN SOLUTION`` ... ``# END SOLUTION`` block by its stub.

    A bare ``# STUB`` line, or a ``# STUB`` line outside a block, raises ``ValueError``.

    Examples
    --------
    >>> code = "def f(x):\\n    # BEGIN SOLUTION\\n    # STUB return None\\n    return 2 * x\\n"
    >>> print(strip_solution(code + "    # END SOLUTION"))
    def f(x):
        # YOUR CODE HERE
        return None
    """
    lines, output, inside, indent = source.split("\n"), [], False, ""
    for line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            output.append(f"{indent}# YOUR CODE HERE")
        elif stripped == END:
            if not inside:
                raise ValueError(f"'{END}' without '{BEGIN}' in:\n{source}")
            inside = False
        elif stripped == STUB or (stripped.startswith(STUB + " ") and not inside):
            where = "with no code after it" if stripped == STUB else f"outside a '{BEGIN}' block"
            raise ValueError(f"'{STUB}' line {where} in:\n{source}\nwrite '{STUB} <code>' inside")
        elif inside and stripped.startswith(STUB + " "):
            output.append(line[: len(line) - len(line.lstrip())] + stripped[len(STUB) + 1 :])
        elif not inside:
            output.append(line)
    if inside:
        raise ValueError(f"'{BEGIN}' without '{END}' in:\n{source}")
    return "\n".join(output)


def fill_solution(source: str) -> str:
    """``source`` with its solution blocks' markers and stub lines dropped and their code kept:
    what a student's cell reads once the exercise is done (:func:`strip_solution`'s opposite).

    Examples
    --------
    >>> code = "def f(x):\\n    # BEGIN SOLUTION\\n    # STUB return None\\n    return 2 * x\\n"
    >>> print(fill_solution(code + "    # END SOLUTION"))
    def f(x):
        return 2 * x
    """
    strip_solution(source)  # the same errors for a malformed block
    kept = [
        line
        for line in source.split("\n")
        if line.strip() not in (BEGIN, END) and not line.strip().startswith(STUB)
    ]
    return "\n".join(kept)


def student_edition(solutions, relative_path: str, url: str, branch: str, filled: bool = False):
    """The student edition made from a solutions notebook; with ``filled``, the same edition
    with every exercise cell completed by its solution (:func:`fill_solution`), as a student
    who finished it would run it."""
    import nbformat

    result = copy.deepcopy(solutions)
    cells, in_solution = [], False
    for cell in result.cells:
        if HEADER_TAG in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown" and re.search(r"\{solution-start\}", cell.source):
            in_solution = True
            continue
        if cell.cell_type == "markdown" and re.search(r"\{solution-end\}", cell.source):
            in_solution = False
            continue
        if cell.cell_type == "markdown" and in_solution:
            continue
        if cell.cell_type == "code":
            if in_solution and BEGIN not in cell.source:
                raise ValueError(
                    "a code cell inside a solution has no '# BEGIN SOLUTION' block, so the "
                    f"student edition would show the answer; mark it:\n{cell.source}"
                )
            cell.source = (fill_solution if filled else strip_solution)(cell.source)
        cells.append(cell)
    note = nbformat.v4.new_markdown_cell(
        "**Student edition.** Fill in every cell marked `# YOUR CODE HERE`, then run the check "
        "below it. The worked solutions are in the book and in "
        f"`{relative_path.replace('exercises/', 'exercises/solutions/')}`."
    )
    result.cells = cells[:1] + [note] + cells[1:]
    for cell in result.cells:  # {doc} paths: relative to exercises/, not exercises/solutions/
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"(\{doc\}`(?:[^`<]*<)?)([^`>]+)", _one_folder_up, cell.source)
    return with_header(result, relative_path, url, branch)


def _one_folder_up(match: re.Match) -> str:
    """A ``{doc}`` path written in ``exercises/solutions/``, as seen from ``exercises/``."""
    path = match[2].strip()
    if path.startswith("/"):
        return match[0]
    target = posixpath.normpath(posixpath.join("exercises/solutions", path))
    return match[1] + posixpath.relpath(target, "exercises")


def expected_notebooks(root: Path) -> dict[Path, str]:
    """Every generated or header-synced notebook and the text it should have."""
    import nbformat

    url, branch = repository(root)
    book = read_book(root, url, branch)
    expected = {}

    def add_edition(notebook, relative: str) -> None:
        target = edition_path(relative)
        made = with_header(edition(notebook, relative, book), target, url, branch)
        expected[root / target] = nbformat.writes(made) + "\n"

    for folder in NOTEBOOK_DIRS:
        for path in sorted(p for pattern in PAGE_PATTERNS for p in (root / folder).glob(pattern)):
            relative = path.relative_to(root).as_posix()
            notebook = with_header(nbformat.read(path, as_version=4), relative, url, branch)
            expected[path] = nbformat.writes(notebook) + "\n"
            if folder == "exercises/solutions":
                relative = f"exercises/{path.name}"
                notebook = student_edition(notebook, relative, url, branch)
                expected[root / relative] = nbformat.writes(notebook) + "\n"
            add_edition(_without_header(notebook), relative)
    return expected


def _without_header(notebook):
    result = copy.deepcopy(notebook)
    result.cells = [c for c in result.cells if HEADER_TAG not in c.metadata.get("tags", [])]
    return result


README_START, README_END = "<!-- colab-links:start -->", "<!-- colab-links:end -->"


def readme_links(root: Path) -> str:
    """The README's list of Colab links, one per lesson and student edition (their editions)."""
    url, branch = repository(root)
    lines = []
    for folder, kind in (("lessons", "lesson"), ("exercises", "exercises")):
        for path in sorted((root / folder).glob("[0-9][0-9]_*.ipynb")):
            relative = edition_path(path.relative_to(root).as_posix())
            lines.append(f"- [{relative}]({colab_url(relative, url, branch)}) ({kind})")
    return "\n".join([README_START, *lines, README_END])


def expected_readme(root: Path) -> str:
    """README.md with its Colab link list regenerated from ``_config.yml``."""
    text = (root / "README.md").read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md needs the markers {README_START} and {README_END}")
    return text[:start] + readme_links(root) + text[end + len(README_END) :]


def sync(root: Path, check_only: bool = False) -> list[Path]:
    """Write every notebook (and the README's link list) that differs from what it should be;
    return the files that differed."""
    changed = []
    expected = expected_notebooks(root)
    expected[root / "README.md"] = expected_readme(root)
    for path, text in expected.items():
        if not path.is_file() or path.read_text() != text:
            changed.append(path)
            if not check_only:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return changed
