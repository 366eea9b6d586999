"""Write the measured time per page, which each page's first output states, and its table.

Inputs, both measured on the same 2-core CPU:

- ``_build/execution.json`` of a fresh real-data ``make book`` (the ``book`` profile);
- the JSON report of ``make colab-check`` (``python tests/colab_like.py --report FILE``), which
  runs every Colab edition on the ``smoke`` profile from a pip-installed ganaug.

Outputs: ``ganaug/teaching/lesson_times.json`` (read by ``ganaug.teaching.timing``, shipped with
the package) and ``book/_lesson_times.md`` (the table the setup page includes).

    python benchmarks/lesson_times.py --book _build/execution.json --smoke colab-check.json
    python benchmarks/lesson_times.py --remeasured lessons/02_cnn=279  # one page, run alone
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ganaug.teaching.timing import TIMES_FILE, page_key  # noqa: E402

TABLE = ROOT / "book" / "_lesson_times.md"


def book_seconds(report: Path) -> dict[str, float]:
    """Seconds per page of a build's ``execution.json`` (only the pages it executed)."""
    found = json.loads(report.read_text())
    rows = found.get("notebooks") or found.get("executed") or {}
    seconds = {}
    items = rows.items() if isinstance(rows, dict) else ((r["notebook"], r) for r in rows)
    for name, row in items:
        value = row.get("seconds") if isinstance(row, dict) else row
        try:
            seconds[page_key(name)] = round(float(value), 1)
        except (ValueError, TypeError):
            continue
    return seconds


def smoke_seconds(report: Path) -> dict[str, float]:
    """Seconds per page of a Colab-like check's report (passed editions only)."""
    seconds = {}
    for row in json.loads(report.read_text()):
        if row["result"] == "passed":
            name = re.sub(r" \(.*\)$", "", row["edition"])
            seconds[page_key(name)] = row["seconds"]
    return seconds


def table(times: dict) -> str:
    """The markdown table of the setup page."""
    book, smoke = times["seconds"].get("book", {}), times["seconds"].get("smoke", {})
    lines = [
        "| page | `smoke`, 2-core CPU (measured) | `book`, 2-core CPU (measured) "
        "| Colab GPU, `full` (estimate: at most) |",
        "| --- | ---: | ---: | ---: |",
    ]

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value / 60:.1f} min"

    for page in sorted(set(book) | set(smoke)):
        bound = book.get(page)
        gpu = "-" if bound is None else f"{max(1, math.ceil(bound / 60))} min"
        lines.append(f"| `{page}` | {cell(smoke.get(page))} | {cell(bound)} | {gpu} |")
    lines.append("")
    if times.get("disturbed"):
        pages = ", ".join(f"`{page}`" for page in times["disturbed"])
        lines.append(
            f"Not yet measured with the `book` profile on an otherwise idle CPU: {pages} (their "
            "last run shared the machine with other work, so its times are left out).\n"
        )
    again = times.get("remeasured")
    if again:
        pages = ", ".join(f"`{page}`" for page in again["pages"])
        lines.append(
            f"Measured again at commit `{again['commit']}`, alone on the same CPU, after a change "
            f"to its runs: {pages} (`book` column).\n"
        )
    lines.append(
        f"Measured at commit `{times['commit']}` on {times['cpu']}. On a GPU the `full` profile "
        "runs a page with the `book` profile's sizes, so its 2-core CPU time bounds the GPU's; "
        "no GPU was available to measure it."
    )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, help="a real-data build's execution.json")
    parser.add_argument("--smoke", type=Path, help="colab_like.py's --report")
    parser.add_argument(
        "--remeasured",
        nargs="+",
        metavar="PAGE=SECONDS",
        help="keep the current file and replace these pages' book seconds, measured alone at HEAD",
    )
    parser.add_argument(
        "--disturbed",
        nargs="*",
        default=[],
        help="pages whose book time was measured while other work shared the CPU: left out",
    )
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if args.remeasured:
        times = json.loads(TIMES_FILE.read_text())
        pages = dict(item.partition("=")[::2] for item in args.remeasured)
        for page, seconds in pages.items():
            times["seconds"]["book"][page_key(page)] = round(float(seconds), 1)
        times["remeasured"] = {"commit": commit, "pages": sorted(map(page_key, pages))}
        TIMES_FILE.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
        TABLE.write_text(table(times))
        print(f"wrote {TIMES_FILE.relative_to(ROOT)} and {TABLE.relative_to(ROOT)}")
        return 0
    if args.smoke is None:
        parser.error("--smoke is required unless --remeasured is given")
    times = {
        "cpu": "a 2-core CPU",
        "commit": commit,
        "disturbed": sorted(args.disturbed),
        "seconds": {
            "book": {
                page: seconds
                for page, seconds in (book_seconds(args.book) if args.book else {}).items()
                if page not in args.disturbed
            },
            "smoke": smoke_seconds(args.smoke),
        },
    }
    TIMES_FILE.write_text(json.dumps(times, indent=1, sort_keys=True) + "\n")
    TABLE.write_text(table(times))
    print(f"wrote {TIMES_FILE.relative_to(ROOT)} and {TABLE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
