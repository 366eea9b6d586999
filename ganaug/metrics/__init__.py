"""Evaluation: classification metrics, confidence intervals, tests, and GAN quality."""

from ganaug.metrics.classification import (
    accuracy_with_interval,
    classification_metrics,
    classification_report_table,
    confusion_table,
    wilson_interval,
)
from ganaug.metrics.memorisation import diversity, memorisation_table, nearest_neighbours

__all__ = [
    "accuracy_with_interval",
    "classification_metrics",
    "classification_report_table",
    "confusion_table",
    "diversity",
    "memorisation_table",
    "nearest_neighbours",
    "wilson_interval",
]
