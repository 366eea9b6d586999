"""DermaMNIST: checked download (from a local file URL), label mapping, no lesion ids."""

from __future__ import annotations

import numpy as np
import pytest

from ganaug.data import dermamnist, load_data, split_by_lesion
from ganaug.data.dermamnist import DERMAMNIST_LABELS, download, load_dermamnist, md5sum

from .helpers import make_dermamnist


@pytest.fixture()
def served(tmp_path, monkeypatch):
    """A fake dermamnist.npz behind a file:// URL, with its real MD5 registered."""
    source = make_dermamnist(tmp_path / "served.npz")
    monkeypatch.setattr(dermamnist, "DERMAMNIST_URL", source.as_uri())
    monkeypatch.setattr(dermamnist, "DERMAMNIST_MD5", md5sum(source))
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GANAUG_OFFLINE", raising=False)
    monkeypatch.delenv("GANAUG_DATA_DIR", raising=False)
    return source


def test_download_verifies_and_maps_labels(served, tmp_path):
    data = load_dermamnist(progress=False)
    assert (tmp_path / "cache" / "dermamnist.npz").is_file()
    assert len(data) == 21 and data.source == "dermamnist" and not data.has_lesion_ids
    with np.load(served) as archive:
        expected = np.asarray(DERMAMNIST_LABELS)[archive["train_labels"].ravel()]
    assert list(data.dx[:7]) == list(expected)
    assert list(data.metadata["split"].value_counts().sort_index()) == [7, 7, 7]


def test_wrong_checksum_removes_the_file(served, tmp_path, monkeypatch):
    monkeypatch.setattr(dermamnist, "DERMAMNIST_MD5", "0" * 32)
    with pytest.raises(ValueError, match="checksum mismatch.*removed"):
        load_dermamnist(progress=False)
    assert list((tmp_path / "cache").iterdir()) == []


def test_failed_download_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        download((tmp_path / "absent.npz").as_uri(), tmp_path / "out" / "x.npz", "0" * 32,
                 progress=False)  # fmt: skip
    assert list((tmp_path / "out").iterdir()) == []


def test_offline_refuses_to_download(served, monkeypatch):
    monkeypatch.setenv("GANAUG_OFFLINE", "1")
    with pytest.raises(FileNotFoundError, match="downloading is off"):
        load_dermamnist(progress=False)


def test_a_given_file_with_the_wrong_checksum_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="not DermaMNIST's"):
        load_dermamnist(make_dermamnist(tmp_path / "dermamnist.npz"))


def test_load_data_prefers_the_download_to_synthetic(served, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    assert load_data().source == "dermamnist"
    with pytest.raises(ValueError, match="28 px"):
        load_data(served, size=32)


def test_split_by_lesion_warns_without_lesion_ids(served):
    with pytest.warns(UserWarning, match="lesion ids are unknown"):
        split_by_lesion(load_dermamnist(progress=False), 0.2, 0.2)
