"""Explicit seeds: every random layer gets its own, so no call touches the global random state."""

from __future__ import annotations

import numpy as np


def layer_seeds(seed: int | None, count: int) -> list[int | None]:
    """``count`` distinct integer seeds drawn from ``seed`` (all ``None`` when ``seed`` is None).

    Each seeded layer or initializer gets its own seed, so no layer needs the global random
    state and building a model never changes the randomness of other code.

    Examples
    --------
    >>> layer_seeds(0, 3) == layer_seeds(0, 3), len(set(layer_seeds(0, 5)))
    (True, 5)
    >>> layer_seeds(None, 2)
    [None, None]
    """
    if seed is None:
        return [None] * count
    return [int(s) for s in np.random.default_rng(seed).choice(2**31 - 1, count, replace=False)]
