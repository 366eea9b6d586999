"""Every Colab edition run as a student runs it: ganaug pip-installed from git, no clone around.

``make colab-check`` (run by ``.ci/run`` after ``make test``) calls ``python tests/colab_like.py``:

1. the working tree (tracked and untracked files git does not ignore) is committed into a
   throw-away git repository outside this one, and a fresh virtual environment is made outside
   it too; its only link to this project's ``.venv`` is a ``.pth`` line that lends it the
   installed third-party packages (TensorFlow above all), as Colab ships them;
2. ganaug is installed into it with the set-up cell's own command,
   ``pip install "ganaug @ git+<url>"``, the url pointing at that throw-away repository;
3. a stand-in ``google.colab`` module is imported at kernel start (an IPython start-up file),
   as Colab's runtime does, so the set-up cells take their Colab branch, ``%pip`` included;
4. each edition is executed in an empty folder, on the ``smoke`` profile, by that environment's
   Python, two at a time (``--jobs``; the set-up cells' ``%pip`` finds ganaug installed and
   changes nothing): a lesson (``colab/lessons/*``) top to bottom; an exercise edition
   (``colab/exercises/*``, the student edition) as a student works through it, in one kernel:
   each blank exercise and the cells after it run as given, and its check must reject them;
   then the exercise, filled in with its solution, and the cells after it run again, and the
   same check must accept them (:func:`run_exercises`);
5. an edition passes when no other cell raises and every value its prose names
   (``**`name`**``) is printed in its outputs. A table of name, seconds and result is printed
   and written to ``$OUT`` (``--report``) as JSON.

This is where CI shows that every exercise check rejects the unfinished exercise and accepts
its solution: ``make test`` does not execute the student editions a second time.

The data: ``GANAUG_DATA_DIR`` and ``GANAUG_CACHE_DIR`` pass through when they are set (in CI the
real HAM10000 folder, as a student whose copy sits on Drive), as set-up cells keep them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INSTALL = re.compile(r'%pip install --quiet "ganaug @ git\+[^"]+"')
STUB_COLAB = '''"""A stand-in for Colab's ``google.colab`` (the Colab-like check)."""
import types

drive = types.ModuleType("google.colab.drive")


def _mount(path, *args, **kwargs):
    print(f"(Colab-like check: Drive is not mounted at {path})")


drive.mount = _mount
'''


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, text=True, capture_output=True, **kwargs)


def snapshot(root: Path, into: Path) -> str:
    """Commit the files of ``root``'s working tree that git carries into a new repository at
    ``into``; return its ``git+file://`` address (what the set-up cell's url stands for)."""
    listed = _run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root).stdout
    for name in filter(None, listed.split("\0")):
        source = root / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    identity = ["-c", "user.name=colab-check", "-c", "user.email=colab-check@localhost"]
    _run(["git", "init", "-q", "-b", "main"], cwd=into)
    _run(["git", "add", "-A"], cwd=into)
    _run(["git", *identity, "commit", "-q", "-m", "snapshot"], cwd=into)
    return f"git+file://{into}@main"


def fresh_environment(where: Path) -> Path:
    """A new virtual environment at ``where`` that borrows this interpreter's installed
    packages through a ``.pth`` line (never ganaug itself: no editable finder is loaded from
    there), pip among them (a current one, as on Colab). Returns its Python."""
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", "--without-pip", str(where)])
    python = where / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    lent = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir()]
    Path(site.stdout.strip(), "borrowed.pth").write_text("\n".join(lent) + "\n")
    return python


def install(python: Path, url: str) -> float:
    """``pip install "ganaug @ <url>"`` as the set-up cell runs it; seconds taken."""
    start = time.perf_counter()
    _run([str(python), "-m", "pip", "install", "--quiet", f"ganaug @ {url}"])
    where = _run([str(python), "-c", "import ganaug, sys; print(ganaug.__file__)"], cwd="/")
    if str(ROOT) in where.stdout:
        raise SystemExit(f"the fresh environment imported ganaug from the clone: {where.stdout}")
    return time.perf_counter() - start


def kernel_home(python: Path, where: Path) -> dict[str, str]:
    """Environment variables for a kernel of ``python`` that starts with ``google.colab``
    loaded, as on Colab."""
    stub = where / "stubs" / "google" / "colab"  # no google/__init__.py: protobuf shares it
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(STUB_COLAB)
    startup = where / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # noqa: F401\n")
    spec = where / "jupyter" / "kernels" / "colab"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    return {
        "PYTHONPATH": str(where / "stubs"),
        "IPYTHONDIR": str(where / "ipython"),
        "JUPYTER_PATH": str(where / "jupyter"),
        "GANAUG_PROFILE": "smoke",
    }


def glued_names(path: Path) -> list[str]:
    """The names a book page glues into its prose (``{glue}`name```): its edition prints them."""
    import nbformat

    from ganaug.teaching.editions import GLUE_ROLE

    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return sorted(set(GLUE_ROLE.findall(markdown)))


def editions(root: Path) -> dict[str, tuple[object, list[str]]]:
    """Every Colab edition to run, with the names its prose shows: the lessons' as committed,
    and the exercises' as committed (blank) beside the same edition with its solutions filled
    in. Stops when a committed edition is not what ``python -m ganaug notebooks`` makes."""
    import nbformat

    from ganaug.teaching.editions import edition, read_book
    from ganaug.teaching.notebooks import (
        _without_header,
        repository,
        student_edition,
        sync,
        with_header,
    )

    stale = sync(root, check_only=True)
    if stale:
        names = ", ".join(str(path.relative_to(root)) for path in stale)
        raise SystemExit(f"stale: {names}; run `python -m ganaug notebooks`")
    url, branch = repository(root)
    book = read_book(root, url, branch)
    chosen = {}
    for path in sorted((root / "colab" / "lessons").glob("*.ipynb")):
        source = root / "lessons" / path.name
        chosen[f"colab/lessons/{path.name}"] = (
            nbformat.read(path, as_version=4),
            glued_names(source),
        )
    for path in sorted((root / "exercises" / "solutions").glob("*.ipynb")):
        relative, target = f"exercises/{path.name}", f"colab/exercises/{path.name}"
        student = student_edition(
            nbformat.read(path, as_version=4), relative, url, branch, filled=True
        )
        filled = with_header(edition(_without_header(student), relative, book), target, url, branch)
        chosen[f"{target} (blank, then filled in)"] = (
            Exercises(blank=nbformat.read(root / target, as_version=4), filled=filled),
            glued_names(path),
        )
    return chosen


@dataclass
class Exercises:
    """An exercise edition as a student meets it (``blank``: the committed Colab edition) and
    the same edition with every exercise filled in by its solution (cell for cell)."""

    blank: object
    filled: object


def _errors(cell) -> list:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _is_check(cell) -> bool:
    return "check" in cell.metadata.get("tags", [])


def run_exercises(client, pair: Exercises) -> str:
    """Work through an exercise edition in ``client``'s kernel as a student does; "passed" or
    what went wrong. ``pair.filled`` ends up holding the outputs of the finished notebook.

    Each check cell first runs after the blank exercise cells above it (and every cell between
    them) and must raise ``ExerciseCheckError``; then those cells run again filled in with their
    solutions, and the check must pass. Any other cell must never raise. An edition with fewer
    than three checks, or whose blank cells equal the filled ones, fails: nothing was proven.
    """
    # nbclient puts each cell it executes into the notebook at that index: keep the filled ones
    blank, filled = pair.blank.cells, list(pair.filled.cells)
    try:
        return _work_through(client, blank, filled)
    finally:
        pair.filled.cells = filled


def _work_through(client, blank: list, filled: list) -> str:
    """:func:`run_exercises` on the cells of the two editions."""
    import copy

    if len(blank) != len(filled):
        return "the blank and the filled editions do not match cell for cell"
    since, checks = None, 0  # since: the first blank cell not yet checked
    for index, cell in enumerate(filled):
        if cell.cell_type != "code":
            continue
        if blank[index].source != cell.source and since is None:
            since = index
        if not _is_check(cell):
            source = blank[index] if since is not None else cell
            ran = copy.deepcopy(source)
            client.execute_cell(ran, index)
            cell.outputs = ran.outputs
            if _errors(ran):
                return f"cell {index} raised {_errors(ran)[0].ename} ({ran.source[:60]!r})"
            continue
        if since is None:
            return f"the check in cell {index} has no blank exercise above it"
        first = copy.deepcopy(cell)
        client.execute_cell(first, index)
        rejected = _errors(first)
        if not rejected or rejected[0].ename != "ExerciseCheckError":
            got = rejected[0].ename if rejected else "nothing"
            return f"the check in cell {index} did not reject the blank exercise (raised {got})"
        for again in range(since, index + 1):
            if filled[again].cell_type == "code":
                client.execute_cell(filled[again], again)
                if _errors(filled[again]):
                    error = _errors(filled[again])[0]
                    return f"cell {again} raised {error.ename} once filled in: {error.evalue[:200]}"
        since, checks = None, checks + 1
    if since is not None:
        return f"the exercise in cell {since} has no check below it"
    if checks < 3:
        return f"only {checks} checks were proven"
    return "passed"


def run_edition(
    name: str, notebook, names: list[str], url: str, environ: dict[str, str], where: Path
) -> dict:
    """Execute one edition alone in an empty folder; its row of the report."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    folder = where / "work" / re.sub(r"\W+", "_", name)
    folder.mkdir(parents=True)
    exercises = notebook if isinstance(notebook, Exercises) else None
    notebook = exercises.filled if exercises else notebook
    for cells in [notebook.cells] + ([exercises.blank.cells] if exercises else []):
        for cell in cells:
            if cell.cell_type == "code":
                cell.source = INSTALL.sub(f'%pip install --quiet "ganaug @ {url}"', cell.source)
    if not any(INSTALL.search(c.source) for c in notebook.cells if c.cell_type == "code"):
        return {"edition": name, "seconds": 0.0, "result": "no set-up cell installs ganaug"}
    saved = {key: os.environ.get(key) for key in environ}
    os.environ.update(environ)
    start = time.perf_counter()
    try:
        client = NotebookClient(
            notebook, timeout=900, kernel_name="colab", resources={"metadata": {"path": folder}}
        )
        if exercises:
            client.allow_errors = True  # run_exercises judges each error itself
            with client.setup_kernel():
                result = run_exercises(client, exercises)
        else:
            client.execute()
            result = "passed"
    except CellExecutionError as error:
        result = "error: " + str(error).strip().splitlines()[-1][:300]
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    seconds = time.perf_counter() - start
    nbformat.write(notebook, folder / "executed.ipynb")
    if result == "passed":
        missing = names_not_printed(notebook, names)
        noise = noise_printed(notebook)
        if missing:
            result = f"not printed: {', '.join(missing)}"
        elif noise:
            result = f"TensorFlow noise in the outputs: {noise}"
    return {"edition": name, "seconds": round(seconds, 1), "result": result}


#: What a student must not meet between the results: TensorFlow's runtime lines and retracing
#: warnings (ganaug.common.quiet drops the known runtime lines; retracing has a cause to fix).
NOISE = re.compile(r"triggered tf\.function retracing|meta_optimizer\.cc:\d+\] remapper failed")


def noise_printed(notebook) -> str | None:
    """The first line of TensorFlow noise (:data:`NOISE`) in the outputs, or None."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            text = text if isinstance(text, str) else "".join(text)
            found = NOISE.search(text)
            if found:
                line = text[: found.end()].rsplit("\n", 1)[-1]
                return line[-200:]
    return None


def names_not_printed(notebook, names: list[str]) -> list[str]:
    """Those of ``names`` (what the page glues into its prose) that no output printed."""
    printed = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            printed.append(output.get("text", ""))
            printed.append(str(output.get("data", {}).get("text/plain", "")))
    text = "\n".join(printed)
    # glue prints "name: value" on a line of its own (ganaug.teaching.display.glue)
    return [name for name in names if not re.search(rf"(?m)^{re.escape(name)}: ", text)]


def share(named: list[str], jobs: int) -> list[list[str]]:
    """Editions shared out to ``jobs`` workers, longest first (by the last measured smoke times,
    ``ganaug.teaching.timing``), each to the least loaded.

    Examples
    --------
    >>> pages = ["colab/lessons/01_data.ipynb", "colab/lessons/02_cnn.ipynb"]
    >>> sorted(name for names in share(pages, 2) for name in names) == pages
    True
    >>> len(share(pages, 2)), len(share(pages, 1)), len(share(pages[:1], 2))
    (2, 1, 1)
    """
    from ganaug.teaching.timing import measured_times, page_key

    seconds = measured_times()["seconds"].get("smoke", {})

    def cost(name: str) -> float:
        return seconds.get(page_key(re.sub(r" \(.*\)$", "", name)), 60.0)

    shares: list[list[str]] = [[] for _ in range(jobs)]
    loads = [0.0] * jobs
    for name in sorted(named, key=lambda n: (-cost(n), n)):
        least = loads.index(min(loads))
        shares[least].append(name)
        loads[least] += cost(name)
    return [chosen for chosen in shares if chosen]


def run_share(task: tuple) -> list[dict]:
    """One worker: its editions one after the other, in kernels of the fresh environment's
    Python (each worker has its own kernel home)."""
    names, chosen, url, python, where = task
    where.mkdir(parents=True)
    environ = kernel_home(python, where)
    rows = []
    for name in names:
        notebook, glued = chosen[name]
        row = run_edition(name, notebook, glued, url, environ, where)
        print(f"{row['edition']:<60} {row['seconds']:>7.1f} s  {row['result']}", flush=True)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only editions whose name holds one of these")
    parser.add_argument("--report", help="write the table as JSON here")
    parser.add_argument("--jobs", type=int, default=2, help="editions run at once")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    where = Path(tempfile.mkdtemp(prefix="ganaug-colab-"))
    started = time.perf_counter()
    try:
        repository = where / "repository"
        repository.mkdir()
        url = snapshot(ROOT, repository)
        chosen = {
            name: value
            for name, value in editions(ROOT).items()
            if not args.only or any(part in name for part in args.only)
        }
        python = fresh_environment(where / "env")
        seconds = install(python, url)
        print(f"installed ganaug from a git snapshot in {seconds:.0f} s", flush=True)
        shares = share(sorted(chosen), max(1, args.jobs))
        tasks = [(names, chosen, url, python, where / f"job{j}") for j, names in enumerate(shares)]
        with multiprocessing.get_context("fork").Pool(len(tasks) or 1) as pool:
            rows = [row for rows in pool.map(run_share, tasks) for row in rows]
        rows.sort(key=lambda row: row["edition"])
        if args.report:
            Path(args.report).write_text(json.dumps(rows, indent=1) + "\n")
        failed = [row for row in rows if row["result"] != "passed"]
        minutes = (time.perf_counter() - started) / 60
        print(f"{len(rows) - len(failed)} of {len(rows)} editions passed ({minutes:.1f} min)")
        for row in failed:
            print(f"FAILED {row['edition']}: {row['result']}")
        return 1 if failed or not rows else 0
    finally:
        if args.keep:
            print(f"kept {where}")
        else:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
