"""Evaluation: classification metrics, confidence intervals, tests, and GAN quality."""

from ganaug.metrics.classification import (
    accuracy_with_interval,
    classification_metrics,
    classification_report_table,
    confusion_table,
    wilson_interval,
)

__all__ = [
    "accuracy_with_interval",
    "classification_metrics",
    "classification_report_table",
    "confusion_table",
    "wilson_interval",
]
