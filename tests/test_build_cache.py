"""``make book`` never serves a stale page and executes only what a change touches.

A tiny book (an index and two notebooks that import ganaug and print the profile, a library
value, a line of the data and a committed results CSV), built with the project's mechanism
(``execute_notebooks: cache`` and the ``ganaug.teaching.sphinx_build`` extension, as in
``_config.yml``) against a copy of the library, so that the library can be edited here. Each
notebook appends its name to a log when it runs: the log says which notebooks a build executed.
Each test changes one thing, builds, checks, and puts it back (the next build finds the earlier
key's cache still there).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

import ganaug
from conftest import ROOT

CODE = """\
import os
from pathlib import Path
from ganaug import config, probe
Path(os.environ["BUILD_TEST_RUNLOG"]).open("a").write("{name}\\n")
data = (config.data_dir() / "HAM10000_metadata.csv").read_text().splitlines()[1]
results = Path("results/study/results.csv").read_text().strip()
print(f"profile={{config.get_profile().name}} library={{probe.VALUE}} data={{data}} "
      f"results={{results}}")
"""


class TinyBook:
    def __init__(self, folder: Path) -> None:
        self.root = folder / "book"
        self.lib = folder / "lib"
        self.data = folder / "data"
        self.log = folder / "runs.log"
        self.env = {
            key: value for key, value in os.environ.items() if not key.startswith("GANAUG_")
        }
        path = os.pathsep.join([str(self.lib), os.environ.get("PYTHONPATH", "")])
        self.env.update(GANAUG_PROFILE="smoke", GANAUG_OFFLINE="1", PYTHONPATH=path,
                        GANAUG_DATA_DIR=str(self.data), BUILD_TEST_RUNLOG=str(self.log),
                        GANAUG_CACHE_DIR=str(folder / "cache"),
                        GANAUG_BUILD_JOBS="2")  # fmt: skip
        shutil.copytree(Path(ganaug.__file__).parent, self.lib / "ganaug",
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        (self.lib / "ganaug" / "probe.py").write_text('VALUE = "one"\n')
        self.data.mkdir()
        (self.data / "HAM10000_metadata.csv").write_text("lesion_id,image_id,dx\nL1,I1,mel\n")
        (self.root / "results" / "study").mkdir(parents=True)
        (self.root / "results" / "study" / "results.csv").write_text("r1\n")
        config = yaml.safe_load((ROOT / "_config.yml").read_text())
        (self.root / "_config.yml").write_text(yaml.safe_dump({
            "title": "tiny", "only_build_toc_files": True,
            "execute": {**config["execute"], "timeout": 300},
            "sphinx": {"extra_extensions": ["ganaug.teaching.sphinx_build"]},
        }))  # fmt: skip
        (self.root / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n"
                                            "- file: a\n- file: b\n")  # fmt: skip
        (self.root / "index.md").write_text("# Tiny\n\n```{nb-exec-table}\n```\n")
        for name in "ab":
            notebook = nbformat.v4.new_notebook()
            notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                               "language": "python"}  # fmt: skip
            notebook.cells = [nbformat.v4.new_markdown_cell(f"# Page {name}\n\nFirst words."),
                              nbformat.v4.new_code_cell(CODE.format(name=name))]  # fmt: skip
            nbformat.write(notebook, self.root / f"{name}.ipynb")

    def build(self) -> tuple[list[str], subprocess.CompletedProcess]:
        """Build; return the notebooks that executed, in order, and the finished process."""
        self.log.write_text("")
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        result = subprocess.run([str(jupyter_book), "build", str(self.root), "--builder", "html"],
                                capture_output=True, text=True, env=self.env)  # fmt: skip
        self.output = result.stdout + result.stderr
        return self.log.read_text().split(), result

    def page(self, name: str) -> str:
        html = (self.root / "_build" / "html" / f"{name}.html").read_text()
        return re.sub(r"<[^>]+>", " ", html)

    def report(self) -> dict:
        return json.loads((self.root / "_build" / "execution.json").read_text())

    def edit_notebook(self, name: str, cell: int, source: str) -> str:
        path = self.root / f"{name}.ipynb"
        notebook = nbformat.read(path, 4)
        old, notebook.cells[cell].source = notebook.cells[cell].source, source
        nbformat.write(notebook, path)
        return old


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    book = TinyBook(tmp_path_factory.mktemp("tiny"))
    ran, result = book.build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert sorted(ran) == ["a", "b"]
    book.first_output = book.output
    return book


def built(book: TinyBook) -> list[str]:
    ran, result = book.build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return sorted(ran)


def test_first_build_executes_both_and_reports_them(tiny):
    assert "profile=smoke library=one data=L1,I1,mel results=r1" in tiny.page("a")
    assert "executing 2 notebooks, 2 at a time" in tiny.first_output  # ahead, at once
    assert {entry["status"] for entry in tiny.report()["notebooks"].values()} == {"executed"}
    times = tiny.page("index")
    assert "a" in times and "b" in times and "Run Time" in times  # the execution-time table


def test_nothing_changed_executes_nothing(tiny):
    assert built(tiny) == []
    assert {entry["status"] for entry in tiny.report()["notebooks"].values()} == {"unchanged"}


def test_markdown_edit_renders_new_words_without_executing(tiny):
    old = tiny.edit_notebook("a", 0, "# Page a\n\nFreshly edited words.")
    try:
        assert built(tiny) == []
        assert "Freshly edited words" in tiny.page("a") and "library=one" in tiny.page("a")
        assert tiny.report()["notebooks"]["a"]["status"] == "cached"
    finally:
        tiny.edit_notebook("a", 0, old)


def test_code_edit_executes_that_notebook_alone(tiny):
    old = tiny.edit_notebook("b", 1, CODE.format(name="b") + 'print("a new line")\n')
    try:
        assert built(tiny) == ["b"]
        assert "a new line" in tiny.page("b")
        statuses = {doc: entry["status"] for doc, entry in tiny.report()["notebooks"].items()}
        assert statuses["b"] == "executed" and statuses["a"] in {"cached", "unchanged"}
    finally:
        tiny.edit_notebook("b", 1, old)


@pytest.mark.parametrize("change", ["library", "profile", "data", "results"])
def test_a_change_to_an_input_executes_every_notebook_again(tiny, change):
    probe = tiny.lib / "ganaug" / "probe.py"
    data = tiny.data / "HAM10000_metadata.csv"
    results = tiny.root / "results" / "study" / "results.csv"
    old = {probe: probe.read_text(), data: data.read_text(), results: results.read_text()}
    new, gone = {
        "library": ("library=two", "library=one"),
        "profile": ("profile=book", "profile=smoke"),
        "data": ("data=L2,I2,bcc", "data=L1"),
        "results": ("results=r2", "results=r1"),
    }[change]
    env = dict(tiny.env)
    if change == "library":
        probe.write_text('VALUE = "two"\n')
    elif change == "profile":
        tiny.env["GANAUG_PROFILE"] = "book"
    elif change == "data":
        data.write_text("lesion_id,image_id,dx\nL2,I2,bcc\n")
    else:
        results.write_text("r2\n")
    try:
        assert built(tiny) == ["a", "b"]
        for name in "ab":
            assert new in tiny.page(name) and gone not in tiny.page(name), (change, name)
    finally:
        tiny.env = env
        for path, text in old.items():
            path.write_text(text)


def test_a_failing_notebook_fails_the_build_and_is_never_cached(tiny):
    built(tiny)  # whatever earlier tests left to execute
    old = tiny.edit_notebook("b", 1, CODE.format(name="b") + 'raise RuntimeError("boom")\n')
    try:
        for _ in range(2):  # the second build executes it again: nothing of it was cached
            ran, result = tiny.build()
            assert result.returncode != 0 and ran == ["b"], result.stdout[-3000:]
            assert "notebook(s) failed: b" in result.stdout + result.stderr
            assert not (tiny.root / "_build" / "html" / "b.html").exists()
            assert tiny.report()["notebooks"]["b"]["status"] == "failed"
    finally:
        tiny.edit_notebook("b", 1, old)
    assert built(tiny) == []  # its earlier outputs, of this very code, are in the cache
    assert "library=one" in tiny.page("b")


def test_a_notebook_failing_ahead_fails_the_build_and_the_other_is_cached(tiny):
    built(tiny)  # whatever earlier tests left to execute
    old_a = tiny.edit_notebook("a", 1, CODE.format(name="a") + 'print("a second line")\n')
    old_b = tiny.edit_notebook("b", 1, CODE.format(name="b") + 'raise RuntimeError("bang")\n')
    try:
        ran, result = tiny.build()
        # both ahead, at once; b again while its page is read, which reports its traceback
        assert result.returncode != 0 and sorted(ran) == ["a", "b", "b"], tiny.output[-3000:]
        assert "executing 2 notebooks, 2 at a time" in tiny.output
        assert "b failed (CellExecutionError)" in tiny.output
        assert "a second line" in tiny.page("a")
        statuses = {doc: entry["status"] for doc, entry in tiny.report()["notebooks"].items()}
        assert statuses == {"a": "executed", "b": "failed"}
    finally:
        tiny.edit_notebook("b", 1, old_b)
        tiny.edit_notebook("a", 1, old_a)
    assert built(tiny) == []  # both restored codes' outputs are in the cache from before
