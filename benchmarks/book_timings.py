"""How long ``make book`` takes, fresh and after each kind of change (run by hand, never in tests).

Steps, each timed on the wall clock, with the notebooks the build executed (from
``_build/execution.json``):

1. ``fresh``: ``_build`` removed, every notebook executes;
2. ``unchanged``: again, nothing changed;
3. ``markdown``: a word added to the first markdown cell of ``--markdown`` (chapter 3);
4. ``code``: a comment line added to the last code cell of ``--code`` (chapter 1);
5. ``library``: a comment line appended to ``ganaug/config.py``.

Every edit is undone after its build (the files get their exact bytes back). Then the per-notebook
table of the fresh build is printed, as on the book's reproducibility page. Set
``GANAUG_DATA_DIR`` first, as for ``make book``::

    GANAUG_DATA_DIR=/path/to/ham10000 python benchmarks/book_timings.py
    python benchmarks/book_timings.py --steps unchanged markdown   # on an existing build
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("fresh", "unchanged", "markdown", "code", "library")


def first_match(pattern: str) -> Path:
    found = sorted(ROOT.glob(pattern))
    if not found:
        raise ValueError(f"no file matches {pattern!r} below {ROOT}")
    return found[0]


def edit(step: str, markdown: Path, code: Path) -> tuple[Path, bytes] | None:
    """Make the step's change; return the file and its old bytes (None: nothing to undo)."""
    if step == "markdown":
        notebook = nbformat.read(markdown, 4)
        cell = next(c for c in notebook.cells if c.cell_type == "markdown")
        old, cell.source = markdown.read_bytes(), cell.source + "\n\nTimed edit."
        nbformat.write(notebook, markdown)
        return markdown, old
    if step == "code":
        notebook = nbformat.read(code, 4)
        cell = [c for c in notebook.cells if c.cell_type == "code"][-1]
        old, cell.source = code.read_bytes(), cell.source + "\n# timed edit"
        nbformat.write(notebook, code)
        return code, old
    if step == "library":
        library = ROOT / "ganaug" / "config.py"
        old = library.read_bytes()
        library.write_bytes(old + b"# timed edit\n")
        return library, old
    return None


def build(command: list[str]) -> tuple[float, dict]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed:\n{result.stdout[-3000:]}")
    report = json.loads((ROOT / "_build" / "execution.json").read_text())
    return seconds, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--markdown", default="lessons/03_*.ipynb", help="glob, below the root")
    parser.add_argument("--code", default="lessons/01_*.ipynb", help="glob, below the root")
    parser.add_argument("--command", default="make book", help="the build command")
    parser.add_argument("--out", type=Path, help="also write the timings here (JSON)")
    args = parser.parse_args(argv)
    markdown, code = first_match(args.markdown), first_match(args.code)
    rows, tables = [], {}
    for step in args.steps:
        if step == "fresh":
            shutil.rmtree(ROOT / "_build", ignore_errors=True)
        undo = edit(step, markdown, code)
        try:
            seconds, report = build(shlex.split(args.command))
        finally:
            if undo:
                undo[0].write_bytes(undo[1])
        notebooks = report["notebooks"]
        executed = [doc for doc, entry in notebooks.items() if entry["status"] == "executed"]
        rows.append({"step": step, "seconds": round(seconds, 1), "executed": executed})
        tables[step] = {doc: entry["seconds"] for doc, entry in notebooks.items()}
        print(f"{step:10} {seconds:8.1f} s   executed: {', '.join(executed) or 'nothing'}")
    table = tables.get("fresh") or next(iter(tables.values()), {})
    print("\nper notebook (seconds of the run that computed its outputs):")
    for doc, seconds in sorted(table.items()):
        print(f"  {doc:40} {seconds if seconds is None else round(seconds, 1)}")
    if args.out:
        args.out.write_text(json.dumps({"steps": rows, "notebooks": tables}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
