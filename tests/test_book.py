"""The book builds under the smoke profile with warnings as errors (-W -n --keep-going), and
every notebook in it runs (one test each: the build executes them, nbmake does not again)."""

import pytest

from tests.book_build import build_book, chapter_label, key_inputs, notebook_pages, toc_pages


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    return build_book(tmp_path_factory)


def test_book_builds_without_warnings(book):
    assert book.returncode == 0, book.log
    for page in toc_pages():
        assert (book.html / f"{page}.html").is_file(), page
    assert "Open In Colab" in (book.html / "lessons" / "01_data.html").read_text()


@pytest.mark.parametrize("page", notebook_pages())
def test_notebook_runs(book, page):
    """What nbmake checked before: the notebook executes without an error (smoke profile)."""
    entry = book.execution["notebooks"].get(page)
    assert entry is not None, f"{page} was not executed by the book build:\n{book.log}"
    assert entry["status"] == "executed", f"{page}: {entry}\n{book.traceback(page)}"


def test_the_build_prints_no_tensorflow_start_up_lines(book):
    """The kernels' start-up lines would reach the terminal of ``make book``."""
    assert book.start_up_lines == []


def test_the_build_changes_nothing_its_pages_depend_on(book):
    """Otherwise every ``make book`` would execute every notebook again (ganaug.teaching.build)."""
    assert book.keys[0] == book.keys[1]
    inputs = key_inputs()
    differ = sorted(n for n in inputs if book.execution.get("inputs", {}).get(n) != inputs[n])
    assert differ == [], f"the build computed other {differ} than this process"
    assert book.execution.get("key") == book.keys[0]


def test_exercise_pages_number_exercises_by_chapter_and_hide_markers(book):
    for page in [p for p in toc_pages() if p.startswith("exercises/solutions/")]:
        html = (book.html / f"{page}.html").read_text()
        chapter = chapter_label(page)
        assert f"Exercise {chapter}.1" in html, page
        assert "BEGIN SOLUTION" not in html and "# STUB" not in html, page


def test_reproducibility_page_lists_versions_and_execution_times(book):
    html = (book.html / "book" / "reproducibility.html").read_text()
    assert "tensorflow" in html and "lessons/01_data" in html
