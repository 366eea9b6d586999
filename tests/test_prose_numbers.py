"""Prose cannot contradict its outputs: every number in a lesson's text is glued from the page.

A lesson's markdown may state a result only through myst-nb's ``{glue:text}`` role (the number
is computed on the page) or as a number the page does not compute: a quoted fact from the
literature, a definition or a chapter/exercise number. Those are listed below, each with its
reason; anything else (a decimal figure, a percentage, a count of two or more digits, a time or
size) fails the test.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from conftest import ROOT

LESSONS = sorted(ROOT.glob("lessons/*.ipynb"))  # the chapters and the appendices

#: Phrases whose numbers are not results of the page (regular expressions), and why.
ALLOWED = {
    r"\b59 ?%": "the report's baseline accuracy (quoted)",
    r"\b61 ?%": "the report's accuracy with GAN images (quoted)",
    r"\b(2726|1113|1099|514)\b": "the report's class counts (quoted)",
    r"\b10015\b": "the size of HAM10000 (Tschandl et al. 2018)",
    r"\b10000\b": "HAM10000's name",
    r"\b2000 epochs": "the report's DCGAN training length (quoted)",
    r"\b200 epochs": "the report's CNN epoch limit (quoted)",
    r"\b100 epochs": "the report's sample grids (quoted)",
    r"\b1000 epochs": "the report's sample grids (quoted)",
    r"\b70/30\b": "the report's train/test proportions (quoted)",
    r"\bepoch 70\b": "the report's best epoch of its second CNN training (quoted)",
    r"\bbatch of 64\b": "the report's batch size (quoted)",
    r"\b\d+ ?x ?\d+( ?x ?\d+)?\b": "image and layer shapes (28 x 28 x 3, 7 x 7 x 256, 3x3, ...)",
    r"\b\d+:\d+\b": "aspect ratios (4:3)",
    r"\bBT\.601\b": "the name of a standard",
    r"0\.2 is called small, 0\.5 medium and 0\.8 large": "Cohen's conventions",
    r"\b(19|20)\d\d\b": "years (citations, the report's date, ISIC 2018)",
    r"\b(chapters?|Chapters?|Exercises?|exercises?|Figs?\.|Figures?|Tables?) \d+(\.\d+)?"
    r"( (and|to) \d+)?": "cross-references",
    r"^#+ \d+\.": "the chapter number in the title",
    r"\b0 \(identical\) to 1 \(no overlap\)": "the range of a definition",
    r"0\.299\\,R \+ 0\.587\\,G \+ 0\.114\\,B": "the BT.601 luma weights (a standard)",
    r"\b255\b": "the 8-bit pixel scale (0-255)",
    r"1e-16|10\^\{-16\}": "the display rule for p-values below double precision",
    r"\b95 ?% (Wilson )?intervals?": "the confidence level of the intervals",
    r"\\sigma\(D\) = 0\.5": "the end point of the GAN game (Goodfellow et al. 2014)",
    r"10 means ten degrees|14 pixels from|14 tan\(10°\)": "a worked question's givens (Appendix B:"
    " a 10-degree shear on a 28-pixel image, whose edge is 14 pixels from the centre)",
}
NUMBER = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)? ?(?:%|(?:s|seconds?|minutes?|min|hours?|MB|GB|px)\b)"
    r"|\d+\.\d+|\.\d+|\d{2,})"
)
NOT_PROSE = [
    re.compile(r"\{glue(:\w+)?\}`[^`]*`"),  # glued numbers: computed on the page
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # other roles: citations, terms, references
    re.compile(r"`[^`]*`"),  # inline code: names and arguments, not results
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"^:[\w-]+:.*$", re.MULTILINE),  # directive options
    re.compile(r"<!--.*?-->", re.DOTALL),
]


def without_code_blocks(markdown: str) -> str:
    """``markdown`` without its fenced code blocks; directive fences keep their (prose) body.

    >>> without_code_blocks("```{note}\\nSay 1.5\\n```\\n```python\\nx = 2.5\\n```")
    'Say 1.5'
    """
    kept, fences = [], []  # fences: (marker, is_code) of the open blocks, innermost last
    for line in markdown.split("\n"):
        opener = re.match(r"^\s*(`{3,}|:{3,})(.*)$", line)
        if opener and fences and opener.group(1) == fences[-1][0] and not opener.group(2).strip():
            fences.pop()
        elif opener and not (fences and fences[-1][1]):
            fences.append((opener.group(1), not opener.group(2).strip().startswith("{")))
        elif not (fences and fences[-1][1]):
            kept.append(line)
    return "\n".join(kept)


def unglued_numbers(markdown: str) -> list[str]:
    """The numbers left in ``markdown`` once code, roles, glue and allowed phrases are removed.

    >>> unglued_numbers("Accuracy {glue:text}`acc` against the report's 59 % (chapter 2).")
    []
    >>> unglued_numbers("The run stopped after 38 epochs at 0.73.")
    ['38', '0.73']
    """
    text = without_code_blocks(markdown)
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text, flags=re.MULTILINE)
    return [match.group(1) for match in NUMBER.finditer(text)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_prose_holds_no_unglued_number(path):
    notebook = nbformat.read(path, as_version=4)
    found = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            numbers = unglued_numbers(cell.source)
            if numbers:
                found[f"cell {index}: {cell.source[:60]!r}"] = numbers
    assert found == {}, (
        "glue these numbers from the page (ganaug.teaching.display.glue + {glue:text}`name`) "
        "or, if "
        f"they are quoted facts, add them to ALLOWED with the reason: {found}"
    )


def glued_names(code: str) -> tuple[set[str], set[str]]:
    """The names ``code`` glues, as (literal names, prefixes of computed names).

    Counts ``glue("name", ...)``, ``glue(f"n_{code}", ...)`` and the keys of a dict (or dict
    comprehension) written in a ``glue_all({...})`` call. IPython's ``%`` and ``!`` lines are
    skipped.

    >>> literal, computed = glued_names('glue("a", 1)\\nglue_all({"b": 2, f"n_{c}": 3})')
    >>> sorted(literal), sorted(computed)
    (['a', 'b'], ['n_'])
    """
    code = re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.MULTILINE)
    literal, computed = set(), set()
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        if node.func.id == "glue":
            keys = [node.args[0]]
        elif node.func.id == "glue_all" and isinstance(node.args[0], ast.Dict):
            keys = [key for key in node.args[0].keys if key is not None]
        elif node.func.id == "glue_all" and isinstance(node.args[0], ast.DictComp):
            keys = [node.args[0].key]
        else:
            continue
        for key in keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                literal.add(key.value)
            elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                computed.add(key.values[0].value)
    return literal, computed


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_glued_name_is_glued_on_the_page(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    used = set(re.findall(r"\{glue(?::\w+)?\}`([^`:]+)", markdown))
    literal, computed = glued_names(code)
    missing = {n for n in used - literal if not any(n.startswith(p) for p in computed)}
    assert missing == set()


def test_the_check_catches_what_it_should():
    """The test itself: a result in prose fails, the same result glued passes."""
    assert unglued_numbers("stopped after 57 epochs with bcc recall 0.540 and 1.0 %") == [
        "57",
        "0.540",
        "1.0 %",
    ]
    assert unglued_numbers("stopped after {glue:text}`epochs` epochs") == []
    assert unglued_numbers("took 7 s, then 12 minutes") == ["7 s", "12 minutes"]
