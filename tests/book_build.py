"""One smoke-profile build of the book per test run, shared by test_book.py and test_browser.py.

Building executes every notebook, so it is done once; each test module asks for it through a
session fixture that calls :func:`build_book`.
"""

from __future__ import annotations

import os
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


_BUILDS: dict[str, Build] = {}


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` (root first), as document names without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            pages.append(chapter["file"])
            pages += [section["file"] for section in chapter.get("sections", [])]
    return pages


def build_book(tmp_path_factory) -> Build:
    """Build the book once (smoke profile, warnings as errors) and return where it is."""
    if "smoke" not in _BUILDS:
        output = tmp_path_factory.mktemp("book")
        jupyter_book = Path(sys.executable).with_name("jupyter-book")
        command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(output),
                   "--builder", "html", "-W", "-n", "--keep-going"]  # fmt: skip
        env = {**os.environ, "GANAUG_PROFILE": "smoke"}
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
        log = (result.stdout + result.stderr)[-6000:]
        _BUILDS["smoke"] = Build(output / "_build" / "html", result.returncode, log)
    return _BUILDS["smoke"]
