"""Every figure the book shows. Each function returns the matplotlib Figure."""

from ganaug.common.lazy import lazy_package

# Each name is imported from its module on first use (ganaug.common.lazy): a page that reads the
# committed CSVs does not start TensorFlow. Submodules load the same way (the public ones last).
__getattr__, __dir__, __all__ = lazy_package(
    __name__,
    {
        "ganaug.plots.curve": (
            "plot_curve_samples",
            "plot_quality_curve",
            "plot_seed_spread",
        ),
        "ganaug.plots.data": (
            "plot_channel_distributions",
            "plot_class_counts",
            "plot_images_per_lesion",
            "plot_sample_grid",
        ),
        "ganaug.plots.gan": (
            "plot_adversarial_game",
            "plot_gan_history",
            "plot_image_grid",
            "plot_nearest_neighbours",
            "plot_sample_evolution",
        ),
        "ganaug.plots.toy": ("plot_toy_snapshots",),
        "ganaug.plots.training": (
            "plot_augmented_grid",
            "plot_confusion_matrix",
            "plot_training_curves",
        ),
    },
)
