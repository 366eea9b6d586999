"""How long a lesson takes, said in its first output: measured on a CPU, estimated on a GPU.

``lesson_times.json`` (beside this module, shipped with the package) holds the seconds each page
took when it was last measured: the ``book`` profile's from a real-data ``make book`` on a 2-core
CPU (``_build/execution.json``), the ``smoke`` profile's from ``make colab-check``, which runs
every Colab edition on a 2-core CPU. ``python benchmarks/lesson_times.py`` writes it from those
two reports. No GPU was lent to the machines that measured it, so on a GPU the time is an
estimate, and says so: the ``full`` profile gives a lesson's own runs the ``book`` sizes, so the
book's 2-core CPU time bounds it from above.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

TIMES_FILE = Path(__file__).with_name("lesson_times.json")
PAGE = re.compile(r"(?:colab/)?(lessons|exercises)/(?:solutions/)?([\w-]+?)(?:\.ipynb)?$")


def page_key(page: str) -> str:
    """The key of a page in :data:`TIMES_FILE`: ``lessons/NN_x`` or ``exercises/NN_x``.

    Examples
    --------
    >>> page_key("colab/exercises/02_cnn.ipynb"), page_key("exercises/solutions/02_cnn")
    ('exercises/02_cnn', 'exercises/02_cnn')
    >>> page_key("book/setup.md")
    Traceback (most recent call last):
    ...
    ValueError: 'book/setup.md' is no lesson or exercise page
    """
    match = PAGE.fullmatch(page)
    if match is None:
        raise ValueError(f"{page!r} is no lesson or exercise page")
    return f"{match[1]}/{match[2]}"


@cache
def measured_times(path: Path = TIMES_FILE) -> dict:
    """The measured seconds per profile and page (empty when nothing was measured yet)."""
    if not Path(path).is_file():
        return {"seconds": {}}
    return json.loads(Path(path).read_text())


def minutes(seconds: float) -> str:
    """Seconds in the words a reader plans with.

    Examples
    --------
    >>> minutes(40), minutes(95), minutes(610)
    ('under a minute', 'about 2 min', 'about 10 min')
    """
    if seconds < 60:
        return "under a minute"
    return f"about {round(seconds / 60):.0f} min"


def expected_time(page: str, profile: str, gpu: str | None, times: dict | None = None) -> str:
    """One sentence: how long ``page`` takes under ``profile`` on this hardware, and whether
    that was measured or is an estimate (with its basis).

    Examples
    --------
    >>> times = {"cpu": "a 2-core CPU",
    ...          "seconds": {"book": {"lessons/03_dcgan": 330.0}, "smoke": {}}}
    >>> print(expected_time("lessons/03_dcgan.ipynb", "book", None, times))  # doctest: +ELLIPSIS
    Expected run time: about 6 min with the book profile on a 2-core CPU (measured; ...).
    >>> expected_time("lessons/03_dcgan", "full", "Tesla T4", times)  # doctest: +ELLIPSIS
    "Expected run time on Tesla T4: at most about 6 min, an estimate, not a measurement: ...
    >>> print(expected_time("lessons/03_dcgan.ipynb", "smoke", None, times))
    Expected run time with the smoke profile: not measured yet.
    """
    times = measured_times() if times is None else times
    cpu = times.get("cpu", "a 2-core CPU")
    key = page_key(page)
    sizes = "book" if profile == "full" else profile  # full's lessons run the book's sizes
    seconds = times.get("seconds", {}).get(sizes, {}).get(key)
    if seconds is None:
        return f"Expected run time with the {profile} profile: not measured yet."
    if gpu:
        bound = f"{max(1, math.ceil(seconds / 60))} min"
        return (
            f"Expected run time on {gpu}: at most about {bound}, an estimate, not a "
            f"measurement: the {profile} profile runs this page with the {sizes} profile's sizes, "
            f"which took {bound} on {cpu}, and a GPU trains these networks faster. "
            "No GPU was available to measure it."
        )
    return (
        f"Expected run time: {minutes(seconds)} with the {profile} profile on {cpu} "
        "(measured; more cores are faster)."
    )
