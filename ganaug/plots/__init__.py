"""Every figure the book shows. Each function returns the matplotlib Figure."""

from ganaug.plots.data import (
    plot_channel_distributions,
    plot_class_counts,
    plot_images_per_lesion,
    plot_sample_grid,
)

__all__ = [
    "plot_channel_distributions",
    "plot_class_counts",
    "plot_images_per_lesion",
    "plot_sample_grid",
]
