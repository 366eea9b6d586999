"""The book builds under the smoke profile with warnings as errors (-W -n --keep-going)."""

import pytest

from tests.book_build import build_book, toc_pages


@pytest.fixture(scope="session")
def book(tmp_path_factory):
    return build_book(tmp_path_factory)


def test_book_builds_without_warnings(book):
    assert book.returncode == 0, book.log
    for page in toc_pages():
        assert (book.html / f"{page}.html").is_file(), page
    assert "Open In Colab" in (book.html / "lessons" / "01_data.html").read_text()


def test_exercise_pages_number_exercises_by_chapter_and_hide_markers(book):
    for page in [p for p in toc_pages() if p.startswith("exercises/solutions/")]:
        html = (book.html / f"{page}.html").read_text()
        chapter = int(page.rsplit("/", 1)[1][:2])
        assert f"Exercise {chapter}.1" in html, page
        assert "BEGIN SOLUTION" not in html and "# STUB" not in html, page


def test_reproducibility_page_lists_versions_and_execution_times(book):
    html = (book.html / "book" / "reproducibility.html").read_text()
    assert "tensorflow" in html and "lessons/01_data" in html
