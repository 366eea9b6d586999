"""The chapter 5 study: arms x seeds -> a results folder (``results.csv``, predictions,
``gan_quality.csv``, ``run.json``, ``report.md``, figures). Run it with
``python -m ganaug reproduce --profile {smoke,book,full} --out DIR``."""

from ganaug.common.lazy import lazy_package

# Each name is imported from its module on first use (ganaug.common.lazy): a page that reads the
# committed CSVs does not start TensorFlow. Submodules load the same way (the public ones last).
__getattr__, __dir__, __all__ = lazy_package(
    __name__,
    {
        "ganaug.experiment.arms": (
            "ARMS",
            "MINORITY",
            "SWEEP",
            "Arm",
            "arm_table",
            "concatenate",
            "generated_data",
            "get_arms",
            "is_generated",
            "synthetic_count",
            "training_set",
        ),
        "ganaug.experiment.custom": (
            "generator_version",
            "register_generator",
            "registered_generators",
            "unregister_generator",
        ),
        "ganaug.experiment.leak": (
            "cell_leak",
            "leak_gap",
        ),
        "ganaug.experiment.plan": (
            "STUDY_PLANS",
            "StudyPlan",
            "describe_gan_count",
            "live_plan",
            "study_plan",
        ),
        "ganaug.experiment.primary": (
            "PRIMARY_COMPARISONS",
            "choose_on_validation",
            "primary_table",
            "unit_sizes",
        ),
        "ganaug.experiment.report": (
            "arm_intervals",
            "arm_summary",
            "render_report",
            "write_report",
        ),
        "ganaug.experiment.runner": (
            "gan_folder",
            "live_study_folder",
            "run_experiment",
            "study_cache",
        ),
        "ganaug.experiment.store": (
            "load_gan_candidates",
            "load_gan_quality",
            "load_predictions",
            "load_results",
            "results_dir",
        ),
        "ganaug.experiment.units": (
            "PROTOCOLS",
            "seed_splits",
            "study_cell",
            "unit_generators",
        ),
        "ganaug.experiment.versions": ("code_hash",),
    },
    (
        "choice",
        "gan_curve",
        "real_reference",
        "run_to_run",
        "search_report",
        "search_rule",
    ),
)
