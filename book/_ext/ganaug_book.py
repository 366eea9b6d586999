"""A small Sphinx extension for this book (loaded through ``_config.yml``'s local_extensions).

It does three things Jupyter Book 1 cannot be configured to do:

- **Numbers per chapter.** Figures, tables and exercises on ``lessons/NN_*`` and
  ``exercises/solutions/NN_*`` are numbered ``NN.1``, ``NN.2``, ... in page order, so the
  exercise boxes read "Exercise 2.1" like the checks, and figures "Fig. 2.3". An appendix
  (``appendix_<topic>``) is lettered in the order ``_toc.yml`` lists the appendix lessons:
  "Exercise A.1".
- **Exercises open as exercises.** An exercise page is built from the solutions notebook (so the
  book shows every check passing), but its launch button and its notebook download lead to the
  student edition ``exercises/NN_*.ipynb``; the solutions stay in dropdowns on the page.
  Launch buttons are dropped from pages that are not notebooks (Colab cannot open them).
- **No authoring markers.** ``# BEGIN SOLUTION``, ``# END SOLUTION`` and ``# STUB ...`` lines are
  removed from the code the reader sees; the student edition is generated from them.
- **A clean console.** Each inline script is included once (sphinx-thebe registers its
  configuration twice under Jupyter Book 1, a console error on every page) and the theme gets a
  valid colour mode ("light") on a reader's first visit.
- **Glued values stay in the text.** ``GANAUG_BOOK_BUILD=1`` is set for the notebooks the
  build executes, so ``ganaug.teaching.display.glue`` does not print what it glues (it does in
  Colab and Jupyter, where the text only names the value).
- **Launch buttons open the Colab editions.** A chapter's Colab button opens
  ``colab/lessons/NN_*.ipynb`` and an exercise page's ``colab/exercises/NN_*.ipynb`` (the student
  edition's), generated without raw MyST; the notebook download is that edition too.
- **One citation style.** The reference list is labelled "Author et al., year", like the
  citations in the text (``bibtex_reference_style: author_year``), through the pybtex style
  ``authoryear`` registered here (``bibtex_default_style`` in ``_config.yml``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from docutils import nodes

CHAPTER_PAGE = re.compile(r"^(?:lessons|exercises/solutions)/(\d\d)_")
APPENDIX_PAGE = re.compile(r"^(?:lessons|exercises/solutions)/(appendix_\w+)$")
#: The notebooks that are pages with editions: the chapters and the appendices.
PAGE_PATTERNS = ("[0-9][0-9]_*.ipynb", "appendix_*.ipynb")
SOLUTIONS = "exercises/solutions/"
EDITIONS = "colab/"
MARKER = re.compile(r"^\s*# (BEGIN SOLUTION|END SOLUTION|STUB( .*)?)\s*$")


def appendix_letters(srcdir) -> dict[str, str]:
    """``appendix_<topic>`` -> "A", "B", ... in the order ``_toc.yml`` lists appendix lessons."""
    import yaml

    toc = yaml.safe_load((Path(srcdir) / "_toc.yml").read_text())
    files = [c["file"] for part in toc.get("parts", []) for c in part.get("chapters", [])]
    names = [f.split("/", 1)[1] for f in files if f.startswith("lessons/appendix_")]
    return {name: chr(ord("A") + i) for i, name in enumerate(names)}


def chapter_numbers(app, env) -> list[str]:
    """Renumber each chapter page's figures, tables and exercises as (chapter, 1), (chapter, 2),
    and each appendix page's as (letter, 1), (letter, 2)."""
    letters = appendix_letters(app.srcdir)
    for docname, by_type in env.toc_fignumbers.items():
        match, appendix = CHAPTER_PAGE.match(docname), APPENDIX_PAGE.match(docname)
        if match:
            chapter = int(match.group(1))
        elif appendix and appendix.group(1) in letters:
            chapter = letters[appendix.group(1)]
        else:
            continue
        for figtype, numbers in by_type.items():
            ordered = sorted(numbers, key=numbers.get)
            by_type[figtype] = {key: (chapter, i) for i, key in enumerate(ordered, start=1)}
    return []


def strip_markers(app, doctree) -> None:
    """Drop solution-authoring marker lines from every code block of a solutions page."""
    if not app.env.docname.startswith(SOLUTIONS):
        return
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        lines = [line for line in text.split("\n") if not MARKER.match(line)]
        if len(lines) != len(text.split("\n")):
            block.children = [nodes.Text("\n".join(lines))]
            block.rawsource = "\n".join(lines)


def student_links(app, pagename, templatename, context, doctree) -> None:
    """Point a chapter's or exercise page's launch buttons and download at its Colab and
    Jupyter edition (an exercise page's: the student edition's)."""
    buttons = context.get("header_buttons", [])
    source = context.get("page_source_suffix", "")
    if source != ".ipynb":
        buttons[:] = [b for b in buttons if b.get("label") != "launch-buttons"]
        return
    if not (CHAPTER_PAGE.match(pagename) or APPENDIX_PAGE.match(pagename)):
        return
    edition = EDITIONS + pagename.replace(SOLUTIONS, "exercises/", 1)
    for group in buttons:
        for button in group.get("buttons", []):
            url = button.get("url", "")
            if group.get("label") == "launch-buttons":
                button["url"] = url.replace(f"/{pagename}.ipynb", f"/{edition}.ipynb")
                if pagename.startswith(SOLUTIONS):
                    button["tooltip"] = f"{button.get('tooltip', '')} (student edition)".strip()
            elif button.get("label") in ("download-source-button", "download-notebook-button"):
                button["url"] = f"{context['pathto']('_sources', 1)}/{edition}.ipynb"
                button["tooltip"] = "Download the notebook for Jupyter (.ipynb)"
    if pagename.startswith(SOLUTIONS):
        context["ganaug_student_edition"] = edition + ".ipynb"


def clean_console(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated script entries and give the theme a colour mode."""
    if not context.get("default_mode"):
        context["default_mode"] = "light"
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The same script whatever its priority; an inline one has filename None or "".
        filename = getattr(script, "filename", script) or ""
        key = (str(filename), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def copy_student_editions(app, exception) -> None:
    """Put each edition where the pages' download buttons point."""
    if exception is not None or app.builder.format != "html":
        return
    for folder in ("lessons", "exercises"):
        source = Path(app.srcdir) / EDITIONS / folder
        target = Path(app.outdir) / "_sources" / EDITIONS / folder
        for path in sorted(p for pattern in PAGE_PATTERNS for p in source.glob(pattern)):
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / path.name)


def _author_year(entry) -> str:
    """ "Tschandl et al., 2018" / "Odena and Olah, 2016" / "Wilson, 1927" for a pybtex entry."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(n.render_as("text") for n in p.rich_last_names) for p in people] or ["Anon."]
    # The rule sphinxcontrib-bibtex's author_year citations follow in the text.
    who = names[0] + " et al." if len(names) > 2 else " and ".join(names)
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


def _register_author_year_style() -> None:
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                yield _author_year(entry)

    class AuthorYearStyle(Style):
        default_label_style = AuthorYearLabels

    register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


def setup(app):
    os.environ["GANAUG_BOOK_BUILD"] = "1"  # for the notebooks the build executes (their kernels)
    _register_author_year_style()
    app.connect("env-get-updated", chapter_numbers, priority=900)
    app.connect("doctree-read", strip_markers)
    app.connect("html-page-context", student_links, priority=900)
    app.connect("html-page-context", clean_console, priority=900)
    app.connect("build-finished", copy_student_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
