"""HAM10000 through the Kaggle API, with a stand-in ``kaggle`` command serving a zip of real
images (the shared HAM10000 folder, when the machine has it; else skipped)."""

from __future__ import annotations

import os
import stat
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from ganaug.data.ham10000 import METADATA_NAME, load_ham10000
from ganaug.teaching.kaggle import METADATA_SHA256, fetch_ham10000, has_kaggle_token, sha256sum

REAL = Path(os.environ.get("GANAUG_DATA_DIR", "")).expanduser()
needs_real = pytest.mark.skipif(
    not (REAL / METADATA_NAME).is_file() or not (REAL / "HAM10000_images_part_1").is_dir(),
    reason="needs a real HAM10000 folder in GANAUG_DATA_DIR",
)


def stand_in_kaggle(folder: Path, archive: Path, fail: str | None = None) -> str:
    """A ``kaggle`` command that copies ``archive`` to ``-p DIR`` (or fails, saying ``fail``)
    and records its arguments."""
    script = folder / "kaggle"
    body = (
        f"import shutil, sys\nopen({str(folder / 'args')!r}, 'w').write(' '.join(sys.argv[1:]))\n"
        + (
            f"sys.stderr.write({fail!r} + '\\n'); sys.exit(1)\n"
            if fail
            else f"shutil.copy({str(archive)!r}, sys.argv[sys.argv.index('-p') + 1])\n"
        )
    )
    script.write_text(f"#!{sys.executable}\n{body}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def real_zip(tmp_path: Path, per_class: int = 2, full_metadata: bool = False) -> Path:
    """A zip in Kaggle's layout from a few real images (one enlarged to the original 600 x 450,
    the rest as stored), their folders twice as in Kaggle's zip, and their metadata rows (or
    the whole published metadata file)."""
    metadata = pd.read_csv(REAL / METADATA_NAME)
    rows = metadata.groupby("dx").head(per_class).sort_values("image_id")
    archive = tmp_path / "skin-cancer-mnist-ham10000.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        if full_metadata:
            zipped.write(REAL / METADATA_NAME, METADATA_NAME)
        else:
            zipped.writestr(METADATA_NAME, rows.to_csv(index=False))
        for number, image_id in enumerate(rows["image_id"]):
            source = next(REAL.glob(f"HAM10000_images_part_*/{image_id}.jpg"))
            data = source.read_bytes()
            if number == 0:  # as Kaggle serves it: 600 x 450
                big = tmp_path / "big.jpg"
                Image.open(source).resize((600, 450)).save(big, quality=95)
                data = big.read_bytes()
            for top in ("HAM10000_images_part_1", "ham10000_images_part_1"):
                zipped.writestr(f"{top}/{image_id}.jpg", data)
    return archive


@needs_real
def test_fetch_unpacks_checks_and_loads_jpegs_of_either_size(tmp_path, monkeypatch):
    archive = real_zip(tmp_path)
    command = stand_in_kaggle(tmp_path, archive)
    subset_sha = sha256sum_of_member(archive, METADATA_NAME, tmp_path)
    target = tmp_path / "data" / "HAM10000"
    assert fetch_ham10000(target, kaggle=command, metadata_sha256=subset_sha) == target
    assert (
        (tmp_path / "args")
        .read_text()
        .startswith("datasets download -d kmader/skin-cancer-mnist-ham10000 -p ")
    )
    jpegs = sorted(target.rglob("*.jpg"))
    assert len(jpegs) == 14  # 2 of each of the 7 classes, each once though zipped twice
    assert {Image.open(p).size for p in jpegs} == {(600, 450), (200, 150)}
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))
    data = load_ham10000(target, size=28, progress=False)
    assert data.images.shape == (14, 28, 28, 3) and data.images.dtype == np.uint8
    assert set(data.dx) == {"akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"}
    assert not [p for p in target.parent.iterdir() if p.name != "HAM10000"]  # no leftovers


def sha256sum_of_member(archive: Path, name: str, tmp_path: Path) -> str:
    with zipfile.ZipFile(archive) as zipped:
        (tmp_path / "member").write_bytes(zipped.read(name))
    return sha256sum(tmp_path / "member")


@needs_real
def test_the_published_metadata_passes_the_checksum_and_missing_images_are_refused(tmp_path):
    assert sha256sum(REAL / METADATA_NAME) == METADATA_SHA256
    command = stand_in_kaggle(tmp_path, real_zip(tmp_path, full_metadata=True))
    target = tmp_path / "HAM10000"
    with pytest.raises(ValueError, match=r"lacks 10001 of the 10015 images"):
        fetch_ham10000(target, kaggle=command)
    assert not target.exists() and [p.name for p in tmp_path.glob(".HAM10000-*")] == []


@needs_real
def test_a_changed_metadata_file_is_refused_and_nothing_is_kept(tmp_path):
    command = stand_in_kaggle(tmp_path, real_zip(tmp_path))  # a subset: not the published file
    with pytest.raises(ValueError, match="not the published"):
        fetch_ham10000(tmp_path / "HAM10000", kaggle=command)
    assert not (tmp_path / "HAM10000").exists()


def test_kaggle_refusing_says_how_to_get_a_token(tmp_path):
    archive = tmp_path / "unused.zip"
    command = stand_in_kaggle(tmp_path, archive, fail="401 - Unauthorized")
    with pytest.raises(ValueError, match=r"401 - Unauthorized.*kaggle.json"):
        fetch_ham10000(tmp_path / "HAM10000", kaggle=command)
    assert not (tmp_path / "HAM10000").exists()


def test_a_token_is_found_in_kaggle_json_or_the_environment(tmp_path, monkeypatch):
    assert not has_kaggle_token({}, home=tmp_path)
    (tmp_path / ".kaggle").mkdir()
    (tmp_path / ".kaggle" / "kaggle.json").write_text('{"username": "u", "key": "k"}')
    assert has_kaggle_token({}, home=tmp_path)
    assert has_kaggle_token({"KAGGLE_CONFIG_DIR": str(tmp_path / ".kaggle")}, home=tmp_path / "x")
    assert has_kaggle_token({"KAGGLE_USERNAME": "u", "KAGGLE_KEY": "k"}, home=tmp_path / "x")
    assert not has_kaggle_token({"KAGGLE_USERNAME": "u"}, home=tmp_path / "x")
