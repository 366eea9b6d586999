"""The book builds under the smoke profile with warnings as errors (-W -n --keep-going)."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import ROOT


def test_book_builds_without_warnings(tmp_path):
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(tmp_path),
               "--builder", "html", "-W", "-n", "--keep-going"]  # fmt: skip
    env = {**os.environ, "GANAUG_PROFILE": "smoke"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    html = tmp_path / "_build" / "html"
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for p in toc["parts"] for c in p["chapters"]]
    for page in pages:
        assert (html / f"{page}.html").is_file(), page
    assert "Open In Colab" in (html / "lessons" / "01_data.html").read_text()
