"""A generator of one's own enters the study (chapter 7): registered, it runs in the smoke
study on the training part only; an edit to its code reruns its pieces and nothing else; one
that reads held-out images, or returns bad samples, is refused."""

from __future__ import annotations

import hashlib
import importlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ganaug.data import synthetic_lesions
from ganaug.experiment import (
    ARMS,
    load_results,
    register_generator,
    run_experiment,
    seed_splits,
    study_cache,
    study_plan,
    unregister_generator,
)
from ganaug.experiment.custom import custom_trained_on, generator_version
from ganaug.experiment.provenance import read_run

SMOKE = study_plan("smoke")
NAME = "student"
ARMS_RUN = ["classic", NAME, f"{NAME}_no_classic"]

#: A student's generator, in a file of its own: the training mean plus noise of a given size.
SOURCE = '''
import numpy as np


class MeanPlusNoise:
    """The training images' mean, plus Gaussian noise."""

    def fit(self, images, seed):
        self.mean = images.astype(np.float64).mean(axis=0)

    def sample(self, n, seed):
        noise = np.random.default_rng(seed).normal(0, {noise}, (n, *self.mean.shape))
        return np.clip(self.mean + noise, 0, 255).astype(np.uint8)
'''


@pytest.fixture(scope="module")
def data():
    return synthetic_lesions({"bcc": 24, "bkl": 40, "mel": 44}, seed=3)


def student_module(folder: Path, noise: int, docstring: str = "The training images' mean"):
    """Write (or rewrite) the student's module in ``folder`` and import it afresh."""
    text = SOURCE.format(noise=noise).replace("The training images' mean", docstring)
    (folder / "student_generator.py").write_text(text)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    sys.modules.pop("student_generator", None)
    importlib.invalidate_caches()
    return importlib.import_module("student_generator")


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    folder = tmp_path_factory.mktemp("student_code")
    sys.dont_write_bytecode = True  # a rewritten module of the same size is read again
    register_generator(NAME, student_module(folder, 20).MeanPlusNoise)
    yield folder
    unregister_generator(NAME)
    sys.path.remove(str(folder))
    sys.modules.pop("student_generator", None)


@pytest.fixture(scope="module")
def study(tmp_path_factory, data, student):
    out = tmp_path_factory.mktemp("custom_study")
    run_experiment(data, out, "smoke", arms=ARMS_RUN, seeds=[0], progress=False)
    return out


def piece_records(folder: Path) -> dict[str, dict]:
    return read_run(folder)["pieces"]


def file_digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != "run.json"
    }


def test_registering_a_generator_runs_the_smoke_study_with_it(study, data):
    results = load_results(study)
    assert set(results["arm"]) == set(ARMS_RUN)
    added = results.query("metric == 'n_synthetic'").set_index("arm")["value"]
    assert added["classic"] == 0 and added[NAME] > 0 and added[f"{NAME}_no_classic"] == added[NAME]
    quality = pd.read_csv(study / "gan_quality.csv")
    assert {NAME, "real_half", "blurred"} <= set(quality["generator"])
    pieces = piece_records(study)
    assert pieces[f"pool/{NAME}/u0/s0"]["code"] == generator_version(NAME)
    # it learnt from the unit's training bcc, and from nothing held out
    splits = seed_splits(data, 0, SMOKE.protocol, SMOKE.folds)["lesion"]
    seen = set(custom_trained_on(study_cache(data, "smoke") / "seed0", NAME))
    assert seen == set(splits.train.image_id[splits.train.dx == "bcc"])
    assert not seen & (set(splits.val.image_id) | set(splits.test.image_id))


def test_editing_its_source_reruns_only_its_pieces(study, data, student, tmp_path, monkeypatch):
    copy = tmp_path / "study"
    shutil.copytree(study, copy)
    before, files = piece_records(copy), file_digests(copy)
    version = generator_version(NAME)
    # a docstring is no code: the version stays, nothing would rerun
    register_generator(NAME, student_module(student, 20, "Mean and noise").MeanPlusNoise)
    assert generator_version(NAME) == version
    ran = []
    from ganaug.experiment import units

    original = units.run_cell
    monkeypatch.setattr(
        units, "run_cell", lambda arm, *a, **k: ran.append(arm.name) or original(arm, *a, **k)
    )
    try:  # the edit: noise of another size
        register_generator(NAME, student_module(student, 35).MeanPlusNoise)
        assert generator_version(NAME) != version
        run_experiment(data, copy, "smoke", arms=ARMS_RUN, seeds=[0], progress=False)
    finally:
        register_generator(NAME, student_module(student, 20).MeanPlusNoise)
    after = piece_records(copy)
    changed = {key for key in after if after[key]["version"] != before[key]["version"]}
    assert changed == {
        f"pool/{NAME}/u0/s0",
        f"choice/{NAME}/u0",
        f"quality/{NAME}/u0",
        f"cell/{NAME}/u0",
        f"cell/{NAME}_no_classic/u0",
    }
    assert sorted(ran) == [NAME, f"{NAME}_no_classic"]
    for key in set(before) - changed:  # every other piece, record and all, as it was (the
        # floor's quality record is written with each measurement: its commit may move on)
        skip = {"commit"} if key.startswith("quality/floor/") else set()
        assert {k: v for k, v in after[key].items() if k not in skip} == {
            k: v for k, v in before[key].items() if k not in skip
        }, key
    now = file_digests(copy)
    for name in ("predictions/classic__seed0.csv",):
        assert now[name] == files[name]
    results = load_results(copy)
    old = load_results(study)
    classic = "arm == 'classic'"
    pd.testing.assert_frame_equal(
        results.query(classic).reset_index(drop=True), old.query(classic).reset_index(drop=True)
    )
    quality = pd.read_csv(copy / "gan_quality.csv")
    floor = quality[quality["generator"].isin(["real_half", "blurred"])].reset_index(drop=True)
    old_quality = pd.read_csv(study / "gan_quality.csv")
    old_floor = old_quality[old_quality["generator"].isin(["real_half", "blurred"])]
    pd.testing.assert_frame_equal(floor, old_floor.reset_index(drop=True))


class Peeking:
    """Samples the unit's test images it was given by a back door (a class attribute)."""

    held_out: np.ndarray = np.zeros((0, 28, 28, 3), np.uint8)

    def fit(self, images, seed):
        pass

    def sample(self, n, seed):
        return self.held_out[np.arange(n) % len(self.held_out)]


class ReadsTheData:
    """Opens the data folder while it fits."""

    def fit(self, images, seed):
        from ganaug import config

        (config.data_dir() / "HAM10000_metadata.csv").read_text()

    def sample(self, n, seed):
        return np.zeros((n, 28, 28, 3), np.uint8)


@pytest.fixture
def registered():
    names = []

    def register(name, factory):
        names.append(name)
        return register_generator(name, factory)

    yield register
    for name in sorted(set(names)):
        unregister_generator(name)


def test_a_generator_that_reads_held_out_images_is_refused(data, tmp_path, registered, monkeypatch):
    splits = seed_splits(data, 0, SMOKE.protocol, SMOKE.folds)["lesion"]
    monkeypatch.setattr(Peeking, "held_out", splits.test.images)
    registered("peeking", Peeking)
    out = tmp_path / "peek"
    with pytest.raises(ValueError, match="copies of held-out images"):
        run_experiment(data, out, "smoke", arms=["peeking"], seeds=[0], progress=False)
    assert not (out / "results.csv").exists()
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "HAM10000_metadata.csv").write_text("lesion_id,image_id,dx\n")
    monkeypatch.setenv("GANAUG_DATA_DIR", str(folder))
    registered("reader", ReadsTheData)
    with pytest.raises(ValueError, match="tried to read .*HAM10000_metadata.csv"):
        run_experiment(data, tmp_path / "read", "smoke", arms=["reader"], seeds=[0], progress=False)


def _sampler(make):
    class Bad:
        def fit(self, images, seed):
            self.shape = images.shape[1:]

        def sample(self, n, seed):
            return make(n, self.shape)

    return Bad


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda n, shape: np.zeros((n, *shape), np.float32), "dtype float32, expected uint8"),
        (lambda n, shape: np.full((n, *shape), np.nan), "NaN"),
        (lambda n, shape: np.zeros((n, 28, 28), np.uint8), r"\(N, H, W, 3\)"),
        (lambda n, shape: np.zeros((n, 32, 32, 3), np.uint8), r"expected \(28, 28, 3\)"),
        (lambda n, shape: np.zeros((n + 1, *shape), np.uint8), "must return exactly n"),
        (lambda n, shape: None, "is None"),
    ],
)
def test_bad_samples_are_refused(make, message):
    from ganaug.generators import fit_and_sample

    images = np.zeros((6, 28, 28, 3), np.uint8)
    with pytest.raises(ValueError, match=message):
        fit_and_sample(_sampler(make)(), images, 4, seed=0)


def test_the_study_refuses_a_sample_count_not_honoured(data, tmp_path, registered):
    registered("short", _sampler(lambda n, shape: np.zeros((n // 2, *shape), np.uint8)))
    with pytest.raises(ValueError, match="returned .* images: a generator must return exactly n"):
        run_experiment(data, tmp_path, "smoke", arms=["short"], seeds=[0], progress=False)


def test_bad_training_images_and_factories_are_refused():
    from ganaug.generators import fit_and_sample, make_generator

    good = _sampler(lambda n, shape: np.zeros((n, *shape), np.uint8))()
    with pytest.raises(ValueError, match="dtype float64"):
        fit_and_sample(good, np.zeros((3, 28, 28, 3)), 2, seed=0)
    with pytest.raises(ValueError, match="NaN"):
        fit_and_sample(good, np.full((3, 28, 28, 3), np.nan), 2, seed=0)
    with pytest.raises(ValueError, match="positive number"):
        fit_and_sample(good, np.zeros((3, 28, 28, 3), np.uint8), 0, seed=0)
    with pytest.raises(ValueError, match="lacks fit and sample"):
        make_generator(dict, "smoke")


def test_a_generator_cannot_change_the_units_images():
    from ganaug.generators import fit_and_sample

    class Scribbler:
        def fit(self, images, seed):
            images[0] = 255

        def sample(self, n, seed):
            return np.zeros((n, 28, 28, 3), np.uint8)

    images = np.zeros((3, 28, 28, 3), np.uint8)
    with pytest.raises(ValueError, match="read-only"):
        fit_and_sample(Scribbler(), images, 1, seed=0)
    assert not images.any()


def test_names_are_checked_and_arms_come_and_go(registered):
    factory = _sampler(lambda n, shape: np.zeros((n, *shape), np.uint8))
    for taken in ("classic", "dcgan", "chosen", "real_half"):
        with pytest.raises(ValueError, match="taken by the study"):
            register_generator(taken, factory)
    for bad in ("My Gen", "x_no_classic", "", "9lives"):
        with pytest.raises(ValueError, match="lower-case letters"):
            register_generator(bad, factory)
    arms = registered("mine", factory)
    assert [arm.name for arm in arms] == ["mine", "mine_no_classic"]
    assert ARMS["mine"].augment and not ARMS["mine_no_classic"].augment
    registered("mine", factory)  # again: replaced, not refused
    unregister_generator("mine")
    assert "mine" not in ARMS and "mine_no_classic" not in ARMS
    with pytest.raises(ValueError, match="no generator 'mine' is registered"):
        unregister_generator("mine")
    register_generator("mine", factory)  # so the fixture's unregister finds it


def test_a_notebook_class_is_versioned_by_its_methods(tmp_path):
    """A class defined in a notebook has no file for inspect.getsource: its methods are read
    from the cell's lines, and an edit to one changes the version."""
    import linecache
    import types

    from ganaug.experiment.custom import generator_source

    def notebook_class(body: str):
        name = f"<ipython-input-{abs(hash(body))}>"
        linecache.cache[name] = (len(body), None, body.splitlines(True), name)
        module = types.ModuleType("__notebook__")  # no __file__, as a kernel's __main__
        sys.modules["__notebook__"] = module
        exec(compile(body, name, "exec"), module.__dict__)
        return module.Noise

    body = "import numpy as np\nclass Noise:\n    '''Noise.'''\n    level = 3\n"
    body += "    def fit(self, images, seed):\n        pass\n"
    body += "    def sample(self, n, seed):\n        return np.zeros((n, 28, 28, 3), np.uint8)\n"
    try:
        first = generator_source(notebook_class(body))
        assert "sample" in first and first == generator_source(notebook_class(body))
        assert generator_source(notebook_class(body.replace("zeros", "ones"))) != first
        assert generator_source(notebook_class(body.replace("level = 3", "level = 4"))) != first
        # a docstring is no code
        assert generator_source(notebook_class(body.replace("Noise.", "Some noise."))) == first
    finally:
        sys.modules.pop("__notebook__", None)


def test_the_vae_is_blurry_but_diverse_and_reproducible():
    from ganaug.generators import VAEGenerator, fit_and_sample

    images = synthetic_lesions({"bcc": 40}, seed=1).images
    trained = VAEGenerator("smoke", steps=20)
    first = fit_and_sample(trained, images, 16, seed=0)
    again = fit_and_sample(VAEGenerator("smoke", steps=20), images, 16, seed=0)
    np.testing.assert_array_equal(first, again)  # the seed fixes weights, batches and noise
    assert len({image.tobytes() for image in first}) == 16  # no two samples alike
    assert len(trained.losses) == 20 and np.isfinite(trained.losses).all()


def test_a_registered_generator_runs_in_process_only(data, tmp_path, registered):
    registered("local_only", _sampler(lambda n, shape: np.zeros((n, *shape), np.uint8)))
    with pytest.raises(ValueError, match="runs in-process only"):
        run_experiment(data, tmp_path, "smoke", arms=["local_only"], seeds=[0], engine="ray")
    assert not list(tmp_path.iterdir())
