"""The CNN classifier of chapter 2: classic augmentation, the tf.data input pipeline, and the
model with its training and prediction.

- :mod:`ganaug.classifier.augment`: the report's ``ImageDataGenerator`` settings as Keras layers;
- :mod:`ganaug.classifier.pipeline`: labels as integers, images as tf.data batches;
- :mod:`ganaug.classifier.model`: build, fit and predict.
"""

from ganaug.classifier.augment import REPORT_ARGUMENTS, argument_table, classic_augmentation
from ganaug.classifier.model import (
    balanced_class_weight,
    batchnorm_variances,
    build_cnn,
    check_validation_data,
    fit_classifier,
    predict,
    predict_proba,
)
from ganaug.classifier.pipeline import encode_labels, make_dataset

__all__ = [
    "REPORT_ARGUMENTS",
    "argument_table",
    "balanced_class_weight",
    "batchnorm_variances",
    "build_cnn",
    "check_validation_data",
    "classic_augmentation",
    "encode_labels",
    "fit_classifier",
    "make_dataset",
    "predict",
    "predict_proba",
]
