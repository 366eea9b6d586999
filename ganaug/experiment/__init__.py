"""The chapter 5 study: arms x seeds -> a results folder (``results.csv``, predictions,
``gan_quality.csv``, ``run.json``, ``report.md``, figures). Run it with
``python -m ganaug reproduce --profile {smoke,book,full} --out DIR``."""

# Modules the lessons read by name (``experiment.gan_curve.load_curve`` and the like).
from ganaug.experiment import (
    choice,
    gan_curve,
    real_reference,
    run_to_run,
    search_report,
    search_rule,
)
from ganaug.experiment.arms import (
    ARMS,
    MINORITY,
    SWEEP,
    Arm,
    arm_table,
    concatenate,
    generated_data,
    get_arms,
    is_generated,
    synthetic_count,
    training_set,
)
from ganaug.experiment.custom import (
    generator_version,
    register_generator,
    registered_generators,
    unregister_generator,
)
from ganaug.experiment.leak import cell_leak, leak_gap
from ganaug.experiment.plan import (
    STUDY_PLANS,
    StudyPlan,
    describe_gan_count,
    live_plan,
    study_plan,
)
from ganaug.experiment.primary import (
    PRIMARY_COMPARISONS,
    choose_on_validation,
    primary_table,
    unit_sizes,
)
from ganaug.experiment.report import arm_intervals, arm_summary, render_report, write_report
from ganaug.experiment.runner import gan_folder, live_study_folder, run_experiment, study_cache
from ganaug.experiment.store import (
    load_gan_candidates,
    load_gan_quality,
    load_predictions,
    load_results,
    results_dir,
)
from ganaug.experiment.units import PROTOCOLS, seed_splits, study_cell, unit_generators
from ganaug.experiment.versions import code_hash

__all__ = [
    "choice",
    "gan_curve",
    "real_reference",
    "run_to_run",
    "search_report",
    "search_rule",
    "ARMS",
    "MINORITY",
    "PRIMARY_COMPARISONS",
    "PROTOCOLS",
    "STUDY_PLANS",
    "SWEEP",
    "Arm",
    "StudyPlan",
    "arm_intervals",
    "arm_summary",
    "arm_table",
    "cell_leak",
    "choose_on_validation",
    "code_hash",
    "concatenate",
    "generated_data",
    "get_arms",
    "is_generated",
    "leak_gap",
    "gan_folder",
    "generator_version",
    "register_generator",
    "registered_generators",
    "unregister_generator",
    "describe_gan_count",
    "live_plan",
    "live_study_folder",
    "load_gan_candidates",
    "load_gan_quality",
    "load_predictions",
    "load_results",
    "primary_table",
    "render_report",
    "results_dir",
    "run_experiment",
    "seed_splits",
    "study_cell",
    "study_cache",
    "study_plan",
    "unit_generators",
    "synthetic_count",
    "training_set",
    "unit_sizes",
    "write_report",
]
