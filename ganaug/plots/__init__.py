"""Every figure the book shows. Each function returns the matplotlib Figure."""

from ganaug.plots.curve import plot_curve_samples, plot_quality_curve, plot_seed_spread
from ganaug.plots.data import (
    plot_channel_distributions,
    plot_class_counts,
    plot_images_per_lesion,
    plot_sample_grid,
)
from ganaug.plots.gan import (
    plot_adversarial_game,
    plot_gan_history,
    plot_image_grid,
    plot_nearest_neighbours,
    plot_sample_evolution,
)
from ganaug.plots.toy import plot_toy_snapshots
from ganaug.plots.training import (
    plot_augmented_grid,
    plot_confusion_matrix,
    plot_training_curves,
)

__all__ = [
    "plot_curve_samples",
    "plot_quality_curve",
    "plot_seed_spread",
    "plot_adversarial_game",
    "plot_gan_history",
    "plot_image_grid",
    "plot_nearest_neighbours",
    "plot_sample_evolution",
    "plot_toy_snapshots",
    "plot_augmented_grid",
    "plot_confusion_matrix",
    "plot_training_curves",
    "plot_channel_distributions",
    "plot_class_counts",
    "plot_images_per_lesion",
    "plot_sample_grid",
]
