"""Command line: ``python -m ganaug info | prepare | notebooks [--check]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ganaug import config


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m ganaug", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="show the profile, the folders and which data would load")
    prepare = commands.add_parser("prepare", help="load the data once so the cache is filled")
    prepare.add_argument("--size", type=int, default=28)
    notebooks = commands.add_parser(
        "notebooks", help="refresh Colab headers, strip outputs, regenerate student editions"
    )
    notebooks.add_argument("--check", action="store_true", help="only report, exit 1 if stale")
    notebooks.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)

    if args.command == "info":
        print(f"profile:   {config.get_profile()}")
        print(f"data dir:  {config.data_dir()}")
        print(f"cache dir: {config.cache_dir()}")
        return 0
    if args.command == "prepare":
        from ganaug.data import describe_run, load_data

        print(describe_run(load_data(size=args.size)))
        return 0
    from ganaug.notebooks import sync

    changed = sync(args.root.resolve(), check_only=args.check)
    for path in changed:
        print(("stale: " if args.check else "wrote: ") + str(path.relative_to(args.root.resolve())))
    return 1 if args.check and changed else 0
