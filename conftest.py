"""Every test runs offline, under the smoke profile, with its own cache folder."""

import os
import tempfile
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

os.environ["GANAUG_PROFILE"] = "smoke"
os.environ["GANAUG_OFFLINE"] = "1"
_cache = os.environ.get("GANAUG_CACHE_DIR") or str(Path(tempfile.gettempdir(), "ganaug-test-cache"))
# Under pytest-xdist (`make test` runs two workers) each worker gets a cache folder of its own:
# tests that train and cache GANs or studies expect to be the only writer of theirs.
if os.environ.get("PYTEST_XDIST_WORKER"):
    _cache = str(Path(_cache) / os.environ["PYTEST_XDIST_WORKER"])
os.environ["GANAUG_CACHE_DIR"] = _cache
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

ROOT = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """In the processes that run tests, TensorFlow functions run eagerly, unless
    ``GANAUG_TEST_GRAPH=1``: about a quarter less time to train the tests' many small CNNs and
    GANs, most of which goes into tracing their ``tf.function`` s. The traced path that
    students run is what ``make book-check`` and ``make colab-check`` execute (every lesson and
    exercise trains in it), and so do the tests that start Python or a kernel of their own
    (deterministic mode, the quiet start, the tiny book builds, the Ray workers)."""
    under_xdist_controller = config.getoption("numprocesses", None) and not hasattr(
        config, "workerinput"
    )
    if os.environ.get("GANAUG_TEST_GRAPH") == "1" or under_xdist_controller:
        return
    __import__("ganaug")  # first: it quiets TensorFlow's start-up lines
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    # tf.data's functions stay traced; TensorFlow warns so at every input pipeline
    config.addinivalue_line("filterwarnings", "ignore:Even though the `tf.config.experimental_run")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist, send each test module to one worker (its module fixtures run once)
    and the two modules that read the book build to the same one (the book is built once)."""
    from xdist.scheduler import LoadScopeScheduling

    class ModulesWithTheBookTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "the book build" if module in BOOK_MODULES else module

    config.option.loadscopereorder = False  # the order below: the longest unit first
    return ModulesWithTheBookTogether(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the book build's tests ``book`` (``make test`` leaves them to ``make book-check``),
    then order the modules longest first (the book build, then :data:`SLOW_MODULES`): under
    pytest-xdist each worker takes the next module when it is free, so the short ones fill the
    end instead of one worker finishing a long module alone."""
    order = {module: rank for rank, module in enumerate(BOOK_MODULES + SLOW_MODULES)}
    for item in items:
        if item.nodeid.split("::", 1)[0] in BOOK_MODULES:
            item.add_marker(pytest.mark.book)
    items.sort(key=lambda item: order.get(item.nodeid.split("::", 1)[0], len(order)))


#: The test modules that read the one smoke-profile book build (tests/book_build.py).
BOOK_MODULES = ("tests/test_book.py", "tests/test_browser.py")
#: The slowest other modules, slowest first: their seconds in a `make test` on a 2-core machine
#: (benchmarks/measured/test_timings.md) were 104, 75, 48, 45, 44, 39, 39, 39, 35, 34, 33, 32.
SLOW_MODULES = tuple(
    f"tests/test_{name}.py"
    for name in (
        "pieces", "build_cache", "custom_generator", "experiment", "determinism", "extractor",
        "gan_options", "gan_cache", "data_facts", "gan", "exercise_checks_build", "experiment_ray",
    )
)  # fmt: skip
