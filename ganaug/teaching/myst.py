"""MyST markdown, written for the book build, turned into markdown that Colab and Jupyter render.

The lessons' markdown uses what only the book build understands: myst-nb's ``{glue:text}`` role,
directive fences (``:::{admonition}``, ``{exercise}``, ``{dropdown}``), roles (``{term}``,
``{doc}``, ``{ref}``, ``{numref}``, ``{cite}``) and targets (``(label)=``). :func:`to_markdown`
rewrites one cell of it for a plain notebook renderer, with the facts it needs (glossary terms,
references, labels, the rendered book's address) in a :class:`Book`;
:func:`ganaug.teaching.editions.raw_myst` finds what is left of MyST in a text.

- ``{glue:text}`name``` becomes the name in bold code: the cell that computes it prints it
  (:func:`ganaug.teaching.display.glue_all`);
- admonitions and exercises become block quotes with a bold title, dropdowns and solutions
  collapsible ``<details>``, figures images with their caption, ``{math}`` a ``$$`` block;
- ``{term}`` becomes bold with a link to the glossary, ``{doc}``/``{ref}``/``{numref}`` links into
  the rendered book, ``{cite}`` "Author et al., year" linked to its references page.

Code (fenced blocks that are not directives, inline code) is left as it is.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*)$")
#: A role with its content, or an inline code span (kept as it is), whichever comes first.
INLINE = re.compile(r"\{(?P<role>[a-zA-Z][\w:+.-]*)\}`(?P<content>[^`]+)`|(?P<code>(`+).+?\4)")
TARGET = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
ADMONITIONS = {"note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
               "error", "seealso", "margin", "sidebar", "epigraph", "topic"}  # fmt: skip


@dataclass
class Book:
    """What the conversion of one page needs to know about the book.

    ``url`` is the rendered book's address (ending in ``/``), ``raw`` the address the
    repository's files are served from, ``page`` the converted notebook's path in the repository
    (for relative ``{doc}`` paths), ``chapter`` its chapter number (``None`` for a page that is no
    chapter), ``terms`` the glossary's terms by lower case, ``citations`` "Author et al., year"
    by key, ``labels`` (page, anchor, text) by label and ``titles`` each page's title.
    """

    url: str
    raw: str = ""
    page: str = ""
    chapter: int | None = None
    terms: dict[str, str] = field(default_factory=dict)
    citations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def number(self, kind: str) -> str:
        """The next number of a figure or exercise on this page: "4.2" in chapter 4."""
        self.counters[kind] = self.counters.get(kind, 0) + 1
        count = self.counters[kind]
        return f"{self.chapter}.{count}" if self.chapter is not None else str(count)


def anchor_id(text: str) -> str:
    """The HTML id Sphinx gives ``text`` (its ``_make_id``, for ASCII text).

    Examples
    --------
    >>> anchor_id("term-Basal cell carcinoma (bcc)")
    'term-Basal-cell-carcinoma-bcc'
    """
    text = re.sub(r"[^a-zA-Z0-9._]+", "-", " ".join(text.split()))
    return re.sub(r"^[-0-9._]+|-+$", "", text)


def _split_target(content: str) -> tuple[str | None, str]:
    """``"text <target>"`` -> ``("text", "target")``; ``"target"`` -> ``(None, "target")``."""
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", content.strip())
    return (match[1], match[2]) if match and match[1] else (None, content.strip())


def _doc(content: str, book: Book) -> str:
    text, target = _split_target(content)
    if target.startswith("/"):
        docname = target.lstrip("/")
    else:
        docname = posixpath.normpath(posixpath.join(posixpath.dirname(book.page), target))
    docname = re.sub(r"\.(md|ipynb)$", "", docname)
    if text is None and docname not in book.titles:
        raise ValueError(f"{{doc}}`{content}` in {book.page}: no page {docname!r} in the book")
    return f"[{text or book.titles[docname]}]({book.url}{docname}.html)"


def _ref(role: str, content: str, book: Book) -> str:
    text, label = _split_target(content)
    if label not in book.labels:
        raise ValueError(f"{{{role}}}`{content}` in {book.page}: no label {label!r} in the book")
    page, anchor, default = book.labels[label]
    shown = (text or "%s").replace("%s", default) if role == "numref" else (text or default)
    return f"[{shown}]({book.url}{page}.html#{anchor})"


def _term(content: str, book: Book) -> str:
    text, target = _split_target(content)
    term = book.terms.get(target.lower())
    if term is None:
        raise ValueError(f"{{term}}`{content}` in {book.page}: {target!r} is not in the glossary")
    return f"[**{text or target}**]({book.url}book/glossary.html#{anchor_id('term-' + term)})"


def _cite(role: str, content: str, book: Book) -> str:
    keys = [key.strip() for key in content.split(",") if key.strip()]
    unknown = [key for key in keys if key not in book.citations]
    if unknown:
        raise ValueError(f"{{{role}}}`{content}` in {book.page}: {unknown} not in references.bib")
    page = f"{book.url}book/references.html"
    if role in ("cite:t", "cite:ts"):
        return "; ".join(f"[{_textual(book.citations[key])}]({page})" for key in keys)
    return "(" + "; ".join(f"[{book.citations[key]}]({page})" for key in keys) + ")"


def _textual(author_year: str) -> str:
    who, _, year = author_year.rpartition(", ")
    return f"{who} ({year})"


def convert_role(role: str, content: str, book: Book) -> str:
    """One role, as plain markdown.

    Examples
    --------
    >>> book = Book("https://b.io/", page="lessons/01_x.ipynb", terms={"gan": "GAN"},
    ...             citations={"g14": "Goodfellow et al., 2014"}, titles={"book/setup": "Setup"})
    >>> convert_role("glue:text", "ci_mean:.2f", book)
    '**`ci_mean`**'
    >>> convert_role("term", "generative network <GAN>", book)
    '[**generative network**](https://b.io/book/glossary.html#term-GAN)'
    >>> convert_role("doc", "../book/setup", book)
    '[Setup](https://b.io/book/setup.html)'
    >>> convert_role("cite", "g14", book)
    '([Goodfellow et al., 2014](https://b.io/book/references.html))'
    """
    if role == "glue" or role.startswith("glue:"):
        return f"**`{content.split(':')[0].strip()}`**"
    if role == "term":
        return _term(content, book)
    if role == "doc":
        return _doc(content, book)
    if role in ("ref", "numref"):
        return _ref(role, content, book)
    if role == "cite" or role.startswith("cite:"):
        return _cite(role, content, book)
    if role == "math":
        return f"${content}$"
    if role in ("sub", "sup"):
        return f"<{role}>{content}</{role}>"
    if role == "abbr":
        return re.sub(r"\s*\(.*\)$", "", content)
    return f"`{content}`"  # code, kbd, file, py:func, ...: shown as code


def convert_inline(text: str, book: Book) -> str:
    """Every role in ``text`` as plain markdown; inline code is left alone."""

    def replace(match: re.Match) -> str:
        if match["code"]:
            return match["code"]
        return convert_role(match["role"], match["content"], book)

    return INLINE.sub(replace, text)


def _closes(line: str, fence: str) -> bool:
    match = FENCE.match(line)
    return bool(match and not match["info"].strip() and match["fence"][0] == fence[0]
                and len(match["fence"]) >= len(fence))  # fmt: skip


def block_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the fence opened at ``lines[start]`` (nested fences skipped)."""
    stack = [fence]
    for index in range(start + 1, len(lines)):
        if _closes(lines[index], stack[-1]):
            stack.pop()
            if not stack:
                return index
        elif FENCE.match(lines[index]) and (FENCE.match(lines[index])["info"].strip()
                                            or stack[-1][0] != "`"):  # fmt: skip
            stack.append(FENCE.match(lines[index])["fence"])
    raise ValueError(f"unclosed fence {fence!r} opened by line {start + 1}: {lines[start]!r}")


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's ``:key: value`` lines (or a ``---`` YAML block) and the rest of its body."""
    options, index = {}, 0
    if body and body[0].strip() == "---":
        end = body.index("---", 1) if "---" in body[1:] else 0
        for line in body[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        index = end + 1
    while index < len(body) and re.match(r"^\s*:[\w-]+:", body[index]):
        key, value = re.match(r"^\s*:([\w-]+):\s*(.*)$", body[index]).groups()
        options[key], index = value, index + 1
    return options, body[index:]


def _quote(title: str, body: str) -> str:
    lines = [f"**{title}**", "", *body.split("\n")] if title else body.split("\n")
    return "\n".join(f"> {line}".rstrip() for line in lines)


def _details(summary: str, body: str) -> str:
    return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"


def convert_directive(name: str, arg: str, body: list[str], book: Book) -> str:
    """One directive (its name, argument and body lines), as plain markdown."""
    options, content = _options(body)
    inner = to_markdown("\n".join(content), book).strip("\n")
    title = convert_inline(arg, book).strip()
    if name == "exercise":
        return _quote(f"Exercise {book.number('exercise')}" + (f": {title}" if title else ""),
                      inner)  # fmt: skip
    if name in ("solution", "dropdown") or "dropdown" in options.get("class", "").split():
        return _details(title or name.capitalize(), inner)
    if name == "solution-start":
        return "**Solution**"
    if name in ("admonition", *ADMONITIONS):
        return _quote(title or name.capitalize(), inner)
    if name in ("figure", "image"):
        source = posixpath.normpath(posixpath.join(posixpath.dirname(book.page), arg.strip()))
        image = f"![{options.get('alt', title)}]({book.raw}{source})"
        caption = f"\n\n*Fig. {book.number('figure')}. {inner}*" if name == "figure" else ""
        return image + caption
    if name in ("math", "glue:math"):
        return f"$$\n{inner}\n$$"
    if name in ("code-block", "code", "sourcecode", "code-cell"):
        return "```" + arg.strip() + "\n" + "\n".join(content) + "\n```"
    if name == "raw":
        return "\n".join(content)
    if name.startswith("glue"):
        return f"*(the output **`{arg.strip()}`**: printed by the code of this notebook)*"
    if name in ("solution-end", "toctree", "tableofcontents"):
        return ""
    return _quote(title or name.capitalize(), inner)


def to_markdown(text: str, book: Book) -> str:
    """A MyST markdown cell as markdown that Colab and Jupyter render.

    Examples
    --------
    >>> book = Book("https://b.io/", page="lessons/02_x.ipynb", chapter=2)
    >>> print(to_markdown(":::{admonition} Learning objectives\\n:class: note\\nYou can:\\n"
    ...                   "- count {glue:text}`n`\\n:::", book))
    > **Learning objectives**
    >
    > You can:
    > - count **`n`**
    >>> print(to_markdown("```{exercise}\\n:label: ex-1\\nDo it.\\n```", book))
    > **Exercise 2.1**
    >
    > Do it.
    """
    lines, output, index = text.split("\n"), [], 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            output.append(convert_inline("\n".join(paragraph), book))
            paragraph.clear()

    while index < len(lines):
        line, match = lines[index], FENCE.match(lines[index])
        if TARGET.match(line) or line.startswith(("%", "+++")):
            index += 1
            continue
        if not match:
            paragraph.append(line)
            index += 1
            continue
        flush()
        end = block_end(lines, index, match["fence"])
        directive = DIRECTIVE.match(match["info"].strip())
        if directive:
            converted = convert_directive(directive["name"], directive["arg"],
                                          lines[index + 1 : end], book)  # fmt: skip
            output.append("\n".join(match["indent"] + x if x else x
                                    for x in converted.split("\n")))  # fmt: skip
        else:  # a code block: as it is
            output.append("\n".join(lines[index : end + 1]))
        index = end + 1
    flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(output))
