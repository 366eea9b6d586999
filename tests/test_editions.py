"""The Colab and Jupyter editions (colab/): no raw MyST, current, and what the conversion makes
of each construct."""

from __future__ import annotations

import nbformat
import pytest

from conftest import ROOT
from ganaug.teaching.display import glue, glue_all
from ganaug.teaching.editions import edition, edition_path, raw_myst, read_book
from ganaug.teaching.myst import Book, to_markdown
from ganaug.teaching.notebooks import expected_notebooks, repository

EDITIONS = sorted(ROOT.glob("colab/*/[0-9][0-9]_*.ipynb"))
SOURCES = sorted(ROOT.glob("lessons/[0-9][0-9]_*.ipynb")) + sorted(
    ROOT.glob("exercises/[0-9][0-9]_*.ipynb")
)
BOOK = Book(
    "https://book.example/",
    raw="https://raw.example/",
    page="lessons/02_x.ipynb",
    chapter=2,
    terms={"gan": "GAN", "seed": "Seed"},
    citations={"fa18": "Frid-Adar et al., 2018"},
    labels={"fig-a": ("lessons/02_x", "fig-a", "Fig. 2.1")},
    titles={"book/setup": "Setup", "lessons/02_x": "2. X"},
)


def ids(paths):
    return [p.relative_to(ROOT).as_posix() for p in paths]


def markdown(path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "\n\n".join(c.source for c in cells if c.cell_type == "markdown")


#: One sample of each MyST construct the book build understands and a notebook shows raw.
MYST_SAMPLES = {
    "glue role": "is {glue:text}`ci_mean` points",
    "colon fence": ":::{admonition} Learning objectives\n:class: note\nText\n:::",
    "backtick directive": "```{exercise}\n:label: ex-1\nDo it.\n```",
    "term role": "a {term}`GAN` learns",
    "doc role": "see {doc}`../book/setup`",
    "cite role": "as {cite}`fa18` showed",
    "numref role": "{numref}`fig-a` shows",
    "target": "(my-label)=\n## A section",
    "substitution": "the {{ dataset }} images",
    "comment": "% a comment for authors\ntext",
}


@pytest.mark.parametrize("sample", MYST_SAMPLES.values(), ids=MYST_SAMPLES.keys())
def test_the_check_finds_each_myst_construct_and_the_conversion_removes_it(sample):
    assert raw_myst(sample), sample
    if "{{" not in sample:  # substitutions are not used by the book: the check alone
        assert raw_myst(to_markdown(sample, Book(**{**BOOK.__dict__, "counters": {}}))) == []


def test_the_check_fails_on_a_lesson_and_code_is_not_myst():
    lesson = markdown(ROOT / "lessons" / "01_data.ipynb")
    assert len(raw_myst(lesson)) > 10
    assert raw_myst("```python\n```{not-a-directive}\n```\nand `{term}` in code") == []


def test_every_lesson_and_student_edition_has_an_edition():
    assert {p.relative_to(ROOT).as_posix() for p in EDITIONS} == {
        edition_path(p.relative_to(ROOT).as_posix()) for p in SOURCES
    }


@pytest.mark.parametrize("path", EDITIONS, ids=ids(EDITIONS))
def test_no_raw_myst_in_an_edition(path):
    assert raw_myst(markdown(path)) == []


def test_the_editions_are_current():
    expected = expected_notebooks(ROOT)
    stale = [p for p in EDITIONS if p.read_text() != expected[p]]
    assert stale == [], f"run `python -m ganaug notebooks`; stale: {ids(stale)}"


@pytest.mark.parametrize("path", EDITIONS, ids=ids(EDITIONS))
def test_an_edition_folds_what_the_book_hides_and_shows_captions(path):
    cells = nbformat.read(path, as_version=4).cells
    hidden = [c for c in cells if "remove-cell" in c.metadata.get("tags", [])]
    assert all(c.metadata.get("cellView") == "form" for c in hidden)
    assert all(c.source.startswith("# @title ") for c in hidden)
    if "lessons" in path.parts:
        assert any(c.source.startswith("*Fig. ") for c in cells if c.cell_type == "markdown")


def test_conversions():
    book = Book(**{**BOOK.__dict__, "counters": {}})
    text = to_markdown(
        "A {term}`seed <Seed>`, {cite}`fa18`, {numref}`fig-a`, {doc}`../book/setup`.\n\n"
        "```{dropdown} Answer\nYes.\n```\n\n```bash\nmake {term}`x`\n```",
        book,
    )
    assert "[**seed**](https://book.example/book/glossary.html#term-Seed)" in text
    assert "([Frid-Adar et al., 2018](https://book.example/book/references.html))" in text
    assert "[Fig. 2.1](https://book.example/lessons/02_x.html#fig-a)" in text
    assert "[Setup](https://book.example/book/setup.html)" in text
    assert "<details>\n<summary>Answer</summary>\n\nYes.\n\n</details>" in text
    assert "```bash\nmake {term}`x`\n```" in text  # code is left as it is


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{term}`Unknown`", "not in the glossary"),
        ("{doc}`../nowhere`", "no page"),
        ("{cite}`nobody1900`", "not in references.bib"),
        ("{numref}`fig-none`", "no label"),
        (":::{note}\nnever closed", "unclosed fence"),
    ],
)
def test_what_the_book_would_reject_is_an_error(source, message):
    with pytest.raises(ValueError, match=message):
        to_markdown(source, Book(**{**BOOK.__dict__, "counters": {}}))


def test_a_lesson_edition_points_at_its_printed_values():
    url, branch = repository(ROOT)
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# 9. A chapter"),
            nbformat.v4.new_code_cell('glue_all({"n": 3})', metadata={"tags": ["remove-cell"]}),
            nbformat.v4.new_markdown_cell("There are {glue:text}`n` and {glue:text}`m` things."),
            nbformat.v4.new_code_cell('glue("m", 4)', metadata={"tags": ["remove-cell"]}),
        ]
    )
    made = edition(notebook, "lessons/09_chapter.ipynb", read_book(ROOT, url, branch))
    prose = made.cells[3].source
    assert "There are **`n`** and **`m`** things." in prose
    assert "printed by the code above" in prose and "**`m`** by the code below" in prose
    assert made.cells[2].source.startswith("# @title Values for the text below")


def test_glue_prints_outside_the_book_build_only(monkeypatch, capsys):
    glue_all({"a": 1, "b": "two"})
    assert capsys.readouterr().out == "Values for the text below:\na: 1\nb: two\n"
    monkeypatch.setenv("GANAUG_BOOK_BUILD", "1")
    glue("a", 1)
    assert capsys.readouterr().out == ""
    with pytest.raises(ValueError, match="name"):
        glue("", 1)
