"""Chapter 5: the statistics of a results folder, and a verdict whose words follow the numbers."""

from ganaug.verdict.analysis import (
    GENERATOR_ORDER,
    LEAKAGE_ARM,
    REPORT_ACCURACY,
    REPORT_IMAGES,
    augmentation_arms,
    discordance,
    gan_quality_summary,
    leakage_effect,
    mcnemar_for_seed,
    power_summary,
    report_uncertainty,
    seed_differences,
    verdict_table,
)
from ganaug.verdict.wording import (
    arms_with_evidence,
    describe_difference,
    describe_gan_position,
    describe_leakage,
    describe_results,
    verdict_display,
    verdict_sentence,
)

__all__ = [
    "GENERATOR_ORDER",
    "LEAKAGE_ARM",
    "REPORT_ACCURACY",
    "REPORT_IMAGES",
    "arms_with_evidence",
    "augmentation_arms",
    "describe_difference",
    "describe_gan_position",
    "describe_leakage",
    "describe_results",
    "discordance",
    "gan_quality_summary",
    "leakage_effect",
    "mcnemar_for_seed",
    "power_summary",
    "report_uncertainty",
    "seed_differences",
    "verdict_display",
    "verdict_sentence",
    "verdict_table",
]
