"""The command line's two measurements of noise beside the study (issue: generator judgement):
``python -m ganaug real-reference`` (:mod:`ganaug.experiment.real_reference`) and ``python -m
ganaug run-to-run`` (:mod:`ganaug.experiment.run_to_run`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ganaug import config

COMMANDS = ("real-reference", "run-to-run")


def add_commands(commands) -> None:
    """Add both commands to the command line's subparsers."""
    real = commands.add_parser(
        "real-reference",
        help="score each unit's validation bcc as a generator (how often real images pass)",
        description="Train (or load) each unit's extractor and measure the unit's validation "
        "bcc exactly as a generator's images are, beside the real and blurred halves; writes "
        "gan_quality.csv and run.json into --out, resuming. Book profile: about 1-2 minutes a "
        "unit on a 2-core CPU.",
    )
    real.add_argument("--profile", choices=["smoke", "book", "full"], default=None)
    real.add_argument("--out", type=Path, required=True, help="results folder")
    real.add_argument("--units", type=int, nargs="*", default=None, help="default: every unit")
    runs = commands.add_parser(
        "run-to-run",
        help="train one cell and one GAN again with the same seed (run-to-run spread)",
        description="Train the classic cell and the dcgan GAN of one unit twice with the same "
        "seed, and the cell with two more seeds; writes runs.csv and run.json into --out, "
        "resuming. Book profile: about 15 minutes on a 2-core CPU.",
    )
    runs.add_argument("--profile", choices=["smoke", "book", "full"], default=None)
    runs.add_argument("--out", type=Path, required=True, help="results folder")
    runs.add_argument("--unit", type=int, default=0)


def run(args: argparse.Namespace) -> int:
    """Run ``args.command`` (one of :data:`COMMANDS`); returns the exit status."""
    from ganaug.experiment.real_reference import reproduce_real_reference
    from ganaug.experiment.run_to_run import reproduce_run_to_run

    try:
        profile = config.get_profile(args.profile).name
        if args.command == "real-reference":
            out = reproduce_real_reference(profile, args.out, args.units)
        else:
            out = reproduce_run_to_run(profile, args.out, args.unit)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0
