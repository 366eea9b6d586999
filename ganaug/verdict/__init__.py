"""Chapter 6: the statistics of a results folder, and a verdict whose words follow the numbers."""

from ganaug.common.lazy import lazy_package

# Each name is imported from its module on first use (ganaug.common.lazy): a page that reads the
# committed CSVs does not start TensorFlow. Submodules load the same way (the public ones last).
__getattr__, __dir__, __all__ = lazy_package(
    __name__,
    {
        "ganaug.verdict.analysis": (
            "GENERATOR_ORDER",
            "LEAKAGE_ARM",
            "REPORT_ACCURACY",
            "REPORT_IMAGES",
            "augmentation_arms",
            "discordance",
            "gan_quality_summary",
            "has_validation_metrics",
            "leakage_effect",
            "mcnemar_for_seed",
            "planned_unit_sizes",
            "power_summary",
            "primary_intervals",
            "report_uncertainty",
            "resolution_table",
            "seed_differences",
        ),
        "ganaug.verdict.wording": (
            "INTERVALS",
            "arms_with_evidence",
            "describe_difference",
            "describe_gan_position",
            "describe_leakage",
            "describe_results",
            "interval_text",
            "intervals_display",
            "points",
            "resolution_display",
            "zero_side",
            "zero_word",
        ),
    },
    (
        "chosen",
        "direct",
        "equivalence",
        "folder",
        "leakage",
        "power",
        "quality",
        "recall",
        "spreads",
    ),
)
