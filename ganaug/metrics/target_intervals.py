"""Quality targets judged with their uncertainty (chapters 4 and 6).

A generator's summary against a target (mean FID over units against the real half's, the
GAN-test gap, ...) is measured on a handful of units, each with its own extractor and about 50
test bcc a side; one study's number can sit on either side of a threshold by luck.
:func:`target_intervals` gives every target's estimate a bootstrap interval over the units
(resampled with replacement: what another draw of units would show; the GAN-test gap's spread
gets the chi-square interval of an sd instead, which resampling understates; the worst unit's
near-duplicate share cannot rise above its measured value under resampling), and a verdict
read from the whole interval: ``"met"`` only when all of it lies on the passing side,
``"missed"`` only when all of it lies on the failing side, else ``"undecided"``.
:func:`real_pass_rates` says how often a generator that is itself real bcc passes each
per-unit target, where the measured rows can tell. Intervals over images would need the
per-image features, which a results folder does not keep.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ganaug.metrics.seeds import sd_interval
from ganaug.metrics.targets import TARGETS, get_target, quality_per_unit, unit_targets

#: How many resamples of the units a bootstrap interval is drawn from.
RESAMPLES = 4000
#: The words of an interval against a threshold.
MET, MISSED, UNDECIDED = "met", "missed", "undecided"


def _statistics(values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each target's summary, for every row of resampled units (arrays of shape (B, units))."""
    gap = values["gan_test"] - values["real_gan_test"]
    return {
        "fid_below_blurred": (values["fid"] < values["blurred_fid"]).mean(axis=1),
        "fid_near_reference": values["fid"].mean(axis=1) / values["real_fid"].mean(axis=1),
        "diversity": values["diversity"].mean(axis=1) / values["real_diversity"].mean(axis=1),
        "near_duplicates": values["near_duplicates"].max(axis=1),
        "gan_test_bias": gap.mean(axis=1),
        "gan_test_spread": gap.std(axis=1, ddof=1),
        "recall": values["recall"].mean(axis=1) / values["real_recall"].mean(axis=1),
    }


def _passes(name: str, value: float) -> bool:
    threshold = get_target(name).threshold
    if name == "fid_below_blurred":
        return value >= 1.0  # below blurred on every unit
    if name == "gan_test_bias":
        return abs(value) <= threshold
    if name in ("diversity", "recall"):
        return value >= threshold
    return value <= threshold


def interval_verdict(name: str, low: float, high: float) -> str:
    """:data:`MET` when the whole interval ``low`` to ``high`` passes target ``name``,
    :data:`MISSED` when the whole of it fails, else :data:`UNDECIDED` (a missing bound decides
    nothing).

    Examples
    --------
    >>> interval_verdict("fid_near_reference", 1.2, 1.9), interval_verdict("diversity", 0.6, 0.9)
    ('met', 'undecided')
    >>> interval_verdict("gan_test_bias", 0.11, 0.2), interval_verdict("gan_test_bias", -0.2, 0.2)
    ('missed', 'undecided')
    """
    if np.isnan(low) or np.isnan(high):
        return UNDECIDED
    if name == "gan_test_bias":  # the passing region is a band around zero
        threshold = get_target(name).threshold
        if -threshold <= low and high <= threshold:
            return MET
        return MISSED if low > threshold or high < -threshold else UNDECIDED
    low_passes, high_passes = _passes(name, low), _passes(name, high)
    return (
        MET
        if low_passes and high_passes
        else MISSED
        if not (low_passes or high_passes)
        else UNDECIDED
    )


def target_intervals(
    quality: pd.DataFrame, resamples: int = RESAMPLES, confidence: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Every target of :data:`~ganaug.metrics.targets.QUALITY_TARGETS` for every generator of
    ``quality`` (``gan_quality.csv``'s rows), with a percentile bootstrap interval over its units:
    one row per ``(generator, target)`` with ``estimate`` (on the units as measured), ``low``,
    ``high``, ``threshold``, ``passes`` (the estimate against the threshold, as
    :func:`~ganaug.metrics.targets.quality_targets` judges it) and ``verdict``
    (:func:`interval_verdict`). A unit is resampled whole, with its references. Targets whose
    rows are missing (recall, in folders measured before it was recorded) get NaN.

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in range(6) for g, m, v in (
    ...     ("real_half", "fid", 1.0 + u / 10), ("blurred", "fid", 6.0),
    ...     ("real_half", "diversity", 4.0), ("real_half", "gan_test", 0.6),
    ...     ("real_half", "recall", 0.9), ("g", "fid", 1.2 + u / 5), ("g", "diversity", 3.9),
    ...     ("g", "gan_test", 0.62), ("g", "near_duplicates", 0.0), ("g", "recall", 0.5))]
    >>> table = target_intervals(pd.DataFrame(rows, columns=["seed", "generator", "metric",
    ...                                                      "value"]), resamples=500)
    >>> row = table.loc[("g", "recall")]
    >>> round(float(row["estimate"]), 3), row["verdict"]
    (0.556, 'missed')
    >>> table.loc[("g", "fid_near_reference"), "verdict"]
    'met'
    """
    if not 0 < confidence < 1 or resamples < 100:
        raise ValueError(f"need 0 < confidence < 1 and resamples >= 100, got {confidence}, "
                         f"{resamples}")  # fmt: skip
    per_unit = quality_per_unit(quality)
    rng = np.random.default_rng(seed)
    tail = (1 - confidence) / 2
    rows = []
    columns = ("fid", "blurred_fid", "real_fid", "diversity", "real_diversity",
               "near_duplicates", "gan_test", "real_gan_test", "recall", "real_recall")  # fmt: skip
    for generator, units in per_unit.groupby(level="generator", sort=False):
        values = {
            c: pd.to_numeric(units[c], errors="coerce").to_numpy(float)
            if c in units.columns else np.full(len(units), np.nan)
            for c in columns
        }  # fmt: skip
        n = len(units)
        measured = _statistics({k: v[None, :] for k, v in values.items()})
        draws = rng.integers(0, n, size=(resamples, n))
        with np.errstate(invalid="ignore", divide="ignore"):
            resampled = _statistics({k: v[draws] for k, v in values.items()})
        for name in TARGETS:
            estimate = float(measured[name][0])
            sample = resampled[name]
            sample = sample[np.isfinite(sample)]
            if n < 2 or not np.isfinite(estimate) or len(sample) < resamples // 2:
                low = high = np.nan
            elif name == "gan_test_spread":  # resampled units understate an sd: chi-square
                low, high = sd_interval(estimate, n, confidence)
            else:
                low, high = (float(v) for v in np.quantile(sample, [tail, 1 - tail]))
            rows.append(
                {
                    "generator": generator,
                    "target": name,
                    "units": n,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "threshold": get_target(name).threshold,
                    "passes": bool(np.isfinite(estimate) and _passes(name, estimate)),
                    "verdict": interval_verdict(name, low, high),
                }
            )
    return pd.DataFrame(rows).set_index(["generator", "target"])


def binomial_gap_pass(p: float, images: int, threshold: float) -> float:
    """The chance that two independent shares of ``images`` images each, both with success
    probability ``p``, differ by at most ``threshold``: how often a generator that is real bcc
    (its GAN-test a share like the real half's recall) passes the GAN-test target on one unit.

    Examples
    --------
    >>> round(binomial_gap_pass(0.6, 51, 0.10), 2)  # the gap's sd is about 0.097
    0.73
    """
    if not (0 <= p <= 1) or images < 1:
        raise ValueError(f"need 0 <= p <= 1 and images >= 1, got {p}, {images}")
    counts = np.arange(images + 1)
    pmf = stats.binom.pmf(counts, images, p)
    gap = np.abs(counts[:, None] - counts[None, :]) / images
    return float((pmf[:, None] * pmf[None, :] * (gap <= threshold + 1e-12)).sum())


def real_pass_rates(quality: pd.DataFrame, half_images: dict[int, int]) -> pd.DataFrame:
    """How often real bcc, scored as a generator, pass each per-unit target, from the rows the
    study measured: ``pass_rate`` (mean over units) and ``how``.

    ``fid_below_blurred`` and ``near_duplicates`` are read from the real half's own rows (its
    FID against the blurred half's, its near-duplicate share). ``gan_test_bias`` is computed:
    a real generator's GAN-test and the real half's recall are two independent shares of
    ``half_images[unit]`` images with the unit's recall (:func:`binomial_gap_pass`). The ratio
    targets (FID against the real half's, diversity) compare the real half with itself here,
    which passes trivially, so they are left missing here: :func:`unit_pass_rates` on the rows
    of ``python -m ganaug real-reference`` (a second lesion-disjoint real sample, scored as a
    generator is) measures every target, these included.

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in (0, 1) for g, m, v in (
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("real_half", "gan_test", 0.6),
    ...     ("real_half", "near_duplicates", 0.0))]
    >>> table = real_pass_rates(pd.DataFrame(rows, columns=["seed", "generator", "metric",
    ...                                                     "value"]), {0: 51, 1: 51})
    >>> table["pass_rate"].round(2).tolist()
    [1.0, nan, nan, 1.0, 0.73]
    """
    real = quality[quality["generator"] == "real_half"].pivot_table(
        index="seed", columns="metric", values="value"
    )
    blurred = quality[(quality["generator"] == "blurred") & (quality["metric"] == "fid")]
    blurred = blurred.set_index("seed")["value"]
    missing = "needs a second lesion-disjoint real half, measured as a generator is"
    rates = {
        "fid_below_blurred": (float((real["fid"] < blurred.reindex(real.index)).mean()),
                              "the real half's FID against the blurred half's, per unit"),
        "fid_near_reference": (np.nan, missing),
        "diversity": (np.nan, missing),
        "near_duplicates": (
            float((real["near_duplicates"] <= get_target("near_duplicates").threshold).mean()),
            "the real half's own near-duplicate share, per unit",
        ),
        "gan_test_bias": (
            float(np.mean([
                binomial_gap_pass(float(real.loc[unit, "gan_test"]), int(half_images[unit]),
                                  get_target("gan_test_bias").threshold)
                for unit in real.index
            ])),
            "two independent shares of the half's images at the unit's real recall (binomial)",
        ),
    }  # fmt: skip
    table = pd.DataFrame.from_dict(rates, orient="index", columns=["pass_rate", "how"])
    table.index.name = "target"
    return table


def unit_pass_rates(quality: pd.DataFrame) -> pd.DataFrame:
    """The share of units on which each generator of ``quality`` (``gan_quality.csv``'s rows)
    meets each per-unit target (:func:`~ganaug.metrics.targets.unit_targets`), one row per
    generator, with ``all`` (every per-unit target at once) and ``units``.

    Given the rows of ``python -m ganaug real-reference``, the row ``real_generator`` says how
    often real bcc themselves pass, scored exactly as a generator is.

    Examples
    --------
    >>> rows = [(u, g, m, v) for u in range(4) for g, m, v in (
    ...     ("real_half", "fid", 1.0), ("blurred", "fid", 6.0), ("real_half", "diversity", 4.0),
    ...     ("real_half", "gan_test", 0.6), ("g", "fid", 1.5 + u / 2), ("g", "diversity", 3.9),
    ...     ("g", "gan_test", 0.62), ("g", "near_duplicates", 0.0))]
    >>> table = unit_pass_rates(pd.DataFrame(rows, columns=["seed", "generator", "metric",
    ...                                                     "value"]))
    >>> table.loc["g", ["fid_near_reference", "all", "units"]].tolist()
    [0.5, 0.5, 4.0]
    """
    checks = unit_targets(quality_per_unit(quality))
    table = checks.astype(float).groupby(level="generator", sort=False).mean()
    table["units"] = checks.groupby(level="generator", sort=False).size().astype(float)
    return table
