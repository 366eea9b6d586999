"""Loading, choosing and splitting the images (chapter 1)."""

from ganaug.data.core import (
    CLASS_NAMES,
    REPORT_CLASSES,
    LesionData,
    cap_per_class,
    from_arrays,
    select_classes,
)
from ganaug.data.dermamnist import DERMAMNIST_LABELS, DERMAMNIST_MD5, load_dermamnist
from ganaug.data.folds import fold_of, fold_splits, repeat_folds
from ganaug.data.ham10000 import load_ham10000
from ganaug.data.source import describe_run, lesson_data, load_data
from ganaug.data.splits import (
    REPORT_PROTOCOL,
    REPORT_PROTOCOL_BY_IMAGE,
    SAME_LESION_PAIRS,
    SplitProtocol,
    Splits,
    lesion_groups,
    report_split,
    split_by_image,
    split_by_lesion,
)
from ganaug.data.synthetic import synthetic_lesions

__all__ = [
    "CLASS_NAMES",
    "DERMAMNIST_LABELS",
    "DERMAMNIST_MD5",
    "REPORT_CLASSES",
    "REPORT_PROTOCOL",
    "REPORT_PROTOCOL_BY_IMAGE",
    "SAME_LESION_PAIRS",
    "LesionData",
    "SplitProtocol",
    "Splits",
    "cap_per_class",
    "describe_run",
    "fold_of",
    "fold_splits",
    "from_arrays",
    "lesion_groups",
    "lesson_data",
    "load_data",
    "load_dermamnist",
    "load_ham10000",
    "repeat_folds",
    "report_split",
    "select_classes",
    "split_by_image",
    "split_by_lesion",
    "synthetic_lesions",
]
