"""Colab and Jupyter editions: the lessons and student exercises as notebooks without raw MyST.

A lesson (``lessons/NN_topic.ipynb``) is written for the book build; its Colab and Jupyter
edition ``colab/lessons/NN_topic.ipynb`` is generated from it, and the edition of a student
edition ``exercises/NN_topic.ipynb`` is ``colab/exercises/NN_topic.ipynb``. Every badge, launch
button and README link opens an edition. :func:`edition` makes one:

- each markdown cell goes through :func:`ganaug.teaching.myst.to_markdown`, with what it needs
  to know about the book read by :func:`read_book` (glossary, references, labels, titles, and
  the rendered book's address: ``html.baseurl`` in ``_config.yml``);
- a glued number appears as its name in bold code, and the cell that glues it prints it
  (:func:`ganaug.teaching.display.glue_all`), so the student reads the value of their own run;
  a paragraph that uses such names says where they are printed;
- a figure's caption (``mystnb.figure`` cell metadata, which Colab does not show) follows its
  cell, numbered as in the book; a cell the book removes is folded on Colab (a form cell).
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from pathlib import Path

from ganaug.teaching.myst import DIRECTIVE, FENCE, Book, anchor_id, block_end, to_markdown

EDITIONS = "colab"
CHAPTER_PAGE = re.compile(r"^(?:lessons|exercises/solutions|exercises)/(\d\d)_")
GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)")
#: A labelled figure or exercise directive (kind, label), or a target and its heading.
LABELLED = re.compile(
    r"^\s*(?:`{3,}|:{3,})\{(figure|exercise)\}.*\n(?:\s*:[\w-]+:.*\n)*?\s*:(?:name|label):"
    r"\s*(\S+)|^\s*\((\S+)\)=\s*\n+#+\s*(.+)$",
    re.MULTILINE,
)


#: What :func:`raw_myst` looks for, outside code (names in the messages it returns).
RAW = {
    "directive fence": re.compile(r"^\s*(`{3,}|:{3,})\s*\{[\w:.-]+\}", re.MULTILINE),
    "role": re.compile(r"\{[a-zA-Z][\w:+.-]*\}`"),
    "target": re.compile(r"^\s*\([^()\s]+\)=\s*$", re.MULTILINE),
    "directive option": re.compile(r"^\s*:(label|class|name|tags|title|width|align):\s", re.M),
    "substitution": re.compile(r"\{\{\s*[\w.]+\s*\}\}"),
    "comment or block break": re.compile(r"^(%|\+\+\+)", re.MULTILINE),
}


def edition_path(relative_path: str) -> str:
    """Where the Colab and Jupyter edition of a notebook is (a solutions notebook: its student
    edition's); an edition is its own.

    Examples
    --------
    >>> edition_path("lessons/02_cnn.ipynb"), edition_path("exercises/solutions/02_cnn.ipynb")
    ('colab/lessons/02_cnn.ipynb', 'colab/exercises/02_cnn.ipynb')
    >>> edition_path("colab/lessons/02_cnn.ipynb")
    'colab/lessons/02_cnn.ipynb'
    """
    if relative_path.startswith(EDITIONS + "/"):
        return relative_path
    if not relative_path.startswith(("lessons/", "exercises/")):
        raise ValueError(f"{relative_path!r} is no lesson or exercise notebook: no edition")
    return f"{EDITIONS}/" + relative_path.replace("exercises/solutions/", "exercises/", 1)


def chapter_of(relative_path: str) -> int | None:
    """The chapter number of a lesson or exercise page, else None.

    Examples
    --------
    >>> chapter_of("exercises/solutions/05_augmentation.ipynb"), chapter_of("book/setup.md")
    (5, None)
    """
    match = CHAPTER_PAGE.match(relative_path)
    return int(match[1]) if match else None


def book_url(root: Path) -> str:
    """The rendered book's address, ``html.baseurl`` of ``_config.yml``, ending in ``/``."""
    import yaml

    url = (yaml.safe_load((root / "_config.yml").read_text()).get("html") or {}).get("baseurl")
    if not url:
        raise ValueError("_config.yml needs html.baseurl (the rendered book's address)")
    return url.rstrip("/") + "/"


def _pages(root: Path) -> list[str]:
    """The book's pages, as paths relative to ``root``, in table-of-contents order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            files += [chapter["file"]] + [s["file"] for s in chapter.get("sections", [])]
    suffixes = (".ipynb", ".md")
    return [next(f + s for s in suffixes if (root / (f + s)).is_file()) for f in files]


def _cells(root: Path, page: str) -> list[tuple[str, str, dict]]:
    """(type, source, metadata) of each cell of a notebook, or one markdown cell for a page."""
    if page.endswith(".md"):
        return [("markdown", (root / page).read_text(), {})]
    import nbformat

    notebook = nbformat.read(root / page, as_version=4)
    return [(c.cell_type, c.source, dict(c.metadata)) for c in notebook.cells]


def figure_caption(metadata: dict) -> str | None:
    """The caption a code cell's myst-nb metadata gives its figure, or None."""
    figure = (metadata.get("mystnb") or metadata.get("myst") or {}).get("figure") or {}
    return figure.get("caption")


def _citations(root: Path) -> dict[str, str]:
    """ "Author et al., year" of each reference, as the book labels them (book/_ext)."""
    from pybtex.database import parse_file

    labels = {}
    for key, entry in parse_file(str(root / "book" / "references.bib")).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(n.render_as("text") for n in p.rich_last_names) for p in people]
        if not names:
            names = [re.sub(r"[{}]", "", entry.fields.get("author", "Anon."))]
        who = names[0] + " et al." if len(names) > 2 else " and ".join(names)
        labels[key] = f"{who}, {entry.fields.get('year', 'n.d.')}"
    return labels


def read_book(root: Path, url: str, branch: str) -> Book:
    """What converting any page needs to know about the book in ``root``, whose repository is
    ``url`` (on GitHub) at ``branch``."""
    book = Book(book_url(root), f"https://raw.githubusercontent.com/"
                f"{url.removeprefix('https://github.com/')}/{branch}/")  # fmt: skip
    glossary = (root / "book" / "glossary.md").read_text()
    block = re.search(r"```\{glossary\}\n(.*?)\n```", glossary, re.S)
    for line in (block[1] if block else "").split("\n"):
        if line.strip() and not line[0].isspace():
            book.terms[line.strip().lower()] = line.strip()
    book.citations = _citations(root)
    for page in _pages(root):
        _read_labels(root, page, book)
    return book


def _read_labels(root: Path, page: str, book: Book) -> None:
    """Add the title of ``page`` and its figure, exercise and target labels to ``book``."""
    docname, counter = page.rsplit(".", 1)[0], Book("", chapter=chapter_of(page))
    for kind, source, metadata in _cells(root, page):
        if kind == "markdown" and not book.titles.get(docname):
            heading = re.search(r"^#\s+(.+)$", source, re.M)
            book.titles[docname] = heading[1].strip() if heading else ""
        if kind == "code" and figure_caption(metadata) is not None:
            name = (metadata.get("mystnb") or metadata.get("myst"))["figure"].get("name")
            shown = f"Fig. {counter.number('figure')}"
            if name:
                book.labels[name] = (docname, name, shown)
        for match in LABELLED.finditer(source if kind == "markdown" else ""):
            if match[1]:
                shown = ("Fig. " if match[1] == "figure" else "Exercise ") + counter.number(
                    match[1]
                )
                book.labels[match[2]] = (docname, match[2], shown)
            else:
                book.labels[match[3]] = (docname, anchor_id(match[3]), match[4].strip())


def _glued_where(cells) -> dict[str, int]:
    """Index of the code cell that glues each name (a string literal in a cell that glues)."""
    where = {}
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and "glue" in cell.source:
            for name in re.findall(r"[\"'](\w+)[\"']", cell.source):
                where.setdefault(name, index)
    return where


def _pointer(names: list[str], index: int, where: dict[str, int]) -> str:
    """Where a paragraph's glued names are printed."""
    below = [f"**`{n}`**" for n in dict.fromkeys(names) if where.get(n, -1) > index]
    unknown = [f"**`{n}`**" for n in dict.fromkeys(names) if n not in where]
    text = "*Bold names are values printed by the code above this text, from your run"
    if below:
        text += f"; {', '.join(below)} by the code below it"
    if unknown:
        text += f"; {', '.join(unknown)} by this notebook's code"
    return text + ".*"


def _note(relative_path: str, book: Book, glued: bool) -> str:
    """The cell that says what an edition is, and where its numbers are."""
    docname = relative_path.replace("exercises/", "exercises/solutions/", 1).rsplit(".", 1)[0]
    page = f"{book.url}{docname}.html"
    text = (
        f"**Colab and Jupyter edition** of `{relative_path}`, made by `python -m ganaug notebooks`"
    )
    if docname.startswith("exercises/solutions/"):
        text += f". The [book's exercise page]({page}) has the worked solutions, one click away."
    else:
        text += f"; [the book's page]({page}) shows the same text with the book's numbers."
    if glued:
        text += (
            " Where the book writes a number into the text, this edition shows its name in bold "
            "code (**`name`**): the code before the paragraph prints its value, from your run. "
            "With another profile or other data than the book's, your numbers differ "
            f"([Setup]({book.url}book/setup.html))."
        )
    return text


def edition(notebook, relative_path: str, book: Book):
    """The Colab and Jupyter edition of the lesson or student edition ``notebook`` at
    ``relative_path``, without header cells (the caller adds them).

    ``book`` comes from :func:`read_book`. Raises ``ValueError`` for a role or label the book
    does not know (the book build would fail on it too).
    """
    import nbformat

    result = copy.deepcopy(notebook)
    page = replace(book, page=relative_path, chapter=chapter_of(relative_path), counters={})
    cells, where = [], _glued_where(result.cells)
    for index, cell in enumerate(result.cells):
        cells.append(cell)
        if cell.cell_type == "markdown":
            names = GLUE_ROLE.findall(cell.source)
            cell.source = to_markdown(cell.source, page).strip("\n")
            if names:
                cell.source += "\n\n" + _pointer(names, index, where)
            continue
        tags = cell.metadata.get("tags", [])
        if "remove-cell" in tags or "remove-input" in tags:
            title = "Values for the text below" if "glue" in cell.source else "Hidden in the book"
            cell.source = f"# @title {title}\n{cell.source}"
            cell.metadata["cellView"] = "form"  # Colab folds the code, shows the output
        caption = figure_caption(cell.metadata)
        if caption is not None:
            text = to_markdown(caption, page).strip()
            cells.append(nbformat.v4.new_markdown_cell(f"*Fig. {page.number('figure')}. {text}*"))
    cells = [c for c in cells if c.cell_type != "markdown" or c.source.strip()]
    glued = any(GLUE_ROLE.search(c.source) for c in notebook.cells if c.cell_type == "markdown")
    note = nbformat.v4.new_markdown_cell(_note(relative_path, book, glued))
    result.cells = cells[:1] + [note] + cells[1:]
    return result


def _outside_code(text: str) -> str:
    """``text`` without code blocks and inline code; a directive's fence line is kept."""
    lines, kept, index = text.split("\n"), [], 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            kept.append(re.sub(r"(`+).+?\1", "``", lines[index]))
            index += 1
            continue
        try:
            end = block_end(lines, index, match["fence"])
        except ValueError:  # unclosed: the rest is checked as text
            end = len(lines)
        if DIRECTIVE.match(match["info"].strip()) or match["fence"][0] == ":":
            kept += [lines[index], _outside_code("\n".join(lines[index + 1 : end]))]
        index = end + 1
    return "\n".join(kept)


def raw_myst(text: str) -> list[str]:
    """Every MyST construct left in a markdown text, as ``"kind: excerpt"`` (empty when none).

    Examples
    --------
    >>> raw_myst("is {glue:text}`ci_mean` points\\n:::{admonition} Objectives\\n:::")
    ['directive fence: :::{admonition}', 'role: {glue:text}`']
    >>> raw_myst("`{term}` in code is fine; so is **`ci_mean`**")
    []
    """
    rest = _outside_code(text)
    return [f"{kind}: {match.group(0).strip()}" for kind, pattern in RAW.items()
            for match in pattern.finditer(rest)]  # fmt: skip
