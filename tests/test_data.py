"""The data layer: loading, caching, clear errors, class selection and splits."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ganaug import config
from ganaug.data import (
    REPORT_CLASSES,
    Splits,
    cap_per_class,
    from_arrays,
    load_data,
    load_ham10000,
    select_classes,
    split_by_image,
    split_by_lesion,
    synthetic_lesions,
)
from ganaug.data.core import LesionData
from ganaug.data.ham10000 import _cache_path

from .helpers import default_rows, make_ham_folder


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GANAUG_DATA_DIR", raising=False)


def test_folder_loads_resizes_and_keeps_ids(tmp_path):
    rows = default_rows()
    data = load_ham10000(make_ham_folder(tmp_path / "ham", rows), size=16, progress=False)
    assert data.images.shape == (len(rows), 16, 16, 3)
    assert list(data.image_id) == sorted(r[1] for r in rows)
    by_id = {image: (lesion, dx) for lesion, image, dx in rows}
    assert all(
        by_id[i] == (lesion, dx)
        for i, lesion, dx in zip(data.image_id, data.lesion_id, data.dx, strict=True)
    )
    assert "localization" in data.metadata.columns and data.source == "ham10000"


def _no_cache_written(tmp_path) -> bool:
    cache = tmp_path / "cache"
    return not cache.exists() or not list(cache.iterdir())


def test_unknown_diagnosis_code_names_file_and_code(tmp_path):
    rows = default_rows()
    rows[2] = (rows[2][0], rows[2][1], "melanoma")
    folder = make_ham_folder(tmp_path / "ham", rows)
    with pytest.raises(ValueError, match=r"HAM10000_metadata.csv.*'melanoma'.*ISIC_0000002.*akiec"):
        load_ham10000(folder, progress=False)
    assert _no_cache_written(tmp_path)


def test_duplicate_image_rows_are_named(tmp_path):
    rows = default_rows()
    folder = make_ham_folder(tmp_path / "ham", [*rows, rows[1]])
    with pytest.raises(ValueError, match=r"HAM10000_metadata.csv.*ISIC_0000001.*2 rows"):
        load_ham10000(folder, progress=False)
    assert _no_cache_written(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"  \n",
        b"lesion_id,image_id,dx\n",
        b"\x89PNG\r\n\x1a\n" + bytes(64),
        bytes(range(256)) * 4,
    ],
    ids=["empty", "blank", "header only", "png", "binary"],
)
def test_empty_or_non_csv_metadata_names_the_file(tmp_path, content):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    (folder / "HAM10000_metadata.csv").write_bytes(content)
    with pytest.raises(ValueError, match=r"HAM10000_metadata.csv.*(empty|not a CSV|no rows)"):
        load_ham10000(folder, progress=False)
    assert _no_cache_written(tmp_path)


def test_second_load_reads_the_cache(tmp_path, monkeypatch):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    first = load_ham10000(folder, size=12, progress=False)
    cache = _cache_path(folder, folder / "HAM10000_metadata.csv", 12)
    assert cache.is_file()

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded again although the cache was valid")

    monkeypatch.setattr("ganaug.data.ham10000.resize_image", no_decoding)
    second = load_ham10000(folder, size=12, progress=False)
    assert np.array_equal(first.images, second.images)


def test_cache_is_keyed_by_size_and_source(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    small = load_ham10000(folder, size=8, progress=False)
    large = load_ham10000(folder, size=10, progress=False)
    assert small.image_size == 8 and large.image_size == 10
    other = make_ham_folder(tmp_path / "other", default_rows(3))
    assert len(load_ham10000(other, size=8, progress=False)) == len(default_rows(3))
    assert len({p.name for p in (tmp_path / "cache").glob("ham10000_*.npz")}) == 3


def test_resize_uses_the_whole_frame(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows(1), write_images=False)
    part = folder / "HAM10000_images_part_1"
    part.mkdir()
    pixels = np.zeros((150, 200, 3), np.uint8)
    pixels[:, :10] = 255  # a white band on the far left survives only if nothing is cropped
    from PIL import Image

    Image.fromarray(pixels).save(part / "ISIC_0000000.jpg", quality=95)
    image = load_ham10000(folder, size=20, progress=False).images[0]
    assert image[:, 0].mean() > 100 and image[:, -1].mean() < 20


def test_missing_folder_says_what_to_set(tmp_path):
    with pytest.raises(FileNotFoundError, match="GANAUG_DATA_DIR"):
        load_ham10000(tmp_path / "nowhere")


def test_metadata_without_images(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows(), write_images=False)
    with pytest.raises(FileNotFoundError, match="no JPEG images"):
        load_ham10000(folder, progress=False)


def test_images_without_metadata(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    (folder / "HAM10000_metadata.csv").unlink()
    with pytest.raises(FileNotFoundError, match="JPEG images are there but no HAM10000_metadata"):
        load_ham10000(folder, progress=False)


def test_listed_image_missing(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    next(folder.rglob("ISIC_0000003.jpg")).unlink()
    with pytest.raises(FileNotFoundError, match="1 image.*ISIC_0000003"):
        load_ham10000(folder, progress=False)
    assert not list((tmp_path / "cache").glob("*.npz"))


def test_corrupt_jpeg_is_named_and_nothing_is_cached(tmp_path):
    folder = make_ham_folder(tmp_path / "ham", default_rows())
    bad = next(folder.rglob("ISIC_0000002.jpg"))
    bad.write_bytes(b"\xff\xd8 this is not a jpeg")
    with pytest.raises(ValueError, match="corrupt or unreadable image .*ISIC_0000002.jpg"):
        load_ham10000(folder, progress=False)
    assert not list((tmp_path / "cache").iterdir())


@pytest.mark.parametrize("size", [0, -3, 2.5, "28", True])
def test_size_must_be_a_positive_int(tmp_path, size):
    with pytest.raises(ValueError, match="size must be a positive int"):
        load_ham10000(tmp_path, size=size)


def test_cache_dir_must_differ_from_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GANAUG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="point GANAUG_CACHE_DIR somewhere else"):
        config.cache_dir()


def test_unknown_and_absent_classes_are_named():
    data = synthetic_lesions(n_per_class=5)
    with pytest.raises(ValueError, match="'melanoma'"):
        select_classes(data, ["mel", "melanoma"])
    with pytest.raises(ValueError, match="'nv' not in this data"):
        select_classes(data, ["nv"])


def test_selecting_no_class_is_an_error():
    with pytest.raises(ValueError, match="at least one class.*bcc, bkl, mel"):
        select_classes(synthetic_lesions(n_per_class=5), [])


def test_synthetic_is_deterministic_and_labelled():
    a, b = synthetic_lesions(20, seed=3), synthetic_lesions(20, seed=3)
    assert np.array_equal(a.images, b.images) and a.is_synthetic
    assert not np.array_equal(a.images, synthetic_lesions(20, seed=4).images)
    assert len(set(a.lesion_id)) < len(a)  # some lesions have several images


def test_cap_per_class_keeps_at_most_n_of_each():
    data = cap_per_class(synthetic_lesions(30), 7, seed=1)
    assert set(data.class_counts().values()) == {7}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_split_by_lesion_shares_no_lesion_and_keeps_proportions(seed):
    data = synthetic_lesions(n_per_class=150, seed=seed)
    splits = split_by_lesion(data, val_fraction=0.2, test_fraction=0.2, seed=seed)
    assert splits.shared_lesions() == set() and splits.leaked_test_fraction() == 0
    assert sum(len(p) for p in splits.parts().values()) == len(data)
    for code, total in data.class_counts().items():
        share = splits.test.class_counts()[code] / total
        assert 0.15 <= share <= 0.28, (code, share)


def test_splits_are_reproducible():
    data = synthetic_lesions(n_per_class=50)
    first, second = split_by_lesion(data, seed=5), split_by_lesion(data, seed=5)
    assert np.array_equal(first.test.image_id, second.test.image_id)
    assert not np.array_equal(first.test.image_id, split_by_lesion(data, seed=6).test.image_id)


def test_split_by_image_leaks_lesions():
    data = synthetic_lesions(n_per_class=150)
    assert split_by_image(data, 0.1, 0.3, seed=0).leaked_test_fraction() > 0.1


def _ham(lesion_ids, dx) -> LesionData:
    """Tiny HAM10000-like data with the given lesion ids and diagnoses."""
    n = len(lesion_ids)
    return from_arrays(
        np.zeros((n, 4, 4, 3), np.uint8),
        dx,
        [f"ISIC_{i:07d}" for i in range(n)],
        lesion_ids,
        "ham10000",
    )


def _with_pair(pair_dx=("bkl", "bkl")) -> LesionData:
    """Ten single-image lesions per report class, plus one lesion listed under two ids."""
    lesions = [f"HAM_1{i:06d}" for i in range(30)] + ["HAM_0000955", "HAM_0007604"]
    dx = [code for code in REPORT_CLASSES for _ in range(10)] + list(pair_dx)
    return _ham(lesions, dx)


def test_known_duplicate_lesion_pairs_are_grouped():
    data = _with_pair()
    for seed in range(10):
        splits = split_by_lesion(data, 0.25, 0.25, seed=seed)
        sides = [
            name
            for name, p in splits.parts().items()
            if {"HAM_0000955", "HAM_0007604"} & set(p.lesion_id)
        ]
        assert len(sides) == 1


def test_summary_counts_lesion_groups_not_ids():
    data = _with_pair()
    pair = np.isin(data.lesion_id, ["HAM_0000955", "HAM_0007604"])
    splits = Splits(data.subset(pair), data.subset(~pair), data.subset(np.zeros(len(data), bool)))
    assert splits.summary().loc["train", "lesions"] == 1
    assert splits.summary().loc["val", "lesions"] == len(set(data.lesion_id)) - 2


def test_a_lesion_group_with_two_diagnoses_is_refused():
    with pytest.raises(ValueError, match="HAM_0000955.*HAM_0007604.*bkl, mel"):
        split_by_lesion(_with_pair(("bkl", "mel")), 0.25, 0.25)
    one_id = _ham(["HAM_1"] * 2 + [f"HAM_2{i}" for i in range(20)], ["mel", "bcc"] + ["bkl"] * 20)
    with pytest.raises(ValueError, match="HAM_1.*bcc, mel"):
        split_by_lesion(one_id, 0.25, 0.25)


def test_a_part_left_without_a_class_is_named():
    lesions = [f"HAM_1{i:06d}" for i in range(20)] + ["HAM_2"] * 3
    data = _ham(lesions, ["mel"] * 10 + ["bkl"] * 10 + ["bcc"] * 3)
    with pytest.raises(ValueError, match="train and val parts get no image of class 'bcc'.*1 les"):
        split_by_lesion(data, 0.2, 0.2)
    with pytest.raises(ValueError, match="val part gets no image of class 'bkl'.*raise val_frac"):
        split_by_lesion(_ham(lesions[:20], ["mel"] * 10 + ["bkl"] * 10), 0.01, 0.25)
    no_val = split_by_lesion(_ham(lesions[:20], ["mel"] * 10 + ["bkl"] * 10), 0.0, 0.3)
    assert len(no_val.val) == 0  # asked for no validation part: not an error


def test_splitting_classes_with_unlisted_duplicate_pairs_warns():
    nv = _ham([f"HAM_1{i:06d}" for i in range(40)], ["nv"] * 20 + ["mel"] * 20)
    with pytest.warns(UserWarning, match="'nv'.*SAME_LESION_PAIRS"):
        split_by_lesion(nv, 0.2, 0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        split_by_lesion(_with_pair(), 0.2, 0.2)  # only the report's classes: no warning
        split_by_lesion(synthetic_lesions(n_per_class={"nv": 20, "df": 20}), 0.2, 0.2)


@pytest.mark.parametrize("val, test", [(0.5, 0.5), (-0.1, 0.2), (0.1, 0.0), (0.2, 1.2)])
def test_bad_fractions_are_rejected(val, test):
    with pytest.raises(ValueError, match="val_fraction"):
        split_by_lesion(synthetic_lesions(5), val, test)


def test_load_data_falls_back_to_synthetic_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    with pytest.warns(UserWarning, match="SYNTHETIC stand-in"):
        data = load_data()
    assert data.is_synthetic


def test_an_explicit_broken_folder_is_an_error_not_a_fallback(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FileNotFoundError):
            load_data(tmp_path / "missing")
