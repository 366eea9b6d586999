"""Evaluation: classification metrics, confidence intervals, tests, and GAN quality."""

from ganaug.common.lazy import lazy_package

# Each name is imported from its module on first use (ganaug.common.lazy): a page that reads the
# committed CSVs does not start TensorFlow. Submodules load the same way (the public ones last).
__getattr__, __dir__, __all__ = lazy_package(
    __name__,
    {
        "ganaug.metrics.artifacts": (
            "checkerboard_range",
            "checkerboard_score",
            "checkerboard_scores",
        ),
        "ganaug.metrics.classification": (
            "accuracy_with_interval",
            "balanced_accuracy",
            "classification_metrics",
            "classification_report_table",
            "confusion_table",
            "wilson_interval",
        ),
        "ganaug.metrics.equivalence": (
            "equivalence_word",
            "tost_corrected",
            "tost_paired",
        ),
        "ganaug.metrics.fidelity": (
            "duplicate_threshold",
            "knn_radii",
            "near_duplicate_share",
            "precision_recall",
        ),
        "ganaug.metrics.gan_quality": (
            "blur_images",
            "classifier_features",
            "frechet_distance",
            "frechet_distance_from_moments",
            "kernel_inception_distance",
        ),
        "ganaug.metrics.memorisation": (
            "diversity",
            "memorisation_table",
            "nearest_neighbours",
        ),
        "ganaug.metrics.power": (
            "corrected_power",
            "detectable_floor",
            "paired_power",
            "t_test_power",
            "test_images_needed",
            "units_needed_corrected",
            "units_needed_paired",
        ),
        "ganaug.metrics.resampled": (
            "corrected_half_width",
            "corrected_resampled_t",
            "five_by_two_cv_t",
            "smallest_resolvable_effect",
        ),
        "ganaug.metrics.seeds": (
            "MIN_SEEDS_WILCOXON",
            "holm_correction",
            "paired_seed_difference",
            "sd_interval",
            "seed_table",
        ),
        "ganaug.metrics.significance": (
            "Interval",
            "bootstrap_balanced_accuracy",
            "mcnemar_from_table",
            "mcnemar_table",
            "mcnemar_test",
        ),
        "ganaug.metrics.target_intervals": (
            "real_pass_rates",
            "target_intervals",
            "unit_pass_rates",
        ),
    },
)
