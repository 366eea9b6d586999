"""What a lesson starts with: the chosen data, the profile's cap, and a line saying which."""

import pytest

from ganaug.data import describe_run, lesson_data, synthetic_lesions
from ganaug.data.source import SYNTHETIC_WARNING


@pytest.fixture()
def nothing_real(tmp_path, monkeypatch):
    monkeypatch.delenv("GANAUG_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "nothing"))
    monkeypatch.setenv("GANAUG_CACHE_DIR", str(tmp_path / "cache"))


def test_lesson_data_says_it_is_synthetic_and_caps_per_class(nothing_real, capsys):
    with pytest.warns(UserWarning, match="SYNTHETIC"):
        data = lesson_data()
    out = capsys.readouterr().out
    assert out.startswith("WARNING: Profile: smoke") and "NOT about real skin lesions" in out
    assert data.classes == ["bcc", "bkl", "mel"]
    assert max(data.class_counts().values()) <= 60  # the smoke profile's cap


def test_describe_run_names_profile_source_and_size():
    line = describe_run(synthetic_lesions(3, size=16))
    assert "Profile: smoke" in line and "SYNTHETIC" in line and "16 px" in line


def test_the_warning_tells_what_to_do():
    assert "GANAUG_DATA_DIR" in SYNTHETIC_WARNING
