"""One smoke-profile build of the book per test run, shared by test_book.py and test_browser.py.

Building executes every notebook, so it is done once; each test module asks for it through a
session fixture that calls :func:`build_book`. The lessons and the exercises' solutions are not
run a second time by nbmake: test_book.py has one test per notebook that reads how this build's
execution of it went (``execution.json``, written by ``ganaug.teaching.sphinx_build``) and
shows its traceback when it failed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from conftest import ROOT


@dataclass(frozen=True)
class Build:
    html: Path
    returncode: int
    log: str
    #: ``execution.json``: the build key, its inputs and each notebook's status and seconds.
    execution: dict
    #: the build key of the repository before and after the build (the same: a build must not
    #: change what its pages depend on, or every build would execute every notebook again).
    keys: tuple[str, str]
    #: TensorFlow start-up lines anywhere in the build's output (none: see ganaug.common.quiet).
    start_up_lines: list[str]

    def traceback(self, page: str) -> str:
        """The traceback myst-nb saved for ``page``'s failed execution, if any."""
        report = self.html / "reports" / f"{page}.err.log"
        return report.read_text() if report.is_file() else "(no traceback saved)"


_BUILDS: dict[str, Build] = {}
#: What TensorFlow prints on start-up when nothing stops it (as in test_quiet_start.py).
START_UP = re.compile(
    r"oneDNN custom operations|Could not find cuda drivers|cuInit|absl::InitializeLog"
    r"|cpu_feature_guard"
)


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` (root first), as document names without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            pages.append(chapter["file"])
            pages += [section["file"] for section in chapter.get("sections", [])]
    return pages


def chapter_label(page: str) -> str:
    """How a chapter or appendix page numbers its figures and exercises (book/_ext): "2" for
    ``lessons/02_cnn``, "A" for the first appendix lesson ``_toc.yml`` lists."""
    name = page.rsplit("/", 1)[1]
    if name[:2].isdigit():
        return str(int(name[:2]))
    appendices = [p.rsplit("/", 1)[1] for p in toc_pages() if p.startswith("lessons/appendix_")]
    return chr(ord("A") + appendices.index(name))


def build_book(tmp_path_factory) -> Build:
    """Build the book once (smoke profile, warnings as errors) and return where it is."""
    if "smoke" not in _BUILDS:
        output = tmp_path_factory.mktemp("book")
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(output),
                   "--builder", "html", "-W", "-n", "--keep-going"]  # fmt: skip
        env = build_environment()
        before = _key()
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
        log = (result.stdout + result.stderr)[-6000:]
        report = output / "_build" / "execution.json"
        execution = json.loads(report.read_text()) if report.is_file() else {"notebooks": {}}
        noise = [line for line in (result.stdout + result.stderr).splitlines()
                 if START_UP.search(line)]  # fmt: skip
        build = Build(output / "_build" / "html", result.returncode, log, execution,
                      (before, _key()), noise)  # fmt: skip
        _BUILDS["smoke"] = build
    return _BUILDS["smoke"]


def _key() -> str:
    from ganaug.teaching.build import build_key

    return build_key(key_inputs())


def build_environment() -> dict[str, str]:
    """The environment of the build: the smoke profile, and a cache folder of its own (CI runs
    this build beside the Colab-like check, whose kernels write the same smoke studies)."""
    cache = Path(os.environ["GANAUG_CACHE_DIR"]) / "book-build"
    return {**os.environ, "GANAUG_PROFILE": "smoke", "GANAUG_CACHE_DIR": str(cache)}


def key_inputs() -> dict[str, str]:
    """The build key's inputs as this process sees the repository, in the build's environment."""
    from ganaug.teaching.build import build_inputs

    return build_inputs(ROOT, build_environment())


def notebook_pages() -> list[str]:
    """The pages of ``_toc.yml`` that are notebooks (``.ipynb``): what the build executes."""
    return [page for page in toc_pages() if (ROOT / f"{page}.ipynb").is_file()]
