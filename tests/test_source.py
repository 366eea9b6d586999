"""What a lesson starts with: the chosen data, the profile's cap, and a line saying which."""

import re

import pytest

from ganaug.data import describe_run, lesson_data, load_data, synthetic_lesions


@pytest.fixture()
def nothing_real(tmp_path, monkeypatch):
    monkeypatch.delenv("GANAUG_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))  # empty: no DermaMNIST
    monkeypatch.setenv("GANAUG_OFFLINE", "1")  # and no download


def test_lesson_data_says_it_is_synthetic_and_caps_per_class(nothing_real, capsys):
    with pytest.warns(UserWarning, match="SYNTHETIC"):
        data = lesson_data()
    out = capsys.readouterr().out
    assert out.startswith("WARNING: Profile: smoke") and "NOT about real skin lesions" in out
    assert data.classes == ["bcc", "bkl", "mel"]
    assert max(data.class_counts().values()) <= 60  # the smoke profile's cap


def test_describe_run_names_profile_source_and_size():
    line = describe_run(synthetic_lesions(3, size=16), "smoke")
    assert "Profile: smoke" in line and "SYNTHETIC" in line and "16 px" in line


def test_the_warning_tells_what_to_do(nothing_real, tmp_path, monkeypatch):
    with pytest.warns(UserWarning, match="SYNTHETIC") as caught:
        data = load_data(synthetic_per_class=2)
    assert data.is_synthetic
    (message,) = [str(w.message) for w in caught if "SYNTHETIC" in str(w.message)]
    assert "GANAUG_OFFLINE" in message  # it also says why nothing was downloaded
    named = re.search(r"Set (\w+) to a HAM10000 folder or a dermamnist.npz", message)
    assert named is not None and named.group(1) == "GANAUG_DATA_DIR", message
    # The variable it names is the one load_data reads: once set, that folder is used (here
    # an empty one, which fails loudly) instead of a silent fall-back to the stand-in.
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv(named.group(1), str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError):
        load_data(synthetic_per_class=2)
