"""Command line: ``python -m ganaug info | prepare | data-facts | fetch-kaggle | notebooks
[--check] | build-key | reproduce | gan-curve | gan-search | real-reference | run-to-run``."""

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
    facts = commands.add_parser(
        "data-facts",
        help="write the book's HAM10000 leak figures (chapter 1) for readers on DermaMNIST",
    )
    facts.add_argument("--out", type=Path, default=Path("results/data_facts/book"))
    kaggle = commands.add_parser(
        "fetch-kaggle",
        help="download HAM10000 from Kaggle with your API token (checked; all or nothing)",
    )
    kaggle.add_argument(
        "--to", type=Path, default=None, help="target folder (default: DATA_DIR/HAM10000)"
    )
    notebooks = commands.add_parser(
        "notebooks",
        help="refresh Colab headers, strip outputs, regenerate student and Colab editions",
    )
    notebooks.add_argument("--check", action="store_true", help="only report, exit 1 if stale")
    notebooks.add_argument("--root", type=Path, default=Path.cwd())
    build_key = commands.add_parser(
        "build-key",
        help="print the key of the book's execution cache and the digests it is made of",
        description="make book keeps each notebook's outputs in a cache named by this key: a "
        "hash of the library's sources, the installed packages, the GANAUG_* settings, the "
        "data folder and results/. A new key executes every notebook again.",
    )
    build_key.add_argument("--root", type=Path, default=Path.cwd(), help="the book's folder")
    _add_reproduce(commands)
    _add_gan_curve(commands)
    _add_gan_search(commands)
    _add_spreads(commands)
    args = parser.parse_args(argv)
    if argv is None:  # run as a command: TensorFlow's known runtime noise stays off the terminal
        from ganaug.common.quiet import quiet_runtime

        quiet_runtime()
    if args.command == "build-key":
        return print_build_key(args.root)
    if args.command == "reproduce":
        return reproduce(args)
    if args.command == "gan-curve":
        return gan_curve(args)
    if args.command == "gan-search":
        return gan_search(args)
    if args.command in ("real-reference", "run-to-run"):
        return spreads(args)
    if args.command == "data-facts":
        from ganaug.data import lesson_data
        from ganaug.experiment import results_dir
        from ganaug.experiment.plan import study_data
        from ganaug.teaching.lesion_ids import write_facts

        chapter_data, study = lesson_data(profile="book"), study_data("book")
        print(f"wrote {write_facts(args.out, chapter_data, results_dir(), study)}")
        return 0
    if args.command == "fetch-kaggle":
        from ganaug.teaching.kaggle import fetch_ham10000

        folder = fetch_ham10000(args.to or config.data_dir() / "HAM10000")
        print(f"HAM10000 is in {folder}: set GANAUG_DATA_DIR={folder}")
        return 0

    if args.command == "info":
        print(f"profile:   {config.get_profile()}")
        print(f"data dir:  {config.data_dir()}")
        print(f"cache dir: {config.cache_dir()}")
        return 0
    if args.command == "prepare":
        from ganaug.data import describe_run, load_data

        profile = config.get_profile()
        data = load_data(size=args.size, synthetic_per_class=profile.synthetic_per_class)
        print(describe_run(data, profile.name))
        return 0
    from ganaug.teaching.notebooks import sync

    changed = sync(args.root.resolve(), check_only=args.check)
    for path in changed:
        print(("stale: " if args.check else "wrote: ") + str(path.relative_to(args.root.resolve())))
    return 1 if args.check and changed else 0


def print_build_key(root: Path) -> int:
    """``python -m ganaug build-key``: the book's build key, then each input's digest."""
    import os
    import sys

    from ganaug.teaching.build import build_inputs, build_key

    try:
        inputs = build_inputs(root.resolve(), os.environ)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"key: {build_key(inputs)}")
    for name, digest in inputs.items():
        print(f"{name + ':':10} {digest[:16]}")
    return 0


def _add_reproduce(commands) -> None:
    from ganaug.experiment.arms import ARMS

    reproduce_parser = commands.add_parser(
        "reproduce",
        help="run the chapter 5 study (arms x seeds) into a results folder",
        description="Run the chapter 5 study: every arm x seed cell, a GAN of each kind per "
        "seed trained on that seed's training images only. Writes results.csv, predictions/, "
        "gan_quality.csv, run.json, report.md and figures/ into --out as each cell finishes; "
        "run it again to resume. Sizes: smoke (seconds, tests), book (10 k-fold units, 10 arms, "
        "for a 2-core CPU), full (20 units, every arm, meant for a GPU).",
    )
    reproduce_parser.add_argument(
        "--profile",
        choices=["smoke", "book", "full"],
        default=None,
        help="study size (default: GANAUG_PROFILE, else book)",
    )
    reproduce_parser.add_argument("--out", type=Path, required=True, help="results folder")
    reproduce_parser.add_argument(
        "--arms", nargs="+", metavar="ARM", help=f"only these arms (default all): {', '.join(ARMS)}"
    )
    reproduce_parser.add_argument(
        "--seeds",
        nargs="+",
        type=int,
        metavar="SEED",
        help="only these seeds (default 0 .. the profile's count - 1)",
    )
    reproduce_parser.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="run cells in this process (default) or as Ray tasks",
    )
    reproduce_parser.add_argument(
        "--ray-address", default=None, help="a Ray cluster address (default: start Ray here)"
    )
    reproduce_parser.add_argument(
        "--deterministic",
        action="store_true",
        help="the same seed gives the same numbers bit for bit (slower; GANAUG_DETERMINISTIC=1)",
    )
    reproduce_parser.add_argument(
        "--report-only",
        action="store_true",
        help="only regenerate report.md and figures from the CSVs",
    )


def reproduce(args: argparse.Namespace) -> int:
    """``python -m ganaug reproduce``: run (or resume) the study, then write its report and
    figures. The profile is read here, once (``--profile``, else ``GANAUG_PROFILE``), and
    passed down."""
    import os
    import sys

    from ganaug.experiment.arms import get_arms
    from ganaug.experiment.plan import study_data, study_plan
    from ganaug.experiment.provenance import read_run
    from ganaug.experiment.report import write_report
    from ganaug.experiment.runner import run_experiment, study_cache
    from ganaug.plots.experiment import kept_candidates, save_sample_figures, save_study_figures

    try:
        if args.out.exists() and not args.out.is_dir():
            raise ValueError(
                f"--out {args.out} is a file, not a folder: name a new or existing results folder"
            )
        if args.report_only:
            text = write_report(args.out)
            save_study_figures(args.out)
            print(text)
            return 0
        get_arms(args.arms)  # fail on an unknown arm before any data is loaded
        if args.seeds is not None and not args.seeds:
            raise ValueError("zero seeds chosen")
        if args.deterministic:
            os.environ["GANAUG_DETERMINISTIC"] = "1"  # run_experiment turns it on
        profile = config.get_profile(args.profile).name
        data = study_data(profile)
        results = run_experiment(
            data,
            args.out,
            profile,
            args.arms,
            args.seeds,
            args.engine,
            args.ray_address,
            command=_command_line(args),
        )
        text = write_report(args.out)
        save_study_figures(args.out)
        plan = study_plan(profile)
        seeds = sorted(int(seed) for seed in results["seed"].unique())
        cache = study_cache(data, profile)
        kept = kept_candidates(read_run(args.out) or {})
        save_sample_figures(args.out, data, seeds, cache, plan.protocol, plan.folds, kept)
        print(text)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _add_gan_curve(commands) -> None:
    curve = commands.add_parser(
        "gan-curve",
        help="generator quality against training steps on one unit (chapter 4)",
        description="Train each generator on one unit's training part and measure it (FID, "
        "KID, precision, recall, diversity, near-duplicates, checkerboard, GAN-test) at each "
        "checkpoint; writes curve.csv, samples/ and run.json into --out as it goes and resumes "
        "when run again. Book profile, dcgan and dcgan_four_fixes to 6000 steps: about half an "
        "hour on a 2-core CPU.",
    )
    curve.add_argument("--profile", choices=["smoke", "book", "full"], default=None)
    curve.add_argument("--out", type=Path, required=True, help="results folder")
    curve.add_argument("--generators", nargs="+", default=["dcgan", "dcgan_four_fixes"])
    curve.add_argument("--steps", nargs="+", type=int, default=[750, 1500, 3000, 6000])
    curve.add_argument("--unit", type=int, default=0, help="which unit of the study's protocol")


def gan_curve(args: argparse.Namespace) -> int:
    """``python -m ganaug gan-curve``: the generator-quality curve of one unit."""
    import sys

    from ganaug.experiment.gan_curve import check_curve_generator, check_steps, quality_curve
    from ganaug.experiment.plan import study_data

    try:
        for generator in args.generators:
            check_curve_generator(generator)
        check_steps(args.steps)
        profile = config.get_profile(args.profile).name
        command = (
            f"python -m ganaug gan-curve --profile {profile} --out {args.out.as_posix()} "
            f"--generators {' '.join(args.generators)} --steps {' '.join(map(str, args.steps))}"
            f" --unit {args.unit}"
        )
        curve = quality_curve(
            study_data(profile), args.out, profile, args.generators, args.steps, args.unit,
            command=command,
        )  # fmt: skip
        print(curve.pivot_table(index=["generator", "steps"], columns="metric", values="value"))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _add_gan_search(commands) -> None:
    search = commands.add_parser(
        "gan-search",
        help="the generator search: K GAN seeds per kind on a few units (chapter 4)",
        description="Train each candidate kind with K GAN seeds on each of the search's units "
        "and measure every GAN at its checkpoints against the lesion-clean floor and the unit's "
        "validation bcc; writes search.csv and run.json into --out as it goes and resumes when "
        "run again. The rule that chooses among the kinds is ganaug.experiment.search_rule. Book "
        "profile: several hours on a 2-core CPU.",
    )
    search.add_argument("--profile", choices=["smoke", "book", "full"], default=None)
    search.add_argument("--out", type=Path, required=True, help="results folder")


def gan_search(args: argparse.Namespace) -> int:
    """``python -m ganaug gan-search``: the generator search of the profile."""
    import sys

    from ganaug.experiment.plan import study_data
    from ganaug.experiment.search import baseline_candidate, run_search
    from ganaug.experiment.search_rule import apply_rule

    try:
        profile = config.get_profile(args.profile).name
        command = f"python -m ganaug gan-search --profile {profile} --out {args.out.as_posix()}"
        search = run_search(study_data(profile), args.out, profile, command=command)
        table, chosen = apply_rule(search, baseline_candidate(profile))
        print(table.to_string())
        print(f"chosen by the rule: {chosen}")
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _command_line(args: argparse.Namespace) -> str:
    """The reproduce command as typed, rebuilt from its parsed arguments."""
    words = [
        "python -m ganaug reproduce",
        *(["--deterministic"] if getattr(args, "deterministic", False) else []),
        f"--profile {config.get_profile(args.profile).name}",
        f"--out {args.out.as_posix()}",
    ]
    if args.arms:
        words.append("--arms " + " ".join(args.arms))
    if args.seeds:
        words.append("--seeds " + " ".join(map(str, args.seeds)))
    if args.engine != "local":
        words.append(f"--engine {args.engine}")
    return " ".join(words)


def _add_spreads(commands) -> None:
    """``real-reference`` and ``run-to-run``: the noise beside the study (chapter 6)."""
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


def spreads(args: argparse.Namespace) -> int:
    """``python -m ganaug real-reference`` or ``run-to-run``: measure, resuming, into --out."""
    import sys

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
