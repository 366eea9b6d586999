"""Colour and brightness statistics of the images (chapter 1).

Grey level uses the ITU-R BT.601 luma weights, the same as Pillow's ``convert("L")``:
``grey = 0.299 R + 0.587 G + 0.114 B`` on the 0-255 scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ganaug.data.core import LesionData, check_images
from ganaug.data.splits import lesion_groups

#: ITU-R BT.601 luma weights for R, G, B.
LUMA_WEIGHTS: tuple[float, float, float] = (0.299, 0.587, 0.114)


def grey_means(images: np.ndarray) -> np.ndarray:
    """Mean grey level (0-255) of each image.

    Parameters
    ----------
    images : numpy.ndarray
        ``(N, H, W, 3)`` RGB, uint8 or float on the 0-255 scale.

    Examples
    --------
    >>> white_and_black = np.stack([np.full((2, 2, 3), 255), np.zeros((2, 2, 3))])
    >>> grey_means(white_and_black).round(6).tolist()
    [255.0, 0.0]
    """
    images = check_images(images)
    return images.astype(float).mean(axis=(1, 2)) @ np.asarray(LUMA_WEIGHTS)


def channel_means(data: LesionData) -> pd.DataFrame:
    """One row per image: ids, class and mean R, G, B and grey (0-255).

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> table = channel_means(synthetic_lesions(n_per_class=4))
    >>> list(table.columns)
    ['image_id', 'lesion_id', 'dx', 'mean_r', 'mean_g', 'mean_b', 'grey']
    """
    rgb = check_images(data.images).astype(float).mean(axis=(1, 2))
    return pd.DataFrame(
        {
            "image_id": data.image_id,
            "lesion_id": data.lesion_id,
            "dx": data.dx,
            "mean_r": rgb[:, 0],
            "mean_g": rgb[:, 1],
            "mean_b": rgb[:, 2],
            "grey": rgb @ np.asarray(LUMA_WEIGHTS),
        }
    )


def class_counts(data: LesionData) -> pd.DataFrame:
    """Images and distinct lesions per class, and images per lesion.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> class_counts(synthetic_lesions(n_per_class=6))["images"].tolist()
    [6, 6, 6]
    """
    frame = pd.DataFrame({"dx": data.dx, "lesion": lesion_groups(data)})
    table = frame.groupby("dx").agg(images=("lesion", "size"), lesions=("lesion", "nunique"))
    table["images_per_lesion"] = table["images"] / table["lesions"]
    table["share"] = table["images"] / table["images"].sum()
    return table.sort_values("images", ascending=False)


def images_per_lesion(data: LesionData) -> pd.Series:
    """How many lesions have 1, 2, 3, ... images (index: images per lesion)."""
    sizes = pd.Series(lesion_groups(data)).value_counts()
    return sizes.value_counts().sort_index().rename("lesions").rename_axis("images per lesion")


def compare_distributions(table: pd.DataFrame, column: str = "grey") -> pd.DataFrame:
    """How far each class's distribution of ``column`` is from the other classes together.

    Returns one row per class with its mean, the two-sample Kolmogorov-Smirnov statistic and
    p-value against the rest, and Cohen's d (mean difference over the pooled standard
    deviation), sorted by KS statistic, largest first. Images of one lesion are not
    independent, so read the p-values as optimistic.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> result = compare_distributions(channel_means(synthetic_lesions(n_per_class=50)))
    >>> result.index[0]  # the synthetic bcc is drawn paler
    'bcc'
    """
    if column not in table.columns:
        raise ValueError(f"no column {column!r}; choose one of {', '.join(table.columns)}")
    rows = {}
    for code in sorted(table["dx"].unique()):
        inside = table.loc[table["dx"] == code, column].to_numpy(float)
        outside = table.loc[table["dx"] != code, column].to_numpy(float)
        if len(inside) < 2 or len(outside) < 2:
            raise ValueError("each class and the rest need at least 2 images to compare")
        test = scipy_stats.ks_2samp(inside, outside)
        rows[code] = {
            "mean": inside.mean(),
            "mean_rest": outside.mean(),
            "ks_statistic": test.statistic,
            "p_value": test.pvalue,
            "cohens_d": cohens_d(inside, outside),
        }
    return pd.DataFrame(rows).T.sort_values("ks_statistic", ascending=False)


def per_lesion_means(table: pd.DataFrame) -> pd.DataFrame:
    """Average the rows of :func:`channel_means` over each lesion (one row per lesion group).

    Photographs of one lesion are not independent samples; comparing classes lesion by lesion
    gives honest p-values. Lesions are the groups of :func:`ganaug.data.lesion_groups` (ids of
    one lesion merged); the ``lesion_id`` column holds each group's id.

    Examples
    --------
    >>> from ganaug.data import synthetic_lesions
    >>> data = synthetic_lesions(n_per_class=20)
    >>> len(per_lesion_means(channel_means(data))) == len(set(lesion_groups(data)))
    True
    """
    numeric = ["mean_r", "mean_g", "mean_b", "grey"]
    grouped = table.assign(lesion_id=lesion_groups(table["lesion_id"].to_numpy(str)))
    return grouped.groupby(["lesion_id", "dx"], as_index=False)[numeric].mean()


def cohens_d(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's d: ``(mean(a) - mean(b))`` over the pooled standard deviation.

    Examples
    --------
    >>> round(cohens_d(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 4.0])), 3)
    -1.0
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    return float((a.mean() - b.mean()) / np.sqrt(pooled))
