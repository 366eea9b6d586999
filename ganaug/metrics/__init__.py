"""Evaluation: classification metrics, confidence intervals, tests, and GAN quality."""

from ganaug.metrics.artifacts import checkerboard_range, checkerboard_score, checkerboard_scores
from ganaug.metrics.classification import (
    accuracy_with_interval,
    balanced_accuracy,
    classification_metrics,
    classification_report_table,
    confusion_table,
    wilson_interval,
)
from ganaug.metrics.equivalence import equivalence_word, tost_corrected, tost_paired
from ganaug.metrics.fidelity import (
    duplicate_threshold,
    knn_radii,
    near_duplicate_share,
    precision_recall,
)
from ganaug.metrics.gan_quality import (
    blur_images,
    classifier_features,
    frechet_distance,
    frechet_distance_from_moments,
    kernel_inception_distance,
)
from ganaug.metrics.memorisation import diversity, memorisation_table, nearest_neighbours
from ganaug.metrics.power import (
    corrected_power,
    detectable_floor,
    paired_power,
    t_test_power,
    test_images_needed,
    units_needed_corrected,
    units_needed_paired,
)
from ganaug.metrics.resampled import (
    corrected_half_width,
    corrected_resampled_t,
    five_by_two_cv_t,
    smallest_resolvable_effect,
)
from ganaug.metrics.seeds import (
    MIN_SEEDS_WILCOXON,
    holm_correction,
    paired_seed_difference,
    sd_interval,
    seed_table,
)
from ganaug.metrics.significance import (
    Interval,
    bootstrap_balanced_accuracy,
    mcnemar_from_table,
    mcnemar_table,
    mcnemar_test,
)
from ganaug.metrics.target_intervals import real_pass_rates, target_intervals, unit_pass_rates

__all__ = [
    "MIN_SEEDS_WILCOXON",
    "Interval",
    "accuracy_with_interval",
    "balanced_accuracy",
    "blur_images",
    "bootstrap_balanced_accuracy",
    "checkerboard_range",
    "checkerboard_score",
    "checkerboard_scores",
    "classification_metrics",
    "classification_report_table",
    "classifier_features",
    "confusion_table",
    "corrected_power",
    "detectable_floor",
    "diversity",
    "duplicate_threshold",
    "equivalence_word",
    "frechet_distance",
    "frechet_distance_from_moments",
    "holm_correction",
    "kernel_inception_distance",
    "knn_radii",
    "mcnemar_from_table",
    "mcnemar_table",
    "mcnemar_test",
    "memorisation_table",
    "near_duplicate_share",
    "nearest_neighbours",
    "paired_power",
    "paired_seed_difference",
    "precision_recall",
    "real_pass_rates",
    "sd_interval",
    "seed_table",
    "t_test_power",
    "target_intervals",
    "unit_pass_rates",
    "test_images_needed",
    "tost_corrected",
    "tost_paired",
    "units_needed_corrected",
    "units_needed_paired",
    "wilson_interval",
]
# Tests for units with overlapping training sets (ganaug.metrics.resampled).
__all__ += [
    "corrected_half_width",
    "corrected_resampled_t",
    "five_by_two_cv_t",
    "smallest_resolvable_effect",
]
