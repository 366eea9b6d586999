"""The committed study results travel inside the package.

Chapters 4-6 and the exercises read the study folders committed under ``results/``. A clone finds
them there; an installed ganaug (``pip install "ganaug @ git+..."``, as every Colab set-up cell
does) has no clone, so building the package copies ``results/`` into ``ganaug/_results`` of the
wheel. ``ganaug.experiment.store.committed_folder`` looks in a clone first and in that copy next.
Everything else about the package is declared in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: The kinds of file a results folder holds (CSV, JSON, the report, figures, sample arrays).
SHIPPED = {".csv", ".json", ".md", ".png", ".npz"}


class BuildWithResults(build_py):
    """``build_py`` that also copies ``results/`` into ``ganaug/_results`` of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the clone's own results/
        source = ROOT / "results"
        if not source.is_dir():
            raise SystemExit(
                "results/ is missing: build ganaug from a full clone (or its sdist), which ships "
                "the committed study that chapters 4-6 read"
            )
        target = Path(self.build_lib) / "ganaug" / "_results"
        shutil.rmtree(target, ignore_errors=True)
        for path in sorted(source.rglob("*")):
            if path.is_file() and path.suffix in SHIPPED:
                destination = target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)


setup(cmdclass={"build_py": BuildWithResults})
